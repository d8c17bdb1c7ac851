"""WeChat and QQ login through the simulators: the account, what is kept, the policy gate."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import NoReverseMatch, reverse

from candor.integrations.oauth.platforms import USERS
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

WECHAT_EXTRA = ("sex", "province", "city", "country", "unionid", "privilege", "headimgurl")
QQ_EXTRA = ("gender", "province", "city", "year", "vip", "figureurl_qq_1", "is_yellow_vip")


# The published policy's documents name the platforms' operators and their cities; they are
# about Candor, not about anyone, and would match a platform's city by chance.
_ABOUT_NO_ONE = {"privacy_policyversion"}


def _all_stored_text() -> str:
    """Every value of every row of every table, as one string (the test database is small)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in set(connection.introspection.table_names()) - _ABOUT_NO_ONE:
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(chunks)


def test_first_wechat_login_creates_an_account_that_keeps_only_the_granted_profile(
    client, flow, published_policy
):
    li = USERS["lixiaolong"]

    answer = flow.login("weixin", user="lixiaolong")

    assert answer.status_code == 302 and answer["Location"] == reverse("storefront:me")
    (account,) = SocialAccount.objects.all()
    user = account.user
    assert account.provider == "weixin"
    assert account.uid == li.openid("wxcandor0demo0001")
    assert account.extra_data == {
        "nickname": "李小龙",
        "avatar": "https://thirdwx.qlogo.cn/mmopen/sim/lixiaolong/132",
    }
    assert account.last_login is not None and account.date_joined is not None
    # The account name is generated; the platform nickname is the display name only.
    assert user.username.startswith("wx_") and "李" not in user.username
    assert user.nickname == "李小龙"
    assert user.email == "" and not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    # No token is stored, and nothing else of the platform's profile is in any column.
    assert not SocialToken.objects.exists()
    stored = _all_stored_text()
    for value in (li.unionid, li.province, li.city, "privilege"):
        assert value not in stored, [line[:300] for line in stored.splitlines() if value in line]
    session_text = repr(dict(client.session))
    assert li.unionid not in session_text and li.city not in session_text
    # The binding is audited in the account's own history.
    event = AuditEvent.objects.get(target=f"socialaccount.socialaccount:{account.pk}")
    assert (event.subject_id, event.detail["event"], event.detail["via"]) == (user.pk, "bind", "signup")


def test_a_new_social_user_is_asked_to_accept_the_policy_first(client, flow, published_policy):
    flow.login("weixin")

    page = client.get(reverse("storefront:me"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("privacy:accept"))
    assert client.get("/api/v1/connect/bindings").json()["code"] == "policy_consent_required"


def test_logging_in_again_finds_the_same_account_and_refreshes_the_login_time(client, flow):
    flow.login("weixin", user="wangfang")
    account = SocialAccount.objects.get()
    first_login = account.last_login
    client.logout()

    answer = flow.login("weixin", user="wangfang")

    assert answer.status_code == 302
    assert get_user_model().objects.count() == 1
    account.refresh_from_db()
    assert account.last_login > first_login
    assert int(client.session["_auth_user_id"]) == account.user_id
    assert AuditEvent.objects.filter(
        target=f"socialaccount.socialaccount:{account.pk}", detail__event="login"
    ).exists()


def test_first_qq_login_keeps_nickname_avatar_and_openid_only(client, flow, published_policy):
    alice = USERS["alice"]

    answer = flow.login("qq", user="alice")

    assert answer.status_code == 302
    (account,) = SocialAccount.objects.all()
    assert account.provider == "qq"
    assert account.uid == alice.openid("101000001")
    assert account.extra_data == {"nickname": "Alice", "avatar": "http://thirdqq.qlogo.cn/sim/alice/640"}
    assert account.user.username.startswith("qq_") and account.user.nickname == "Alice"
    stored = _all_stored_text()
    for value in (alice.unionid, alice.province, "is_yellow_vip", "/sim/alice/40", "/qzapp/"):
        assert value not in stored, [line[:300] for line in stored.splitlines() if value in line]
    assert client.get(reverse("storefront:me"))["Location"].startswith(reverse("privacy:accept"))


def test_refusing_on_the_platform_creates_nothing(client, flow):
    answer = flow.login("weixin", decision="deny")

    assert answer.status_code == 302
    assert client.get(answer["Location"])["Location"] == reverse("login")
    assert not get_user_model().objects.exists() and not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_forged_callback_is_refused(client, flow):
    flow.authorize("weixin")
    state = "not-the-state"
    answer = client.get(reverse("weixin_callback"), {"code": "forged", "state": state})
    assert answer.status_code == 401
    assert b'data-testid="social-error"' in answer.content
    assert not get_user_model().objects.exists()


def test_allauth_own_account_pages_are_not_a_second_login_system(client):
    for name in ("account_signup", "account_reset_password", "account_email", "account_change_password"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
    assert client.get("/accounts/signup/").status_code == 404
    assert client.get(reverse("account_login"))["Location"] == reverse("login")
    assert client.get(reverse("socialaccount_signup"))["Location"] == reverse("login")


def test_login_buttons_post_to_the_providers_with_csrf(rf):
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string

    request = rf.get("/login/")
    get_token(request)
    html = render_to_string("sociallogin/_buttons.html", request=request)
    assert 'data-testid="login-wechat"' in html and 'data-testid="login-qq"' in html
    assert f'action="{reverse("weixin_login")}"' in html and f'action="{reverse("qq_login")}"' in html
    assert html.count('method="post"') == 2 and html.count("csrfmiddlewaretoken") == 2


def test_a_get_on_the_provider_login_url_starts_nothing(client):
    page = client.get(reverse("weixin_login"))
    assert page.status_code == 200 and b'data-testid="social-continue"' in page.content
    assert apps.get_model("socialaccount", "SocialAccount").objects.count() == 0
