"""The cart's rules, for a member (rows) and a guest (the session): SKU on sale, stock, 1–99
per line, the line limit, removal and clearing audited, nothing changed when refused."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore

from candor.cart import selectors, services
from candor.cart.errors import CartFull, CartLineNotFound, OutOfStock, QuantityInvalid, SkuUnavailable
from candor.cart.models import CartItem
from candor.cart.selectors import SESSION_KEY
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_member_add_creates_the_row_that_logs_the_addition(alice, make_sku):
    sku = make_sku(stock=5)
    assert services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=2) == 2
    assert services.cart_add(user=alice, session=None, sku_id=sku.pk) == 3
    item = CartItem.objects.get(user=alice)
    assert (item.sku_id, item.quantity) == (sku.pk, 3)
    assert item.added_at is not None and item.updated_at >= item.added_at


def test_guest_add_lives_only_in_the_session(make_sku):
    sku = make_sku()
    session = SessionStore()
    services.cart_add(user=None, session=session, sku_id=sku.pk, quantity=2)
    assert session[SESSION_KEY] == {str(sku.pk): 2}
    assert CartItem.objects.count() == 0
    assert selectors.cart_count(user=None, session=session) == 2


@pytest.mark.parametrize("change", ["sku_off", "product_off", "missing", "zero_id", "huge_id"])
def test_a_sku_not_on_sale_is_refused(alice, make_sku, change):
    sku = make_sku(active=change != "sku_off", product_active=change != "product_off")
    sku_id = {"missing": sku.pk + 1000, "zero_id": 0, "huge_id": 10**30}.get(change, sku.pk)
    with pytest.raises(SkuUnavailable) as caught:
        services.cart_add(user=alice, session=None, sku_id=sku_id)
    assert caught.value.status == 400 and caught.value.code == "sku_unavailable"
    assert "sku" in caught.value.fields
    assert CartItem.objects.count() == 0


def test_stock_caps_additions_and_nothing_changes_when_refused(alice, make_sku):
    sku = make_sku(stock=3)
    services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=2)
    with pytest.raises(OutOfStock) as caught:
        services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=2)
    assert caught.value.extra == {"available": 3}
    assert CartItem.objects.get(user=alice).quantity == 2
    empty = make_sku(stock=0)
    unstocked = make_sku(stock=None)
    for s in (empty, unstocked):
        with pytest.raises(OutOfStock):
            services.cart_add(user=alice, session=None, sku_id=s.pk)
    assert CartItem.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 100, 10**30, True])
def test_quantity_bounds(alice, make_sku, quantity):
    sku = make_sku(stock=500)
    with pytest.raises(QuantityInvalid):
        services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=quantity)
    assert CartItem.objects.count() == 0


def test_a_line_holds_at_most_99(alice, make_sku):
    sku = make_sku(stock=500)
    services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=99)
    with pytest.raises(QuantityInvalid):
        services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=1)
    assert services.cart_set_quantity(user=alice, session=None, sku_id=sku.pk, quantity=99) == 99
    with pytest.raises(QuantityInvalid):
        services.cart_set_quantity(user=alice, session=None, sku_id=sku.pk, quantity=100)
    assert CartItem.objects.get().quantity == 99


def test_the_line_limit(alice, make_sku, monkeypatch):
    monkeypatch.setattr(services, "MAX_LINES", 2)
    first, second, third = make_sku(), make_sku(), make_sku()
    services.cart_add(user=alice, session=None, sku_id=first.pk)
    services.cart_add(user=alice, session=None, sku_id=second.pk)
    with pytest.raises(CartFull):
        services.cart_add(user=alice, session=None, sku_id=third.pk)
    services.cart_add(user=alice, session=None, sku_id=first.pk)  # an existing line still grows
    assert CartItem.objects.count() == 2


def test_set_quantity_checks_stock_and_audits(alice, make_sku):
    sku = make_sku(stock=4)
    services.cart_add(user=alice, session=None, sku_id=sku.pk)
    with pytest.raises(OutOfStock):
        services.cart_set_quantity(user=alice, session=None, sku_id=sku.pk, quantity=5)
    assert not AuditEvent.objects.filter(target__startswith="cart.").exists()
    services.cart_set_quantity(user=alice, session=None, sku_id=sku.pk, quantity=4)
    item = CartItem.objects.get()
    assert item.quantity == 4
    event = AuditEvent.objects.get(target=f"cart.cartitem:{item.pk}")
    assert event.detail == {"operation": "update"} and event.subject_id == alice.pk
    with pytest.raises(CartLineNotFound):
        services.cart_set_quantity(user=alice, session=None, sku_id=make_sku().pk, quantity=1)


def test_remove_and_clear_are_audited_and_scoped_to_the_owner(alice, bob, make_sku):
    a, b = make_sku(), make_sku()
    for user in (alice, bob):
        services.cart_add(user=user, session=None, sku_id=a.pk)
        services.cart_add(user=user, session=None, sku_id=b.pk)
    item = CartItem.objects.get(user=alice, sku=a)
    services.cart_remove(user=alice, session=None, sku_id=a.pk)
    event = AuditEvent.objects.get(target=f"cart.cartitem:{item.pk}")
    assert event.action == "change" and event.detail == {"operation": "delete"}
    assert event.fields == ["quantity", "sku"]
    with pytest.raises(CartLineNotFound):
        services.cart_remove(user=alice, session=None, sku_id=a.pk)
    assert services.cart_clear(user=alice, session=None) == 1
    assert not CartItem.objects.filter(user=alice).exists()
    assert CartItem.objects.filter(user=bob).count() == 2
    clear = AuditEvent.objects.get(target="cart.cartitem", subject_id=alice.pk)
    assert clear.detail == {"operation": "clear", "lines": 1}


def test_guest_set_remove_clear(make_sku):
    a, b = make_sku(stock=9), make_sku()
    session = SessionStore()
    services.cart_add(user=None, session=session, sku_id=a.pk)
    services.cart_add(user=None, session=session, sku_id=b.pk)
    services.cart_set_quantity(user=None, session=session, sku_id=a.pk, quantity=7)
    assert session[SESSION_KEY] == {str(a.pk): 7, str(b.pk): 1}
    services.cart_remove(user=None, session=session, sku_id=b.pk)
    with pytest.raises(CartLineNotFound):
        services.cart_remove(user=None, session=session, sku_id=b.pk)
    assert services.cart_clear(user=None, session=session) == 1
    assert SESSION_KEY not in session


def test_a_tampered_session_is_ignored(make_sku):
    sku = make_sku()
    session = SessionStore()
    session[SESSION_KEY] = {
        "x": 1,
        "-3": 2,
        str(sku.pk): "many",
        "99999999999999999999999": 1,
        str(sku.pk + 1): 5,
    }
    assert selectors.session_cart(session) == {sku.pk + 1: 5}
    assert selectors.cart_get(user=None, session=session).lines == []  # that SKU does not exist
    session[SESSION_KEY] = ["not", "a", "dict"]
    assert selectors.session_cart(session) == {}


class _Request:
    def __init__(self, session) -> None:
        self.session = session


def test_merge_adds_caps_and_skips(alice, make_sku):
    both = make_sku(stock=10)  # in both carts: quantities add up
    capped = make_sku(stock=3)  # guest asks 2 + member has 2: capped by stock at 3
    off = make_sku(active=False)
    gone = make_sku(stock=0)
    big = make_sku(stock=500)  # 60 + 60 capped at 99
    services.cart_add(user=alice, session=None, sku_id=both.pk, quantity=2)
    services.cart_add(user=alice, session=None, sku_id=capped.pk, quantity=2)
    services.cart_add(user=alice, session=None, sku_id=big.pk, quantity=60)
    session = SessionStore()
    session[SESSION_KEY] = {
        str(both.pk): 3,
        str(capped.pk): 2,
        str(off.pk): 1,
        str(gone.pk): 1,
        str(big.pk): 60,
    }
    assert services.cart_merge_session(request=_Request(session), user=alice) == 3
    got = dict(CartItem.objects.filter(user=alice).values_list("sku_id", "quantity"))
    assert got == {both.pk: 5, capped.pk: 3, big.pk: 99}
    assert SESSION_KEY not in session
    assert AuditEvent.objects.get(target="cart.cartitem").detail == {"operation": "merge", "lines": 3}
    # Merging again changes nothing: the session cart is gone.
    assert services.cart_merge_session(request=_Request(session), user=alice) == 0


def test_merge_never_lowers_a_member_line(alice, make_sku):
    sku = make_sku(stock=5)
    services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=5)
    from candor.catalog.models import Stock

    Stock.objects.filter(sku=sku).update(quantity=1)
    session = SessionStore()
    session[SESSION_KEY] = {str(sku.pk): 1}
    assert services.cart_merge_session(request=_Request(session), user=alice) == 0
    assert CartItem.objects.get().quantity == 5


def test_a_service_is_not_stocked(alice, make_sku):
    sku = make_sku(stock=None)
    sku.product.is_service = True
    sku.product.save()
    assert services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=99) == 99
    line = selectors.cart_get(user=alice, session=None).lines[0]
    assert line.available and line.stock == 99
    session = SessionStore()
    session[SESSION_KEY] = {str(sku.pk): 5}
    services.cart_remove(user=alice, session=None, sku_id=sku.pk)
    assert services.cart_merge_session(request=_Request(session), user=alice) == 1
    assert CartItem.objects.get().quantity == 5
