"""我的—收藏 (C003-05): the member's favorites, follows and share links, each with a delete;
the forms other pages post to (favorite, follow a shop or member, create a share link); and
the public share link ``/s/<token>/`` that redirects to the product.

Member pages and forms need a login (a guest is sent to the login page). Each view parses the
form, calls a service and renders; a refusal (a CandorError) becomes a 4xx page through the
error-page middleware, or, with htmx, a fragment with the message. Forms redirect back to the
page they came from (only our own pages) with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from candor.social import selectors, services
from candor.social.errors import ShareNotFound
from candor.social.models import ShareLink


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 19 else None


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _back(request: HttpRequest, default: str) -> str:
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse(default)


def _done(
    request: HttpRequest, message: str, *, default: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    if _htmx(request):
        return render(request, fragment, {**context, "message": message})
    messages.success(request, message)
    return redirect(_back(request, default))


def _lang() -> str:
    return translation.get_language() or "zh-hans"


# --- Pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def favorites_page(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    rows = [
        {"favorite": f, "name": f.product.name(lang), "url": selectors.product_path(f.product_id)}
        for f in selectors.favorite_list(user=request.user)
    ]
    return render(request, "social/favorites.html", {"rows": rows, "tab": "favorites"})


@login_required
@require_GET
def follows_page(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    merchants = [
        {
            "follow": f,
            "name": f.merchant.name(lang),
            "url": reverse("catalog:merchant", args=[f.merchant.slug]),
        }
        for f in selectors.follow_merchants(user=request.user)
    ]
    members = [
        {"follow": f, "name": selectors.member_display_name(f.member)}
        for f in selectors.follow_members(user=request.user)
    ]
    return render(
        request, "social/follows.html", {"merchants": merchants, "members": members, "tab": "follows"}
    )


def _share_rows(request: HttpRequest) -> list[dict[str, Any]]:
    lang = _lang()
    return [
        {"share": s, "name": s.product.name(lang), "url": selectors.share_url(request, s)}
        for s in selectors.share_list(user=request.user)
    ]


@login_required
@require_GET
def shares_page(request: HttpRequest) -> HttpResponse:
    return render(request, "social/shares.html", {"rows": _share_rows(request), "tab": "shares"})


# --- Favorites --------------------------------------------------------------------------------


@login_required
@require_POST
def favorite_add(request: HttpRequest) -> HttpResponse:
    product_id = _int(request.POST.get("product")) or 0
    _favorite, created = services.favorite_add(user=request.user, product_id=product_id)
    message = _("Added to your favorites.") if created else _("This is already in your favorites.")
    return _done(
        request, message, default="social:favorites", fragment="social/_favorite_button.html",
        context={"product_id": product_id, "favorited": True},
    )  # fmt: skip


@login_required
@require_POST
def favorite_remove(request: HttpRequest) -> HttpResponse:
    product_id = _int(request.POST.get("product")) or 0
    services.favorite_remove(user=request.user, product_id=product_id)
    return _done(
        request, _("Removed from your favorites."), default="social:favorites",
        fragment="social/_favorite_button.html", context={"product_id": product_id, "favorited": False},
    )  # fmt: skip


# --- Follows ----------------------------------------------------------------------------------


def _follow(request: HttpRequest, *, kind: str, add: bool) -> HttpResponse:
    target_id = _int(request.POST.get(kind)) or 0
    target = {"merchant_id": target_id} if kind == "merchant" else {"member_id": target_id}
    if add:
        _follow_row, created = services.follow_add(user=request.user, **target)
        message = _("You follow this now.") if created else _("You already follow this.")
    else:
        services.follow_remove(user=request.user, **target)
        message = _("You no longer follow this.")
    return _done(
        request, message, default="social:follows", fragment="social/_follow_button.html",
        context={"kind": kind, "target_id": target_id, "following": add},
    )  # fmt: skip


@login_required
@require_POST
def follow_merchant(request: HttpRequest) -> HttpResponse:
    return _follow(request, kind="merchant", add=True)


@login_required
@require_POST
def unfollow_merchant(request: HttpRequest) -> HttpResponse:
    return _follow(request, kind="merchant", add=False)


@login_required
@require_POST
def follow_member(request: HttpRequest) -> HttpResponse:
    return _follow(request, kind="member", add=True)


@login_required
@require_POST
def unfollow_member(request: HttpRequest) -> HttpResponse:
    return _follow(request, kind="member", add=False)


# --- Share links ------------------------------------------------------------------------------


@login_required
@require_POST
def share_create(request: HttpRequest) -> HttpResponse:
    share = services.share_create(
        user=request.user,
        product_id=_int(request.POST.get("product")) or 0,
        channel=str(request.POST.get("channel") or ShareLink.Channel.COPY)[:16],
    )
    context = {
        "share": share,
        "url": selectors.share_url(request, share),
        "name": share.product.name(_lang()),
    }
    template = "social/_share_link.html" if _htmx(request) else "social/share_created.html"
    return render(request, template, context, status=201)


@login_required
@require_POST
def share_delete(request: HttpRequest, share_id: int) -> HttpResponse:
    services.share_delete(user=request.user, share_id=share_id)
    if _htmx(request):
        return render(request, "social/_shares.html", {"rows": _share_rows(request)})
    messages.success(request, _("The share link was deleted; it no longer opens."))
    return redirect("social:shares")


@never_cache
@require_GET
def share_open(request: HttpRequest, token: str) -> HttpResponse:
    """The public link: counts the visit and redirects to the product. Nothing about the
    visitor is stored, and the product URL carries nothing about the sharer."""
    try:
        product_id = services.share_open(token=token)
    except ShareNotFound as error:
        context = {"status": 404, "code": error.code, "message": str(error.message)}
        return render(request, "candor_error.html", context, status=404)
    response = redirect(selectors.product_path(product_id))
    response["Referrer-Policy"] = "no-referrer"
    return response
