"""The privacy documents on a phone, and a significant policy version met at login."""

from __future__ import annotations

import pytest
from django.utils import timezone

from candor.privacy import policy

pytestmark = pytest.mark.django_db(transaction=True)


def test_collection_list_fits_a_phone_and_a_new_version_is_accepted_at_login(
    page, artifact_dir, django_user_model
):
    page.goto("/privacy/collection/")
    assert page.get_by_test_id("doc-title").inner_text() == "个人信息收集清单"
    # Wide tables scroll inside their own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifact_dir / "privacy-collection-zh.png"), full_page=True)

    policy.publish(
        number="1.0", effective_at=timezone.now(), significant=True,
        summary_zh="首次发布", summary_en="First publication",
    )  # fmt: skip
    django_user_model.objects.create_user(username="qian", password="a-long-pass-1")
    page.goto("/login/")
    page.fill("#id_username", "qian")
    page.fill("#id_password", "a-long-pass-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/privacy/accept/?next=*")
    assert "首次发布" in page.content()
    page.screenshot(path=str(artifact_dir / "privacy-accept-zh.png"), full_page=True)
    page.get_by_test_id("accept-button").click()
    page.wait_for_url("**/me/")
    assert page.get_by_test_id("me-link").inner_text() == "我的"
