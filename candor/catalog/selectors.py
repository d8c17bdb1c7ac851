"""Reads of the catalog: the product list with its filters and non-personal orderings
(C004-04: sales, price up, price down, newest — the same for everyone, never from a person's
traits), product pages, the category tree, merchants and the browsing history.

Speed at 100k products: every order has a partial composite index on the products on sale
(see models) ending in the primary key, so a page is an index range scan: by category for a
leaf, by the denormalized top-level category for a root, over everything otherwise. Deep
pages find their ids by the index alone (OFFSET never touches the table) and then read those
rows. The total is counted up to ``COUNT_CAP`` only (``SELECT COUNT(*) FROM (… LIMIT cap)``,
covered by the same partial indexes), so a broad listing never counts all 100k rows; above
the cap the page says "more than 2000". The category tree and the merchants come from
``reference`` (cached per process), so a list page costs three queries — the products, their
first images and the capped count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet, Sum
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, trans_real
from django.utils.translation import gettext as _

from candor.catalog import listing_sql
from candor.catalog.errors import ListingInvalid, ProductNotFound
from candor.catalog.models import BrowsingHistory, Product, ProductImage, Sku, _is_zh
from candor.catalog.reference import (  # noqa: F401 - selectors stays the catalog's one read API
    CategoryNode,
    MerchantRef,
    Reference,
    TreeNode,
    category_by_slug,
    category_tree,
    fresh_on_miss,
    merchant_by_slug,
    reference,
    reference_changed,
)
from candor.money import price_text

SORTS: dict[str, tuple[str, ...]] = {
    "sales": ("-sales_count", "-id"),
    "price_asc": ("price_fen", "id"),
    "price_desc": ("-price_fen", "-id"),
    "newest": ("-created_at", "-id"),
}
DEFAULT_SORT = "sales"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 60
MAX_PAGE = 1000
COUNT_CAP = 2_000
MAX_PRICE_FEN = 100_000_000_00
MAX_ID = 2**31 - 1


# --- the product list ----------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """Validated listing parameters."""

    category: CategoryNode | None = None
    merchant: MerchantRef | None = None
    price_min: int | None = None
    price_max: int | None = None
    is_service: bool | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _int(raw: Any, name: str, errors: dict[str, list[str]]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        errors[name] = [_("Enter a whole number.")]
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if len(text) > 20 or not text.lstrip("-").isdigit():
        errors[name] = [_("Enter a whole number.")]
        return None
    return int(text)


def _yuan_to_fen(raw: Any, name: str, errors: dict[str, list[str]]) -> int | None:
    """A price typed in yuan on the web form ("12.8") as fen (1280)."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip().lstrip("¥￥")
    whole, _dot, frac = text.partition(".")
    if len(text) > 16 or not whole.lstrip("-").isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        errors[name] = [_("Enter a price such as 12.80.")]
        return None
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((frac or "0").ljust(2, "0")))


def listing_parse(
    *,
    category: str | None = None,
    merchant: str | None = None,
    price_min: Any = None,
    price_max: Any = None,
    is_service: Any = None,
    sort: str | None = None,
    page: Any = None,
    page_size: Any = None,
    prices_in_yuan: bool = False,
) -> Listing:
    """Check raw listing parameters (query strings or API values): a bad value is a 400 with
    the field's message; an unknown category or shop is a 404."""
    errors: dict[str, list[str]] = {}
    to_price = _yuan_to_fen if prices_in_yuan else _int
    low = to_price(price_min, "price_min", errors)
    high = to_price(price_max, "price_max", errors)
    for name, value in (("price_min", low), ("price_max", high)):
        if value is not None and not 0 <= value <= MAX_PRICE_FEN:
            errors[name] = [_("A price cannot be negative or that large.")]
    both = low is not None and high is not None and not {"price_min", "price_max"} & set(errors)
    if both and low > high:  # type: ignore[operator]
        errors["price_max"] = [_("The highest price must not be below the lowest.")]
    number = _int(page, "page", errors)
    if number is not None and not 1 <= number <= MAX_PAGE:
        errors["page"] = [_("Pages are numbered from 1 to %(max)s.") % {"max": MAX_PAGE}]
    size = _int(page_size, "page_size", errors)
    if size is not None and not 1 <= size <= MAX_PAGE_SIZE:
        errors["page_size"] = [_("Show from 1 to %(max)s products per page.") % {"max": MAX_PAGE_SIZE}]
    sort = (sort or "").strip() or DEFAULT_SORT
    if sort not in SORTS:
        errors["sort"] = [_("Sort by sales, price_asc, price_desc or newest.")]
    service: bool | None = None
    if is_service not in (None, ""):
        text = str(is_service).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            service = True
        elif text in {"0", "false", "no", "off"}:
            service = False
        else:
            errors["is_service"] = [_("Enter true or false.")]
    if errors:
        raise ListingInvalid(errors)
    return Listing(
        category=category_by_slug(category) if category else None,
        merchant=merchant_by_slug(merchant) if merchant else None,
        price_min=low,
        price_max=high,
        is_service=service,
        sort=sort,
        page=number or 1,
        page_size=size or DEFAULT_PAGE_SIZE,
    )


@dataclass(slots=True)
class Card:
    """One product as a list shows it, in the reader's language. Not frozen: a frozen
    dataclass sets each field through ``object.__setattr__``, 12 µs a card against 1 µs, and
    a list makes 20 of them per request. What only a web page shows — the two links and the
    "12 sold" text, in the language active then — is worked out when read (``card_links``,
    ``sold_text``), so the API's answers, which never read them, do not pay for them."""

    id: int
    name: str
    subtitle: str
    brand: str
    price_fen: int
    price: str
    sales_count: int
    is_service: bool
    merchant_slug: str
    merchant_name: str
    merchant_kind: str
    image_url: str
    image_alt: str

    @property
    def url(self) -> str:
        """The product's page."""
        return f"{card_links()[0]}{self.id}/"

    @property
    def merchant_url(self) -> str:
        """The shop's page ("" for a shop the reference no longer knows)."""
        return f"{card_links()[1]}{self.merchant_slug}/" if self.merchant_slug else ""

    @property
    def sold(self) -> str:
        """ "12 sold", in the reader's language."""
        return sold_text(self.sales_count)


def sold_text(sales: int, ngettext: Callable[[str, str, int], str] | None = None) -> str:
    """ "12 sold" in the active language; ``ngettext``: the active catalog's, when a caller
    writing many cards looked it up once (``trans_real.catalog().ngettext``)."""
    ngettext = ngettext or trans_real.catalog().ngettext
    return ngettext("%(n)s sold", "%(n)s sold", sales) % {"n": sales}


@dataclass(frozen=True)
class Page:
    items: list[Card]
    listing: Listing
    total: int  # exact when total_exact, else at least COUNT_CAP
    total_exact: bool
    has_next: bool

    @property
    def page(self) -> int:
        return self.listing.page

    @property
    def has_previous(self) -> bool:
        return self.listing.page > 1

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.total // self.listing.page_size)))


def _products(listing: Listing) -> QuerySet[Product]:
    ref = reference()
    qs = Product.objects.filter(is_active=True)
    if listing.category is not None:
        node = listing.category
        ids = ref.descendants(node.id)
        if len(ids) == 1:
            qs = qs.filter(category_id=ids[0])  # the (category, order…) index: a range scan
        elif node.parent_id is None:
            # A top-level category: the products carry it (root_category, kept in step by the
            # services), so its page is a range scan of the (root_category, order…) index.
            qs = qs.filter(root_category_id=node.id)
        else:
            # A category in the middle of a deeper tree: walk the order's own index and skip
            # other categories; "+ 0" keeps the planners off the category index, which would
            # fetch every row of the subtree and sort them all.
            qs = qs.alias(_category=F("category_id") + 0).filter(_category__in=ids)
    if listing.merchant is not None:
        qs = qs.filter(merchant_id=listing.merchant.id)
    elif ref.inactive_merchant_ids:
        qs = qs.exclude(merchant_id__in=ref.inactive_merchant_ids)
    if listing.price_min is not None:
        qs = qs.filter(price_fen__gte=listing.price_min)
    if listing.price_max is not None:
        qs = qs.filter(price_fen__lte=listing.price_max)
    if listing.is_service is not None:
        qs = qs.filter(is_service=listing.is_service)
    return qs


_CARD_FIELDS = (
    "id", "merchant_id", "name_zh", "name_en", "subtitle_zh", "subtitle_en", "brand", "price_fen",
    "sales_count", "is_service",
)  # fmt: skip


def card_links() -> tuple[str, str]:
    """ "/products/" and "/products/m/" (or the language's prefix): a card's product link is
    the first and its id, its shop link the second and the shop's slug. Reversed once per URL
    configuration, script prefix and language rather than once per card or request."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())
    found = _prefixes.get(key)
    if found is None:
        detail = reverse("catalog:detail", args=[1])
        merchant = reverse("catalog:merchant", args=["x"])
        found = _prefixes[key] = (detail[: detail.rindex("1/")], merchant[: merchant.rindex("x/")])
    return found


_prefixes: dict[tuple[Any, str, str | None], tuple[str, str]] = {}


def _row(p: Any) -> tuple:
    """A card's columns (``listing_sql.CARD_COLUMNS``) from a dict of ``_CARD_FIELDS`` or a
    Product loaded with them."""
    if isinstance(p, tuple):
        return p
    if isinstance(p, dict):
        return tuple(p[f] for f in _CARD_FIELDS)
    return tuple(getattr(p, f) for f in _CARD_FIELDS)


def cards(products: Iterable[Any], *, lang: str | None, ref: Reference | None = None) -> list[Card]:
    """Products (rows of ``listing_sql.CARD_COLUMNS``, dicts of ``_CARD_FIELDS`` or Product
    objects loaded with them) as cards; their first images in one query. ``ref``: the
    reference the caller already holds (reloaded when it lacks a product's shop)."""
    rows = [_row(p) for p in products]

    def knows(r: Reference) -> bool:
        return all(p[1] in r.merchants for p in rows)

    if ref is None or not knows(ref):
        ref = fresh_on_miss(knows)
    images = listing_sql.first_images([p[0] for p in rows])
    zh = _is_zh(lang)
    merchant_cache: dict[int, tuple[str, str, str]] = {}
    out = []
    for pid, merchant_id, name_zh, name_en, sub_zh, sub_en, brand, price_fen, sales, is_service in rows:
        shown = merchant_cache.get(merchant_id)
        if shown is None:
            merchant = ref.merchants.get(merchant_id)
            shown = (merchant.slug, merchant.name(lang), merchant.kind) if merchant else ("", "", "")
            merchant_cache[merchant_id] = shown
        image = images.get(pid)
        out.append(
            Card(
                id=pid,
                name=(name_zh or name_en) if zh else (name_en or name_zh),
                subtitle=(sub_zh or sub_en) if zh else (sub_en or sub_zh),
                brand=brand,
                price_fen=price_fen,
                price=price_text(price_fen),
                sales_count=sales,
                is_service=bool(is_service),
                merchant_slug=shown[0],
                merchant_name=shown[1],
                merchant_kind=shown[2],
                image_url=image[0] if image else "",
                image_alt=((image[1] or image[2]) if zh else (image[2] or image[1])) if image else "",
            )
        )
    return out


def product_page(listing: Listing, *, lang: str | None) -> Page:
    """One page of the listing: the products (one query), their first images (one query) and
    the capped count (one query, skipped when the page itself shows the end); the statements
    are ``listing_sql``'s.

    A page after the first finds its ids by the order's partial index alone (``id IN (SELECT
    id … LIMIT … OFFSET …)``): the skipped entries are never looked up in the table, so page
    50 costs little more than page 1; the rows of the page are then read by id."""
    ref = reference()
    start = (listing.page - 1) * listing.page_size
    rows, cond, params = listing_sql.page_rows(listing, ref, limit=listing.page_size + 1, offset=start)
    has_next = len(rows) > listing.page_size
    rows = rows[: listing.page_size]
    if not has_next and (rows or listing.page == 1):
        total, exact = start + len(rows), True
    else:
        total = listing_sql.capped_count(cond, params, COUNT_CAP)
        exact = total < COUNT_CAP
    items = cards(rows, lang=lang, ref=ref)
    return Page(items=items, listing=listing, total=total, total_exact=exact, has_next=has_next)


# --- one product -------------------------------------------------------------------------


@dataclass(frozen=True)
class SkuView:
    id: int
    code: str
    options: dict[str, Any]
    label: str
    price_fen: int
    price: str
    stock: int


@dataclass(frozen=True)
class ProductDetail:
    product: Product
    name: str
    subtitle: str
    description: str
    price: str
    merchant: MerchantRef | None
    category: CategoryNode | None
    breadcrumbs: list[CategoryNode]
    skus: list[SkuView]
    images: list[ProductImage]

    @property
    def in_stock(self) -> bool:
        return any(s.stock > 0 for s in self.skus) or self.product.is_service


def product_get(*, product_id: Any, lang: str | None, active_only: bool = True) -> ProductDetail:
    """A product with its active SKUs (each with its total stock) and images: three queries."""
    if isinstance(product_id, bool) or not isinstance(product_id, int) or not 0 < product_id <= MAX_ID:
        raise ProductNotFound()
    qs = Product.objects.prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )
    if active_only:
        qs = qs.filter(is_active=True)
    product = qs.filter(pk=product_id).first()
    if product is None:
        raise ProductNotFound()
    ref = fresh_on_miss(lambda r: product.merchant_id in r.merchants and product.category_id in r.categories)
    skus = [
        SkuView(
            id=s.pk,
            code=s.code,
            options=dict(s.options or {}),
            label=s.label(),
            price_fen=s.price_fen,
            price=price_text(s.price_fen),
            stock=int(s.stock or 0),
        )
        for s in Sku.objects.filter(product_id=product.pk, is_active=True)
        .annotate(stock=Sum("stocks__quantity"))
        .order_by("price_fen", "id")
    ]
    return ProductDetail(
        product=product,
        name=product.name(lang),
        subtitle=product.subtitle(lang),
        description=product.description(lang),
        price=price_text(product.price_fen),
        merchant=ref.merchants.get(product.merchant_id),
        category=ref.categories.get(product.category_id),
        breadcrumbs=ref.ancestors(product.category_id),
        skus=skus,
        images=list(product.images.all()),
    )


def sku_stock(*, sku_id: int, region: str | None = None) -> int:
    """Units of a SKU on hand, over all warehouses or those of one region."""
    qs = Sku.objects.filter(pk=sku_id)
    lookup = "stocks__quantity"
    if region:
        qs = qs.filter(stocks__region=region)
    return int(qs.aggregate(n=Sum(lookup))["n"] or 0)


def sku_get(*, sku_id: int) -> Sku:
    """An active SKU of an active product (for the cart)."""
    from candor.catalog.errors import SkuNotFound

    if isinstance(sku_id, bool) or not isinstance(sku_id, int) or not 0 < sku_id <= MAX_ID:
        raise SkuNotFound()
    sku = (
        Sku.objects.select_related("product")
        .filter(pk=sku_id, is_active=True, product__is_active=True)
        .first()
    )
    if sku is None:
        raise SkuNotFound()
    return sku


def products_by_ids(ids: Sequence[int], *, lang: str | None) -> list[Card]:
    """Cards for the given products in the given order (search results, favorites, history)."""
    wanted = [int(i) for i in ids]
    found = listing_sql.card_rows_by_ids(wanted)
    return cards([found[i] for i in wanted if i in found], lang=lang)


# --- browsing history ----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    card: Card
    viewed_at: Any


def history_list(*, user: Any, lang: str | None, limit: int = 100, offset: int = 0) -> list[HistoryEntry]:
    rows = list(
        BrowsingHistory.objects.filter(user_id=user.pk)
        .order_by("-viewed_at", "-id")
        .values_list("product_id", "viewed_at")[offset : offset + limit]
    )
    by_id = {c.id: c for c in products_by_ids([r[0] for r in rows], lang=lang)}
    return [HistoryEntry(by_id[pid], at) for pid, at in rows if pid in by_id]


def history_count(*, user: Any) -> int:
    return BrowsingHistory.objects.filter(user_id=user.pk).count()
