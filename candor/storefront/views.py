from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/home.html")


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/contact.html")


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: the user centre; later issues add orders, favourites and the privacy centre."""
    return render(request, "storefront/me.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page without the context processors: nothing that could fail again may run here."""
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)
