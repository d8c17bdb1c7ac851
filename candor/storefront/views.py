from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

from candor.catalog import selectors as catalog


def home(request: HttpRequest) -> HttpResponse:
    """The shop window: the top categories and the best sellers — the same for everyone (no
    profile decides what is shown here, C004-04)."""
    lang = get_language()
    roots = [{"slug": node.node.slug, "name": node.node.name(lang)} for node in catalog.category_tree()]
    best = catalog.product_page(catalog.listing_parse(sort="sales", page_size=8), lang=lang)
    return render(request, "storefront/home.html", {"roots": roots, "page": best, "cards": best.items})


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/contact.html")


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: the user centre; later issues add orders, favourites and the privacy centre."""
    return render(request, "storefront/me.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page without the context processors: nothing that could fail again may run here."""
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)
