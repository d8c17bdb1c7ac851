"""Who received my data (/me/data/disclosures/, GET /api/v1/me/disclosures): after a completed
order, the payment institution and the carrier, with what (the declared field labels), why,
the legal basis, when, and the purchase or order number — only ever the person's own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from candor.fulfillment import services as fulfillment
from candor.integrations.carrier import simulator
from candor.mydata import ledger
from candor.mydata.tests.conftest import Api, logged_in, no_inline_code
from candor.orders import services as orders
from candor.orders.models import Order
from candor.orders.tests import factories as f
from candor.privacy import taxonomy
from candor.privacy.models import DisclosureRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed():
    """A buyer's order paid on the Alipay simulator, shipped, delivered and confirmed."""
    buyer = f.make_member()
    purchase = f.buy(buyer, f.make_sku(name_zh="无线耳机"), 1)
    f.pay_online(buyer, purchase, "alipay")
    order = Order.objects.get(purchase=purchase)
    shipment = fulfillment.shipment_create(order=order, actor_id=f.make_member(address=False).pk)
    for _ in range(4):
        simulator.advance(shipment.waybill_no)
    orders.order_confirm_received(user=buyer, order_number=order.number)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    return buyer, purchase, order


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("zh-hans", ["支付机构", "物流公司", "支付", "配送", "收货人"]),
        ("en", ["Payment institutions", "Logistics companies", "Payment", "Delivery", "recipient",
                "Necessary to perform a contract with you"]),
    ],
)  # fmt: skip
def test_the_ledger_shows_the_payment_and_carrier_hand_overs_of_an_order(completed, lang, texts):
    buyer, purchase, order = completed
    response = logged_in(buyer).get(reverse("mydata:disclosures"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="disclosure"') == 2
    assert 'data-recipient="payment_institution"' in html and 'data-recipient="logistics"' in html
    for text in texts:
        assert text in html, text
    assert purchase.number in html
    assert f'<a href="{reverse("orders:detail", args=[order.number])}">{order.number}</a>' in html
    no_inline_code(html)


def test_the_api_lists_recipient_what_why_basis_when_and_record(completed):
    buyer, purchase, order = completed
    body = Api(logged_in(buyer)).call("get", "/me/disclosures", lang="en").json()
    assert body["count"] == 2 and body["pages"] == 1
    carrier, payment = body["items"]  # newest first
    assert (payment["recipient"], payment["purpose"], payment["basis"]) == (
        taxonomy.PAYMENT_INSTITUTION.code,
        taxonomy.PAYMENT.code,
        taxonomy.CONTRACT.code,
    )
    assert payment["fields"] == ["number", "total_fen", "payment_subject"]
    assert payment["field_labels"] == [
        "purchase number",
        "total (fen)",
        "payment subject (the mall's name and the number)",
    ]
    assert (payment["record_kind"], payment["record_number"]) == ("purchase", purchase.number)
    assert carrier["recipient_label"] == "Logistics companies" and carrier["purpose_label"] == "Delivery"
    assert carrier["record_number"] == order.number and "recipient" in carrier["field_labels"]
    assert "items (product names and quantities)" in carrier["field_labels"]
    assert carrier["at"] >= payment["at"]


def test_someone_elses_ledger_and_records_never_appear(completed, alice, alice_client):
    _buyer, purchase, order = completed
    html = alice_client.get(reverse("mydata:disclosures")).content.decode()
    assert 'data-testid="ledger-empty"' in html and order.number not in html
    assert Api(alice_client).call("get", "/me/disclosures").json() == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "items": [],
    }

    # A ledger row of alice's that names the buyer's order (it cannot happen through disclose,
    # which takes the subject from the record): alice still never sees the buyer's number.
    DisclosureRecord.objects.create(
        recipient=taxonomy.LOGISTICS.code, subject_id=alice.pk, target=f"orders.order:{order.pk}",
        fields=["number"], purpose=taxonomy.DELIVERY.code, basis=taxonomy.CONTRACT.code,
    )  # fmt: skip
    html = alice_client.get(reverse("mydata:disclosures")).content.decode()
    assert html.count('data-testid="disclosure"') == 1
    assert order.number not in html and purchase.number not in html


def test_the_page_and_the_api_page_the_ledger_by_the_one_size(completed, monkeypatch):
    """``ledger.LEDGER_PAGE`` is defined once: the page and the API cut the ledger alike."""
    buyer, _purchase, _order = completed
    monkeypatch.setattr(ledger, "LEDGER_PAGE", 1)
    client = logged_in(buyer)
    html = client.get(reverse("mydata:disclosures"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('data-testid="disclosure"') == 1
    body = Api(client).call("get", "/me/disclosures?page=2", lang="en").json()
    assert (body["count"], body["pages"], body["page"], len(body["items"])) == (2, 2, 2, 1)
