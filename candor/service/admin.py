"""The staff queue of requests and complaints (privacy officer; customer service for the
questions and complaints they answer).

The list is ordered by due date, shows the days left and marks what is overdue (filter "due
date → overdue"). A request's page is read-only and masked (``PrivacyAdminMixin``: revealing
what the requester wrote needs a reason and is audited); its work is done by steps, each a small
page with one form that calls one service: verify the requester's identity (a code to the
account's own mobile, or documents seen), take it in hand, export the requester's data (the
core's zip, downloaded by the officer and not kept here; the core audits it), erase the account
(a verified deletion or cancellation request, confirmed), answer, or refuse (one of the listed
reasons and an explanation, C004-22). Correction is done on the record itself: the page links
to the requester's account and addresses. A chart shows, per week, the requests received and how
they stand against their deadlines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candor.accounts.web import client_ip
from candor.errors import CandorError
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin
from candor.service import actions, admin_forms, chart, selectors, services
from candor.service.models import OPEN, OnBehalf, RequestEvent, RightsRequest, Status

VIEW = "service.view_rightsrequest"
WORK = "service.change_rightsrequest"  # take in hand, answer, refuse
VERIFY = "service.verify_identity"
ACT = "service.act_on_request"  # export, erase


class DueFilter(admin.SimpleListFilter):
    title = _("due date")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 3 days")),
            ("open", _("Still open")),
            ("closed", _("Closed")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "overdue":
            return queryset.filter(selectors.overdue())
        if value == "soon":
            return queryset.filter(selectors.due_soon())
        if value == "open":
            return queryset.filter(status__in=OPEN)
        if value == "closed":
            return queryset.exclude(status__in=OPEN)
        return queryset


class RequestEventInline(admin.TabularInline):
    """The request's history, append-only: shown, never edited."""

    model = RequestEvent
    fields = ("at", "action", "status_from", "status_to", "actor", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise
    permission: str
    form: type[forms.Form]
    available: Callable[[RightsRequest], bool]
    intro: Promise | str = ""


def _unverified(item: RightsRequest) -> bool:
    return item.is_open and item.identity_verified_at is None


def _own(item: RightsRequest) -> bool:
    return item.is_open and item.on_behalf == OnBehalf.SELF


STEPS = (
    Step("send_code", _("Send a code to the requester's mobile"), VERIFY, admin_forms.SendCodeForm,
         _unverified, _("A one-time code goes to the mobile number of the requester's account. They tell you "
                        "the code, or type it on their request's page.")),
    Step("check_code", _("Check the code"), VERIFY, admin_forms.CheckCodeForm,
         lambda r: r.is_open and r.status == Status.VERIFYING_IDENTITY),
    Step("documents", _("Verified by documents"), VERIFY, admin_forms.DocumentsForm, _unverified,
         _("Confirm only once you have seen them. Never copy an ID number into the request.")),
    Step("start", _("Take in hand"), WORK, admin_forms.StartForm,
         lambda r: r.is_open and r.status != Status.IN_PROGRESS),
    Step("export", _("Export the requester's data"), ACT, admin_forms.ExportForm, _own,
         _("The zip is made now and downloaded to you; it is not kept here. The export is recorded in "
           "the audit log with your account.")),
    Step("erase", _("Erase the account"), ACT, admin_forms.EraseForm,
         lambda r: _own(r) and r.kind in actions.ERASABLE and r.erases_account,
         _("Deletes or anonymizes all of the requester's personal data and ends the account, as a "
           "cancellation does. Transaction records stay restricted for their legal term.")),
    Step("answer", _("Answer"), WORK, admin_forms.AnswerForm, lambda r: r.is_open),
    Step("refuse", _("Refuse"), WORK, admin_forms.RefuseForm, lambda r: r.is_open,
         _("A request may be refused only in the listed cases, with an explanation the requester reads.")),
)  # fmt: skip
STEP = {s.code: s for s in STEPS}


@admin.register(RightsRequest)
class RightsRequestAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("privacy_label", "kind", "status", "received_at", "due_at", "days_left", "verified")
    list_filter = (DueFilter, "status", "kind")
    search_fields = ("=id", "=user__id")
    search_help_text = _("Search by request or account number. Personal fields are not searchable.")
    ordering = ("due_at", "pk")
    date_hierarchy = "received_at"
    inlines = (RequestEventInline,)
    change_form_template = "admin/service/rightsrequest/change_form.html"
    change_list_template = "admin/service/rightsrequest/change_list.html"
    _IDENTITY = ("identity_verified_at", "identity_verified_by", "identity_method")
    fieldsets = (
        (None, {"fields": ("requester", "kind", "status", "channel", "received_at", "due_at", "days_left")}),
        (_("What was asked"), {"fields": ("on_behalf", "relation_name", "relationship", "scope", "body")}),
        (_("Identity verification"), {"fields": _IDENTITY}),
        (_("Outcome"), {"fields": ("answer", "refusal_reason", "refusal_explanation", "closed_at")}),
    )
    readonly_fields = (
        "requester", "kind", "status", "channel", "received_at", "due_at", "days_left", "scope",
        *_IDENTITY, "refusal_reason", "closed_at",
    )  # fmt: skip

    class Media:
        css = {"all": ("service/admin.css",)}

    # Read-only (ReadOnlyMixin): a request is filed by the requester (or customer service through
    # the API, for them), changed by the steps only, each through its service, and never deleted
    # here: it is the proof of answering in time; the retention rule removes it.

    @admin.display(description=_("requester"))
    def requester(self, item: RightsRequest) -> str:
        return f"{get_user_model()._meta.verbose_name} #{item.user_id}"

    @admin.display(description=_("days left"), ordering="due_at")
    def days_left(self, item: RightsRequest) -> str:
        if not item.is_open:
            return "—"
        if item.days_left == 0:  # the due day itself: "overdue (0)" would read as a contradiction
            css = "request-overdue" if item.is_overdue else "request-due-today"
            return format_html('<strong class="{}">{}</strong>', css, _("due today"))
        if item.is_overdue:
            return format_html(
                '<strong class="request-overdue">{} ({})</strong>', _("overdue"), item.days_left
            )
        return str(item.days_left)

    @admin.display(description=_("identity verified"), boolean=True)
    def verified(self, item: RightsRequest) -> bool:
        return item.identity_verified_at is not None

    # --- pages ----------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        own = [
            path("deadlines/", self.admin_site.admin_view(self.chart_view), name="{}_{}_chart".format(*info)),
            path(
                "<path:object_id>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="{}_{}_step".format(*info),
            ),
        ]
        return [*own, *super().get_urls()]

    def _change_url(self, item: RightsRequest) -> str:
        info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
        return reverse("{}:{}_{}_change".format(*info), args=[quote(item.pk)])

    def _steps(self, request: HttpRequest, item: RightsRequest) -> list[Step]:
        return [s for s in STEPS if s.available(item) and request.user.has_perm(s.permission)]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        item = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if item is not None:
            context["steps"] = self._steps(request, item)
            context["correct_links"] = _correct_links(self.admin_site.name, item)
        return super().change_view(request, object_id, form_url, context)

    def step_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        item = self.get_object(request, unquote(object_id))
        chosen = STEP.get(step)
        if item is None or chosen is None:
            raise Http404
        if not (self.has_view_permission(request, item) and request.user.has_perm(chosen.permission)):
            raise PermissionDenied
        form = chosen.form(request.POST if request.method == "POST" else None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    response = self._run(chosen, request, item, form.cleaned_data)
                except CandorError as exc:
                    status = exc.status
                    for name, errors in (exc.fields or {"": [str(exc.message)]}).items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    if response is not None:
                        return response
                    self.message_user(
                        request, _("Done: %(step)s.") % {"step": chosen.label}, messages.SUCCESS
                    )
                    return HttpResponseRedirect(self._change_url(item))
            else:
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": self.privacy_label(item), "item": item, "form": form,
            "step": chosen, "title": chosen.label, "change_url": self._change_url(item),
        }  # fmt: skip
        response = TemplateResponse(request, "admin/service/rightsrequest/step.html", context, status=status)
        add_never_cache_headers(response)
        return response

    def _run(self, step: Step, request: HttpRequest, item: RightsRequest, data: dict[str, Any]) -> Any:
        actor = request.user
        if step.code == "send_code":
            services.request_code_send(request_id=item.pk, actor=actor, ip=client_ip(request))
        elif step.code == "check_code":
            services.request_code_check(request_id=item.pk, code=data["code"], actor=actor)
        elif step.code == "documents":
            services.request_identity_verify(request_id=item.pk, actor=actor, method="documents")
        elif step.code == "start":
            services.request_start(request_id=item.pk, actor=actor)
        elif step.code == "answer":
            services.request_answer(request_id=item.pk, actor=actor, answer=data["answer"])
        elif step.code == "refuse":
            services.request_refuse(
                request_id=item.pk, actor=actor, reason=data["reason"], explanation=data["explanation"]
            )
        elif step.code == "erase":
            actions.request_erase(request_id=item.pk, actor=actor, confirm=data["confirm"])
        elif step.code == "export":
            archive = actions.request_export(request_id=item.pk, actor=actor)
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="request-{item.pk}-data.zip"'
            add_never_cache_headers(response)
            return response
        return None

    def chart_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        weeks = selectors.weekly()
        changelist = reverse(f"{self.admin_site.name}:service_rightsrequest_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": _("Requests against their deadlines"), "weeks": weeks,
            "svg": chart.bars(weeks),
            "overdue_url": changelist + "?due=overdue",
        }  # fmt: skip
        return TemplateResponse(request, "admin/service/rightsrequest/chart.html", context)


def _correct_links(site: str, item: RightsRequest) -> list[tuple[Promise, str]]:
    """Where staff correct the requester's data: the records themselves, in their own admin."""
    links: list[tuple[Promise, str]] = []
    for label, name, args, query in (
        (_("Account"), "accounts_user_change", [item.user_id], ""),
        (_("Addresses"), "addresses_address_changelist", [], f"?q={item.user_id}"),
    ):
        try:
            links.append((label, reverse(f"{site}:{name}", args=args) + query))
        except NoReverseMatch:
            continue
    return links
