"""The home page's "猜你喜欢 / For you" block: personalized only with consent, otherwise the best
sellers labelled "non-personalized"; the one-tap switch shows on the very next page; and the
price of a product never depends on the profile (PIPL art. 24)."""

from __future__ import annotations

import pytest

from candor.centre import selectors
from candor.centre.tests.conftest import no_inline_code
from candor.privacy import consent, taxonomy

pytestmark = pytest.mark.django_db


def _ids_in(html: str, block: str) -> str:
    start = html.index(f'data-testid="{block}"')
    return html[start : html.index("</section>", start)]


def test_a_guest_sees_the_best_sellers_and_no_block(client, shop):
    html = client.get("/").content.decode()
    assert 'data-testid="home-best-sellers"' in html and 'data-testid="for-you"' not in html


def test_without_consent_the_block_is_the_best_sellers_labelled_non_personalized(
    alice_client, shop, alice, viewed
):
    viewed(alice, shop.products["tea"])  # history alone personalizes nothing
    html = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="for-you" data-personalized="false"' in html
    block = _ids_in(html, "for-you")
    assert "Non-personalized" in block and "the same for everyone" in block
    assert block.index(shop.products["case"].name_en) < block.index(
        shop.products["iphone"].name_en
    )  # by sales
    assert 'data-testid="home-best-sellers"' not in html  # not listed twice
    no_inline_code(html)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_with_consent_it_lists_the_members_interests(
    alice_client, shop, personalized_alice, viewed, favorited, lang
):
    viewed(personalized_alice, shop.products["tea"])
    favorited(personalized_alice, shop.products["tea"])
    html = alice_client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'data-testid="for-you" data-personalized="true"' in html
    block = _ids_in(html, "for-you")
    tea = shop.products["tea"]
    assert (tea.name_zh if lang == "zh-hans" else tea.name_en) in block
    assert shop.products["case"].name_en not in block and shop.products["case"].name_zh not in block
    assert ("食品" in block) if lang == "zh-hans" else ("Food" in block and "Personalized" in block)
    assert 'data-testid="home-best-sellers"' in html  # the non-personal list stays beside it


def test_switching_off_shows_non_personalized_lists_on_the_next_page(
    alice_client, shop, personalized_alice, viewed
):
    viewed(personalized_alice, shop.products["tea"])
    assert 'data-personalized="true"' in alice_client.get("/").content.decode()
    alice_client.post(
        "/me/privacy/permissions/switch/", {"purpose": "personalization", "on": "0", "back": "decisions"}
    )
    html = alice_client.get("/").content.decode()
    assert 'data-testid="for-you" data-personalized="false"' in html
    api = alice_client.get("/api/v1/me/for-you").json()
    assert api["personalized"] is False and api["interests"] == []


def test_with_consent_but_nothing_to_go_on_it_says_non_personalized(alice_client, shop, personalized_alice):
    html = alice_client.get("/").content.decode()
    assert 'data-testid="for-you" data-personalized="false"' in html


def test_prices_do_not_depend_on_the_profile(alice_client, api_client, shop, alice, bob, viewed, favorited):
    """The same product costs the same for a member with a rich profile, with personalization
    off, and for a stranger — on the product's API, its page and in the For you list."""
    tea = shop.products["tea"]
    viewed(alice, tea)
    favorited(alice, tea)

    def seen() -> tuple[int, str, str]:
        api = api_client.call("get", f"/products/{tea.pk}").json()
        page = alice_client.get(f"/products/{tea.pk}/").content.decode()
        listed = alice_client.get("/api/v1/me/for-you").json()["items"]
        in_list = next((c["price_fen"] for c in listed if c["id"] == tea.pk), None)
        return api["price_fen"], "¥128.00" in page, in_list

    consent.grant(alice.pk, taxonomy.PERSONALIZATION, channel="web")
    with_profile = seen()
    assert selectors.personalized(alice) and with_profile[2] == 12800
    consent.withdraw(alice.pk, taxonomy.PERSONALIZATION, channel="web")
    without_profile = seen()
    assert not selectors.personalized(alice)
    alice_client.force_login(bob)
    stranger = api_client.call("get", f"/products/{tea.pk}").json()["price_fen"]
    assert with_profile[0] == without_profile[0] == stranger == 12800
    assert with_profile[1] and without_profile[1]
