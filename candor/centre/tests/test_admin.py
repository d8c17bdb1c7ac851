"""Staff see profile tags masked (for answering a contested decision) and cannot add, edit or
delete them. The admin classes run on a plain AdminSite of the test's own, so the test is
about masking, not about the staff second-factor gate in front of the real one."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path

from candor.centre import services
from candor.centre.admin import ProfileTagAdmin, ProfileTagSuppressionAdmin
from candor.centre.models import ProfileTag, ProfileTagSuppression
from candor.urls import urlpatterns as project_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

site = admin.AdminSite(name="admin")
site.register(ProfileTag, ProfileTagAdmin)
site.register(ProfileTagSuppression, ProfileTagSuppressionAdmin)
urlpatterns = [path("admin/", site.urls), *(p for p in project_urls if str(p.pattern) != "admin/")]


def test_staff_see_tags_masked_and_read_only(client, shop, personalized_alice, viewed):
    viewed(personalized_alice, shop.products["tea"], shop.products["mate"])
    services.profile_tags_refresh(user=personalized_alice)
    services.profile_tag_delete(user=personalized_alice, category_id=shop.phones.pk)
    user = get_user_model().objects.create_user(
        username="clerk", password="x-very-long-password-1", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_profiletag",
                "change_profiletag",
                "delete_profiletag",
                "view_profiletagsuppression",
            ]
        )
    )
    client.force_login(user)
    listing = client.get("/admin/centre/profiletag/")
    assert listing.status_code == 200 and 'class="field-id"' in listing.content.decode()
    assert "食品" not in listing.content.decode() and "Food" not in listing.content.decode()
    tag = ProfileTag.objects.get()
    form = client.get(f"/admin/centre/profiletag/{tag.pk}/change/").content.decode()
    assert "食品" not in form and 'name="_save"' not in form
    assert client.post(f"/admin/centre/profiletag/{tag.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/centre/profiletag/add/").status_code == 403
    assert client.get("/admin/centre/profiletagsuppression/").status_code == 200
    assert ProfileTag.objects.count() == 1 and ProfileTagSuppression.objects.count() == 1
