"""The refusals of checkout and of the order lifecycle: each a stable code and a message in the
user's language naming the field at fault. A refused checkout has reserved and charged nothing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


class CartEmpty(CandorError):
    status = 400
    code = "cart_empty"

    def __init__(self) -> None:
        super().__init__(_("Your cart is empty. Add something before you check out."))


class CheckoutInvalid(CandorError):
    """One or more fields of the checkout form are wrong; ``fields`` names each."""

    status = 400
    code = "checkout_invalid"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(_("Please correct the highlighted fields."), fields=fields)


class LineUnavailable(CandorError):
    """A line is off sale or short of stock: nothing was reserved."""

    status = 409
    code = "out_of_stock"

    def __init__(self, *, sku_id: int, name: str, available: int) -> None:
        if available <= 0:
            message = _("%(name)s is out of stock.") % {"name": name}
        else:
            message = _("Only %(n)s of %(name)s are left.") % {"n": available, "name": name}
        super().__init__(message, extra={"sku_id": sku_id, "available": max(available, 0)})


class PriceChanged(CandorError):
    """The total the buyer saw is not the total now: they confirm the new one first."""

    status = 409
    code = "price_changed"

    def __init__(self, *, expected_fen: int, total_fen: int) -> None:
        super().__init__(
            _("Prices changed since you looked: the total is now ¥%(total)s. Please review and confirm.")
            % {"total": f"{total_fen // 100}.{total_fen % 100:02d}"},  # whole fen, no float
            extra={"expected_total_fen": expected_fen, "total_fen": total_fen},
        )


class IdempotencyKeyInvalid(CandorError):
    status = 400
    code = "idempotency_key_invalid"

    def __init__(self) -> None:
        super().__init__(_("The request's idempotency key must be 8 to 64 letters, digits, '-' or '_'."))


class OrderNotFound(CandorError):
    """Also the answer for someone else's order: whether it exists is not theirs to know."""

    status = 404
    code = "order_not_found"

    def __init__(self) -> None:
        super().__init__(_("No such order."))


class OrderStateInvalid(CandorError):
    status = 409
    code = "order_state"

    def __init__(self, message: Any) -> None:
        super().__init__(message)
