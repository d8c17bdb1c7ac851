"""Favorites, follows and share links: one row per target (unique, even when added twice),
exactly one follow target and never oneself (the database refuses it too), deletes audited
and scoped to the owner, share tokens random and visits counted without the visitor."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from candor.catalog.models import Merchant
from candor.privacy.models import AuditEvent
from candor.social import services
from candor.social.errors import (
    ChannelInvalid,
    FavoriteNotFound,
    FollowNotFound,
    FollowSelf,
    FollowTargetInvalid,
    MemberNotFound,
    MerchantNotFound,
    ProductNotFound,
    ShareNotFound,
)
from candor.social.models import Favorite, Follow, ShareLink

pytestmark = pytest.mark.django_db


def test_favorites_are_unique_per_product(alice, product, make_sku):
    first, created = services.favorite_add(user=alice, product_id=product.pk)
    again, created_again = services.favorite_add(user=alice, product_id=product.pk)
    assert created and not created_again and first.pk == again.pk
    assert Favorite.objects.filter(user=alice).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Favorite.objects.create(user=alice, product=product)


def test_services_can_be_favorited_and_products_must_be_on_sale(alice, make_sku):
    service = make_sku().product
    service.is_service = True
    service.save()
    services.favorite_add(user=alice, product_id=service.pk)
    off = make_sku(product_active=False).product
    for bad in (off.pk, 0, -1, 10**30, service.pk + 999):
        with pytest.raises(ProductNotFound):
            services.favorite_add(user=alice, product_id=bad)
    assert list(Favorite.objects.values_list("product_id", flat=True)) == [service.pk]


def test_favorite_remove_is_audited_and_owner_only(alice, bob, product):
    services.favorite_add(user=alice, product_id=product.pk)
    with pytest.raises(FavoriteNotFound):
        services.favorite_remove(user=bob, product_id=product.pk)
    favorite = Favorite.objects.get()
    services.favorite_remove(user=alice, product_id=product.pk)
    assert not Favorite.objects.exists()
    event = AuditEvent.objects.get(target=f"social.favorite:{favorite.pk}")
    assert (event.action, event.subject_id, event.detail) == ("change", alice.pk, {"operation": "delete"})


def test_follow_a_merchant_and_a_member(alice, bob, shop):
    merchant, _category = shop
    services.follow_add(user=alice, merchant_id=merchant.pk)
    _row, created = services.follow_add(user=alice, merchant_id=merchant.pk)
    assert not created
    services.follow_add(user=alice, member_id=bob.pk)
    assert Follow.objects.filter(user=alice).count() == 2
    services.follow_remove(user=alice, member_id=bob.pk)
    services.follow_remove(user=alice, merchant_id=merchant.pk)
    assert not Follow.objects.exists()
    assert (
        AuditEvent.objects.filter(target__startswith="social.follow:", detail__operation="delete").count()
        == 2
    )
    with pytest.raises(FollowNotFound):
        services.follow_remove(user=alice, member_id=bob.pk)


def test_follow_refusals(alice, bob, shop):
    merchant, _category = shop
    with pytest.raises(FollowSelf) as caught:
        services.follow_add(user=alice, member_id=alice.pk)
    assert caught.value.status == 400
    with pytest.raises(FollowTargetInvalid):
        services.follow_add(user=alice)
    with pytest.raises(FollowTargetInvalid):
        services.follow_add(user=alice, merchant_id=merchant.pk, member_id=bob.pk)
    with pytest.raises(MerchantNotFound):
        services.follow_add(user=alice, merchant_id=merchant.pk + 100)
    Merchant.objects.filter(pk=merchant.pk).update(is_active=False)
    with pytest.raises(MerchantNotFound):
        services.follow_add(user=alice, merchant_id=merchant.pk)
    bob.is_active = False
    bob.save()
    with pytest.raises(MemberNotFound):
        services.follow_add(user=alice, member_id=bob.pk)
    with pytest.raises(MemberNotFound):
        services.follow_add(user=alice, member_id=10**30)
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    "row",
    [
        {},  # no target
        {"merchant": True, "member": True},  # both
        {"member": "self"},  # oneself
    ],
)
def test_the_database_holds_the_follow_constraints(alice, bob, shop, row):
    merchant, _category = shop
    values = {"user": alice}
    if row.get("merchant"):
        values["merchant"] = merchant
    if row.get("member"):
        values["member"] = alice if row["member"] == "self" else bob
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(**values)


def test_the_database_allows_one_follow_per_target(alice, bob, shop):
    merchant, _category = shop
    Follow.objects.create(user=alice, merchant=merchant)
    Follow.objects.create(user=alice, member=bob)
    for values in ({"merchant": merchant}, {"member": bob}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Follow.objects.create(user=alice, **values)


def test_share_links(alice, bob, product):
    share = services.share_create(user=alice, product_id=product.pk, channel="wechat")
    other = services.share_create(user=alice, product_id=product.pk, channel="copy")
    assert len(share.token) >= 22 and share.token != other.token
    assert set(share.token) <= services.TOKEN_CHARS
    assert str(alice.pk) not in share.token.split("-") and "alice" not in share.token
    assert services.share_open(token=share.token) == product.pk
    services.share_open(token=share.token)
    share.refresh_from_db()
    assert share.visits == 2
    with pytest.raises(ChannelInvalid):
        services.share_create(user=alice, product_id=product.pk, channel="facebook")
    with pytest.raises(ShareNotFound):
        services.share_delete(user=bob, share_id=share.pk)
    services.share_delete(user=alice, share_id=share.pk)
    event = AuditEvent.objects.get(target=f"social.sharelink:{share.pk}")
    assert event.detail == {"operation": "delete"} and "token" in event.fields
    assert share.token not in str(event.detail) + event.target
    with pytest.raises(ShareNotFound):
        services.share_open(token=share.token)
    for bad in ("", "x" * 10, "a" * 500, "../../etc", "ä" * 24):
        with pytest.raises(ShareNotFound):
            services.share_open(token=bad)
    assert ShareLink.objects.count() == 1


def test_limits(alice, make_sku, monkeypatch):
    from candor.social.errors import LimitReached

    monkeypatch.setattr(services, "FAVORITE_LIMIT", 1)
    monkeypatch.setattr(services, "SHARE_LIMIT", 1)
    a, b = make_sku().product, make_sku().product
    services.favorite_add(user=alice, product_id=a.pk)
    with pytest.raises(LimitReached):
        services.favorite_add(user=alice, product_id=b.pk)
    services.share_create(user=alice, product_id=a.pk, channel="qq")
    with pytest.raises(LimitReached):
        services.share_create(user=alice, product_id=a.pk, channel="qq")
