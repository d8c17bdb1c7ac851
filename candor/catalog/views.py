"""The catalog's pages: the product list with sort tabs, filters and pages (/products/), a
category's page, a shop's page, a product's page, and the person's browsing history (足迹).

Sorting offers only the non-personal orders (C004-04): sales, price up, price down, newest.
Each view parses the query with the selector's checks (a bad filter is a 400 page with the
field's message; an unknown category or shop is the 404 page) and renders.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candor.catalog import selectors, services
from candor.catalog.errors import ListingInvalid
from candor.catalog.templatetags.catalog import query_with

SORT_TABS = (
    ("sales", "sort-sales"),
    ("price_asc", "sort-price-asc"),
    ("price_desc", "sort-price-desc"),
    ("newest", "sort-newest"),
)


def _sort_labels() -> dict[str, str]:
    return {
        "sales": _("Sales"),
        "price_asc": _("Price ↑"),
        "price_desc": _("Price ↓"),
        "newest": _("Newest"),
    }


def sort_tabs(current_sort: str, *, first: tuple[str, str, str] | None = None) -> list[dict[str, Any]]:
    """The tabs of the non-personal orders (C004-04); ``first`` (key, test id, label) puts
    another order before them — the search page's relevance."""
    labels = _sort_labels()
    tabs = [(key, testid, labels[key]) for key, testid in SORT_TABS]
    return [
        {"key": key, "testid": testid, "label": label, "current": key == current_sort}
        for key, testid, label in ([first] if first else []) + tabs
    ]


def _listing_page(
    request: HttpRequest,
    *,
    template: str,
    category: str | None = None,
    merchant: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    get = request.GET
    lang = get_language()
    context: dict[str, Any] = dict(extra or {})
    try:
        listing = selectors.listing_parse(
            category=category if category is not None else (get.get("category") or None),
            merchant=merchant if merchant is not None else (get.get("merchant") or None),
            price_min=get.get("price_min"),
            price_max=get.get("price_max"),
            is_service=get.get("service"),
            sort=get.get("sort"),
            page=get.get("page"),
            prices_in_yuan=True,
        )
    except ListingInvalid as error:
        context.update(errors=error.fields, error=error.message, page=None, lang=lang)
        context.update(_chrome(request, current_sort=selectors.DEFAULT_SORT, listing=None))
        return render(request, template, context, status=400)
    page = selectors.product_page(listing, lang=lang)
    context.update(page=page, listing=listing, lang=lang, errors={}, error="")
    # Written here rather than by {% blocktranslate %}, a tenth of the grid's time.
    n = page.total
    context["count_text"] = (
        ngettext("%(n)s product", "%(n)s products", n) % {"n": n}
        if page.total_exact
        else _("More than %(n)s products") % {"n": n}
    )
    context["page_text"] = _("Page %(n)s") % {"n": page.page}
    context.update(_chrome(request, current_sort=listing.sort, listing=listing))
    # The pager's and the sort tabs' links, written here rather than by a template tag each.
    context["previous_href"] = query_with(request, page=page.page - 1) if page.has_previous else ""
    context["next_href"] = query_with(request, page=page.page + 1) if page.has_next else ""
    for tab in context["sort_tabs"]:
        tab["href"] = query_with(request, sort=tab["key"])
    return render(request, template, context)


def _category_prefix() -> str:
    """ "/products/c/" in the current language's URLs: reversed once per URL configuration,
    script prefix and language, not once per link or page."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())
    prefix = _category_prefixes.get(key)
    if prefix is None:
        url = reverse("catalog:category", args=["x"])
        prefix = _category_prefixes[key] = url[: url.rindex("x/")]
    return prefix


_category_prefixes: dict[tuple[Any, str, str | None], str] = {}


def _chrome(request: HttpRequest, *, current_sort: str, listing: Any) -> dict[str, Any]:
    lang = get_language()
    prefix = _category_prefix()
    ref = selectors.reference()
    roots = [ref.categories[i] for i in ref.children.get(None, [])]  # the tree's first level
    return {
        "sort_tabs": sort_tabs(current_sort),
        "roots": [{"slug": n.slug, "name": n.name(lang), "url": f"{prefix}{n.slug}/"} for n in roots],
        "form": {
            "category": request.GET.get("category", ""),
            "price_min": request.GET.get("price_min", ""),
            "price_max": request.GET.get("price_max", ""),
            "service": request.GET.get("service", ""),
            "sort": current_sort,
        },
    }


def product_list(request: HttpRequest) -> HttpResponse:
    return _listing_page(request, template="catalog/list.html", extra={"heading": _("All products")})


def category_page(request: HttpRequest, slug: str) -> HttpResponse:
    lang = get_language()
    node = selectors.category_by_slug(slug)  # unknown: the 404 page
    ref = selectors.reference()
    prefix = _category_prefix()
    extra = {
        "heading": node.name(lang),
        "category": node,
        "breadcrumbs": [
            {"slug": c.slug, "name": c.name(lang), "url": f"{prefix}{c.slug}/"}
            for c in ref.ancestors(node.id)
        ],
        "subcategories": [
            {
                "slug": ref.categories[i].slug,
                "name": ref.categories[i].name(lang),
                "url": f"{prefix}{ref.categories[i].slug}/",
            }
            for i in ref.children.get(node.id, [])
        ],
    }
    return _listing_page(request, template="catalog/list.html", category=slug, extra=extra)


def merchant_page(request: HttpRequest, slug: str) -> HttpResponse:
    lang = get_language()
    merchant = selectors.merchant_by_slug(slug)
    extra = {"heading": merchant.name(lang), "merchant": merchant, "merchant_name": merchant.name(lang)}
    return _listing_page(request, template="catalog/merchant.html", merchant=slug, extra=extra)


def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    lang = get_language()
    detail = selectors.product_get(product_id=product_id, lang=lang)
    services.history_record(user=request.user, product_id=detail.product.pk)
    return render(
        request,
        "catalog/detail.html",
        {
            "d": detail,
            "lang": lang,
            "merchant_name": detail.merchant.name(lang) if detail.merchant else "",
            "breadcrumbs": [{"slug": c.slug, "name": c.name(lang)} for c in detail.breadcrumbs],
        },
    )


@login_required
def history_page(request: HttpRequest) -> HttpResponse:
    entries = selectors.history_list(user=request.user, lang=get_language())
    return render(request, "catalog/history.html", {"entries": entries})


@login_required
@require_POST
def history_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    services.history_delete(user=request.user, product_id=product_id)
    messages.success(request, _("The entry was removed from your browsing history."))
    return redirect("catalog:history")


@login_required
@require_POST
def history_clear(request: HttpRequest) -> HttpResponse:
    services.history_clear(user=request.user)
    messages.success(request, _("Your browsing history was cleared."))
    return redirect("catalog:history")
