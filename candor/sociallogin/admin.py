"""allauth's tables in the back office, masked like every other personal field.

allauth registers its own admin classes, which show openids, platform profiles and e-mail
addresses in clear and let staff edit them. They are replaced here: bindings and e-mail
addresses are masked (reveal needs the permission and a reason, and is audited) and read-only
— people bind and unbind on their own binding page. Apps (from settings) and tokens (never
stored) have nothing to show, so their pages are removed.
"""

from __future__ import annotations

import importlib
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from candor.privacy.admin_mixins import PrivacyAdminMixin

# allauth's admin modules register their classes first, so that they can be replaced here.
importlib.import_module("allauth.account.admin")
importlib.import_module("allauth.socialaccount.admin")
for model in (SocialAccount, SocialApp, SocialToken, EmailAddress):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class _ReadOnly(PrivacyAdminMixin, admin.ModelAdmin):
    search_fields = ("=id", "=user__id")
    search_help_text = _("Search by number or account number. Personal fields are not searchable.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SocialAccount)
class SocialAccountAdmin(_ReadOnly):
    list_display = ("id", "user_id", "provider", "uid", "date_joined", "last_login")
    list_filter = ("provider",)
    fields = ("user_id", "provider", "uid", "extra_data", "date_joined", "last_login")
    readonly_fields = ("user_id",)


@admin.register(EmailAddress)
class EmailAddressAdmin(_ReadOnly):
    list_display = ("id", "user_id", "email", "verified", "primary")
    list_filter = ("verified", "primary")
    fields = ("user_id", "email", "verified", "primary")
    readonly_fields = ("user_id", "verified", "primary")
