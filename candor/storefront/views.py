from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

from candor.catalog import selectors as catalog
from candor.centre import blocks as centre_blocks


def home(request: HttpRequest) -> HttpResponse:
    """The shop window: the top categories and the best sellers — the same for everyone (no
    profile decides what is shown here, C004-04) — and, for a member, the "For you" block."""
    lang = get_language()
    roots = [{"slug": node.node.slug, "name": node.node.name(lang)} for node in catalog.category_tree()]
    best = catalog.product_page(catalog.listing_parse(sort="sales", page_size=8), lang=lang)
    cards = best.items
    # --- 猜你喜欢 / For you (owner: candor.centre) ---
    # Personalized only with the member's consent; otherwise it *is* the best sellers, labelled
    # non-personalized, and the plain best-seller section is not repeated below it.
    for_you = centre_blocks.for_you(request, best_sellers=best.items)
    if for_you is not None and not for_you.personalized:
        cards = []
    # --- end For you ---
    context = {"roots": roots, "page": best, "cards": cards, "for_you": for_you}
    return render(request, "storefront/home.html", context)


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/contact.html")


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: the user centre; later issues add orders, favourites and the privacy centre."""
    return render(request, "storefront/me.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page without the context processors: nothing that could fail again may run here."""
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)
