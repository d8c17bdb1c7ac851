"""Erasure (``candor.privacy.rights.erase``) deletes the subject's cart, favorites, follows and
share links — and the follows of them by other members — and leaves everyone else's alone;
the export lists them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from candor.cart import services as cart_services
from candor.cart.models import CartItem
from candor.privacy import rights
from candor.social import services
from candor.social.models import Favorite, Follow, ShareLink

pytestmark = [pytest.mark.django_db, pytest.mark.urls("candor.social.tests.urls")]


def _fill(user, other, product, sku, merchant):
    cart_services.cart_add(user=user, session=None, sku_id=sku.pk)
    services.favorite_add(user=user, product_id=product.pk)
    services.follow_add(user=user, merchant_id=merchant.pk)
    services.follow_add(user=user, member_id=other.pk)
    return services.share_create(user=user, product_id=product.pk, channel="wechat")


def test_erasure_deletes_cart_favorites_follows_and_shares(alice, bob, make_sku, shop):
    merchant, _category = shop
    sku = make_sku()
    alice_share = _fill(alice, bob, sku.product, sku, merchant)
    bob_share = _fill(bob, alice, sku.product, sku, merchant)

    archive = zipfile.ZipFile(io.BytesIO(rights.export(alice.pk, language="en")))
    names = archive.namelist()
    texts = {name: archive.read(name).decode("utf-8-sig") for name in names if name.endswith(".json")}
    joined = "\n".join(texts.values())
    assert alice_share.token in joined  # her share links are in her copy
    assert bob_share.token not in joined  # bob's follow of her is counted, his data is not shown
    follows_of_her = [
        t for t in texts.values() if json.loads(t).get("title") == "follows of you by other members"
    ]
    assert len(follows_of_her) == 1 and len(json.loads(follows_of_her[0])["records"]) == 1

    rights.erase(alice.pk)

    assert not CartItem.objects.filter(user=alice).exists()
    assert not Favorite.objects.filter(user=alice).exists()
    assert not Follow.objects.filter(user=alice).exists()
    assert not ShareLink.objects.filter(sharer=alice).exists()
    # Bob's follow of alice is about her too: it goes; the rest of bob's data stays.
    assert not Follow.objects.filter(member=alice).exists()
    assert CartItem.objects.filter(user=bob).count() == 1
    assert Favorite.objects.filter(user=bob).count() == 1
    assert list(Follow.objects.filter(user=bob).values_list("merchant_id", flat=True)) == [merchant.pk]
    assert ShareLink.objects.filter(pk=bob_share.pk).exists()
