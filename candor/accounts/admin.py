from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candor.accounts import cancellation
from candor.accounts.models import ApiToken, Cancellation, Profile, User
from candor.errors import CandorError
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin

_POWERS = ("is_staff", "is_superuser", "groups", "user_permissions")
_ACCOUNT_ID = re.compile(r"#?([0-9]{1,18})")  # "#42" as the masked label prints it, or "42"


@admin.register(User)
class UserAdmin(PrivacyAdminMixin, BaseUserAdmin):
    list_display = ("username", "nickname", "is_staff", "is_active", "date_joined")
    # Searching a personal field would let staff probe a masked value letter by letter: accounts
    # are found by id only (get_search_results).
    search_fields = ("=id",)
    search_help_text = _("Search by account number. Personal fields are not searchable.")
    ordering = ("-date_joined",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("nickname", "phone", "phone_verified_at", "email", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
    ) -> tuple[models.QuerySet[Any], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        found = _ACCOUNT_ID.fullmatch(term)
        if found is not None:
            return queryset.filter(pk=int(found[1])), False
        # Said on the change list; an autocomplete widget's request has no page to say it on.
        if getattr(request.resolver_match, "url_name", "") != "autocomplete":
            messages.info(request, gettext("Personal fields are not searchable: search by account number."))
        return queryset.none(), False

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[Any]:
        fields = list(super().get_readonly_fields(request, obj))
        user = request.user
        if not getattr(user, "is_superuser", False):
            # Only a superuser hands out roles and powers: a staff member who may change users
            # must not be able to make themselves a superuser or a privacy officer.
            fields += [name for name in _POWERS if name not in fields]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Deleting the row would skip erasure (keys shredded, transaction records restricted,
        # the erasure recorded): accounts are erased through the rights workflow,
        # candor.privacy.rights.erase, never deleted.
        return False

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # One transaction for the new hash, the admin log entry and the audit event.
        with transaction.atomic(using=router.db_for_write(self.model)):
            account = self.get_object(request, unquote(id)) if request.method == "POST" else None
            response = super().user_change_password(request, id, form_url)
            if account is not None:
                stored = self.model._default_manager.filter(pk=account.pk).values_list("password", flat=True)
                if stored.first() != account.password:
                    self.record_change(request, account, ["password"])
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            # Django titles the page, and fills a hidden field for password managers, with the
            # full account name: both get the account's label (str(user)) instead.
            user = response.context_data["original"]
            title = _("Change password: %s") if user.has_usable_password() else _("Set password: %s")
            response.context_data["title"] = title % user
            response.context_data["original"] = _MaskedAccount(user)
        return response


class _MaskedAccount:
    """The account as the password page shows it: its label (``str(user)``), nothing personal."""

    def __init__(self, user: User) -> None:
        self.pk, self.label = user.pk, str(user)

    def get_username(self) -> str:
        return self.label

    def __str__(self) -> str:
        return self.label


@admin.register(Profile)
class ProfileAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    """Read-only for staff: the person edits their own profile (C003-18)."""

    list_display = ("privacy_label", "gender", "updated_at")
    exclude = ("avatar",)  # a picture has no masked form; the person sees it on their page
    search_fields = ("=user__id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    """Staff can see that a token exists and revoke it (delete), never read or make one."""

    list_display = ("privacy_label", "created_at", "last_used_at", "expires_at")
    readonly_fields = ("user", "name", "created_at", "last_used_at", "expires_at")
    exclude = ("digest",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


# --- account cancellations: the 48-hour review (owner of this block: candor.announcements) -------
# Staff see the requests waiting with the time left on the clock and what still blocks each, and
# decide through ``candor.accounts.cancellation``: approve (erase now, the same step as the end of
# the review), hold (stop the clock) or extend it with a reason the person reads on their cancel
# page, or release a hold. Deciding needs ``accounts.change_cancellation``; the row itself is never
# edited here. The pages' templates live in candor/announcements/templates/admin/accounts/.

CANCELLATION_DECIDE = "accounts.change_cancellation"


class CancellationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve: erase the account now")),
            ("hold", _("Hold: stop the clock until you release it")),
            ("extend", _("Extend: the review ends later")),
            ("release", _("Release the hold: the clock runs again with the time that was left")),
        ],
    )
    # Checked by the service (a hold needs a reason), so every caller refuses alike.
    reason = forms.CharField(
        label=_("Reason shown to the person"), required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to hold or extend. The person reads it on their cancel page."),
    )  # fmt: skip
    until = forms.DateTimeField(
        label=_("Review ends at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "extend" and not data.get("until"):
            self.add_error("until", _("Say when the review ends."))
        return data


def _time_left(row: Cancellation, now: datetime) -> str:
    if row.held_at is not None:
        left = max(row.review_until - row.held_at, timedelta(0))
        return gettext("clock stopped, %(left)s left") % {"left": _duration(left)}
    if row.review_until <= now:
        return gettext("ended: erased at the next run")
    return _duration(row.review_until - now)


def _duration(span: timedelta) -> str:
    hours, seconds = divmod(int(span.total_seconds()), 3600)
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": seconds // 60}


@admin.register(Cancellation)
class CancellationAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("privacy_label", "account", "status", "review_until", "time_left", "blocked_by")
    list_filter = ("status",)
    ordering = ("review_until",)
    search_fields = ("=user__id",)
    search_help_text = _("Search by account number.")
    fields = ("account", "status", "review_until", "time_left", "held_at", "blocked_by")
    readonly_fields = fields
    change_form_template = "admin/accounts/cancellation/change_form.html"

    @admin.display(description=_("account"))
    def account(self, row: Cancellation) -> str:
        return str(row.user)  # "user #42": the label, nothing personal

    @admin.display(description=_("time left"))
    def time_left(self, row: Cancellation) -> str:
        if row.status != Cancellation.Status.IN_REVIEW:
            return "—"
        return _time_left(row, timezone.now())

    @admin.display(description=_("blocked by"))
    def blocked_by(self, row: Cancellation) -> str:
        if row.status != Cancellation.Status.IN_REVIEW:
            return "—"
        return "; ".join(cancellation.blockers(row.user)) or "—"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related("user")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        row = self.get_object(request, unquote(object_id))
        open_ = row is not None and row.status == Cancellation.Status.IN_REVIEW
        may = open_ and request.user.has_perm(CANCELLATION_DECIDE)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "may_decide": may})

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="{}_{}_review".format(*info),
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        row = self.get_object(request, unquote(object_id))
        if row is None:
            raise Http404
        if not (self.has_view_permission(request, row) and request.user.has_perm(CANCELLATION_DECIDE)):
            raise PermissionDenied
        info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
        change_url = reverse("{}:{}_{}_change".format(*info), args=[quote(row.pk)])
        if row.status != Cancellation.Status.IN_REVIEW:
            self.message_user(request, _("This cancellation is no longer in review."), messages.WARNING)
            return HttpResponseRedirect(change_url)
        form = CancellationReviewForm(request.POST if request.method == "POST" else None)
        status = 200
        if form.is_valid():
            try:
                done = self._decide(request, row, form.cleaned_data)
            except CandorError as exc:
                for name, errors in (exc.fields or {"": [str(exc.message)]}).items():
                    form.add_error(name if name in form.fields else None, errors)
                status = exc.status
            else:
                self.message_user(request, done, messages.SUCCESS)
                if form.cleaned_data["decision"] == "approve":  # the row went with the account
                    return HttpResponseRedirect(reverse("{}:{}_{}_changelist".format(*info)))
                return HttpResponseRedirect(change_url)
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": self.privacy_label(row), "row": row, "form": form,
            "title": _("Review the cancellation"), "change_url": change_url,
            "time_left": _time_left(row, timezone.now()), "blockers": cancellation.blockers(row.user),
        }  # fmt: skip
        return TemplateResponse(request, "admin/accounts/cancellation/review.html", context, status=status)

    def _decide(self, request: HttpRequest, row: Cancellation, data: dict[str, Any]) -> str:
        actor, decision = int(request.user.pk), data["decision"]
        if decision == "approve":
            cancellation.cancellation_approve(cancellation_id=row.pk, actor_id=actor)
            return gettext("The account is erased.")
        if decision == "release":
            cancellation.cancellation_release(cancellation_id=row.pk, actor_id=actor)
            return gettext("The clock runs again.")
        until = data["until"] if decision == "extend" else None
        cancellation.cancellation_hold(
            cancellation_id=row.pk, actor_id=actor, reason=data["reason"], until=until
        )
        return gettext("The review is extended.") if until else gettext("The clock is stopped.")
