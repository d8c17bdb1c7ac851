"""The catalog's domain errors: a stable code, a status and a message in the user's language.
Every bad listing parameter (page 0, a negative price, an unknown category) ends here as a
4xx, never as a 500."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


class ProductNotFound(CandorError):
    status = 404
    code = "product_not_found"

    def __init__(self) -> None:
        super().__init__(_("This product was not found."))


class CategoryNotFound(CandorError):
    status = 404
    code = "category_not_found"

    def __init__(self) -> None:
        super().__init__(
            _("This category was not found."), fields={"category": [str(_("Unknown category."))]}
        )


class MerchantNotFound(CandorError):
    status = 404
    code = "merchant_not_found"

    def __init__(self) -> None:
        super().__init__(_("This shop was not found."), fields={"merchant": [str(_("Unknown shop."))]})


class SkuNotFound(CandorError):
    status = 404
    code = "sku_not_found"

    def __init__(self) -> None:
        super().__init__(_("This product option was not found."))


class ListingInvalid(CandorError):
    """A listing parameter out of range: the field and its own message."""

    status = 400
    code = "listing_invalid"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(_("Please check the filters."), fields=fields)


class ProductInvalid(CandorError):
    status = 400
    code = "product_invalid"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(_("Please correct the product."), fields=fields)
