"""The catalog for app clients under ``/api/v1/``: the product list with filters and the
non-personal orders (C004-04), a product, the category tree, a shop, and the caller's own
browsing history. Bad input answers 400 (a value out of range, with the field's message) or
404 (an unknown category, shop or product) in the caller's language — never a 500. Prices are
integer fen here; the web pages take yuan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.catalog import selectors, services
from candor.catalog.json_answer import card_json, json_response

router = Router(tags=["catalog"])

ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ListingIn(Schema):
    category: str | None = Field(
        None, max_length=64, description="A category's slug; its subcategories count too"
    )
    merchant: str | None = Field(None, max_length=64, description="A shop's slug")
    price_min: int | None = Field(None, description="Lowest price in fen")
    price_max: int | None = Field(None, description="Highest price in fen")
    is_service: bool | None = Field(None, description="true: services only; false: goods only")
    sort: str = Field("sales", max_length=16, description="sales (default), price_asc, price_desc or newest")
    page: int = Field(1, description="From 1")
    page_size: int = Field(selectors.DEFAULT_PAGE_SIZE, description=f"1 to {selectors.MAX_PAGE_SIZE}")


class ProductCardOut(Schema):
    """A product as a list shows it. Not named ``CardOut``: OpenAPI names schemas by class
    name, and another app's ``CardOut`` replaced this one in the components."""

    id: int
    name: str
    subtitle: str
    brand: str
    price_fen: int
    price: str
    sales_count: int
    is_service: bool
    merchant: str = Field(description="The shop's slug")
    merchant_name: str
    image_url: str


class PageOut(Schema):
    items: list[ProductCardOut]
    page: int
    page_size: int
    sort: str
    has_next: bool
    total: int = Field(description=f"Exact when total_exact; otherwise at least {selectors.COUNT_CAP}")
    total_exact: bool


class SkuOut(Schema):
    id: int
    code: str
    options: dict[str, Any]
    price_fen: int
    price: str
    stock: int


class ImageOut(Schema):
    url: str
    alt: str


class ProductOut(Schema):
    id: int
    name: str
    name_zh: str
    name_en: str
    subtitle: str
    description: str
    brand: str
    price_fen: int
    price: str
    sales_count: int
    is_service: bool
    merchant: str
    merchant_name: str
    category: str
    category_path: list[str]
    skus: list[SkuOut]
    images: list[ImageOut]


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    children: list[CategoryOut] = []


class MerchantOut(Schema):
    id: int
    slug: str
    name: str
    kind: str


class HistoryOut(Schema):
    product: ProductCardOut
    viewed_at: datetime


@router.get("/products", response={200: PageOut, **ERRORS}, summary="Products, filtered and sorted")
def product_list(request: HttpRequest, filters: Query[ListingIn]) -> HttpResponse:
    listing = selectors.listing_parse(**filters.model_dump())
    page = selectors.product_page(listing, lang=get_language())
    return json_response(
        {
            "items": [card_json(c) for c in page.items],
            "page": listing.page,
            "page_size": listing.page_size,
            "sort": listing.sort,
            "has_next": page.has_next,
            "total": page.total,
            "total_exact": page.total_exact,
        }
    )


@router.get("/products/history", response={200: list[HistoryOut], 401: ErrorOut}, auth=django_auth)
def history_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's browsing history (足迹), newest first."""
    entries = selectors.history_list(user=request.user, lang=get_language())
    return [{"product": card_json(e.card), "viewed_at": e.viewed_at} for e in entries]


@router.delete("/products/history", response={204: None, 401: ErrorOut}, auth=django_auth)
def history_clear(request: HttpRequest) -> Status[None]:
    """Delete the caller's whole browsing history."""
    services.history_clear(user=request.user)
    return Status(204, None)


@router.delete("/products/history/{int:product_id}", response={204: None, 401: ErrorOut}, auth=django_auth)
def history_delete(request: HttpRequest, product_id: int) -> Status[None]:
    """Delete one product from the caller's browsing history."""
    services.history_delete(user=request.user, product_id=product_id)
    return Status(204, None)


@router.get("/products/{int:product_id}", response={200: ProductOut, 404: ErrorOut}, summary="One product")
def product_get(request: HttpRequest, product_id: int) -> dict[str, Any]:
    lang = get_language()
    d = selectors.product_get(product_id=product_id, lang=lang)
    services.history_record(user=request.user, product_id=d.product.pk)
    p = d.product
    return {
        "id": p.pk, "name": d.name, "name_zh": p.name_zh, "name_en": p.name_en,
        "subtitle": d.subtitle, "description": d.description, "brand": p.brand,
        "price_fen": p.price_fen, "price": d.price, "sales_count": p.sales_count,
        "is_service": p.is_service, "merchant": d.merchant.slug if d.merchant else "",
        "merchant_name": d.merchant.name(lang) if d.merchant else "",
        "category": d.category.slug if d.category else "",
        "category_path": [c.slug for c in d.breadcrumbs],
        "skus": [
            {"id": s.id, "code": s.code, "options": s.options, "price_fen": s.price_fen,
             "price": s.price, "stock": s.stock}
            for s in d.skus
        ],
        "images": [{"url": i.image_url, "alt": i.alt(lang)} for i in d.images],
    }  # fmt: skip


@router.get("/categories", response=list[CategoryOut], summary="The category tree")
def category_tree(request: HttpRequest) -> list[dict[str, Any]]:
    lang = get_language()

    def out(node: selectors.TreeNode) -> dict[str, Any]:
        n = node.node
        return {"id": n.id, "slug": n.slug, "name": n.name(lang), "children": [out(c) for c in node.children]}

    return [out(n) for n in selectors.category_tree()]


@router.get("/merchants/{slug}", response={200: MerchantOut, 404: ErrorOut}, summary="A shop")
def merchant_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    m = selectors.merchant_by_slug(slug)
    return {"id": m.id, "slug": m.slug, "name": m.name(get_language()), "kind": m.kind}
