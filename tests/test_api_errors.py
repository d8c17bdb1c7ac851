"""Every API error answers in one shape, with a 4xx/5xx code and a message in the request's language."""

from __future__ import annotations

import pytest

SHAPE = {"code", "message", "fields"}


def assert_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= SHAPE, body
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh-hans", "此地址下没有找到任何内容。"), ("en", "Nothing was found at this address.")],
)
def test_unknown_api_path_is_404_in_shape_and_language(api_client, lang, expected):
    body = assert_shape(api_client.call("get", "/no/such/thing", lang=lang), 404, "not_found")
    assert body["message"] == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh-hans", "此处不允许该请求方法。"), ("en", "This method is not allowed here.")],
)
def test_wrong_method_is_405_in_shape_and_keeps_allow(api_client, lang, expected):
    response = api_client.call("put", "/ping", lang=lang)
    body = assert_shape(response, 405, "method_not_allowed")
    assert body["message"] == expected
    assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "message", "required"),
    [
        ("zh-hans", "部分字段无效。", "此字段为必填项。"),
        ("en", "Some fields are invalid.", "This field is required."),
    ],
)
def test_invalid_body_is_422_naming_each_field(api_client, lang, message, required):
    response = api_client.call("post", "/session", {"username": ""}, lang=lang)
    body = assert_shape(response, 422, "validation_error")
    assert body["message"] == message
    assert body["fields"]["password"] == [required]
    assert "username" in body["fields"]
    assert body["fields"]["username"][0] != required  # too short, not missing


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_malformed_json_is_400_in_shape(api_client, lang):
    body = assert_shape(api_client.call("post", "/session", "{not json", lang=lang), 400, "bad_request")
    expected = {"zh-hans": "请求正文不是有效的 JSON。", "en": "The request body is not valid JSON."}
    assert body["message"] == expected[lang]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_crash_is_500_in_shape_and_logged(api_client, monkeypatch, caplog, lang):
    def boom(**kwargs):
        raise RuntimeError("planted crash")

    monkeypatch.setattr("candor.accounts.selectors.session_state", boom)
    body = assert_shape(api_client.call("get", "/session", lang=lang), 500, "internal_error")
    assert "planted crash" not in body["message"]  # no internals leak to the client
    assert "planted crash" in caplog.text


@pytest.mark.django_db
def test_domain_error_uses_its_code(api_client, django_user_model):
    django_user_model.objects.create_user(username="li", password="a-long-pass-1")
    body = assert_shape(
        api_client.call("post", "/session", {"username": "li", "password": "wrong"}, lang="en"),
        400,
        "invalid_credentials",
    )
    assert body["message"] == "Account name or password is incorrect."


@pytest.mark.django_db
def test_session_login_and_logout(api_client, django_user_model):
    django_user_model.objects.create_user(username="li", password="a-long-pass-1")
    assert api_client.call("get", "/session").json()["authenticated"] is False
    response = api_client.call("post", "/session", {"username": "li", "password": "a-long-pass-1"})
    assert response.status_code == 200
    assert response.json() == {"authenticated": True, "username": "li", "display_name": "li"}
    assert api_client.call("get", "/session").json()["authenticated"] is True
    api_client.call("delete", "/session")
    assert api_client.call("get", "/session").json()["authenticated"] is False


@pytest.mark.django_db
def test_login_needs_csrf_token_from_a_browser(django_user_model):
    from django.test import Client

    django_user_model.objects.create_user(username="li", password="a-long-pass-1")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/api/v1/session", {"username": "li", "password": "a-long-pass-1"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "_auth_user_id" not in browser.session


def test_openapi_schema_and_docs_render(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/ping" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
