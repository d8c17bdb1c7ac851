"""My data (/me/data/, GET /api/v1/me/data): everything held about me, by declared category, in
my language with the declared labels, masked where the declaration says so; where to correct
and delete it; "ask for deletion" for the rest; never anyone else's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from candor.errors import CandorError
from candor.mydata import selectors, services
from candor.mydata.tests.conftest import ALICE_MOBILE, BOB_MOBILE, no_inline_code
from candor.privacy.models import ErasureRecord
from candor.search.models import SearchHistory
from candor.service import actions
from candor.service import services as service
from candor.service.models import RightsRequest
from candor.service.tests.conftest import staff_member
from candor.staff import roles

pytestmark = pytest.mark.django_db


def test_the_page_needs_a_login(client, db):
    response = client.get(reverse("mydata:home"))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get("/api/v1/me/data").status_code == 401


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("zh-hans", ["个人基本资料", "个人上网记录", "收货地址", "手机号码", "收货人", "搜索历史"]),
        ("en", ["Basic personal details", "Online activity records", "shipping addresses", "mobile number",
                "recipient", "search history"]),
    ],
)  # fmt: skip
def test_categories_and_labels_in_my_language(alice_client, alice_data, lang, texts):
    response = alice_client.get(reverse("mydata:home"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html, text
    assert 'data-category="basic"' in html and 'data-category="online_activity"' in html
    assert 'data-set="addresses.address"' in html and 'data-set="search.searchhistory"' in html
    no_inline_code(html)


def test_values_are_masked_where_the_declaration_says_so(alice_client, alice_data):
    html = alice_client.get(reverse("mydata:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The address book declares mask="phone" and mask="name": shown masked, never in full.
    assert "139****5678" in html and ALICE_MOBILE not in html
    assert "王**" in html and "王小明" not in html
    # Search words declare no mask: shown as they are.
    assert "蓝牙耳机" in html and "rice cooker" in html


def test_the_password_hash_is_never_shown(alice_client, alice):
    html = alice_client.get(reverse("mydata:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert alice.password not in html
    assert "(kept only as a one-way hash)" in html


def test_where_to_correct_and_delete(alice_client, alice_data):
    categories = {c.code: c for c in selectors.my_data(user=alice_data.user)}
    sets = {s.key: s for c in categories.values() for s in c.data_sets}
    address, search, user = sets["addresses.address"], sets["search.searchhistory"], sets["accounts.user"]
    assert (address.correct_url, address.delete_url) == (reverse("addresses:list"), reverse("addresses:list"))
    assert search.delete_url == reverse("search:results") and not search.can_request_deletion
    assert user.correct_url == reverse("accounts:profile") and user.delete_url == reverse("accounts:cancel")

    html = alice_client.get(reverse("mydata:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("addresses:list")}" data-testid="correct"' in html
    assert f'href="{reverse("search:results")}" data-testid="delete"' in html


def test_someone_elses_data_never_appears(alice_client, alice_data, bob_data, alice_api):
    html = alice_client.get(reverse("mydata:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    body = alice_api.call("get", "/me/data").content.decode()
    for text in (html, body):
        assert "bob-secret-search" not in text and "137****1111" not in text and BOB_MOBILE not in text
        assert "赵**" not in text and "人民路" not in text
        assert "139****5678" in text


def test_the_api_mirrors_the_page(alice_api, alice_data):
    response = alice_api.call("get", "/me/data", lang="zh-hans")
    assert response.status_code == 200
    categories = {c["code"]: c for c in response.json()["categories"]}
    assert categories["basic"]["label"] == "个人基本资料"
    (address,) = [s for s in categories["basic"]["data_sets"] if s["key"] == "addresses.address"]
    assert address["label"] == "收货地址" and address["total"] == 1
    assert {"name": "mobile", "label": "手机号码"} in address["columns"]
    (record,) = address["records"]
    assert record["id"] == alice_data.pk and record["values"]["mobile"] == "139****5678"
    assert address["delete_url"] == reverse("addresses:list") and not address["can_request_deletion"]
    (search,) = [s for s in categories["online_activity"]["data_sets"] if s["key"] == "search.searchhistory"]
    assert search["total"] == 2 and {r["values"]["query"] for r in search["records"]} == {
        "蓝牙耳机",
        "rice cooker",
    }


def test_the_page_shows_the_newest_rows_and_says_how_many_more(alice_client, alice):
    from django.utils import timezone

    SearchHistory.objects.bulk_create(
        SearchHistory(user=alice, query=f"q{n}", searched_at=timezone.now())
        for n in range(selectors.ROWS_SHOWN + 5)
    )
    (search,) = [
        s for c in selectors.my_data(user=alice) for s in c.data_sets if s.key == "search.searchhistory"
    ]
    assert search.total == selectors.ROWS_SHOWN + 5 and len(search.records) == selectors.ROWS_SHOWN
    assert search.more == 5 and search.records[0].values[0] == f"q{selectors.ROWS_SHOWN + 4}"


# --- asking for deletion ------------------------------------------------------------------------------


def test_ask_for_deletion_files_a_deletion_request(alice_client, alice, alice_data):
    from candor.accounts.tokens import token_issue

    token_issue(user=alice, name="Pixel 8")
    html = alice_client.get(reverse("mydata:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # App tokens have no page to delete them on: a button asks the privacy officer instead;
    # what the person can delete themselves has a link and no button.
    assert html.count('data-testid="ask-deletion"') == html.count('name="data_set"') >= 1
    assert 'name="data_set" value="accounts.apitoken"' in html
    assert 'name="data_set" value="search.searchhistory"' not in html
    assert 'name="data_set" value="addresses.address"' not in html

    response = alice_client.post(
        reverse("mydata:ask_deletion"), {"data_set": "accounts.apitoken", "category": "device"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    (filed,) = RightsRequest.objects.filter(user=alice)
    assert response.status_code == 302 and response["Location"] == reverse("service:detail", args=[filed.pk])
    assert (
        filed.kind == "deletion"
        and filed.body == "Please delete my data: app tokens (Device information)."
        and filed.scope == "accounts.apitoken"
    )


@pytest.mark.parametrize("data_set", ["", "nope.nothing", "search.searchhistory", "privacy.consentrecord"])
def test_asking_for_unknown_or_self_deletable_data_files_nothing(alice_client, alice, alice_api, data_set):
    response = alice_client.post(
        reverse("mydata:ask_deletion"), {"data_set": data_set}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    api = alice_api.call("post", "/me/data/deletion-requests", {"data_set": data_set})
    assert api.status_code == 400 and api.json()["fields"]["data_set"]
    assert not RightsRequest.objects.filter(user=alice).exists()


def test_asking_to_delete_one_data_set_cannot_end_in_erasing_the_account(alice, alice_data):
    officer = staff_member("officer", roles.PRIVACY_OFFICER)
    filed = services.deletion_request(user=alice, data_set="accounts.apitoken")
    assert (filed.kind, filed.scope) == ("deletion", "accounts.apitoken")
    service.request_identity_verify(request_id=filed.pk, actor=officer, method="documents")
    with pytest.raises(CandorError) as raised:
        actions.request_erase(request_id=filed.pk, actor=officer, confirm=True)
    assert raised.value.code == "scoped_deletion"
    assert not ErasureRecord.objects.filter(subject_id=alice.pk).exists()


def test_the_api_files_a_deletion_request(alice_api, alice):
    response = alice_api.call("post", "/me/data/deletion-requests", {"data_set": "accounts.profile"})
    assert response.status_code == 201
    filed = RightsRequest.objects.get(user=alice)
    assert response.json()["id"] == filed.pk and filed.kind == "deletion"
