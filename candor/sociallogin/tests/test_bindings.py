"""Binding a platform to a logged-in account, unbinding, and the bindings API."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from candor.privacy.models import AuditEvent
from candor.sociallogin.tests.conftest import code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = get_user_model().objects.create_user(username="meimei", password="a-long-passphrase-9")
    client.force_login(user)
    return user


def _audits(event: str) -> int:
    return AuditEvent.objects.filter(detail__event=event).count()


def test_a_logged_in_member_binds_wechat_and_sees_it_listed(client, flow, member):
    answer = flow.login("weixin", user="wangfang", process="connect")

    assert answer.status_code == 302 and answer["Location"] == reverse("sociallogin:bindings")
    account = SocialAccount.objects.get()
    assert account.user_id == member.pk and account.extra_data["nickname"] == "王芳"
    assert get_user_model().objects.count() == 1  # no second account
    event = AuditEvent.objects.get(target=f"socialaccount.socialaccount:{account.pk}")
    assert (event.subject_id, event.detail["event"], event.detail["via"]) == (member.pk, "bind", "connect")
    page = client.get(reverse("sociallogin:bindings")).content.decode()
    assert 'data-testid="binding-weixin"' in page and "王芳" in page
    assert 'data-testid="bind-qq"' in page and 'data-testid="bind-weixin"' not in page
    # The bound WeChat account now logs in to the same Candor account.
    client.logout()
    flow.login("weixin", user="wangfang")
    assert int(client.session["_auth_user_id"]) == member.pk


def test_a_wechat_account_bound_elsewhere_cannot_be_bound_again(client, flow, member):
    flow.login("weixin", user="alice")  # logs out the member and creates alice's account
    other = SocialAccount.objects.get()
    client.force_login(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    answer = flow.login("weixin", user="alice", process="connect")

    assert answer["Location"] == reverse("sociallogin:bindings")
    assert SocialAccount.objects.get().user_id == other.user_id != member.pk
    assert _audits("bind") == 1  # alice's own sign-up only
    page = client.get(reverse("sociallogin:bindings")).content.decode()
    assert "already bound to another Candor account" in page and 'data-testid="bindings-empty"' in page


def test_one_account_per_platform(client, flow, member):
    flow.login("weixin", user="alice", process="connect")
    flow.login("weixin", user="wangfang", process="connect")
    assert list(SocialAccount.objects.values_list("extra_data__nickname", flat=True)) == ["Alice"]


def test_unbinding_deletes_the_binding_and_is_audited(client, flow, member):
    flow.login("qq", user="alice", process="connect")
    account = SocialAccount.objects.get()

    answer = client.post(reverse("sociallogin:unbind", args=["qq"]))

    assert answer["Location"] == reverse("sociallogin:bindings")
    assert not SocialAccount.objects.exists()
    event = AuditEvent.objects.get(detail__event="unbind")
    assert (event.subject_id, event.target) == (member.pk, f"socialaccount.socialaccount:{account.pk}")


def test_unbinding_the_only_way_to_log_in_is_refused(client, flow):
    flow.login("weixin", user="lixiaolong")  # a WeChat-only account: no usable password
    account = SocialAccount.objects.get()

    answer = client.post(reverse("sociallogin:unbind", args=["weixin"]), HTTP_ACCEPT_LANGUAGE="en")

    assert SocialAccount.objects.filter(pk=account.pk).exists()
    assert _audits("unbind") == 0
    page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "only way to log in" in page


def test_unbind_needs_post(client, flow, member):
    flow.login("weixin", process="connect")
    assert client.get(reverse("sociallogin:unbind", args=["weixin"])).status_code == 405
    assert SocialAccount.objects.exists()


def test_bindings_page_needs_login(client):
    answer = client.get(reverse("sociallogin:bindings"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_api_lists_and_removes_bindings(client, api_client, flow, member):
    flow.login("weixin", user="wangfang", process="connect")
    flow.login("qq", user="alice", process="connect")

    (wechat, qq) = api_client.call("get", "/connect/bindings").json()
    assert (wechat["provider"], wechat["nickname"], qq["provider"], qq["nickname"]) == (
        "weixin",
        "王芳",
        "qq",
        "Alice",
    )
    assert set(wechat) == {"provider", "platform", "nickname", "bound_at", "last_login"}

    assert api_client.call("delete", "/connect/bindings/qq").status_code == 204
    assert list(SocialAccount.objects.values_list("provider", flat=True)) == ["weixin"]
    missing = api_client.call("delete", "/connect/bindings/qq")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_bound")
    unknown = api_client.call("delete", "/connect/bindings/weibo")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_platform")


def test_api_refuses_to_remove_the_last_login_method(client, api_client, flow):
    flow.login("weixin")
    answer = api_client.call("delete", "/connect/bindings/weixin", lang="en")
    assert (answer.status_code, answer.json()["code"]) == (409, "last_login_method")
    assert "only way to log in" in answer.json()["message"]
    assert SocialAccount.objects.count() == 1 and _audits("unbind") == 0


def test_api_bindings_need_login(api_client):
    assert api_client.call("get", "/connect/bindings").status_code == 401


def test_app_login_with_a_wechat_code(client, api_client):
    callback = "http://testserver" + reverse("weixin_callback")
    code = code_for(client, user="wangfang", redirect_uri=callback)

    first = api_client.call("post", "/connect/wechat", {"code": code})

    assert first.status_code == 200, first.content
    body = first.json()
    assert body["created"] is True and body["display_name"] == "王芳" and body["username"].startswith("wx_")
    user = get_user_model().objects.get()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert SocialAccount.objects.get().extra_data == {
        "nickname": "王芳",
        "avatar": "https://thirdwx.qlogo.cn/mmopen/sim/wangfang/132",
    }
    # The same code twice: the platform refuses it, and nothing more is created.
    again = api_client.call("post", "/connect/wechat", {"code": code})
    assert (again.status_code, again.json()["code"]) == (400, "platform_login_failed")
    # A fresh code for the same WeChat user logs in to the same account.
    client.logout()
    second = api_client.call(
        "post", "/connect/wechat", {"code": code_for(client, user="wangfang", redirect_uri=callback)}
    )
    assert second.json()["created"] is False and get_user_model().objects.count() == 1


def test_app_login_with_a_bad_code_creates_nothing(api_client):
    answer = api_client.call("post", "/connect/wechat", {"code": "nonsense"})
    assert (answer.status_code, answer.json()["code"]) == (400, "platform_login_failed")
    assert not get_user_model().objects.exists()
    empty = api_client.call("post", "/connect/wechat", {"code": ""})
    assert empty.status_code in (400, 422)


def test_app_login_can_answer_with_a_bearer_token(client, api_client):
    callback = "http://testserver" + reverse("weixin_callback")
    code = code_for(client, user="alice", redirect_uri=callback)

    answer = api_client.call(
        "post", "/connect/wechat", {"code": code, "token": True, "device_name": "iPhone"}
    )

    assert answer.status_code == 200, answer.content
    token = answer.json()["token"]
    assert token and "_auth_user_id" not in client.session
    me = api_client.call("get", "/connect/bindings", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and [b["nickname"] for b in me.json()] == ["Alice"]
