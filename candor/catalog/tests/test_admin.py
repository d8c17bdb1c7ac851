"""Merchant staff see and edit only their own merchants' products in admin; product edits in
admin go through the services (the price follows the SKUs). The admin classes run on a plain
AdminSite of the test's own: the subject is scoping, not the staff second-factor gate."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path

from candor.catalog.admin import ProductAdmin, SkuAdmin
from candor.catalog.models import Product, Sku
from candor.urls import urlpatterns as project_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

site = admin.AdminSite(name="admin")
site.register(Product, ProductAdmin)
site.register(Sku, SkuAdmin)
urlpatterns = [path("admin/", site.urls), *(p for p in project_urls if str(p.pattern) != "admin/")]

PERMS = ("view_product", "change_product", "add_product", "delete_product", "view_sku", "change_sku",
         "add_sku", "delete_sku", "view_stock", "change_stock", "add_stock", "view_productimage",
         "add_productimage", "change_productimage", "delete_productimage")  # fmt: skip


def merchant_staff(username, merchant):
    user = get_user_model().objects.create_user(
        username=username, password="x-very-long-password-1", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="catalog", codename__in=PERMS)
    )
    merchant.staff.add(user)
    return get_user_model().objects.get(pk=user.pk)


def form_data(product, **changes):
    data = {
        "merchant": product.merchant_id, "category": product.category_id, "name_zh": product.name_zh,
        "name_en": product.name_en, "subtitle_zh": "", "subtitle_en": "", "brand": "", "description_zh": "",
        "description_en": "", "is_active": "on",
        "skus-TOTAL_FORMS": "0", "skus-INITIAL_FORMS": "0", "skus-MIN_NUM_FORMS": "0",
        "skus-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    skus = list(product.skus.order_by("id"))
    data["skus-TOTAL_FORMS"] = data["skus-INITIAL_FORMS"] = str(len(skus))
    for i, sku in enumerate(skus):
        data.update({f"skus-{i}-id": sku.pk, f"skus-{i}-product": product.pk, f"skus-{i}-code": sku.code,
                     f"skus-{i}-options": '{"颜色": "黑"}', f"skus-{i}-price_fen": sku.price_fen,
                     f"skus-{i}-is_active": "on"})  # fmt: skip
    data.update(changes)
    return data


def test_merchant_staff_see_only_their_own_products(shop, client):
    client.force_login(merchant_staff("shuma-clerk", shop.other))
    listing = client.get("/admin/catalog/product/").content.decode()
    assert "Apple iPhone 15" in listing or "苹果 iPhone 15" in listing
    assert "华为 Mate 60" not in listing and "西湖龙井" not in listing
    mine, theirs = shop.products["iphone"], shop.products["mate"]
    assert client.get(f"/admin/catalog/product/{mine.pk}/change/").status_code == 200
    # another merchant's product answers like a missing one, for reading, editing and deleting
    assert client.get(f"/admin/catalog/product/{theirs.pk}/change/").status_code == 302
    response = client.post(f"/admin/catalog/product/{theirs.pk}/change/", form_data(theirs, name_zh="改名"))
    assert response.status_code in (302, 403, 404)
    assert client.post(f"/admin/catalog/product/{theirs.pk}/delete/", {"post": "yes"}).status_code in (
        302,
        403,
        404,
    )
    assert Product.objects.get(pk=theirs.pk).name_zh == "华为 Mate 60 手机"
    other_sku = theirs.skus.first()
    assert client.get(f"/admin/catalog/sku/{other_sku.pk}/change/").status_code == 302
    assert str(other_sku.code) not in client.get("/admin/catalog/sku/").content.decode()


def test_merchant_staff_cannot_move_a_product_to_another_merchant(shop, client):
    client.force_login(merchant_staff("shuma-clerk", shop.other))
    mine = shop.products["iphone"]
    form = client.get(f"/admin/catalog/product/{mine.pk}/change/").content.decode()
    assert "数码港" in form and "Candor 自营" not in form  # only their own merchant is offered
    response = client.post(f"/admin/catalog/product/{mine.pk}/change/", form_data(mine, merchant=shop.own.pk))
    assert response.status_code == 200  # the form answers with an error
    assert Product.objects.get(pk=mine.pk).merchant_id == shop.other.pk


def test_merchant_staff_edit_their_product_and_the_price_follows_the_skus(shop, client):
    client.force_login(merchant_staff("shuma-clerk", shop.other))
    mine = shop.products["iphone"]
    data = form_data(mine, name_zh="苹果 iPhone 15 手机 新款")
    data["skus-0-price_fen"] = "549900"
    data["skus-TOTAL_FORMS"] = "2"
    data.update({"skus-1-product": mine.pk, "skus-1-code": "iphone-256",
                 "skus-1-options": '{"容量": "256GB"}',
                 "skus-1-price_fen": "649900", "skus-1-is_active": "on"})  # fmt: skip
    response = client.post(f"/admin/catalog/product/{mine.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    mine.refresh_from_db()
    assert mine.name_zh == "苹果 iPhone 15 手机 新款" and mine.price_fen == 549900
    assert sorted(mine.skus.values_list("price_fen", flat=True)) == [549900, 649900]


def test_platform_manager_sees_everything(shop, client):
    boss = get_user_model().objects.create_superuser(username="boss", password="x-very-long-password-1")
    client.force_login(boss)
    listing = client.get("/admin/catalog/product/").content.decode()
    assert "华为 Mate 60" in listing and "苹果 iPhone 15" in listing
