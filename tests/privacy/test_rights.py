"""Export and erasure details beyond the planted-data proof."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client

from candor.privacy import rights
from candor.privacy.models import ErasureRecord
from tests.privacy_app.core_models import Review

pytestmark = pytest.mark.django_db


def test_erasure_logs_the_person_out_everywhere_and_blocks_login(django_user_model):
    user = django_user_model.objects.create_user(username="leaving", password="a-long-pass-1")
    browser = Client()
    assert browser.login(username="leaving", password="a-long-pass-1")
    assert browser.get("/api/v1/session").json()["authenticated"] is True
    rights.erase(user.pk)
    assert browser.get("/api/v1/session").json()["authenticated"] is False
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert not Client().login(username="leaving", password="a-long-pass-1")
    # The account name is free again: the same person may register afresh as someone new.
    assert django_user_model.objects.create_user(username="leaving").pk != user.pk


def test_erasing_twice_changes_nothing(django_user_model):
    user = django_user_model.objects.create_user(username="twice")
    first = rights.erase(user.pk)
    second = rights.erase(user.pk)
    assert second.pk == first.pk and second.restricted_until == first.restricted_until
    assert ErasureRecord.objects.filter(subject_id=user.pk).count() == 1


def test_export_is_keyed_by_field_and_labelled_in_the_subjects_language(django_user_model):
    user = django_user_model.objects.create_user(username="reader", language="en")
    Review.objects.create(user=user, author_name="Reader", body="Great kettle")
    archive = zipfile.ZipFile(io.BytesIO(rights.export(user.pk)))
    name = next(n for n in archive.namelist() if "review" in n and n.endswith(".json"))
    document = json.loads(archive.read(name))
    assert document["records"] == [
        {
            "id": document["records"][0]["id"],
            "author_name": "Reader",
            "contact_email": "",
            "body": "Great kettle",
        }
    ]
    assert document["labels"]["id"] == "Record number"  # the subject chose English
    csv_text = archive.read(name.replace(".json", ".csv")).decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "Record number,shown name,contact email,review"
