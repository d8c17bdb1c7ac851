"""Staff see bindings masked and cannot edit them (a plain AdminSite of the test's own, as in
the addresses tests: this is about masking, not the second-factor gate)."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path

from candor.sociallogin.admin import SocialAccountAdmin
from candor.urls import urlpatterns as project_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

site = admin.AdminSite(name="admin")
site.register(SocialAccount, SocialAccountAdmin)
urlpatterns = [path("admin/", site.urls), *(p for p in project_urls if str(p.pattern) != "admin/")]


def test_staff_see_the_openid_and_profile_masked_and_cannot_change_them(client, flow):
    flow.login("weixin", user="lixiaolong")
    account = SocialAccount.objects.get()
    clerk = get_user_model().objects.create_user(
        username="clerk", password="x-very-long-password-1", is_staff=True
    )
    clerk.user_permissions.add(*Permission.objects.filter(codename="view_socialaccount"))
    client.force_login(clerk)

    listing = client.get("/admin/socialaccount/socialaccount/").content.decode()
    form = client.get(f"/admin/socialaccount/socialaccount/{account.pk}/change/").content.decode()

    assert account.uid not in listing and account.uid not in form
    assert "李小龙" not in form
    assert client.post(f"/admin/socialaccount/socialaccount/{account.pk}/change/", {}).status_code == 403
