"""Issue #4 in real Chromium: register with a mobile + SMS code (read from the simulator's
outbox, as a person does in the demo) and an e-mail link, log out, log in by SMS code, edit the
profile, add an address — in Chinese, then the same in English."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import F

from candor.accounts.models import Profile, User
from candor.addresses.models import Address
from candor.verification.models import VerificationCode

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "zh-CN": {"profile_saved": "个人资料已保存", "nickname": "小兰"},
    "en-US": {"profile_saved": "Profile saved", "nickname": "Lan"},
}


@pytest.fixture
def outbox_mail(settings):
    # The test runner swaps in Django's in-memory mail backend; the demo's outbox is the page.
    settings.EMAIL_BACKEND = "candor.verification.mail.OutboxEmailBackend"


def _code(outbox, phone: str) -> str:
    outbox.goto("/accounts/verification/outbox/")
    text = outbox.locator(f'[data-testid="sms-row"][data-phone$="{phone}"] [data-testid="sms-text"]').first
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text.inner_text())[1]


def _send_code_and_fill(page, outbox, phone: str) -> None:
    page.wait_for_load_state()  # htmx (deferred) must have wired the button
    page.get_by_test_id("send-code").click()
    page.get_by_test_id("code-sent").wait_for()
    page.fill("#id_code", _code(outbox, phone))


@pytest.mark.parametrize(
    ("locale", "phone", "username"), [("zh-CN", "13812348000", "lanlan"), ("en-US", "13912348001", "lanen")]
)
def test_register_confirm_email_sms_login_profile_and_address(
    browser, live_server, published_policy, outbox_mail, artifact_dir, locale, phone, username
):
    context = browser.new_context(
        locale=locale, base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    problems: list[str] = []
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    outbox = context.new_page()
    email = f"{username}@example.com"

    # Register: account name, password, own mobile verified by SMS, e-mail, the policy ticked.
    page.goto("/")
    page.get_by_test_id("register-nav").click()
    page.fill("#id_username", username)
    page.fill("#id_password", "Correct-horse-42")
    page.fill("#id_phone", phone)
    _send_code_and_fill(page, outbox, phone)
    page.fill("#id_email", email)
    page.get_by_test_id("accept-policy").check()
    page.screenshot(path=str(artifact_dir / f"register-{locale}.png"), full_page=True)
    page.get_by_test_id("register-submit").click()
    page.wait_for_url("**/me/")
    user = User.objects.get(username=username)
    assert user.phone == phone and user.nickname == username

    # The e-mail link, from the outbox, confirms the address.
    outbox.goto("/accounts/verification/outbox/")
    body = outbox.locator(f'[data-testid="mail-row"][data-to="{email}"] [data-testid="mail-body"]').first
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body.inner_text())[0]
    page.goto(link)
    page.get_by_test_id("confirm-email").click()
    page.wait_for_url("**/me/")

    # Log out, then back in with an SMS code — a minute later: one code a minute per number.
    VerificationCode.objects.update(created_at=F("created_at") - timedelta(minutes=2))
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_test_id("login-link").click()
    page.get_by_test_id("login-sms-link").click()
    page.fill("#id_phone", phone)
    _send_code_and_fill(page, outbox, phone)
    page.get_by_test_id("sms-login-submit").click()
    page.wait_for_url("**/me/")

    # Profile: the e-mail shows as verified; a nickname and gender are saved.
    page.get_by_test_id("me-profile").click()
    page.get_by_test_id("email-verified").wait_for()
    page.fill("#id_nickname", TEXT[locale]["nickname"])
    page.select_option("#id_gender", "female")
    page.get_by_test_id("profile-save").click()
    page.get_by_text(TEXT[locale]["profile_saved"]).wait_for()
    assert Profile.objects.get(user=user).gender == "female"

    # An address.
    page.goto("/me/")
    page.get_by_test_id("me-addresses").click()
    page.get_by_test_id("address-add").click()
    page.fill("[name=recipient_name]", "王兰")
    page.fill("[name=mobile]", phone)
    page.fill("[name=province]", "浙江省")
    page.fill("[name=city]", "杭州市")
    page.fill("[name=district]", "西湖区")
    page.fill("[name=detail]", "文三路 1 号")
    page.get_by_test_id("address-save").click()
    page.get_by_test_id("address-row").first.wait_for()
    assert Address.objects.filter(user=user).count() == 1
    page.screenshot(path=str(artifact_dir / f"addresses-{locale}.png"), full_page=True)
    context.close()
    assert not problems, problems
