"""The cart's refusals: each a stable code and a message in the user's language, naming the
field at fault, so the product page, the cart page and the API say the same thing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candor.cart.models import MAX_LINE_QUANTITY, MAX_LINES
from candor.errors import CandorError


class SkuUnavailable(CandorError):
    """The SKU does not exist, or it or its product is off sale (one answer for both)."""

    status = 400
    code = "sku_unavailable"

    def __init__(self) -> None:
        message = _("This item is not on sale.")
        super().__init__(message, fields={"sku": [str(message)]})


class OutOfStock(CandorError):
    status = 400
    code = "out_of_stock"

    def __init__(self, available: int) -> None:
        if available <= 0:
            message = _("This item is out of stock.")
        else:
            message = _("Only %(n)s of this item are in stock.") % {"n": available}
        super().__init__(message, fields={"quantity": [str(message)]}, extra={"available": max(available, 0)})


class QuantityInvalid(CandorError):
    status = 400
    code = "quantity_invalid"

    def __init__(self) -> None:
        message = _("Enter a quantity from 1 to %(max)s.") % {"max": MAX_LINE_QUANTITY}
        super().__init__(message, fields={"quantity": [str(message)]})


class CartFull(CandorError):
    status = 400
    code = "cart_full"

    def __init__(self) -> None:
        super().__init__(
            _("Your cart can hold at most %(n)s different items. Remove one before adding another.")
            % {"n": MAX_LINES}
        )


class CartLineNotFound(CandorError):
    status = 404
    code = "cart_line_not_found"

    def __init__(self) -> None:
        super().__init__(_("This item is not in your cart."))
