"""A share link carries a random token and no personal data: neither the link, nor the
redirect, nor the page it leads to names the sharer; opening it counts a visit and records
nothing about the visitor; a deleted link is a 404."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from candor.social import services
from candor.social.models import ShareLink

pytestmark = [pytest.mark.django_db, pytest.mark.urls("candor.social.tests.urls")]


@pytest.fixture
def sharer(alice):
    alice.nickname = "小蓝同学"
    alice.save()
    return alice


def _no_personal_data(text: str, user) -> None:
    assert user.username not in text
    assert user.nickname not in text
    assert not re.search(rf"(user|uid|sharer|member|from|ref)[^/?&=]*[=/]{user.pk}\b", text, re.I)


def test_the_link_and_its_redirect_carry_no_personal_data(client, sharer, product):
    client.force_login(sharer)
    page = client.post("/me/favorites/shares/new/", {"product": product.pk, "channel": "wechat"})
    assert page.status_code == 201
    share = ShareLink.objects.get()
    link = re.search(r'data-testid="share-url"[^>]*|value="([^"]+/s/[^"]+)"', page.content.decode())
    url = re.search(r'value="(http://testserver/s/[^"]+)"', page.content.decode()).group(1)
    assert link and url == f"http://testserver/s/{share.token}/"
    path = url.removeprefix("http://testserver")
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{22,}/", path)
    _no_personal_data(url, sharer)

    visitor = Client()  # someone else, not logged in
    response = visitor.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/products/{product.pk}/"
    assert response["Referrer-Policy"] == "no-referrer"
    _no_personal_data(response["Location"], sharer)
    landed = visitor.get(response["Location"])
    assert landed.status_code == 200
    _no_personal_data(landed.content.decode(), sharer)
    # Opening the link stored nothing about the visitor: no cookie, no session, one more visit.
    assert not response.cookies and settings.SESSION_COOKIE_NAME not in visitor.cookies
    share.refresh_from_db()
    assert share.visits == 1


def test_a_deleted_share_404s_its_link(alice_client, alice, product):
    share = services.share_create(user=alice, product_id=product.pk, channel="copy")
    assert Client().get(f"/s/{share.token}/").status_code == 302
    listing = alice_client.get("/me/favorites/shares/").content.decode()
    assert listing.count('data-testid="share-row"') == 1 and share.token in listing
    response = alice_client.post(f"/me/favorites/shares/{share.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/me/favorites/shares/"
    assert not ShareLink.objects.exists()
    assert Client().get(f"/s/{share.token}/").status_code == 404
    assert 'data-testid="shares-empty"' in alice_client.get("/me/favorites/shares/").content.decode()


def test_someone_elses_share_cannot_be_deleted(client, alice, bob, product):
    share = services.share_create(user=alice, product_id=product.pk, channel="copy")
    client.force_login(bob)
    assert client.post(f"/me/favorites/shares/{share.pk}/delete/").status_code == 404
    assert ShareLink.objects.filter(pk=share.pk).exists()


@pytest.mark.parametrize("token", ["short", "x" * 200, "%00" * 10, "a" * 22 + "!"])
def test_unknown_tokens_are_404(client, token):
    assert client.get(f"/s/{token}/").status_code == 404


def test_share_create_with_htmx_answers_the_link_fragment(alice_client, product):
    response = alice_client.post(
        "/me/favorites/shares/new/", {"product": product.pk, "channel": "qq"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 201 and "<html" not in html and 'data-testid="share-copy"' in html
    assert "<script" not in html and " onclick=" not in html
