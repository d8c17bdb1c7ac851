"""Writes of "my data": asking for deletion, and the life of a "download my data" job.

An export job is queued by the person, run by a Huey worker (``tasks.export_job_run``), which
calls the core's ``rights.export`` — the zip of JSON and CSV per data set, the consent history
and the disclosure ledger, and the EXPORT audit row — and reports its progress declaration by
declaration. The zip is sealed under the person's profile key (the one erasure destroys) and
written to a private directory outside static and media, under a random name; the person gets
an inbox message with the link. The link answers only the owner's session, and only until it
expires; then the file is removed (``exports_expire``, every few minutes).
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candor.errors import CandorError
from candor.inbox.services import message_send
from candor.mydata import links, selectors
from candor.mydata.models import ExportJob
from candor.privacy import crypto, rights, taxonomy
from candor.privacy.datamap import KeyClass
from candor.service.services import request_file

logger = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(hours=24)
STALE_AFTER = timedelta(hours=2)  # a job still "in progress" this long after its start died
CONTEXT = "mydata.exportjob.archive"  # binds the sealed file to its purpose (AES-GCM data)
SUFFIX = ".zip.sealed"


class ExportNotFound(CandorError):
    status = 404
    code = "not_found"


class ExportExpired(CandorError):
    status = 410
    code = "export_expired"


class ExportNotReady(CandorError):
    status = 409
    code = "export_not_ready"


def export_dir() -> Path:
    """The private directory of sealed exports: never under static or media."""
    directory = Path(settings.CANDOR_EXPORT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


# --- asking for deletion ----------------------------------------------------------------------


def deletion_request(*, user: Any, data_set: str, category: str = "") -> Any:
    """File a deletion request (``service.request_file``) for a data set the person cannot
    delete on a page of their own, naming it for the privacy officer. An unknown data set, or
    one the person can delete themselves: 400, nothing filed."""
    declaration = selectors.data_set_for(data_set) if data_set else None
    if declaration is None or not declaration.fields:
        raise CandorError(
            gettext_lazy("Choose the data you want deleted."),
            code="invalid",
            fields={"data_set": [str(gettext_lazy("Unknown data."))]},
        )
    if links.delete_link(data_set)[0]:
        raise CandorError(
            gettext_lazy("You can delete this data yourself: follow the link beside it."),
            code="deletable_yourself",
            fields={"data_set": [str(gettext_lazy("You can delete this data yourself."))]},
        )
    what = declaration.display_label
    if category in taxonomy.CATEGORIES:
        what = f"{what} ({taxonomy.CATEGORIES[category].label})"
    body = _("Please delete my data: %(what)s.") % {"what": what}
    return request_file(user=user, kind="deletion", body=body, channel="web", scope=data_set)


# --- export jobs ------------------------------------------------------------------------------


def export_request(*, user: Any, language: str = "") -> tuple[ExportJob, bool]:
    """Queue a copy of ``user``'s data, labelled in ``language``; returns (job, created). A job
    already in progress is returned instead of starting a second one."""
    running = ExportJob.objects.filter(user_id=user.pk, status__in=ExportJob.ACTIVE).first()
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                user_id=user.pk, language=language or translation.get_language() or "",
                expires_at=timezone.now() + STALE_AFTER + LINK_LIFETIME,
            )  # fmt: skip
    except IntegrityError:  # a concurrent request queued one a moment ago
        running = ExportJob.objects.filter(user_id=user.pk, status__in=ExportJob.ACTIVE).first()
        if running is None:  # …and it has finished since: this request may start one
            return export_request(user=user, language=language)
        return running, False
    from candor.mydata.tasks import export_job_run

    # After commit: the worker must find the row.
    transaction.on_commit(lambda: export_job_run(job.pk))
    return job, True


def export_progress_set(*, job_id: int, progress: int) -> None:
    """Record how far a job is (0–100). Outside any transaction, so the page sees it at once."""
    ExportJob.objects.filter(pk=job_id).update(progress=max(0, min(100, progress)))


def export_run(*, job_id: int) -> ExportJob | None:
    """Run a queued job: build the zip, seal and store it, tell the person. A failure leaves
    the job "failed" (the person can ask again) and no file behind."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        return None  # gone, or another worker has it
    job = ExportJob.objects.get(pk=job_id)
    reported = [0]

    def progress(done: int, total: int) -> None:
        # Reading the data is most of the work: 0–90 %; sealing and storing the rest.
        percent = (90 * done) // total if total else 90
        if percent > reported[0]:
            reported[0] = percent
            export_progress_set(job_id=job_id, progress=percent)

    path: Path | None = None
    try:
        archive = rights.export(
            job.user_id, language=job.language or None, actor_id=job.user_id, progress=progress
        )
        export_progress_set(job_id=job_id, progress=95)
        path = _store(job, archive)
        now = timezone.now()
        with transaction.atomic():
            ExportJob.objects.filter(pk=job_id).update(
                status=ExportJob.Status.READY, progress=100, archive=path.name, size=len(archive),
                finished_at=now, expires_at=now + LINK_LIFETIME,
            )  # fmt: skip
            job.refresh_from_db()
            _tell_owner(job)
    except Exception:
        logger.exception("export job %s failed", job_id)
        if path is not None:
            path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())
        return ExportJob.objects.get(pk=job_id)
    return job


def _store(job: ExportJob, archive: bytes) -> Path:
    sealed = crypto.encrypt_value(
        base64.b64encode(archive).decode("ascii"),
        subject_id=job.user_id, key_class=KeyClass.PROFILE, context=CONTEXT,
    )  # fmt: skip
    path = export_dir() / f"{secrets.token_urlsafe(24)}{SUFFIX}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(sealed)
    return path


def download_path(job: ExportJob) -> str:
    return reverse("mydata:download", args=[job.token])


def _tell_owner(job: ExportJob) -> None:
    with translation.override(job.language or settings.LANGUAGE_CODE):
        until = timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M")
        message_send(
            user_id=job.user_id,
            kind="export_ready",
            title=_("Your copy of your data is ready"),
            body=_(
                "Download it while you are logged in, before %(until)s. After that the link stops "
                "working and the file is deleted; you can ask for a new copy at any time."
            )
            % {"until": until},
            link=download_path(job),
        )


def export_archive(*, user: Any, token: str) -> tuple[ExportJob, bytes]:
    """The zip behind a download link, for its owner only (anyone else: 404 as if it did not
    exist), only while the link lasts (then 410, and the file goes at once)."""
    job = selectors.export_get(user=user, token=token)
    if job is None:
        raise ExportNotFound(gettext_lazy("This download link does not exist."))
    now = timezone.now()
    lapsed = job.status == ExportJob.Status.READY and job.expires_at <= now
    if lapsed or job.status == ExportJob.Status.EXPIRED:
        export_expire(job=job)
        raise ExportExpired(
            gettext_lazy(
                "This download link has expired and its file was deleted. Ask for a new copy of your data."
            )
        )
    if job.status != ExportJob.Status.READY:
        raise ExportNotReady(gettext_lazy("Your copy is not ready yet."))
    sealed = (export_dir() / job.archive).read_text(encoding="ascii") if job.archive else ""
    text = crypto.decrypt(sealed, context=CONTEXT) if sealed else None
    if text is None:
        raise ExportNotFound(gettext_lazy("This download link does not exist."))
    ExportJob.objects.filter(pk=job.pk).update(downloaded_at=now)
    return job, base64.b64decode(text)


def export_expire(*, job: ExportJob) -> None:
    """Delete a job's file and mark it expired."""
    if job.archive:
        (export_dir() / job.archive).unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, archive="")


def exports_expire(*, now: datetime | None = None) -> int:
    """The periodic clean-up: expired links lose their files; jobs stuck "in progress" (a
    worker died) fail, so the person can ask again; files no job points at (the job was erased
    with its account, or swept) are removed. Returns how many files were deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.READY, expires_at__lte=now):
        export_expire(job=job)
        deleted += 1
    ExportJob.objects.filter(status__in=ExportJob.ACTIVE, requested_at__lt=now - STALE_AFTER).update(
        status=ExportJob.Status.FAILED, finished_at=now
    )
    known = set(ExportJob.objects.exclude(archive="").values_list("archive", flat=True))
    # A file is written a moment before its job row names it: leave young ones alone.
    young = (now - timedelta(minutes=10)).timestamp()
    for path in export_dir().glob(f"*{SUFFIX}"):
        if path.name not in known and path.stat().st_mtime < young:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
