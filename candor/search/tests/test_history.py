"""Search history (C000-02, C001-04, C002-02): kept per person to refill the box and suggest,
deduplicated, a guest's only in the session, deletable one by one or all at once — really
deleted, audited without the words."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from candor.privacy.models import AuditEvent
from candor.search import selectors, services
from candor.search.models import SearchHistory


def _csrf_client(user=None) -> Client:
    c = Client(enforce_csrf_checks=True)
    if user is not None:
        c.force_login(user)
    return c


def _delete(c: Client, path: str):
    c.get("/search/")  # sets the CSRF cookie
    token = c.cookies["csrftoken"].value
    return c.delete(f"/api/v1{path}", HTTP_X_CSRFTOKEN=token)


def test_logged_in_search_is_recorded_once_and_moves_to_top(shop, client, alice):
    client.force_login(alice)
    for q in ["手机", "电饭煲", "  手机 "]:
        assert client.get("/search/", {"q": q}).status_code == 200
    rows = list(
        SearchHistory.objects.filter(user=alice)
        .order_by("-searched_at", "-id")
        .values_list("query", flat=True)
    )
    assert rows == ["手机", "电饭煲"]
    page = client.get("/search/")
    assert [e.query for e in page.context["history"]] == ["手机", "电饭煲"]
    assert b'data-testid="history-item"' in page.content


def test_only_page_one_and_real_words_are_recorded(shop, client, alice):
    client.force_login(alice)
    client.get("/search/", {"q": "手机", "page": 2, "page_size": 2})
    client.get("/search/", {"q": "   "})
    client.get("/search/", {"q": "x" * 300})  # refused: not kept
    assert SearchHistory.objects.count() == 0


def test_history_is_capped(shop, alice):
    for i in range(services.HISTORY_MAX + 5):
        services.history_record(user=alice, session={}, query=f"q{i}")
    assert SearchHistory.objects.filter(user=alice).count() == services.HISTORY_MAX


def test_guest_history_lives_in_the_session_only(shop, client):
    client.get("/search/")  # a browser: the first page sets the CSRF cookie, sent back after
    for q in ["手机", "shouji"]:
        client.get("/search/", {"q": q})
    assert SearchHistory.objects.count() == 0
    assert [e[1] for e in client.session[services.SESSION_KEY]] == ["shouji", "手机"]
    response = client.get("/api/v1/search/history")
    assert [e["query"] for e in response.json()] == ["shouji", "手机"]
    for i in range(30):
        services_session = client.session
        services.history_record(user=None, session=services_session, query=f"w{i}")
        services_session.save()
    assert len(client.session[services.SESSION_KEY]) == services.GUEST_HISTORY_MAX
    other = Client()
    assert other.get("/api/v1/search/history").json() == []


def test_delete_one_leaves_no_row_and_is_audited(shop, alice):
    c = _csrf_client(alice)
    c.get("/search/", {"q": "手机"})
    c.get("/search/", {"q": "电饭煲"})
    entry = SearchHistory.objects.get(user=alice, query="手机")
    response = _delete(c, f"/search/history/{entry.pk}")
    assert response.status_code == 200 and response.json() == {"deleted": 1}
    assert not SearchHistory.objects.filter(pk=entry.pk).exists()
    assert list(SearchHistory.objects.filter(user=alice).values_list("query", flat=True)) == ["电饭煲"]
    event = AuditEvent.objects.filter(target="search.searchhistory").latest("seq")
    assert event.subject_id == alice.pk and event.detail == {"operation": "delete_one", "rows": 1}
    assert "手机" not in json.dumps(event.detail, ensure_ascii=False)


def test_clear_all_leaves_no_row(shop, alice):
    c = _csrf_client(alice)
    for q in ["手机", "电饭煲", "sj"]:
        c.get("/search/", {"q": q})
    response = _delete(c, "/search/history")
    assert response.json() == {"deleted": 3}
    assert SearchHistory.objects.filter(user=alice).count() == 0
    assert (
        AuditEvent.objects.filter(target="search.searchhistory", detail__operation="delete_all").count() == 1
    )


def test_web_delete_and_clear(shop, client, alice):
    client.force_login(alice)
    client.get("/search/", {"q": "手机"})
    client.get("/search/", {"q": "电饭煲"})
    entry = SearchHistory.objects.get(query="手机")
    assert client.post(f"/search/history/{entry.pk}/delete/").status_code == 302
    assert list(SearchHistory.objects.values_list("query", flat=True)) == ["电饭煲"]
    assert client.post("/search/history/clear/").status_code == 302
    assert SearchHistory.objects.count() == 0
    assert client.get("/search/history/clear/").status_code == 405


def test_someone_elses_entry_cannot_be_deleted(shop, alice, bob):
    services.history_record(user=alice, session={}, query="手机")
    entry = SearchHistory.objects.get(user=alice)
    response = _delete(_csrf_client(bob), f"/search/history/{entry.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "search_history_not_found"
    assert SearchHistory.objects.filter(pk=entry.pk).exists()
    assert not AuditEvent.objects.filter(target="search.searchhistory").exists()


def test_delete_without_csrf_token_is_refused(shop, alice):
    services.history_record(user=alice, session={}, query="手机")
    c = _csrf_client(alice)
    response = c.delete("/api/v1/search/history")
    assert response.status_code == 403
    assert SearchHistory.objects.filter(user=alice).count() == 1


def test_guest_delete_one_and_clear(shop):
    c = _csrf_client()
    c.get("/search/")  # the first page: the CSRF cookie
    for q in ["手机", "电饭煲"]:
        c.get("/search/", {"q": q})
    first = c.get("/api/v1/search/history").json()
    target = next(e for e in first if e["query"] == "手机")
    assert _delete(c, f"/search/history/{target['id']}").json() == {"deleted": 1}
    assert [e["query"] for e in c.get("/api/v1/search/history").json()] == ["电饭煲"]
    assert _delete(c, "/search/history").json() == {"deleted": 1}
    assert c.get("/api/v1/search/history").json() == []
    assert services.SESSION_KEY not in c.session


def test_api_search_records_history_for_the_caller(shop, client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/search", {"q": "华为手机"}).status_code == 200
    assert list(SearchHistory.objects.values_list("query", flat=True)) == ["华为手机"]


def test_suggestions_from_own_history_and_product_names(shop, client, alice, bob):
    services.history_record(user=alice, session={}, query="手机壳 透明")
    services.history_record(user=bob, session={}, query="手机 bob's secret")
    client.force_login(alice)
    found = client.get("/api/v1/search/suggest", {"q": "手机"}).json()
    assert found[0] == {"text": "手机壳 透明", "source": "history"}
    texts = [s["text"] for s in found]
    assert "手机 bob's secret" not in texts  # never someone else's words
    assert "苹果手机壳 透明防摔" in texts and {s["source"] for s in found[1:]} == {"product"}
    assert client.get("/api/v1/search/suggest", {"q": "x" * 5000}).status_code == 400


@pytest.mark.parametrize("bad_id", [0, -1, 2**63])
def test_history_delete_of_nonsense_ids(shop, alice, bad_id):
    assert services.history_delete(user=alice, session={}, entry_id=bad_id) == 0
    assert selectors.history(user=alice, session={}) == []


def test_a_client_without_cookies_gets_no_session_for_history(shop):
    """An app or script that sends no cookie would get a new session row per search that it
    never sends back: its searches are not kept (it keeps its own history)."""
    from django.contrib.sessions.models import Session

    for path in ["/api/v1/search", "/search/"]:
        c = Client()
        response = c.get(path, {"q": "手机"})
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    assert SearchHistory.objects.count() == 0


def test_a_guest_with_a_session_keeps_api_searches(shop, client):
    client.get("/search/")
    client.get("/api/v1/search", {"q": "手机"})
    assert [e[1] for e in client.session[services.SESSION_KEY]] == ["手机"]
    assert client.get("/api/v1/search/history").json()[0]["query"] == "手机"
