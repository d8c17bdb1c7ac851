"""The published documents as JSON, in the request's language, and accepting a policy version.

Apps read the same generated documents as the web pages: the current and archived policy (HTML
fragment and Markdown, exactly as published) and the two lists as structured data built live
from the declarations. Errors answer in the API's one error shape.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.privacy import consent, documents, policy
from candor.privacy.models import PolicyVersion

router = Router(tags=["privacy"])


class VersionOut(Schema):
    number: str
    effective_at: datetime
    published_at: datetime
    significant: bool
    summary: str = Field(description="What changed, in the request's language")


class DocumentOut(Schema):
    kind: str = Field(description="policy, collection_list or sharing_list")
    title: str
    html: str
    markdown: str


class PolicyOut(Schema):
    version: VersionOut | None = Field(description="null before any version is published")
    language: str
    documents: list[DocumentOut]


class ItemOut(Schema):
    label: str
    source: str
    category: str
    category_code: str
    sensitive: bool
    required: bool
    encrypted: bool
    hashed: bool
    retention: str


class FunctionOut(Schema):
    code: str
    label: str
    description: str
    need: str = Field(description="basic, additional or sensitive")
    need_label: str
    basis: str
    items: list[ItemOut]


class CollectionListOut(Schema):
    language: str
    functions: list[FunctionOut]


class SharedDataOut(Schema):
    source: str
    fields: list[str]
    purpose: str
    purpose_code: str
    basis: str
    basis_code: str


class RecipientOut(Schema):
    code: str
    label: str
    description: str
    shares: list[SharedDataOut]


class PartyOut(Schema):
    name: str
    operator: str
    function: str
    data_items: list[str]
    method: str
    policy_url: str
    recipient: str
    recipient_code: str


class SharingListOut(Schema):
    language: str
    recipients: list[RecipientOut]
    third_parties: list[PartyOut]


class AcceptIn(Schema):
    version: str = Field(min_length=1, max_length=32)


class AcceptOut(Schema):
    version: str
    accepted_at: datetime
    still_required: str | None = Field(description="a newer significant version still to accept")


def _lang() -> str:
    return policy.doc_language(get_language())


def _version(version: PolicyVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "effective_at": version.effective_at,
        "published_at": version.published_at,
        "significant": version.significant,
        "summary": policy.summary(version, _lang()),
    }


def _policy(version: PolicyVersion | None) -> dict[str, Any]:
    lang = _lang()
    if version:
        docs = version.documents[lang]
    else:
        docs = {
            kind: {fmt: documents.render(kind, fmt=fmt, lang=lang) for fmt in documents.FORMATS}
            for kind in documents.KINDS
        }
    return {
        "version": _version(version) if version else None,
        "language": lang,
        "documents": [
            {"kind": kind, "title": documents.title(kind), **docs[kind]} for kind in documents.KINDS
        ],
    }


@router.get("/privacy/policy", response=PolicyOut, url_name="privacy_policy", summary="The policy in effect")
def policy_get(request: HttpRequest) -> dict[str, Any]:
    return _policy(policy.current())


@router.get("/privacy/policy/versions", response=list[VersionOut], summary="Every published version")
def versions_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_version(version) for version in policy.versions()]


@router.get(
    "/privacy/policy/versions/{number}",
    response={200: PolicyOut, 404: ErrorOut},
    summary="One archived version, exactly as published",
)
def version_get(request: HttpRequest, number: str) -> dict[str, Any]:
    return _policy(policy.get(number))


@router.get(
    "/privacy/collection-list",
    response=CollectionListOut,
    url_name="privacy_collection_list",
    summary="The personal-information collection list",
)
def collection_list_get(request: HttpRequest) -> dict[str, Any]:
    return {"language": _lang(), **asdict(documents.collection_list())}


@router.get(
    "/privacy/sharing-list",
    response=SharingListOut,
    url_name="privacy_sharing_list",
    summary="The third-party sharing list and the SDK list",
)
def sharing_list_get(request: HttpRequest) -> dict[str, Any]:
    return {"language": _lang(), **asdict(documents.sharing_list())}


@router.post(
    "/privacy/policy/accept",
    response={200: AcceptOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    summary="Accept a policy version",
    description=(
        "Only the version the user is asked to accept or the version in effect can be accepted "
        "(400 `policy_version_not_acceptable` otherwise). Accepting again the version the user's "
        "newest acceptance already names records nothing new."
    ),
)
def policy_accept(request: HttpRequest, payload: AcceptIn) -> dict[str, Any]:
    version = policy.get(payload.version)
    user_id = request.user.pk
    if user_id is None:  # django_auth admits no anonymous user
        raise AuthenticationError
    row = policy.accept(
        user_id=user_id,
        version=version,
        channel=consent.Channel.API,
        evidence={"endpoint": request.path, "version": version.number},
    )
    pending = policy.needs_acceptance(user_id)
    return {"version": version.number, "accepted_at": row.at, "still_required": pending and pending.number}
