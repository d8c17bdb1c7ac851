"""The storefront shell in real Chromium: Chinese by default, English after the switch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_switches_from_chinese_to_english(page, artifact_dir):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_test_id("home-title").inner_text() == "在一家对您的数据说真话的商城购物"
    assert page.get_by_test_id("login-link").inner_text() == "登录"
    # htmx is served from static/ (no CDN) and loaded under the CSP.
    assert page.evaluate("typeof htmx") == "object"
    page.screenshot(path=str(artifact_dir / "home-zh.png"), full_page=True)

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    title = page.get_by_test_id("home-title").inner_text()
    assert title == "Shop with a mall that tells you the truth about your data"
    assert page.get_by_test_id("login-link").inner_text() == "Log in"
    page.screenshot(path=str(artifact_dir / "home-en.png"), full_page=True)


def test_login_reaches_me(page, django_user_model):
    django_user_model.objects.create_user(username="zhao", password="a-long-pass-1", nickname="小赵")
    page.goto("/login/")
    page.fill("#id_username", "zhao")
    page.fill("#id_password", "a-long-pass-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/")
    assert "小赵" in page.content()
    assert page.get_by_test_id("me-link").inner_text() == "我的"
