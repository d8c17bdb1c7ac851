"""The address book pages: list (mobile masked), add and edit (per-field errors, input kept,
the owner sees their data in full), delete with a confirmation, default by htmx or plain POST;
someone else's address is a 404 page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from candor.addresses import services
from candor.addresses.models import Address
from candor.addresses.tests.conftest import ADDRESS

pytestmark = pytest.mark.django_db

FORM = {**ADDRESS, "is_default": "on"}


def no_inline_code(html: str) -> None:
    """The CSP forbids inline scripts and style attributes: the pages must not need them."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and " onclick=" not in html


def test_the_list_needs_a_login(client, db):
    response = client.get(reverse("addresses:list"))
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_add_then_list_with_the_mobile_masked(alice_client, alice, lang):
    page = alice_client.get(reverse("addresses:list"), HTTP_ACCEPT_LANGUAGE=lang)
    assert page.status_code == 200 and 'data-testid="address-add"' in page.content.decode()
    form = alice_client.get(reverse("addresses:add"), HTTP_ACCEPT_LANGUAGE=lang)
    assert form.status_code == 200
    for name in (
        "recipient_name",
        "mobile",
        "province",
        "city",
        "district",
        "detail",
        "postal_code",
        "landline",
    ):
        assert f'name="{name}"' in form.content.decode()
    no_inline_code(form.content.decode())

    response = alice_client.post(reverse("addresses:add"), FORM, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 302 and response["Location"] == reverse("addresses:list")
    address = Address.objects.get(user=alice)
    assert (address.mobile, address.is_default) == ("13812348000", True)

    html = alice_client.get(reverse("addresses:list"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert html.count('data-testid="address-row"') == 1
    assert "138****8000" in html and "13812348000" not in html
    no_inline_code(html)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_bad_mobile_keeps_the_input_shows_the_error_and_stores_nothing(alice_client, lang):
    response = alice_client.post(
        reverse("addresses:add"), {**FORM, "mobile": "12345"}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override(lang):
        expected = translation.gettext("Enter a valid mainland China mobile number.")
    assert 'data-testid="error-mobile"' in html and expected in html
    assert 'value="张三"' in html and 'value="12345"' in html and "文三路 90 号" in html
    assert not Address.objects.exists()


def test_edit_shows_the_owner_everything_and_saves(alice_client, alice):
    address = services.address_create(user=alice, **ADDRESS)
    html = alice_client.get(reverse("addresses:edit", args=[address.pk])).content.decode()
    assert 'value="13812348000"' in html and 'value="张三"' in html
    response = alice_client.post(
        reverse("addresses:edit", args=[address.pk]), {**FORM, "recipient_name": "李四"}
    )
    assert response.status_code == 302
    assert Address.objects.get(pk=address.pk).recipient_name == "李四"


def test_delete_asks_first_then_deletes_on_post(alice_client, alice):
    address = services.address_create(user=alice, **ADDRESS)
    confirm = alice_client.get(reverse("addresses:delete", args=[address.pk]))
    assert confirm.status_code == 200 and 'data-testid="address-delete-confirm"' in confirm.content.decode()
    assert Address.objects.filter(pk=address.pk).exists()
    assert alice_client.post(reverse("addresses:delete", args=[address.pk])).status_code == 302
    assert not Address.objects.filter(pk=address.pk).exists()


def test_set_default_by_htmx_returns_the_list_and_by_post_redirects(alice_client, alice):
    first = services.address_create(user=alice, **ADDRESS)
    second = services.address_create(user=alice, **{**ADDRESS, "detail": "第二 2 号"})
    url = reverse("addresses:default", args=[second.pk])
    fragment = alice_client.post(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert 'id="address-list"' in fragment.content.decode() and "<html" not in fragment.content.decode()
    assert Address.objects.get(pk=second.pk).is_default and not Address.objects.get(pk=first.pk).is_default
    assert alice_client.post(reverse("addresses:default", args=[first.pk])).status_code == 302
    assert Address.objects.get(pk=first.pk).is_default
    assert alice_client.get(url).status_code == 405  # a link cannot change it


def test_someone_elses_address_is_a_404_page_and_stays(alice_client, bob):
    address = services.address_create(user=bob, **ADDRESS)
    for name in ("edit", "delete"):
        assert alice_client.get(reverse(f"addresses:{name}", args=[address.pk])).status_code == 404
    for name in ("edit", "delete", "default"):
        response = alice_client.post(reverse(f"addresses:{name}", args=[address.pk]), FORM)
        assert response.status_code == 404
    assert Address.objects.get(pk=address.pk).recipient_name == "张三"


def test_the_list_says_when_the_limit_is_reached(alice_client, alice):
    for n in range(services.ADDRESS_LIMIT):
        services.address_create(user=alice, **{**ADDRESS, "detail": f"路 {n} 号"})
    html = alice_client.get(reverse("addresses:list")).content.decode()
    assert 'data-testid="address-limit"' in html and 'data-testid="address-add"' not in html
    response = alice_client.post(reverse("addresses:add"), FORM)
    assert response.status_code == 400 and 'data-testid="form-error"' in response.content.decode()
    assert Address.objects.count() == services.ADDRESS_LIMIT
