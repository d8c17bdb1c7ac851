"""The storefront shell: localized pages, styled error pages, admin branding, login."""

from __future__ import annotations

import pytest

from tests import staff_login

# The admin asks for a verified second factor: pytest-django's admin_client, past it.
admin_client = staff_login.admin_client

ZH_TITLE = "在一家对您的数据说真话的商城购物"
EN_TITLE = "Shop with a mall that tells you the truth about your data"


@pytest.mark.django_db
def test_home_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ZH_TITLE in html
    assert 'lang="zh-CN"' in html


@pytest.mark.django_db
def test_accept_language_en_gives_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert EN_TITLE in html


@pytest.mark.django_db
def test_language_switch_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert EN_TITLE in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert ZH_TITLE in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "text"), [("zh-hans", "页面不存在"), ("en", "Page not found")])
def test_404_page_is_localized_and_styled(client, lang, text):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert "css/candor.css" in html


@pytest.mark.parametrize(("lang", "text"), [("zh-hans", "服务器错误"), ("en", "Server error")])
def test_500_page_is_localized(rf, lang, text):
    from django.utils import translation

    from candor.storefront.views import server_error

    with translation.override(lang):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_me_needs_login_then_shows_the_user(client, django_user_model):
    assert client.get("/me/").status_code == 302
    django_user_model.objects.create_user(username="wang", password="a-long-pass-1")
    response = client.post("/login/", {"username": "wang", "password": "a-long-pass-1"})
    assert response.status_code == 302
    assert "wang" in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_admin_is_branded(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Candor 管理后台" in html
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Candor back office" in html


def test_htmx_is_the_pinned_npm_version():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pinned = json.loads((root / "package.json").read_text())["dependencies"]["htmx.org"]
    served = (root / "candor/static/vendor/htmx.min.js").read_text()
    assert f'version:"{pinned}"' in served


@pytest.mark.django_db
def test_home_shows_categories_and_best_sellers_in_sales_order(client):
    from candor.catalog import services
    from candor.catalog.models import Category, Merchant

    merchant = Merchant.objects.create(name_zh="自营", name_en="Self", kind="self", slug="self")
    phones = Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")
    for name, sold in (("小米手机", 5), ("华为手机", 50)):
        product = services.product_create(
            merchant=merchant, category=phones, name_zh=name, skus=[{"code": name, "price_fen": 100}]
        )
        services.product_sales_add(product_id=product.pk, quantity=sold)
    html = client.get("/").content.decode()
    assert 'href="/products/c/phones/"' in html
    assert html.index("华为手机") < html.index("小米手机")  # best seller first, the same for everyone


@pytest.mark.django_db
def test_the_header_search_box_keeps_the_query_escaped(client):
    box = 'name="q" value="{}"'
    assert box.format("") in client.get("/products/").content.decode()
    html = client.get("/products/", {"q": '手机"><b>'}).content.decode()
    assert box.format("手机&quot;&gt;&lt;b&gt;") in html
