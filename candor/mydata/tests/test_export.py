"""Download my data: an asynchronous job (Huey, inline in tests) whose progress goes from 0 to
100, a zip of JSON and CSV per data set plus consents and disclosures, a link that works only
for the owner and only until it expires, an inbox message, one job at a time, the file sealed
in a private directory and removed when the link expires."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from candor.inbox.models import Message
from candor.mydata import services
from candor.mydata.models import ExportJob
from candor.mydata.tests.conftest import ALICE_MOBILE, no_inline_code
from candor.privacy import consent, crypto, rights, taxonomy
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_export(django_capture_on_commit_callbacks):
    """POST "prepare a copy" and let the job run (it is queued after commit)."""

    def run(client, lang: str = "zh-hans", *, execute: bool = True, htmx: bool = False):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with django_capture_on_commit_callbacks(execute=execute):
            return client.post(reverse("mydata:export"), HTTP_ACCEPT_LANGUAGE=lang, **headers)

    return run


def open_zip(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    return archive


def test_progress_goes_from_0_to_100_and_the_page_polls_until_ready(
    alice_client, alice, alice_data, request_export, monkeypatch
):
    seen: list[int] = []
    original = services.export_progress_set

    def spy(*, job_id: int, progress: int) -> None:
        seen.append(progress)
        original(job_id=job_id, progress=progress)

    monkeypatch.setattr(services, "export_progress_set", spy)

    # Queued, not yet run: the fragment shows the bar at 0 and polls every second.
    response = request_export(alice_client, execute=False, htmx=True)
    html = response.content.decode()
    job = ExportJob.objects.get(user=alice)
    assert (job.status, job.progress) == ("queued", 0)
    assert 'data-testid="export-progress"' in html and 'value="0"' in html
    assert 'hx-trigger="every 1s"' in html and f'hx-get="{reverse("mydata:export_status")}"' in html

    with crypto.key_scope():
        services.export_run(job_id=job.pk)
    # Real progress, declaration by declaration: rising steps between 0 and 100.
    assert seen == sorted(set(seen)) and len(seen) > 10 and 0 < seen[0] < 20 and seen[-1] == 95
    job.refresh_from_db()
    assert (job.status, job.progress) == ("ready", 100)

    status = alice_client.get(reverse("mydata:export_status")).content.decode()
    assert "hx-trigger" not in status and 'data-state="ready"' in status
    assert f'href="{reverse("mydata:download", args=[job.token])}"' in status
    page = alice_client.get(reverse("mydata:export")).content.decode()
    assert 'data-testid="export-download"' in page
    no_inline_code(page)


@pytest.mark.parametrize(("lang", "mobile_label"), [("zh-hans", "手机号码"), ("en", "mobile number")])
def test_the_zip_holds_json_and_csv_per_data_set_plus_consents_and_disclosures(
    alice_client, alice, alice_data, bob_data, request_export, lang, mobile_label
):
    consent.grant(alice.pk, taxonomy.PERSONALIZATION, channel="web")
    request_export(alice_client, lang)
    job = ExportJob.objects.get(user=alice)
    response = alice_client.get(reverse("mydata:download", args=[job.token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    archive = open_zip(response.content)
    names = set(archive.namelist())

    index = json.loads(archive.read("index.json"))
    assert index["subject"] == alice.pk and index["data_sets"]
    for data_set in index["data_sets"]:
        assert {f"{data_set['file']}.json", f"{data_set['file']}.csv"} <= names
    assert {"consents.json", "consents.csv", "disclosures.json", "disclosures.csv"} <= names

    (address_file,) = [d["file"] for d in index["data_sets"] if d["file"].endswith("-addressesaddress")]
    document = json.loads(archive.read(f"{address_file}.json"))
    # The download holds the values in full (the screen masks them), labelled in my language.
    assert document["records"][0]["mobile"] == ALICE_MOBILE
    header = next(csv.reader(io.StringIO(archive.read(f"{address_file}.csv").decode("utf-8-sig"))))
    assert mobile_label in header
    consents = json.loads(archive.read("consents.json"))["records"]
    assert [row["decision"] for row in consents] == (["已同意"] if lang == "zh-hans" else ["granted"])

    # Nothing of bob's.
    everything = b"".join(archive.read(name) for name in names).decode("utf-8")
    assert "bob-secret-search" not in everything and "13700001111" not in everything


def test_the_link_works_only_for_the_owner_and_only_until_it_expires(
    alice_client, bob_client, alice, alice_data, request_export, export_dir
):
    request_export(alice_client)
    job = ExportJob.objects.get(user=alice)
    url = reverse("mydata:download", args=[job.token])
    (sealed,) = export_dir.iterdir()

    # Someone else, even with the link: 404, as if it did not exist; nothing changes.
    assert bob_client.get(url).status_code == 404
    assert bob_client.get(f"/api/v1/me/data/export/{job.token}").status_code == 404
    job.refresh_from_db()
    assert job.downloaded_at is None and sealed.exists()
    # An unknown token, for the owner: 404 too.
    assert alice_client.get(reverse("mydata:download", args=["x" * 43])).status_code == 404

    assert alice_client.get(url).status_code == 200
    assert alice_client.get(f"/api/v1/me/data/export/{job.token}").status_code == 200
    job.refresh_from_db()
    assert job.downloaded_at is not None

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for lang, text in (("en", "has expired"), ("zh-hans", "410")):
        expired = alice_client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        assert expired.status_code == 410 and text in expired.content.decode()
    api = alice_client.get(f"/api/v1/me/data/export/{job.token}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 410 and api.json()["code"] == "export_expired"
    # The file went with the link.
    job.refresh_from_db()
    assert job.status == "expired" and job.archive == "" and not sealed.exists()


def test_the_download_is_audited_once_by_the_core(alice_client, alice, alice_data, request_export):
    request_export(alice_client)
    job = ExportJob.objects.get(user=alice)
    for _ in range(2):
        assert alice_client.get(reverse("mydata:download", args=[job.token])).status_code == 200
    (event,) = AuditEvent.objects.filter(subject_id=alice.pk, action="export")
    assert event.actor_id == alice.pk and event.purpose == taxonomy.RIGHTS_REQUESTS.code


@pytest.mark.parametrize(("lang", "title"), [("zh-hans", None), ("en", "Your copy of your data is ready")])
def test_an_inbox_message_says_the_copy_is_ready(alice_client, alice, request_export, lang, title):
    request_export(alice_client, lang)
    job = ExportJob.objects.get(user=alice)
    (message,) = Message.objects.filter(user=alice)
    assert message.kind == "export_ready" and message.link == reverse("mydata:download", args=[job.token])
    if title:
        assert message.title == title
    assert job.language == lang


def test_one_job_at_a_time(alice_client, alice, bob, request_export, alice_api):
    request_export(alice_client, execute=False)
    request_export(alice_client, execute=False)
    api = alice_api.call("post", "/me/data/export")
    assert api.status_code == 202 and api.json()["status"] == "queued"
    (job,) = ExportJob.objects.filter(user=alice)
    assert job.status == "queued"
    # Two requests racing past the first check: the database refuses the second job.
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(user=alice, expires_at=timezone.now())
    # Another person is not held up.
    ExportJob.objects.create(user=bob, expires_at=timezone.now())
    # Once the job is done, a new one may start.
    with crypto.key_scope():
        services.export_run(job_id=job.pk)
    request_export(alice_client)
    assert ExportJob.objects.filter(user=alice).count() == 2


def test_the_api_polls_then_downloads(alice_api, alice, alice_data, django_capture_on_commit_callbacks):
    assert alice_api.call("get", "/me/data/export").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        created = alice_api.call("post", "/me/data/export")
    assert created.status_code == 202
    state = alice_api.call("get", "/me/data/export").json()
    assert (state["status"], state["progress"]) == ("ready", 100) and state["expires_at"]
    download = alice_api.client.get(state["download_url"])
    assert download.status_code == 200 and open_zip(download.content).read("index.json")


def test_the_file_is_sealed_in_a_private_directory(
    alice_client, alice, alice_data, request_export, export_dir
):
    request_export(alice_client)
    (sealed,) = export_dir.iterdir()
    text = sealed.read_text()
    assert text.startswith("enc1$") and ALICE_MOBILE not in text
    assert sealed.stat().st_mode & 0o777 == 0o600
    for public in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT):
        assert not str(sealed).startswith(str(public))
    job = ExportJob.objects.get(user=alice)
    assert job.archive == sealed.name and job.token not in sealed.name


def test_erasure_deletes_the_jobs_and_leaves_the_file_unreadable(
    alice_client, alice, request_export, export_dir
):
    request_export(alice_client)
    (sealed,) = export_dir.iterdir()
    rights.erase(alice.pk)
    assert not ExportJob.objects.filter(user_id=alice.pk).exists()
    with crypto.key_scope():
        assert crypto.decrypt(sealed.read_text(), context=services.CONTEXT) is None
    # The next clean-up removes the orphan file.
    old = (timezone.now() - timedelta(hours=1)).timestamp()
    os.utime(sealed, (old, old))
    assert services.exports_expire() == 1 and not sealed.exists()


def test_the_periodic_clean_up(alice, bob, export_dir):
    from candor.mydata.tasks import exports_expire_task

    now = timezone.now()
    with crypto.key_scope():
        job = ExportJob.objects.create(user=alice, expires_at=now)
        services.export_run(job_id=job.pk)
    job.refresh_from_db()
    (sealed,) = export_dir.iterdir()
    stuck = ExportJob.objects.create(user=bob, status="running", expires_at=now + timedelta(days=1))
    ExportJob.objects.filter(pk=stuck.pk).update(
        requested_at=now - services.STALE_AFTER - timedelta(minutes=1)
    )
    young_orphan = export_dir / f"young{services.SUFFIX}"
    young_orphan.write_text("x")

    assert exports_expire_task.call_local() == 0  # nothing has expired yet
    assert sealed.exists() and young_orphan.exists()
    stuck.refresh_from_db()
    assert stuck.status == "failed"  # a dead worker's job no longer blocks a new one

    # A day later: the link has expired, and the orphan is no longer young.
    assert services.exports_expire(now=job.expires_at + timedelta(seconds=1)) == 2
    job.refresh_from_db()
    assert job.status == "expired" and not sealed.exists() and not young_orphan.exists()


def test_a_failed_job_leaves_no_file_and_can_be_retried(
    alice_client, alice, request_export, monkeypatch, export_dir
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rights, "export", broken)
    request_export(alice_client, "en")
    job = ExportJob.objects.get(user=alice)
    assert job.status == "failed" and job.archive == ""
    assert not export_dir.exists() or not list(export_dir.iterdir())
    assert not Message.objects.filter(user=alice).exists()
    page = alice_client.get(reverse("mydata:export"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="export-failed"' in page and 'data-testid="export-request"' in page
    assert alice_client.get(reverse("mydata:download", args=[job.token])).status_code == 302
    monkeypatch.undo()
    request_export(alice_client, "en")
    assert ExportJob.objects.filter(user=alice, status="ready").count() == 1
