"""Writes to the catalog. Every product change goes through here so that two things stay true:
``Product.price_fen`` is the lowest active SKU price (listing by price is then a plain index
scan), and the search index hears of the change once the transaction has committed
(``candor.search.index.product_indexed`` / ``product_unindexed``), so it never indexes a row
that was rolled back.

Browsing history: recorded for logged-in people only (a guest's views are not stored), one row
per product with the last view time; deleting one entry or all of them really deletes the rows
and leaves an audit event that names no product.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from candor.catalog.errors import ProductInvalid, ProductNotFound, SkuNotFound
from candor.catalog.models import BrowsingHistory, Category, Merchant, Product, Sku, Stock
from candor.privacy import audit, taxonomy
from candor.search import index as search_index

MAX_PRICE_FEN = 100_000_000_00  # one hundred million yuan: above it is a typing error
MAX_ID = 2**31 - 1

PRODUCT_FIELDS = frozenset(
    {
        "merchant", "category", "name_zh", "name_en", "subtitle_zh", "subtitle_en",
        "description_zh", "description_en", "brand", "is_active", "is_service", "special",
    }
)  # fmt: skip


# --- search index hooks --------------------------------------------------------------------


def _index_later(product_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in product_ids})
    if ids:
        transaction.on_commit(lambda: _search_index().product_indexed(product_ids=ids))


def _unindex_later(product_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in product_ids})
    if ids:
        transaction.on_commit(lambda: _search_index().product_unindexed(product_ids=ids))


def _search_index() -> Any:
    """The search app's index (a function so tests can put a recorder in its place)."""
    return search_index


# --- products ------------------------------------------------------------------------------


def _check_price(price_fen: Any, field: str = "price_fen") -> int:
    if isinstance(price_fen, bool) or not isinstance(price_fen, int) or not 0 <= price_fen <= MAX_PRICE_FEN:
        raise ProductInvalid({field: [_("Enter a price in fen from 0 to %(max)s.") % {"max": MAX_PRICE_FEN}]})
    return price_fen


def _product_for_update(product_id: int) -> Product:
    if not isinstance(product_id, int) or not 0 < product_id <= MAX_ID:
        raise ProductNotFound()
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise ProductNotFound()
    return product


def price_refresh(*, product_id: int) -> int:
    """Set the product's price to its lowest active SKU price (0 when none is active)."""
    lowest = Sku.objects.filter(product_id=product_id, is_active=True).aggregate(p=Min("price_fen"))["p"]
    price = int(lowest or 0)
    Product.objects.filter(pk=product_id).exclude(price_fen=price).update(
        price_fen=price, updated_at=timezone.now()
    )
    return price


def _clean_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - PRODUCT_FIELDS
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    clean = dict(values)
    if "name_zh" in clean and not str(clean["name_zh"] or "").strip():
        raise ProductInvalid({"name_zh": [_("Enter the product's Chinese name.")]})
    if "merchant" in clean and not isinstance(clean["merchant"], Merchant):
        raise ProductInvalid({"merchant": [_("Choose a shop.")]})
    if "category" in clean and not isinstance(clean["category"], Category):
        raise ProductInvalid({"category": [_("Choose a category.")]})
    return clean


def _root_of(category_id: int) -> int:
    """The top-level category above a category (itself when it has no parent)."""
    parents = dict(Category.objects.values_list("id", "parent_id"))
    root, depth = category_id, 0
    while parents.get(root) is not None and depth < 32:
        root, depth = parents[root], depth + 1
    return root


@transaction.atomic
def category_moved(*, category_id: int) -> int:
    """After a category got another parent (or none): its products and those of every category
    below it get their new top-level category. Returns the number of products changed."""
    parents = dict(Category.objects.values_list("id", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    subtree, todo = [], [category_id]
    while todo and len(subtree) <= len(parents):
        current = todo.pop()
        subtree.append(current)
        todo.extend(children.get(current, []))
    return Product.objects.filter(category_id__in=subtree).update(root_category_id=_root_of(category_id))


@transaction.atomic
def product_create(
    *,
    merchant: Merchant,
    category: Category,
    name_zh: str,
    skus: Sequence[Mapping[str, Any]] = (),
    name_en: str = "",
    subtitle_zh: str = "",
    subtitle_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    brand: str = "",
    is_active: bool = True,
    is_service: bool = False,
    special: str = "",
    images: Sequence[Mapping[str, Any]] = (),
) -> Product:
    """A product with its SKUs (each ``{"code", "price_fen", "options"?, "is_active"?}``) and
    images; its price is the lowest active SKU price (0 until it has one: the admin adds the
    product first and its SKUs right after, in the same transaction)."""
    fields = _clean_fields(
        {
            "merchant": merchant, "category": category, "name_zh": name_zh, "name_en": name_en,
            "subtitle_zh": subtitle_zh, "subtitle_en": subtitle_en, "description_zh": description_zh,
            "description_en": description_en, "brand": brand, "is_active": is_active,
            "is_service": is_service, "special": special,
        }
    )  # fmt: skip
    fields["root_category_id"] = _root_of(fields["category"].pk)
    product = Product.objects.create(**fields)
    for sku in skus:
        sku_save(product_id=product.pk, **sku)
    for position, image in enumerate(images):
        product.images.create(
            position=image.get("position", position), **{k: v for k, v in image.items() if k != "position"}
        )
    price_refresh(product_id=product.pk)
    product.refresh_from_db()
    _index_later([product.pk])
    return product


@transaction.atomic
def product_update(*, product_id: int, **changes: Any) -> Product:
    """Change a product's own fields (not its price: that follows the SKUs)."""
    product = _product_for_update(product_id)
    clean = _clean_fields(changes)
    for name, value in clean.items():
        setattr(product, name, value)
    if "category" in clean:
        product.root_category_id = _root_of(product.category_id)
    product.save()
    _index_later([product.pk])
    return product


@transaction.atomic
def product_deactivate(*, product_id: int) -> Product:
    """Take a product off sale: it leaves listings and search but its page and history stay."""
    product = _product_for_update(product_id)
    if product.is_active:
        product.is_active = False
        product.save(update_fields=["is_active", "updated_at"])
    _index_later([product.pk])
    return product


@transaction.atomic
def product_delete(*, product_id: int) -> None:
    product = _product_for_update(product_id)
    pk = product.pk
    product.delete()
    _unindex_later([pk])


@transaction.atomic
def sku_save(
    *,
    product_id: int,
    code: str,
    price_fen: int,
    options: Mapping[str, Any] | None = None,
    is_active: bool = True,
) -> Sku:
    """Create or change the SKU with this code, then keep the product's price in step."""
    _check_price(price_fen)
    code = str(code or "").strip()
    if not code or len(code) > 64:
        raise ProductInvalid({"code": [_("Enter a code of at most 64 characters.")]})
    product = _product_for_update(product_id)
    sku = Sku.objects.select_for_update().filter(code=code).first()
    if sku is not None and sku.product_id != product.pk:
        raise ProductInvalid({"code": [_("This code belongs to another product.")]})
    if sku is None:
        sku = Sku(product=product, code=code)
    sku.price_fen = price_fen
    sku.options = dict(options or {})
    sku.is_active = bool(is_active)
    sku.save()
    price_refresh(product_id=product.pk)
    _index_later([product.pk])
    return sku


@transaction.atomic
def sku_deactivate(*, sku_id: int) -> Sku:
    sku = Sku.objects.select_for_update().filter(pk=sku_id).first()
    if sku is None:
        raise SkuNotFound()
    sku.is_active = False
    sku.save(update_fields=["is_active"])
    price_refresh(product_id=sku.product_id)
    _index_later([sku.product_id])
    return sku


@transaction.atomic
def sku_delete(*, sku_id: int) -> None:
    sku = Sku.objects.select_for_update().filter(pk=sku_id).first()
    if sku is None:
        raise SkuNotFound()
    product_id = sku.product_id
    sku.delete()
    price_refresh(product_id=product_id)
    _index_later([product_id])


def product_sales_add(*, product_id: int, quantity: int = 1) -> None:
    """Count sold units in the database (F expression): concurrent orders never lose a sale."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    Product.objects.filter(pk=product_id).update(sales_count=F("sales_count") + quantity)


# --- stock ---------------------------------------------------------------------------------


@transaction.atomic
def stock_set(*, sku_id: int, warehouse: str, quantity: int, region: str = "") -> Stock:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise ProductInvalid({"quantity": [_("Enter a whole number of at least 0.")]})
    warehouse = str(warehouse or "").strip()
    if not warehouse:
        raise ProductInvalid({"warehouse": [_("Name the warehouse.")]})
    if not Sku.objects.filter(pk=sku_id).exists():
        raise SkuNotFound()
    stock, _created = Stock.objects.update_or_create(
        sku_id=sku_id, warehouse=warehouse, defaults={"quantity": quantity, "region": region}
    )
    return stock


@transaction.atomic
def stock_take(*, sku_id: int, warehouse: str, quantity: int) -> bool:
    """Take units from one warehouse if it has them; False (and nothing taken) when it has not.
    One conditional UPDATE, so two buyers never take the last unit twice."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    return bool(
        Stock.objects.filter(sku_id=sku_id, warehouse=warehouse, quantity__gte=quantity).update(
            quantity=F("quantity") - quantity
        )
    )


def stock_return(*, stock_id: int, quantity: int) -> None:
    """Put units back into the warehouse row they were taken from (``stock_take``'s reverse)."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    Stock.objects.filter(pk=stock_id).update(quantity=F("quantity") + quantity)


# --- browsing history (足迹) ---------------------------------------------------------------


def history_record(*, user: Any, product_id: int) -> None:
    """Note that a logged-in person opened a product page; a guest's views are not stored.

    Recording is not audited: the row *is* the person's own activity, and an audit event per
    view would be a second copy of the history that outlives its deletion."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    now = timezone.now()
    updated = BrowsingHistory.objects.filter(user_id=user.pk, product_id=product_id).update(viewed_at=now)
    if not updated:
        # Two tabs opening the same page at once: the unique constraint keeps one row.
        with transaction.atomic():
            BrowsingHistory.objects.bulk_create(
                [BrowsingHistory(user_id=user.pk, product_id=product_id, viewed_at=now)],
                ignore_conflicts=True,
            )


def _audit_history(user: Any, *, rows: int, operation: str) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target="catalog.browsinghistory",
        fields=["product", "viewed_at"],
        purpose=taxonomy.DISPLAY.code,
        detail={"operation": operation, "rows": rows},
    )


@transaction.atomic
def history_delete(*, user: Any, product_id: int) -> int:
    """Delete one entry of the person's own history (by product); 0 when there was none."""
    if not isinstance(product_id, int) or not 0 < product_id <= MAX_ID:
        return 0
    rows, _detail = BrowsingHistory.objects.filter(user_id=user.pk, product_id=product_id).delete()
    if rows:
        _audit_history(user, rows=rows, operation="delete_one")
    return rows


@transaction.atomic
def history_clear(*, user: Any) -> int:
    """Delete the person's whole browsing history."""
    rows, _detail = BrowsingHistory.objects.filter(user_id=user.pk).delete()
    if rows:
        _audit_history(user, rows=rows, operation="delete_all")
    return rows
