"""Issue #7's acceptance in real Chromium: the privacy centre, as a member uses it.

- Chinese: personalization switched off on 我的 → 隐私 → 权限 turns the home page's "猜你喜欢"
  into the labelled non-personalized list at once; location revoked on the same page stops
  "use my location"; the search history is deleted from the search page.
- English: "Download my data" — the progress bar, polled by htmx, moves to done; the zip is
  downloaded through the link and holds JSON and CSV; "Who received my data" after a completed
  order lists the payment institution and the carrier with the fields each received.
- Chinese: cancel the account with an SMS code, see the 48-hour review, the clock advanced past
  it, login refused, and the same mobile registers afresh as a new person.
- Cookies: nothing but essential cookies and no page view before the visitor chooses, nor after
  "Essential only"; after "Accept analytics" the analytics cookie and the beacon's rows.

The location prompt itself ("use my location" asks first, a "not now" is remembered, the
region API's 403 after revoking) and the switch on the automated-decisions page are proven in
``candor/centre/tests/test_browser.py``; here they are only the steps of the member's flow.

Setup (catalog, members, orders, their payment and delivery) is made with the services; the
pages under test are the centre's, "my data", the search page, the cancel page and the banner.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candor.accounts.cancellation import cancellations_complete
from candor.accounts.models import Cancellation, User
from candor.catalog.models import BrowsingHistory
from candor.catalog.tests.conftest import shop  # noqa: F401 (fixture)
from candor.centre import selectors as centre_selectors
from candor.centre import services as centre
from candor.cookies import inventory, jar
from candor.cookies.inventory import Kind
from candor.cookies.models import PageView
from candor.fulfillment.services import shipment_create
from candor.inbox.models import Message
from candor.integrations.carrier import simulator as carrier
from candor.mydata import services as mydata
from candor.mydata.models import ExportJob
from candor.orders import services as orders
from candor.orders.models import Order
from candor.orders.tests import factories as f
from candor.privacy import crypto, policy, taxonomy
from candor.search.models import SearchHistory
from candor.verification.models import VerificationCode
from tests.sms_outbox import latest_code

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Correct-horse-42"


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """The test thread's own key cache for the encrypted fields it writes and reads."""


def _login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url("**/me/")


def _to_centre(page) -> None:
    """我的 → 隐私: the way a member gets there."""
    page.goto("/me/")
    page.get_by_test_id("me-privacy").click()
    page.wait_for_url("**/me/privacy/")


# --- 1. personalization, location, search history (Chinese) ------------------------------------


def test_zh_personalization_off_at_once_location_revoked_search_history_deleted(pages, shop):  # noqa: F811
    member = User.objects.create_user(username="lanlan", password=PASSWORD)
    for purpose in (taxonomy.PERSONALIZATION, taxonomy.LOCATION_FEATURES):
        centre.consent_switch(user=member, purpose=purpose, on=True)
    tea = shop.products["tea"]
    BrowsingHistory.objects.create(user=member, product=tea, viewed_at=timezone.now())
    page = pages.open("zh-CN", downloads=True)
    _login(page, member.username)

    # The home page's 猜你喜欢 is personalized: labelled so, drawn from the tea she looked at.
    page.goto("/")
    for_you = page.get_by_test_id("for-you")
    expect(for_you).to_have_attribute("data-personalized", "true")
    expect(for_you.locator("h2")).to_contain_text("猜你喜欢")
    expect(page.get_by_test_id("for-you-label")).to_have_text("个性化")
    expect(for_you).to_contain_text(tea.name_zh)

    # 我的 → 隐私 → 权限: switch personalization off (htmx swaps the section in place).
    _to_centre(page)
    page.get_by_test_id("hub-permissions").click()
    page.wait_for_url("**/me/privacy/permissions/")
    row = page.get_by_test_id("permission-personalization")
    expect(row).to_have_attribute("data-granted", "true")
    page.get_by_test_id("switch-personalization").click()
    expect(row).to_have_attribute("data-granted", "false")
    expect(page.get_by_test_id("switch-personalization")).to_have_attribute("aria-checked", "false")

    # The very next home page: the same block, now the best sellers labelled non-personalized.
    page.goto("/")
    expect(for_you).to_have_attribute("data-personalized", "false")
    expect(page.get_by_test_id("for-you-label")).to_have_text("非个性化")
    # Best sellers first: the 500-sale phone case leads, whatever she looked at.
    expect(for_you.get_by_test_id("product-card").first).to_contain_text(shop.products["case"].name_zh)

    # Location, revoked on the same page: the address form no longer offers "use my location".
    page.goto("/me/privacy/permissions/")
    page.get_by_test_id("switch-location_features").click()
    expect(page.get_by_test_id("permission-location_features")).to_have_attribute("data-granted", "false")
    page.goto("/accounts/addresses/add/")
    expect(page.get_by_test_id("location-off")).to_be_visible()
    expect(page.get_by_test_id("location-use")).to_be_hidden()
    history = [(r.purpose, r.granted) for r in centre_selectors.consent_history(member)]
    assert history[:2] == [(taxonomy.LOCATION_FEATURES.code, False), (taxonomy.PERSONALIZATION.code, False)]

    # Search twice, then delete the history from the search page.
    for words in ("龙井", "手机壳"):
        page.fill("[data-testid=header-search]", words)
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
    expect(page.get_by_test_id("history-item")).to_have_count(2)
    assert SearchHistory.objects.filter(user=member).count() == 2
    page.get_by_test_id("history-clear").click()
    expect(page.get_by_test_id("history-empty")).to_be_visible()
    expect(page.get_by_test_id("history-item")).to_have_count(0)
    assert not SearchHistory.objects.filter(user=member).exists()
    page.reload()
    expect(page.get_by_test_id("history-empty")).to_be_visible()


# --- 2. download my data; who received my data (English) ---------------------------------------


@pytest.fixture
def completed_order() -> Order:
    """A member's order paid on the Alipay simulator, shipped, delivered and confirmed."""
    buyer = f.make_member(username="lanen")
    purchase = f.buy(buyer, f.make_sku(price_fen=12_800))
    f.pay_online(buyer, purchase, "alipay")
    order = f.only_order(purchase)
    shipment = shipment_create(order=order, actor_id=None)
    for _step in carrier.STEPS:
        carrier.advance(shipment.waybill_no)
    orders.order_confirm_received(user=buyer, order_number=order.number)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    return order


def test_en_download_my_data_with_progress_and_who_received_it(
    pages, completed_order, settings, tmp_path, monkeypatch
):
    settings.CANDOR_EXPORT_DIR = tmp_path / "exports"
    # The Huey worker, played by this test: the job is queued by the page and held here, so the
    # bar can be watched while it runs (tasks run inline in tests and would finish before the
    # POST answered). The job itself is the real one.
    queued: list[int] = []
    monkeypatch.setattr("candor.mydata.tasks.export_job_run", queued.append)
    buyer = completed_order.buyer
    page = pages.open("en-US", downloads=True)
    _login(page, buyer.username, f.PASSWORD)
    _to_centre(page)
    page.get_by_test_id("hub-export").click()
    page.wait_for_url("**/me/data/export/")
    expect(page.locator("h1")).to_have_text("Download my data")

    status = page.get_by_test_id("export-status")
    expect(status).to_have_attribute("data-state", "none")
    page.get_by_test_id("export-request").click()
    expect(status).to_have_attribute("data-state", "running")
    progress = page.get_by_test_id("export-progress")
    expect(progress).to_have_attribute("value", "0")
    (job_id,) = queued

    # The worker reports progress; the page's next poll shows it — then the job runs to the end.
    mydata.export_progress_set(job_id=job_id, progress=40)
    expect(progress).to_have_attribute("value", "40")
    expect(status).to_contain_text("40% done")
    with crypto.key_scope():
        mydata.export_run(job_id=job_id)
    expect(status).to_have_attribute("data-state", "ready")
    expect(status.locator("progress")).to_have_attribute("value", "100")
    assert Message.objects.filter(user_id=buyer.pk, kind="export_ready").count() == 1

    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert download.value.suggested_filename.startswith("candor-my-data-")
    with open(download.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert archive.testzip() is None
    assert any(n.endswith(".json") for n in names) and any(n.endswith(".csv") for n in names), names
    documents = {n: json.loads(archive.read(n)) for n in names if n.endswith(".json") and n != "index.json"}
    by_title = {doc["title"]: doc for doc in documents.values()}  # titles in her language
    (her_order,) = by_title["orders"]["records"]
    assert her_order["recipient_phone"] == f.RECIPIENT["mobile"]
    assert sorted(row["recipient"] for row in by_title["Who received my data"]["records"]) == [
        "Logistics companies", "Payment institutions",
    ]  # fmt: skip
    assert "Consent history" in by_title
    assert ExportJob.objects.get(pk=job_id).downloaded_at is not None

    # Who received my data: the payment institution and the carrier, with what each received.
    page.goto("/me/privacy/")
    page.get_by_test_id("hub-disclosures").click()
    page.wait_for_url("**/me/data/disclosures/")
    rows = page.get_by_test_id("disclosure")
    expect(rows).to_have_count(2)
    paid = rows.filter(has=page.locator("th", has_text="Payment institutions"))
    expect(paid).to_have_attribute("data-recipient", taxonomy.PAYMENT_INSTITUTION.code)
    what, why = 1, 2  # columns: when, [recipient], what, why, legal basis, record
    expect(paid.locator("td").nth(what)).to_have_text(
        "purchase number, total (fen), payment subject (the mall's name and the number)"
    )
    expect(paid.locator("td").nth(why)).to_have_text("Payment")
    expect(paid.get_by_test_id("record")).to_contain_text(completed_order.purchase.number)
    carried = rows.filter(has=page.locator("th", has_text="Logistics companies"))
    expect(carried).to_have_attribute("data-recipient", taxonomy.LOGISTICS.code)
    expect(carried.locator("td").nth(what)).to_have_text(
        "order number, recipient, recipient's mobile, province, city, district, detailed address, "
        "items (product names and quantities)"
    )
    expect(carried.locator("td").nth(why)).to_have_text("Delivery")
    link = carried.get_by_test_id("record").locator("a")
    expect(link).to_have_text(completed_order.number)
    expect(link).to_have_attribute("href", f"/orders/{completed_order.number}/")
    # The ledger shows fields, not their values: no name or mobile of hers is on the page.
    html = page.content()
    assert f.RECIPIENT["recipient_name"] not in html and f.RECIPIENT["mobile"] not in html


# --- 3. cancel the account (Chinese) -----------------------------------------------------------


def test_zh_cancel_account_review_then_login_refused_and_phone_registers_afresh(pages):
    phone = "13812349000"
    member = User.objects.create_user(username="zhuxiao", password=PASSWORD, phone=phone)
    page = pages.open("zh-CN", downloads=True)
    _login(page, member.username)
    _to_centre(page)
    page.get_by_test_id("hub-cancel").click()
    page.wait_for_url("**/accounts/cancel/")
    expect(page.get_by_test_id("cancel-blockers")).to_have_count(0)

    page.wait_for_load_state()  # htmx (deferred) wires the button
    page.get_by_test_id("send-code").click()
    expect(page.locator("#code-status")).to_contain_text("138****9000")
    page.fill("#id_code", latest_code(phone))
    page.get_by_test_id("cancel-confirm").click()
    review = page.get_by_test_id("cancel-in-review")
    expect(review).to_be_visible()
    row = Cancellation.objects.get(user=member)
    until = timezone.localtime(row.review_until)
    assert timedelta(hours=47, minutes=59) < row.review_until - row.requested_at <= timedelta(hours=48)
    expect(review).to_contain_text(until.strftime("%Y-%m-%d %H:%M"))
    expect(page.get_by_test_id("cancel-withdraw")).to_be_visible()

    # The clock: an hour before the end nothing happens; past it the core erases the account.
    assert cancellations_complete(now=timezone.now() + timedelta(hours=47)) == 0
    assert User.objects.filter(pk=member.pk, username="zhuxiao").exists()
    assert cancellations_complete(now=timezone.now() + timedelta(hours=49)) == 1
    assert not User.objects.filter(username="zhuxiao").exists()

    # Logged out everywhere: this browser's session is gone; logging in again is refused.
    page.goto("/me/")
    page.wait_for_url("**/login/?next=/me/")
    page.fill("#id_username", "zhuxiao")
    page.fill("#id_password", PASSWORD)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    expect(page.locator("[data-testid=login-form] .form-error")).to_be_visible()
    assert "/login/" in page.url
    page.goto("/me/")
    page.wait_for_url("**/login/?next=/me/")

    # The same mobile registers afresh as a new person (the policy in effect is accepted there).
    policy.publish(
        number="1.0", effective_at=timezone.now() - timedelta(minutes=1), significant=True,
        summary_zh="首个版本", summary_en="First version",
    )  # fmt: skip
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))  # 1 code/min
    page.goto("/accounts/register/")
    page.fill("#id_username", "zhuxiao2")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_phone", phone)
    page.wait_for_load_state()
    page.get_by_test_id("send-code").click()
    page.get_by_test_id("code-sent").wait_for()
    page.fill("#id_code", latest_code(phone))
    page.fill("#id_email", "zhuxiao2@example.com")
    page.get_by_test_id("accept-policy").check()
    page.get_by_test_id("register-submit").click()
    page.wait_for_url("**/me/")
    fresh = User.objects.get(username="zhuxiao2")
    assert fresh.pk != member.pk and fresh.phone == phone
    assert not Cancellation.objects.filter(user=fresh).exists()


# --- 4. the cookie banner ----------------------------------------------------------------------


def _cookie_names(page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def test_no_analytics_cookie_or_page_view_before_consent_nor_after_essential_only(pages, shop):  # noqa: F811
    essential = inventory.names(Kind.ESSENTIAL)
    beacons: list[str] = []

    # A fresh visitor browses two pages without choosing: essential cookies only, no beacon.
    page = pages.open("zh-CN", downloads=True)
    page.on("request", lambda request: "/cookies/beacon/" in request.url and beacons.append(request.url))
    page.goto("/")
    expect(page.get_by_test_id("cookie-banner")).to_be_visible()
    page.goto("/products/")
    expect(page.get_by_test_id("cookie-banner")).to_be_visible()
    assert page.locator("script[data-analytics]").count() == 0
    names = _cookie_names(page)
    assert names <= essential and jar.AID_COOKIE not in names and jar.CONSENT_COOKIE not in names, names
    assert PageView.objects.count() == 0

    # "Essential only": the choice is remembered, still no analytics cookie and no page view.
    page.locator("#cookie-essential").click()
    page.wait_for_url("**/products/")
    expect(page.get_by_test_id("cookie-banner")).to_have_count(0)
    page.goto("/")
    page.goto(f"/products/{shop.products['tea'].pk}/")
    names = _cookie_names(page)
    assert jar.CONSENT_COOKIE in names and jar.AID_COOKIE not in names and names <= essential, names
    assert page.locator("script[data-analytics]").count() == 0
    assert PageView.objects.count() == 0 and beacons == []

    # A second fresh visitor accepts analytics: the analytics cookie, then a page view per page.
    other = pages.open("zh-CN", downloads=True)
    other.goto("/products/")
    assert jar.AID_COOKIE not in _cookie_names(other)
    with other.expect_response(lambda r: "/cookies/beacon/" in r.url) as first:
        other.locator("#cookie-accept").click()  # back on /products/, now with the beacon
    assert first.value.status == 204
    aid = {c["name"]: c["value"] for c in other.context.cookies()}.get(jar.AID_COOKIE)
    assert aid and len(aid) == 32
    with other.expect_response(lambda r: "/cookies/beacon/" in r.url) as second:
        other.goto(f"/products/{shop.products['tea'].pk}/")
    assert second.value.status == 204
    views = list(PageView.objects.order_by("id").values_list("aid", "path"))
    assert views == [(aid, "/products/"), (aid, "/products/<int:product_id>/")], views
    assert beacons == []  # the first visitor's browser still sent nothing
