"""The "my data" API, mirroring the pages: ``/api/v1/me/data`` (what is held, by category),
``/me/data/export`` (a copy, prepared in the background; poll it, then download), and
``/me/disclosures`` (who received my data). Owner only: someone else's download link answers
404 exactly like a missing one; an expired link 410."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.mydata import ledger, selectors, services
from candor.mydata.models import ExportJob

router = Router(tags=["mydata"], auth=django_auth)


class ColumnOut(Schema):
    name: str
    label: str


class RecordOut(Schema):
    id: int
    values: dict[str, str] = Field(description="Field name -> value as shown (masked where declared)")


class DataSetOut(Schema):
    key: str = Field(description="The data set's name, e.g. addresses.address")
    label: str
    total: int
    columns: list[ColumnOut]
    records: list[RecordOut] = Field(description=f"The newest {selectors.ROWS_SHOWN}; the export has all")
    correct_url: str
    delete_url: str = Field(description='The page where you delete it yourself; "" if none')
    can_request_deletion: bool
    kept_by_law: bool


class CategoryOut(Schema):
    code: str
    label: str
    sensitive: bool
    data_sets: list[DataSetOut]


class MyDataOut(Schema):
    categories: list[CategoryOut]


class DeletionIn(Schema):
    data_set: str = Field(max_length=100, description="A data set's key from GET /me/data")
    category: str = Field("", max_length=32)


class RequestOut(Schema):
    id: int
    kind: str
    status: str
    due_at: datetime


class ExportOut(Schema):
    status: str = Field(description="queued, running, ready, failed or expired")
    progress: int
    requested_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When the download link stops working")
    download_url: str = Field(description="While ready: GET it with your session to get the zip")


class DisclosureOut(Schema):
    at: datetime
    recipient: str
    recipient_label: str
    fields: list[str]
    field_labels: list[str]
    purpose: str
    purpose_label: str
    basis: str
    basis_label: str
    record_kind: str
    record_number: str


class DisclosuresOut(Schema):
    count: int
    page: int
    pages: int
    items: list[DisclosureOut]


@router.get(
    "/me/data",
    response={200: MyDataOut, 401: ErrorOut},
    url_name="my_data",  # opens /me/data/… while a policy waits (privacy/middleware.py)
    summary="Everything held about me",
)
def my_data(request: HttpRequest) -> dict[str, Any]:
    return {
        "categories": [
            {
                "code": category.code, "label": category.label, "sensitive": category.sensitive,
                "data_sets": [
                    {
                        "key": s.key, "label": s.label, "total": s.total,
                        "columns": [{"name": c.name, "label": c.label} for c in s.columns],
                        "records": [{"id": r.id, "values": r.as_dict(s.columns)} for r in s.records],
                        "correct_url": s.correct_url, "delete_url": s.delete_url,
                        "can_request_deletion": s.can_request_deletion, "kept_by_law": s.kept_by_law,
                    }
                    for s in category.data_sets
                ],
            }
            for category in selectors.my_data(user=request.user)
        ]
    }  # fmt: skip


@router.post(
    "/me/data/deletion-requests", response={201: RequestOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Ask for deletion of data I cannot delete myself",
)  # fmt: skip
def deletion_request(request: HttpRequest, payload: DeletionIn) -> Status[dict[str, Any]]:
    filed = services.deletion_request(user=request.user, data_set=payload.data_set, category=payload.category)
    return Status(201, {"id": filed.pk, "kind": filed.kind, "status": filed.status, "due_at": filed.due_at})


def _export_out(job: ExportJob) -> dict[str, Any]:
    ready = job.status == ExportJob.Status.READY and job.expires_at > timezone.now()
    return {
        "status": job.status if ready or job.status != ExportJob.Status.READY else ExportJob.Status.EXPIRED,
        "progress": job.progress,
        "requested_at": job.requested_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at if ready else None,
        "download_url": services.download_path(job) if ready else "",
    }


@router.get(
    "/me/data/export", response={200: ExportOut, 401: ErrorOut, 404: ErrorOut}, summary="My latest copy"
)
def export_get(request: HttpRequest) -> Any:
    job = selectors.export_latest(user=request.user)
    if job is None:
        raise services.ExportNotFound(_("You have not asked for a copy yet."))
    return _export_out(job)


@router.post(
    "/me/data/export", response={202: ExportOut, 401: ErrorOut},
    summary="Prepare a copy of my data (a job already in progress is returned)",
)  # fmt: skip
def export_create(request: HttpRequest) -> Status[dict[str, Any]]:
    job, _created = services.export_request(user=request.user, language=get_language())
    job.refresh_from_db()  # the job may have run already (an inline worker)
    return Status(202, _export_out(job))


@router.get(
    "/me/data/export/{token}",
    response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut},
    summary="Download my copy (zip)",
)  # fmt: skip
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    _job, archive = services.export_archive(user=request.user, token=token)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="candor-my-data.zip"'
    response["Cache-Control"] = "no-store, private"
    return response


@router.get(
    "/me/disclosures",
    response={200: DisclosuresOut, 401: ErrorOut},
    url_name="disclosures",  # open while a policy waits (privacy/middleware.py)
    summary="Who received my data",
)
def disclosures(request: HttpRequest, page: int = 1) -> dict[str, Any]:
    current, rows = ledger.page_of(user=request.user, number=page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "items": [asdict(row) for row in rows],
    }
