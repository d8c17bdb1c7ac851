from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candor.accounts.models import ApiToken, Profile, User
from candor.privacy.admin_mixins import PrivacyAdminMixin

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
