"""Writes: the price follows the SKUs, search hears of every change after commit, sales and
stock counters, and the browsing history (recorded for members only, really deleted)."""

from __future__ import annotations

import pytest

from candor.catalog import selectors, services
from candor.catalog.errors import ProductInvalid, ProductNotFound
from candor.catalog.models import BrowsingHistory, Product, Sku
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def price(product) -> int:
    return Product.objects.get(pk=product.pk).price_fen


def test_price_follows_sku_edits(shop):
    mate = shop.products["mate"]
    assert price(mate) == 599900
    cheap = services.sku_save(product_id=mate.pk, code="mate-cheap", price_fen=499900, options={"颜色": "白"})
    assert price(mate) == 499900
    services.sku_save(product_id=mate.pk, code="mate-cheap", price_fen=799900)
    assert price(mate) == 599900
    services.sku_save(product_id=mate.pk, code="mate-cheap", price_fen=100, is_active=False)
    assert price(mate) == 599900  # an inactive SKU does not set the price
    first = Sku.objects.get(code="HUAWEI Mate 60 phone-0")
    services.sku_deactivate(sku_id=first.pk)
    assert price(mate) == 699900
    services.sku_delete(sku_id=cheap.pk)
    services.sku_delete(sku_id=Sku.objects.get(code="HUAWEI Mate 60 phone-1").pk)
    assert price(mate) == 0


def test_bad_sku_input_changes_nothing(shop):
    mate = shop.products["mate"]
    for bad in (-1, 1.5, "12", True, services.MAX_PRICE_FEN + 1):
        with pytest.raises(ProductInvalid):
            services.sku_save(product_id=mate.pk, code="x", price_fen=bad)
    with pytest.raises(ProductInvalid):  # a code of another product
        services.sku_save(product_id=mate.pk, code="Apple iPhone 15 phone-0", price_fen=1)
    assert Sku.objects.get(code="Apple iPhone 15 phone-0").product_id == shop.products["iphone"].pk
    assert not Sku.objects.filter(code="x").exists() and price(mate) == 599900
    with pytest.raises(ProductNotFound):
        services.product_update(product_id=10**12, name_en="x")


def test_search_index_hears_of_changes_after_commit(shop, monkeypatch, django_capture_on_commit_callbacks):
    calls: list[tuple[str, list[int]]] = []

    class Recorder:
        @staticmethod
        def product_indexed(*, product_ids):
            calls.append(("indexed", list(product_ids)))

        @staticmethod
        def product_unindexed(*, product_ids):
            calls.append(("unindexed", list(product_ids)))

    monkeypatch.setattr(services, "_search_index", lambda: Recorder)
    tea = shop.products["tea"]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.product_update(product_id=tea.pk, name_en="Longjing green tea")
    assert calls == [] and len(pending) == 1  # nothing before the commit
    for callback in pending:
        callback()
    assert calls == [("indexed", [tea.pk])]
    with django_capture_on_commit_callbacks(execute=True):
        services.product_deactivate(product_id=tea.pk)
        services.product_delete(product_id=shop.products["case"].pk)
    assert calls[1:] == [("indexed", [tea.pk]), ("unindexed", [shop.products["case"].pk])]
    assert not Product.objects.filter(pk=shop.products["case"].pk).exists()


def test_sales_counter_and_stock(shop):
    tea = shop.products["tea"]
    services.product_sales_add(product_id=tea.pk, quantity=3)
    services.product_sales_add(product_id=tea.pk)
    assert Product.objects.get(pk=tea.pk).sales_count == 24
    sku = tea.skus.get()
    services.stock_set(sku_id=sku.pk, warehouse="杭州仓", region="华东", quantity=5)
    services.stock_set(sku_id=sku.pk, warehouse="北京仓", region="华北", quantity=2)
    services.stock_set(sku_id=sku.pk, warehouse="杭州仓", region="华东", quantity=4)  # replaces
    assert selectors.sku_stock(sku_id=sku.pk) == 6
    assert selectors.sku_stock(sku_id=sku.pk, region="华北") == 2
    assert services.stock_take(sku_id=sku.pk, warehouse="北京仓", quantity=2)
    assert not services.stock_take(sku_id=sku.pk, warehouse="北京仓", quantity=1)
    assert selectors.sku_stock(sku_id=sku.pk) == 4
    with pytest.raises(ProductInvalid):
        services.stock_set(sku_id=sku.pk, warehouse="杭州仓", quantity=-1)
    detail = selectors.product_get(product_id=tea.pk, lang="en")
    assert detail.skus[0].stock == 4 and detail.in_stock


def test_product_page_records_history_for_members_only(shop, client, alice):
    mate = shop.products["mate"]
    assert client.get(f"/products/{mate.pk}/").status_code == 200
    assert not BrowsingHistory.objects.exists()  # a guest's view is not stored
    client.force_login(alice)
    client.get(f"/products/{mate.pk}/")
    client.get(f"/products/{mate.pk}/")
    client.get(f"/products/{shop.products['tea'].pk}/")
    assert BrowsingHistory.objects.filter(user=alice).count() == 2  # one row per product
    body = client.get("/products/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.index("West Lake Longjing tea") < body.index("HUAWEI Mate 60 phone")
    assert 'data-testid="history-delete"' in body and 'data-testid="history-clear"' in body


def test_history_delete_one_and_all_leaves_no_row_and_is_audited(shop, client, alice, bob):
    for user in (alice, bob):
        for key in ("mate", "tea", "case"):
            services.history_record(user=user, product_id=shop.products[key].pk)
    client.force_login(alice)
    before = AuditEvent.objects.count()
    response = client.post(f"/products/history/{shop.products['mate'].pk}/delete/")
    assert response.status_code == 302
    assert not BrowsingHistory.objects.filter(user=alice, product=shop.products["mate"]).exists()
    assert BrowsingHistory.objects.filter(user=alice).count() == 2
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.subject_id == alice.pk and event.detail == {"operation": "delete_one", "rows": 1}
    assert str(shop.products["mate"].pk) not in event.target  # the log names no product
    client.post("/products/history/clear/")
    assert not BrowsingHistory.objects.filter(user=alice).exists()
    assert BrowsingHistory.objects.filter(user=bob).count() == 3  # someone else's stays
    assert AuditEvent.objects.order_by("-seq").first().detail == {"operation": "delete_all", "rows": 2}
    # GET cannot delete; a guest is sent to log in
    client.logout()
    assert client.post("/products/history/clear/").status_code == 302
    assert BrowsingHistory.objects.filter(user=bob).count() == 3


def test_history_api(shop, api_client, client, alice):
    assert api_client.call("get", "/products/history").status_code == 401
    client.force_login(alice)
    api_client.call("get", f"/products/{shop.products['tea'].pk}")
    api_client.call("get", f"/products/{shop.products['case'].pk}")
    items = api_client.call("get", "/products/history", lang="en").json()
    assert [i["product"]["id"] for i in items] == [shop.products["case"].pk, shop.products["tea"].pk]
    assert api_client.call("delete", f"/products/history/{shop.products['case'].pk}").status_code == 204
    assert list(BrowsingHistory.objects.values_list("product_id", flat=True)) == [shop.products["tea"].pk]
    assert api_client.call("delete", "/products/history").status_code == 204
    assert not BrowsingHistory.objects.exists()


def test_product_page_in_both_languages(shop, client):
    mate = shop.products["mate"]
    zh = client.get(f"/products/{mate.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get(f"/products/{mate.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "华为 Mate 60 手机" in zh and "HUAWEI Mate 60 phone" in en
    for body in (zh, en):
        assert body.count('data-testid="sku-option"') == 2 and "¥5999.00" in body and "¥6999.00" in body
        for testid in ("add-to-cart", "favorite", "follow-merchant", "merchant-link", "product-price"):
            assert f'data-testid="{testid}"' in body, testid
        assert 'href="/products/m/candor-self/"' in body
        for action in (
            'action="/cart/add/"',
            'action="/me/favorites/add/"',
            "follows/merchant/",
            "shares/new/",
        ):
            assert action in body, action
        assert (
            f'name="merchant" value="{shop.own.pk}"' in body and f'name="product" value="{mate.pk}"' in body
        )
        assert "<script>" not in body and "style=" not in body and "onclick" not in body
    assert client.get("/products/999999/").status_code == 404
    services.product_deactivate(product_id=mate.pk)
    assert client.get(f"/products/{mate.pk}/").status_code == 404
