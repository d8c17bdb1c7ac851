"""Face verification: only with separate biometric consent, and the photo is never kept —
not in any column of any table, not in a file (C001-12, C003-04)."""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from candor.identity.models import FaceVerification
from candor.identity.personal_data import FACE_PURPOSE
from candor.identity.tests.test_realname import ZHANG
from candor.privacy import consent
from candor.privacy.models import DisclosureRecord

# A JPEG header, a marker no other column could contain by chance, and the simulator's
# similarity marker.
PHOTO = b"\xff\xd8\xff\xe0" + b"FACE-PHOTO-" + os.urandom(24).hex().encode() + b" CANDOR-SIM=91.5 \xff\xd9"


@pytest.fixture
def verified(logged_in, api, user):
    assert api.call("post", "/identity/realname", ZHANG).status_code == 200
    return user


def _files_under(*roots: Path) -> set[Path]:
    found: set[Path] = set()
    for root in roots:
        if root.exists():
            found |= {p for p in root.rglob("*") if p.is_file()}
    return found


def _columns_containing(needles: list[bytes]) -> list[str]:
    """Every text or binary column of every table that holds any of ``needles``."""
    hits = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                cursor.execute(f'SELECT "{field.column}" FROM "{table}"')
                for (value,) in cursor.fetchall():
                    data = value if isinstance(value, bytes) else str(value).encode()
                    if any(needle in data for needle in needles):
                        hits.append(f"{table}.{field.column}")
    return hits


@pytest.fixture
def private_tmp(tmp_path, monkeypatch, settings):
    """This test's own temp and media folders: under xdist other workers write to the shared
    /tmp at the same moment, which would look like a file this request left behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_face_check_keeps_the_result_and_never_the_image(verified, api, authority_calls, private_tmp):
    roots = [Path(settings.MEDIA_ROOT), Path(tempfile.gettempdir())]
    files_before = _files_under(*roots)
    encoded = base64.b64encode(PHOTO).decode()
    response = api.call("post", "/identity/face", {"image_base64": encoded, "consent": True})
    assert response.status_code == 200, response.content
    assert response.json()["passed"] is True and response.json()["similarity"] == 91.5
    # The authority received the photo with the verified name and number …
    sent = authority_calls[-1]
    assert sent["action"] == "ImageRecognitionV2"
    assert sent["body"] == {"IdCard": "11010519491231002X", "Name": "张三", "ImageBase64": encoded}
    record = DisclosureRecord.objects.filter(purpose=FACE_PURPOSE.code).get()
    assert "image_base64" in record.fields
    # … and Candor kept only the outcome: no column anywhere holds the photo, no file was written.
    row = FaceVerification.objects.get(user=verified)
    assert row.passed and row.similarity == 91.5 and row.authority_ref
    assert _columns_containing([PHOTO[4:30], encoded[8:60].encode()]) == []
    assert _files_under(*roots) - files_before == set()


def test_face_upload_page_writes_no_file(verified, logged_in, private_tmp):
    roots = [Path(settings.MEDIA_ROOT), Path(tempfile.gettempdir())]
    files_before = _files_under(*roots)
    upload = SimpleUploadedFile("me.jpg", PHOTO, content_type="image/jpeg")
    response = logged_in.post("/accounts/identity/face/", {"image": upload, "consent": "on"})
    assert response.status_code == 302
    assert FaceVerification.objects.get(user=verified).passed
    assert _columns_containing([PHOTO[4:30]]) == []
    assert _files_under(*roots) - files_before == set()


def test_without_biometric_consent_nothing_is_sent(verified, api, authority_calls):
    before = len(authority_calls)
    response = api.call("post", "/identity/face", {"image_base64": base64.b64encode(PHOTO).decode()})
    assert response.status_code == 403
    assert response.json() | {"purpose": FACE_PURPOSE.code} == response.json()
    assert response.json()["code"] == "consent_required"
    assert len(authority_calls) == before and not FaceVerification.objects.exists()
    assert not consent.has(verified.pk, FACE_PURPOSE)


def test_low_similarity_fails(verified, api):
    photo = b"\x89PNG\r\n\x1a\n CANDOR-SIM=42 "
    response = api.call(
        "post", "/identity/face", {"image_base64": base64.b64encode(photo).decode(), "consent": True}
    )
    assert response.status_code == 200 and response.json()["passed"] is False
    assert FaceVerification.objects.get().result_code == "FailedOperation.CompareLowSimilarity"


def test_face_needs_real_name_first(logged_in, api, authority_calls):
    response = api.call(
        "post", "/identity/face", {"image_base64": base64.b64encode(PHOTO).decode(), "consent": True}
    )
    assert response.status_code == 409 and response.json()["code"] == "realname_required"
    assert authority_calls == [] and not FaceVerification.objects.exists()


def test_not_an_image_is_refused(verified, api):
    response = api.call(
        "post", "/identity/face", {"image_base64": base64.b64encode(b"GIF89a...").decode(), "consent": True}
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_image"
    assert not FaceVerification.objects.exists()


def test_face_upload_still_checks_csrf(verified):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(verified)
    upload = SimpleUploadedFile("me.jpg", PHOTO, content_type="image/jpeg")
    response = browser.post("/accounts/identity/face/", {"image": upload, "consent": "on"})
    assert response.status_code == 403
    assert not FaceVerification.objects.exists()
