"""The address book pages under 我的 (C003-18, C004-21: view, add, correct and delete one's
addresses). Lists show the mobile masked (C001-22); the edit form shows the owner everything.
Each page calls a selector or a service and renders; an address that is not the visitor's is
a 404 page, like one that does not exist (the error page middleware renders it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from candor.addresses import selectors, services
from candor.addresses.errors import AddressInvalid, AddressLimitReached
from candor.addresses.forms import AddressForm, initial_of
from candor.errors import CandorError


def _rows(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "address": address,
            "mobile": selectors.masked_mobile(address),
            "region": selectors.region_text(address),
        }
        for address in selectors.address_list(user=request.user)
    ]


def _list_context(request: HttpRequest) -> dict[str, object]:
    rows = _rows(request)
    return {"rows": rows, "limit": services.ADDRESS_LIMIT, "full": len(rows) >= services.ADDRESS_LIMIT}


@login_required
def address_list(request: HttpRequest) -> HttpResponse:
    return render(request, "addresses/list.html", _list_context(request))


def _form_page(request: HttpRequest, form: AddressForm, *, address_id: int | None) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "addresses/form.html", {"form": form, "address_id": address_id}, status=status)


def _apply_error(form: AddressForm, error: CandorError) -> None:
    form.is_valid()  # build cleaned_data so that add_error can attach the service's messages
    if isinstance(error, AddressInvalid):
        for name, texts in error.fields.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, str(error.message))


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, AddressForm(), address_id=None)
    form = AddressForm(request.POST)
    try:
        services.address_create(user=request.user, **form.service_values())
    except (AddressInvalid, AddressLimitReached) as error:
        _apply_error(form, error)
        return _form_page(request, form, address_id=None)
    messages.success(request, _("The address was saved."))
    return redirect("addresses:list")


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    if request.method == "GET":
        address = selectors.address_get(user=request.user, address_id=address_id)
        return _form_page(request, AddressForm(initial=initial_of(address)), address_id=address_id)
    form = AddressForm(request.POST)
    try:
        services.address_update(user=request.user, address_id=address_id, **form.service_values())
    except AddressInvalid as error:  # someone else's id is AddressNotFound: the 404 page
        _apply_error(form, error)
        return _form_page(request, form, address_id=address_id)
    messages.success(request, _("The address was saved."))
    return redirect("addresses:list")


@login_required
@require_http_methods(["GET", "POST"])
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    if request.method == "GET":
        address = selectors.address_get(user=request.user, address_id=address_id)
        context = {"address": address, "region": selectors.region_text(address)}
        return render(request, "addresses/confirm_delete.html", context)
    services.address_delete(user=request.user, address_id=address_id)
    messages.success(request, _("The address was deleted."))
    return redirect("addresses:list")


@login_required
@require_POST
def address_set_default(request: HttpRequest, address_id: int) -> HttpResponse:
    services.address_set_default(user=request.user, address_id=address_id)
    if request.headers.get("HX-Request"):
        # htmx swaps just the list; without JavaScript the form posts and the page reloads.
        return render(request, "addresses/_list.html", _list_context(request))
    messages.success(request, _("The default address was changed."))
    return redirect("addresses:list")
