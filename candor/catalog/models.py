"""The catalog: merchants (self-operated and third-party, C000-07), a category tree, products
with SKUs (spec options such as colour and capacity), prices as integer fen, stock per SKU and
warehouse/region, images, bilingual texts, a sales counter, and the browsing history ("足迹").

Prices are integer fen so no float ever rounds a price. ``Product.price_fen`` is the lowest
active SKU price, kept in step by ``services`` so that listing by price is an index scan and
never a join. Each listing order (C004-04: sales, price both ways, newest — none of them
personal) has a composite index with and without the category, ending in the primary key so
the order is total and pages never overlap.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _is_zh(lang: str | None) -> bool:
    return (lang or "").lower().startswith("zh")


def pick(lang: str | None, zh: str, en: str) -> str:
    """The text in the requested language; the Chinese one when no English was written."""
    if _is_zh(lang):
        return zh or en
    return en or zh


SPECIAL_GOODS = [
    ("phone_card", _("Phone card (real-name registration)")),
    ("home_customization", _("Whole-house customization")),
    ("phone_insurance", _("Phone insurance (needs the IMEI)")),
]


class Merchant(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", _("Self-operated")
        THIRD_PARTY = "third_party", _("Third-party merchant")

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.THIRD_PARTY)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="merchants", verbose_name=_("merchant staff")
    )

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name_zh

    def name(self, lang: str | None) -> str:
        return pick(lang, self.name_zh, self.name_en)


class Category(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    position = models.IntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name_zh

    def name(self, lang: str | None) -> str:
        return pick(lang, self.name_zh, self.name_en)


_ON_SALE = models.Q(is_active=True)


class Product(models.Model):
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="products", verbose_name=_("merchant")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    # The top of the category's tree (the category itself for a top-level one), kept in step by
    # services (product_create/product_update, category_moved): a top-level category's listing
    # is then an index range scan like a leaf's, not a filter over the whole catalog's order.
    root_category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # the listing indexes below start with it
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("top-level category"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    subtitle_zh = models.CharField(_("subtitle (Chinese)"), max_length=200, blank=True)
    subtitle_en = models.CharField(_("subtitle (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    brand = models.CharField(_("brand"), max_length=64, blank=True)
    # The lowest active SKU price, in fen; kept in step by services.product_update / sku edits.
    price_fen = models.PositiveIntegerField(_("price (fen)"), default=0)
    sales_count = models.PositiveIntegerField(_("sales"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)
    is_service = models.BooleanField(_("service"), default=False)
    # Goods whose order needs more than an address (C000-04/05/06); see orders.special.
    special = models.CharField(_("special goods"), max_length=32, choices=SPECIAL_GOODS, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("-sales_count", "-id")
        # Listings show products on sale only, so the listing indexes are partial (is_active):
        # the filter needs no look at the row, the capped count and deep pages (OFFSET) are
        # covered by the index, and products off sale take no room in them.
        indexes = [
            models.Index(fields=[*prefix, *order], name=name, condition=_ON_SALE)
            for prefix, stem in (
                ((), "catalog"),
                (("category",), "catalog_cat"),
                (("root_category",), "catalog_root"),
            )
            for order, suffix in (
                (("-sales_count", "-id"), "sales"),
                (("price_fen", "id"), "price"),
                (("-created_at", "-id"), "new"),
            )
            for name in [f"{stem}_{suffix}"]
        ] + [
            models.Index(
                fields=["merchant", "-sales_count", "-id"], name="catalog_merchant_sales", condition=_ON_SALE
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def name(self, lang: str | None) -> str:
        return pick(lang, self.name_zh, self.name_en)

    def subtitle(self, lang: str | None) -> str:
        return pick(lang, self.subtitle_zh, self.subtitle_en)

    def description(self, lang: str | None) -> str:
        return pick(lang, self.description_zh, self.description_en)


class Sku(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="skus", verbose_name=_("product")
    )
    code = models.CharField(_("code"), max_length=64, unique=True)
    options = models.JSONField(
        _("options"), default=dict, blank=True
    )  # {"colour": "黑", "capacity": "256GB"}
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ("product", "price_fen", "id")

    def __str__(self) -> str:
        return self.code

    def label(self) -> str:
        return " / ".join(str(v) for v in (self.options or {}).values()) or self.code


class Stock(models.Model):
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="stocks", verbose_name=_("SKU"))
    warehouse = models.CharField(_("warehouse"), max_length=64)
    region = models.CharField(_("region"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["sku", "warehouse"], name="catalog_stock_sku_warehouse")
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.warehouse}"


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image_url = models.CharField(_("image URL or path"), max_length=300)
    position = models.IntegerField(_("position"), default=0)
    alt_zh = models.CharField(_("alt text (Chinese)"), max_length=200, blank=True)
    alt_en = models.CharField(_("alt text (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ("product", "position", "id")

    def __str__(self) -> str:
        return self.image_url

    def alt(self, lang: str | None) -> str:
        return pick(lang, self.alt_zh, self.alt_en)


class BrowsingHistory(models.Model):
    """One row per (user, product): the last time the person looked at it (足迹). Personal
    data, declared in personal_data.py; deletable one by one or all at once. A guest's views
    are not stored at all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="browsing_history",
        verbose_name=_("user"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    viewed_at = models.DateTimeField(_("viewed at"))

    class Meta:
        verbose_name = _("browsing history entry")
        verbose_name_plural = _("browsing history")
        ordering = ("-viewed_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="catalog_history_user_product")
        ]
        indexes = [
            models.Index(fields=["user", "-viewed_at", "-id"], name="catalog_history_user_at"),
            models.Index(fields=["viewed_at"], name="catalog_history_at"),
        ]

    def __str__(self) -> str:
        return f"history #{self.pk}"
