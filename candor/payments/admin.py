"""Payments in the back office: what finance looks at, and the one thing it decides here.

Everything about money is read-only: payments, refunds and the log of every notification a
payment institution sent — forged and replayed ones included, with the outcome that says what
was (not) done with each, so staff can see an attack changed nothing. Money moves only through
the services: a payment by a verified notification, a refund by "cancel and refund" on the order.
One thing about a refund is finance's to say: that it paid the money back itself (a cancelled
order paid by bank remittance, or a refund an institution keeps refusing) — "mark paid back",
which needs ``payments.change_refund``.

The decision made here is a business's bank remittance (C002-05): finance opens the slip —
masked until revealed with a reason, audited (``PrivacyAdminMixin``), an image shown in the page
and a PDF as the file itself — and confirms it (the purchase is paid) or rejects it with a note
(``services.remittance_review``, which refuses a rejection without one). Reviewing needs
``payments.change_remittanceslip``; the slip's record itself is never edited.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.money import yuan_filter as money  # "" for no amount
from candor.payments import services
from candor.payments.models import Payment, PaymentNotice, Refund, RemittanceSlip
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin

REVIEW_PERMISSION = "payments.change_remittanceslip"
PAY_BACK_PERMISSION = "payments.change_refund"
_DATA_URL = re.compile(r"data:([a-z]+/[a-z.+-]+);base64,(.*)", re.DOTALL)


class _ReadOnly(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(_ReadOnly):
    list_display = ("received_at", "provider", "outcome", "out_trade_no", "amount", "notice_id", "reason")
    list_filter = ("outcome", "provider")
    search_fields = ("=out_trade_no", "=notice_id")
    search_help_text = _("Search by trade number or notification id.")
    date_hierarchy = "received_at"
    fields = (
        "received_at",
        "provider",
        "outcome",
        "reason",
        "out_trade_no",
        "amount",
        "notice_id",
        "body_sha256",
    )
    readonly_fields = fields

    @admin.display(description=_("amount"), ordering="amount_fen")
    def amount(self, notice: PaymentNotice) -> str:
        return money(notice.amount_fen)


@admin.register(Payment)
class PaymentAdmin(PrivacyAdminMixin, _ReadOnly):
    list_display = ("out_trade_no", "method", "amount", "status", "created_at", "paid_at")
    list_filter = ("status", "method")
    search_fields = ("=out_trade_no",)
    search_help_text = _("Search by trade (purchase) number.")
    date_hierarchy = "created_at"
    fields = ("out_trade_no", "purchase", "buyer_id", "method", "amount", "status", "provider_trade_no",
              "created_at", "paid_at")  # fmt: skip
    readonly_fields = (
        "out_trade_no",
        "purchase",
        "buyer_id",
        "method",
        "amount",
        "status",
        "created_at",
        "paid_at",
    )

    @admin.display(description=_("amount"), ordering="amount_fen")
    def amount(self, payment: Payment) -> str:
        return money(payment.amount_fen)


@admin.register(Refund)
class RefundAdmin(PrivacyAdminMixin, _ReadOnly):
    list_display = ("refund_no", "order", "payment", "amount", "status", "attempts", "created_at")
    list_filter = ("status", "reason")
    actions = ("mark_paid_back",)
    list_select_related = ("order", "payment")
    search_fields = ("=refund_no", "=order__number")
    search_help_text = _("Search by refund or order number.")
    fields = (
        "refund_no",
        "order",
        "payment",
        "buyer_id",
        "amount",
        "status",
        "provider_refund_no",
        "reason",
        "attempts",
        "attempted_at",
        "created_at",
        "refunded_at",
        "paid_back_by_id",
    )
    readonly_fields = ("refund_no", "order", "payment", "buyer_id", "amount", "status", "reason", "attempts",
                       "attempted_at", "created_at", "refunded_at", "paid_back_by_id")  # fmt: skip

    @admin.display(description=_("amount"), ordering="amount_fen")
    def amount(self, refund: Refund) -> str:
        return money(refund.amount_fen)

    def has_pay_back_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(PAY_BACK_PERMISSION)

    @admin.action(description=_("Mark paid back by finance"), permissions=["pay_back"])
    def mark_paid_back(self, request: HttpRequest, queryset: Any) -> None:
        """Finance paid the money back itself (a bank remittance, or a refund the institution
        keeps refusing): the refund is done and a cancellation takes effect."""
        for refund in queryset:
            try:
                services.refund_mark_paid_back(refund_id=refund.pk, actor_id=request.user.pk)
            except CandorError as exc:
                self.message_user(request, f"{refund.refund_no}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Refund %(number)s marked paid back.") % {"number": refund.refund_no},
                    messages.SUCCESS,
                )  # fmt: skip


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm: the money arrived")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    # Checked by the service (a rejection needs a note), so every caller refuses alike.
    note = forms.CharField(
        label=_("Review note"), required=False, max_length=200,
        help_text=_("Required when you reject: say what is wrong with the slip. No personal data."),
    )  # fmt: skip


@admin.register(RemittanceSlip)
class RemittanceSlipAdmin(PrivacyAdminMixin, _ReadOnly):
    list_display = (
        "privacy_label",
        "purchase",
        "amount",
        "status",
        "payer_name",
        "uploaded_at",
        "reviewed_at",
    )
    list_filter = ("status",)
    list_select_related = ("purchase",)
    search_fields = ("=purchase__number",)
    search_help_text = _("Search by purchase number.")
    date_hierarchy = "uploaded_at"
    change_form_template = "admin/payments/remittanceslip/change_form.html"
    fields = ("purchase", "amount", "buyer_id", "status", "payer_name", "slip", "uploaded_at",
              "reviewed_by_id", "reviewed_at", "review_note")  # fmt: skip
    readonly_fields = (
        "purchase",
        "amount",
        "buyer_id",
        "status",
        "uploaded_at",
        "reviewed_by_id",
        "reviewed_at",
    )

    @admin.display(description=_("amount to confirm"))
    def amount(self, slip: RemittanceSlip) -> str:
        return money(slip.purchase.total_fen)

    def has_review_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        slip = self.get_object(request, unquote(object_id))
        may_review = slip is not None and slip.status == RemittanceSlip.Status.WAITING
        context = {**(extra_context or {}), "may_review": may_review and self.has_review_permission(request)}
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="{}_{}_review".format(*info),
        )
        return [review, *super().get_urls()]

    def _change_url(self, slip: RemittanceSlip) -> str:
        info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
        return reverse("{}:{}_{}_change".format(*info), args=[quote(slip.pk)])

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        slip = self.get_object(request, unquote(object_id))
        if slip is None:
            raise Http404
        if not (self.has_view_permission(request, slip) and self.has_review_permission(request, slip)):
            raise PermissionDenied
        form = ReviewForm(request.POST if request.method == "POST" else None)
        status = 200
        if slip.status != RemittanceSlip.Status.WAITING:
            self.message_user(request, _("This slip has already been reviewed."), messages.WARNING)
            return HttpResponseRedirect(self._change_url(slip))
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "confirm"
            try:
                services.remittance_review(
                    slip_id=slip.pk, actor_id=request.user.pk, accept=accept, note=form.cleaned_data["note"]
                )
            except CandorError as exc:
                for name, errors in (exc.fields or {"": [str(exc.message)]}).items():
                    form.add_error("note" if name == "review_note" else None, errors)
                status = exc.status
            else:
                done = (
                    _("Remittance confirmed: purchase %(number)s is paid.") if accept else _("Slip rejected.")
                )
                self.message_user(request, done % {"number": slip.purchase.number}, messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(slip))
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": self.privacy_label(slip), "slip": slip, "form": form,
            "title": _("Review the remittance"), "amount": money(slip.purchase.total_fen),
            "change_url": self._change_url(slip),
        }  # fmt: skip
        return TemplateResponse(request, "admin/payments/remittanceslip/review.html", context, status=status)

    def privacy_reveal_view(self, request: HttpRequest, object_id: str, field: str) -> HttpResponse:
        """The slip, once revealed (reason given, audited by the mixin), is shown as what it is:
        an image in the page, a PDF as the file itself — not as the text of its data URL."""
        response = super().privacy_reveal_view(request, object_id, field)
        data = getattr(response, "context_data", None) or {}
        if field != "slip" or not data.get("shown"):
            return response
        found = _DATA_URL.fullmatch(str(data.get("value") or ""))
        if found is None or found[1] not in services.SLIP_TYPES:
            return response  # not a slip this app stored: its text, as the mixin shows it
        if found[1].startswith("image/"):
            response.template_name = "admin/payments/remittanceslip/slip.html"
            data["slip_src"] = found[0]
            return response
        try:
            content = base64.b64decode(found[2], validate=True)
        except (binascii.Error, ValueError):
            return response
        pdf = HttpResponse(content, content_type=found[1])
        pdf["Content-Disposition"] = "inline"
        # The buyer's file, opened on our origin: no script of it runs with the admin's rights.
        pdf["Content-Security-Policy"] = "sandbox"
        add_never_cache_headers(pdf)
        return pdf
