# ruff: noqa: F811
"""The buyer's payment pages: choosing the institution and being sent there (redirect, or a
form that posts itself with a button for browsers without JavaScript), the return page that
shows only what a verified notification said, the remittance upload, and someone else's
purchase as a 404 that starts nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from candor.integrations.payment.base import PayStart
from candor.orders.models import Purchase

# The order tests' catalog fixtures, used here by name (hence F811 for the test arguments).
from candor.orders.tests.conftest import _keys, category, make_sku, merchant_x  # noqa: F401
from candor.orders.tests.factories import place
from candor.payments import pages, services
from candor.payments.models import Payment, RemittanceSlip

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_pay_by_redirect(client, alice, make_sku):
    client.force_login(alice)
    purchase = place(alice, payment_method="alipay", lines={make_sku(price_fen=12345).pk: 1})
    url = reverse("payments:pay", args=[purchase.number])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "¥123.45" in page and 'data-testid="pay-method-unionpay"' in page
    response = client.post(url, {"method": "alipay"})
    assert response.status_code == 302 and response["Location"].startswith("/_sim/pay/alipay/gateway.do?")
    assert Payment.objects.get(purchase=purchase).method == "alipay"


def test_pay_by_a_form_that_posts_itself(client, alice, make_sku):
    client.force_login(alice)
    purchase = place(alice, payment_method="alipay", lines={make_sku().pk: 1})
    response = client.post(reverse("payments:pay", args=[purchase.number]), {"method": "unionpay"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/_sim/pay/unionpay/gateway/api/frontTransReq.do"' in html
    assert "data-autosubmit" in html and 'data-testid="pay-continue"' in html and 'name="signature"' in html
    assert "<script>" not in html  # the CSP allows no inline script: orders.js submits it
    purchase.refresh_from_db()
    assert purchase.payment_method == "unionpay"  # the buyer switched institution


def test_a_real_institution_is_allowed_as_the_forms_target(client, alice, make_sku, monkeypatch):
    client.force_login(alice)
    purchase = place(alice, payment_method="alipay", lines={make_sku().pk: 1})
    monkeypatch.setattr(
        services, "payment_start",
        lambda **kwargs: PayStart("https://openapi.alipay.com/gateway.do?x=1", "GET", {}),
    )  # fmt: skip
    response = client.post(reverse("payments:pay", args=[purchase.number]), {"method": "alipay"})
    assert response["Location"] == "https://openapi.alipay.com/gateway.do?x=1"
    assert "form-action 'self' https://openapi.alipay.com" in response["Content-Security-Policy"]


def test_wechat_pay_shows_a_qr_code_and_the_simulators_page(client, alice, make_sku):
    from candor.integrations.payment.models import SimTrade

    client.force_login(alice)
    purchase = place(alice, payment_method="alipay", lines={make_sku(price_fen=12345).pk: 1})
    response = client.post(
        reverse("payments:pay", args=[purchase.number]), {"method": "wechatpay"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    trade = SimTrade.objects.get(provider="wechatpay", out_trade_no=purchase.number)
    assert 'data-testid="pay-qr-image"' in html and 'src="data:image/svg+xml;base64,' in html
    assert "Scan with WeChat to pay" in html and "¥123.45" in html
    sim = f'href="/_sim/pay/trade/{trade.token}/"'
    assert sim in html and "Open the WeChat Pay simulator" in html
    assert f'href="{reverse("payments:return", args=[purchase.number])}"' in html
    assert 'hx-trigger="every 3s"' in html and 'data-status="pending"' in html  # it updates by itself
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither
    # "Scanning": the simulator's page, where Pay notifies Candor; the buyer's page then says paid.
    assert client.post(f"/_sim/pay/trade/{trade.token}/", {"action": "pay"}).status_code == 302
    status = client.get(reverse("payments:return", args=[purchase.number]), HTTP_HX_REQUEST="true")
    assert 'data-status="paid"' in status.content.decode()
    assert Purchase.objects.get(pk=purchase.pk).status == "paid"


def test_the_qr_code_is_wechats_code_and_a_real_institution_gets_no_simulator_link(
    client, alice, make_sku, monkeypatch
):
    client.force_login(alice)
    purchase = place(alice, payment_method="wechatpay", lines={make_sku().pk: 1})
    code = "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"
    monkeypatch.setattr(services, "payment_start", lambda **kwargs: PayStart("", "QR", {}, qr=code))
    html = client.post(reverse("payments:pay", args=[purchase.number]), {"method": "wechatpay"}).content
    html = html.decode()
    assert f'src="{pages.qr_data_url(code)}"' in html
    assert 'data-testid="pay-qr-simulator"' not in html and "/_sim/" not in html
    with translation.override("zh-hans"):
        assert translation.gettext("Scan with WeChat to pay") in html


def test_the_api_answers_the_qr_code(api_client, client, alice, make_sku):
    from candor.integrations.payment.models import SimTrade

    client.force_login(alice)
    purchase = place(alice, payment_method="wechatpay", lines={make_sku().pk: 1})
    answer = api_client.call("post", f"/purchases/{purchase.number}/pay", {"method": "wechatpay"})
    assert answer.status_code == 200, answer.content
    token = SimTrade.objects.get(out_trade_no=purchase.number).token
    assert answer.json() == {
        "url": f"/_sim/pay/trade/{token}/", "method": "GET", "fields": {},
        "qr": f"weixin://wxpay/bizpayurl?pr={token}",
    }  # fmt: skip
    alipay = api_client.call("post", f"/purchases/{purchase.number}/pay", {"method": "alipay"}).json()
    assert alipay["qr"] == "" and alipay["url"].startswith("/_sim/pay/alipay/")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_an_unknown_method_is_refused_on_the_page(client, alice, make_sku, lang):
    client.force_login(alice)
    purchase = place(alice, payment_method="alipay", lines={make_sku().pk: 1})
    response = client.post(
        reverse("payments:pay", args=[purchase.number]), {"method": "cash"}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 400
    with translation.override(lang):
        assert str(translation.gettext("Choose Alipay, WeChat Pay or UnionPay.")) in response.content.decode()
    assert not Payment.objects.exists()


def test_other_payment_methods_have_their_own_pages(client, alice, make_sku):
    client.force_login(alice)
    cod = place(alice, payment_method="cod", lines={make_sku().pk: 1})
    page = client.get(reverse("payments:pay", args=[cod.number]))
    assert 'data-testid="pay-form"' not in page.content.decode()
    assert client.post(reverse("payments:pay", args=[cod.number]), {"method": "alipay"}).status_code == 409
    remit = place(
        alice, payment_method="remittance", lines={make_sku().pk: 1}, invoice_title="坦诚科技有限公司"
    )
    assert client.get(reverse("payments:pay", args=[remit.number]))["Location"] == reverse(
        "payments:remittance", args=[remit.number]
    )


def test_the_return_page_believes_only_the_notification(client, alice, make_sku):
    from candor.integrations.payment import simulator

    client.force_login(alice)
    purchase = place(alice, payment_method="alipay", lines={make_sku().pk: 1})
    start = client.post(reverse("payments:pay", args=[purchase.number]), {"method": "alipay"})
    client.get(start["Location"])  # the browser opens the institution's page
    url = reverse("payments:return", args=[purchase.number])
    # What a browser coming back says (Alipay's synchronous return parameters) changes nothing.
    forged = client.get(url + "?trade_status=TRADE_SUCCESS&out_trade_no=" + purchase.number)
    assert 'data-status="pending"' in forged.content.decode()
    purchase.refresh_from_db()
    assert purchase.status == "pending"
    assert 'hx-trigger="every 3s"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()

    simulator.pay("alipay", purchase.number)
    paid = client.get(url).content.decode()
    assert 'data-status="paid"' in paid
    assert Purchase.objects.get(pk=purchase.pk).status == "paid"


def test_remittance_upload(client, alice, make_sku):
    client.force_login(alice)
    purchase = place(
        alice, payment_method="remittance", lines={make_sku().pk: 1}, invoice_title="坦诚科技有限公司"
    )
    url = reverse("payments:remittance", args=[purchase.number])
    assert 'data-testid="remittance-form"' in client.get(url).content.decode()

    bad = client.post(
        url, {"payer_name": "", "slip": _file("slip.txt", b"hello", "text/plain")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'data-testid="error-payer_name"' in html and 'data-testid="error-slip"' in html
    assert not RemittanceSlip.objects.exists()

    done = client.post(url, {"payer_name": "坦诚科技有限公司", "slip": _file("slip.png", PNG, "image/png")})
    assert done.status_code == 302 and done["Location"] == url
    slip = RemittanceSlip.objects.get()
    assert slip.purchase_id == purchase.pk and slip.payer_name == "坦诚科技有限公司"
    assert 'data-status="waiting"' in client.get(url).content.decode()
    assert Purchase.objects.get(pk=purchase.pk).status == "pending"  # finance confirms, not the upload


def _file(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("name", ["pay", "return", "remittance"])
def test_someone_elses_purchase_is_a_404(client, alice, bob, make_sku, name):
    method = "remittance" if name == "remittance" else "alipay"
    purchase = place(alice, payment_method=method, lines={make_sku().pk: 1}, invoice_title="坦诚科技有限公司")
    client.force_login(bob)
    url = reverse(f"payments:{name}", args=[purchase.number])
    assert client.get(url).status_code == 404
    if name != "return":
        data = (
            {"method": "alipay"}
            if name == "pay"
            else {"payer_name": "x", "slip": _file("s.png", PNG, "image/png")}
        )
        assert client.post(url, data).status_code == 404
    assert not Payment.objects.exists() and not RemittanceSlip.objects.exists()
    assert Purchase.objects.get(pk=purchase.pk).payment_method == method
