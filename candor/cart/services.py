"""Writes to the cart: add, set a quantity, remove, clear, and the merge of a guest's cart at
login (C004-05: the cart is viewed and managed).

One set of rules for guests and members: an addition needs a SKU on sale (the SKU and its
product active) and enough stock; a line holds 1 to ``MAX_LINE_QUANTITY`` units and a cart at
most ``MAX_LINES`` lines. A member's cart is rows (``CartItem``), a guest's is the session's
``{sku id: quantity}``; each function takes both the user and the session and writes to the
one that applies, so the web pages, the API (session or bearer token) and the login merge
share the rules.

Logging (C004-05): the cart row is the log of an addition — ``added_at`` says when — and the
member sees and deletes it as their cart. Removals, clearing, quantity changes and merges are
changes of personal data and append an audit event (ids and field names, never values) in
the same transaction. A guest's cart is logged nowhere.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest

from candor.cart.errors import CartFull, CartLineNotFound, OutOfStock, QuantityInvalid, SkuUnavailable
from candor.cart.models import MAX_LINE_QUANTITY, MAX_LINES, CartItem
from candor.cart.selectors import SESSION_KEY, is_member, session_cart, stock_of, valid_id
from candor.catalog.models import Sku
from candor.privacy import audit, taxonomy

Session = MutableMapping[str, Any]


def _check_quantity(quantity: Any) -> int:
    if not valid_id(quantity) or quantity > MAX_LINE_QUANTITY:
        raise QuantityInvalid()
    return int(quantity)


def _sku_for_sale(sku_id: Any) -> Sku:
    sku = None
    if valid_id(sku_id):
        sku = (
            Sku.objects.select_related("product")
            .filter(pk=sku_id, is_active=True, product__is_active=True)
            .first()
        )
    if sku is None:
        raise SkuUnavailable()
    return sku


def _check_stock(sku: Sku, quantity: int) -> None:
    available = stock_of([sku]).get(sku.pk, 0)
    if quantity > available:
        raise OutOfStock(available)


def _save_session(session: Session, cart: dict[int, int]) -> None:
    # Reassigned, not mutated in place, so the session knows it must be saved.
    session[SESSION_KEY] = {str(sku_id): quantity for sku_id, quantity in cart.items()}


def _lock_owner(user: Any) -> None:
    """Serialize one member's cart writes (the line limit is per member)."""
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()


def _audit(user: Any, *, target: str, operation: str, **detail: Any) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=target,
        fields=["quantity", "sku"],
        purpose=taxonomy.ORDERING.code,
        detail={"operation": operation, **detail},
    )


@transaction.atomic
def cart_add(*, user: Any, session: Session | None, sku_id: int, quantity: int = 1) -> int:
    """Put ``quantity`` more of a SKU into the cart; returns the line's new quantity."""
    quantity = _check_quantity(quantity)
    sku = _sku_for_sale(sku_id)
    if is_member(user):
        _lock_owner(user)
        item = CartItem.objects.filter(user_id=user.pk, sku_id=sku.pk).first()
        current = item.quantity if item else 0
        lines = CartItem.objects.filter(user_id=user.pk).count()
    else:
        assert session is not None, "a guest's cart lives in the session"
        cart = session_cart(session)
        current = cart.get(sku.pk, 0)
        lines = len(cart)
    new = current + quantity
    if new > MAX_LINE_QUANTITY:
        raise QuantityInvalid()
    _check_stock(sku, new)
    if not current and lines >= MAX_LINES:
        raise CartFull()
    if is_member(user):
        if item is None:
            CartItem.objects.create(user_id=user.pk, sku_id=sku.pk, quantity=new)
        else:
            item.quantity = new
            item.save(update_fields=["quantity", "updated_at"])
    else:
        cart[sku.pk] = new
        _save_session(session, cart)  # type: ignore[arg-type]
    return new


@transaction.atomic
def cart_set_quantity(*, user: Any, session: Session | None, sku_id: int, quantity: int) -> int:
    """Set a line's quantity (1 to ``MAX_LINE_QUANTITY``, at most what is in stock)."""
    quantity = _check_quantity(quantity)
    if not valid_id(sku_id):
        raise CartLineNotFound()
    if is_member(user):
        item = CartItem.objects.select_for_update().filter(user_id=user.pk, sku_id=sku_id).first()
        if item is None:
            raise CartLineNotFound()
    else:
        assert session is not None, "a guest's cart lives in the session"
        cart = session_cart(session)
        if sku_id not in cart:
            raise CartLineNotFound()
    _check_stock(_sku_for_sale(sku_id), quantity)
    if is_member(user):
        if item.quantity != quantity:
            item.quantity = quantity
            item.save(update_fields=["quantity", "updated_at"])
            _audit(user, target=f"cart.cartitem:{item.pk}", operation="update")
    else:
        cart[sku_id] = quantity
        _save_session(session, cart)  # type: ignore[arg-type]
    return quantity


@transaction.atomic
def cart_remove(*, user: Any, session: Session | None, sku_id: int) -> None:
    if not valid_id(sku_id):
        raise CartLineNotFound()
    if is_member(user):
        item = CartItem.objects.filter(user_id=user.pk, sku_id=sku_id).first()
        if item is None:
            raise CartLineNotFound()
        _audit(user, target=f"cart.cartitem:{item.pk}", operation="delete")
        item.delete()
        return
    assert session is not None, "a guest's cart lives in the session"
    cart = session_cart(session)
    if cart.pop(sku_id, None) is None:
        raise CartLineNotFound()
    _save_session(session, cart)


@transaction.atomic
def cart_clear(*, user: Any, session: Session | None) -> int:
    """Empty the cart; returns how many lines went."""
    if is_member(user):
        count = CartItem.objects.filter(user_id=user.pk).delete()[0]
        if count:
            _audit(user, target="cart.cartitem", operation="clear", lines=count)
        return int(count)
    if session is None:
        return 0
    count = len(session_cart(session))
    session.pop(SESSION_KEY, None)
    return count


@transaction.atomic
def cart_merge_session(*, request: HttpRequest, user: Any) -> int:
    """Move a guest's session cart into the member's cart at login; returns the lines changed.

    Quantities add up, capped by the stock and by ``MAX_LINE_QUANTITY``; SKUs no longer on
    sale or out of stock are left out, and a full cart takes no new lines. The member's own
    lines are never lowered. The session cart is emptied either way, so it merges only once.
    Login must not fail because of a cart: nothing here raises on a stale or odd session.
    """
    session = getattr(request, "session", None)
    if session is None or not is_member(user):
        return 0
    wanted = session_cart(session)
    session.pop(SESSION_KEY, None)
    if not wanted:
        return 0
    _lock_owner(user)
    skus = (
        Sku.objects.select_related("product")
        .filter(pk__in=list(wanted), is_active=True, product__is_active=True)
        .in_bulk()
    )
    stock = stock_of(skus.values())
    items = {i.sku_id: i for i in CartItem.objects.filter(user_id=user.pk)}
    lines = len(items)
    changed = 0
    for sku_id, quantity in wanted.items():
        if sku_id not in skus:
            continue
        item = items.get(sku_id)
        current = item.quantity if item else 0
        new = min(current + quantity, MAX_LINE_QUANTITY, stock.get(sku_id, 0))
        if new <= current:
            continue
        if item is None:
            if lines >= MAX_LINES:
                continue
            CartItem.objects.create(user_id=user.pk, sku_id=sku_id, quantity=new)
            lines += 1
        else:
            item.quantity = new
            item.save(update_fields=["quantity", "updated_at"])
        changed += 1
    if changed:
        _audit(user, target="cart.cartitem", operation="merge", lines=changed)
    return changed
