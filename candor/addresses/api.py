"""The address book for app clients: ``/api/v1/addresses``. Owner only — another user's id
answers 404 exactly like a missing one. Bad input answers 400 with a message per field (the
same checks and words as the web form); nothing is stored when any field is wrong."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.addresses import selectors, services
from candor.addresses.models import Address
from candor.api.errors import ErrorOut

router = Router(tags=["addresses"], auth=django_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
_CAP = 256  # a ceiling against abuse; the real limits are the service's, with clear messages


class AddressIn(Schema):
    recipient_name: str = Field("", max_length=_CAP)
    mobile: str = Field("", max_length=_CAP, description="A mainland China mobile number, +86 optional")
    province: str = Field("", max_length=_CAP)
    city: str = Field("", max_length=_CAP)
    district: str = Field("", max_length=_CAP)
    detail: str = Field("", max_length=_CAP, description="Street, building and room")
    postal_code: str = Field("", max_length=_CAP)
    landline: str = Field("", max_length=_CAP)
    label: str = Field("", max_length=_CAP, description='"", "home" or "company"')


class AddressCreateIn(AddressIn):
    is_default: bool = False


class AddressUpdateIn(AddressIn):
    is_default: bool | None = Field(None, description="true: make default; false: not default; null: keep")


class AddressOut(Schema):
    id: int
    recipient_name: str
    mobile: str
    province: str
    city: str
    district: str
    detail: str
    postal_code: str
    landline: str
    label: str
    is_default: bool
    created_at: datetime
    updated_at: datetime


class AddressSummaryOut(Schema):
    id: int
    recipient_name: str
    mobile_masked: str = Field(description="Lists show the mobile masked; GET one address for it in full")
    region: str
    detail: str
    label: str
    is_default: bool


def _out(address: Address) -> dict[str, Any]:
    return {
        "id": address.pk,
        "recipient_name": address.recipient_name or "",
        "mobile": address.mobile or "",
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "detail": address.detail or "",
        "postal_code": address.postal_code,
        "landline": address.landline or "",
        "label": address.label,
        "is_default": address.is_default,
        "created_at": address.created_at,
        "updated_at": address.updated_at,
    }


@router.get("/addresses", response={200: list[AddressSummaryOut], 401: ErrorOut}, summary="My addresses")
def address_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "recipient_name": a.recipient_name or "",
            "mobile_masked": selectors.masked_mobile(a),
            "region": selectors.region_text(a),
            "detail": a.detail or "",
            "label": a.label,
            "is_default": a.is_default,
        }
        for a in selectors.address_list(user=request.user)
    ]


@router.post("/addresses", response={201: AddressOut, **ERRORS}, summary="Add an address")
def address_create(request: HttpRequest, payload: AddressCreateIn) -> Status[dict[str, Any]]:
    address = services.address_create(user=request.user, **payload.model_dump())
    return Status(201, _out(address))


@router.get("/addresses/{int:address_id}", response={200: AddressOut, 401: ErrorOut, 404: ErrorOut})
def address_get(request: HttpRequest, address_id: int) -> dict[str, Any]:
    return _out(selectors.address_get(user=request.user, address_id=address_id))


@router.put("/addresses/{int:address_id}", response={200: AddressOut, **ERRORS}, summary="Change an address")
def address_update(request: HttpRequest, address_id: int, payload: AddressUpdateIn) -> dict[str, Any]:
    address = services.address_update(user=request.user, address_id=address_id, **payload.model_dump())
    return _out(selectors.address_get(user=request.user, address_id=address.pk))


@router.delete("/addresses/{int:address_id}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def address_delete(request: HttpRequest, address_id: int) -> Status[None]:
    services.address_delete(user=request.user, address_id=address_id)
    return Status(204, None)


@router.post(
    "/addresses/{int:address_id}/default", response={200: AddressOut, 401: ErrorOut, 404: ErrorOut},
    summary="Make an address the default",
)  # fmt: skip
def address_set_default(request: HttpRequest, address_id: int) -> dict[str, Any]:
    services.address_set_default(user=request.user, address_id=address_id)
    return _out(selectors.address_get(user=request.user, address_id=address_id))
