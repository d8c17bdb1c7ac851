"""The planted-data proof (issue 3 acceptance).

One subject gets a distinct planted value in every declared field of every model; ``export``
must contain every one; after ``erase`` none may remain in any text or blob column of any
table, nor (on SQLite, after VACUUM) anywhere in the database file's bytes; the restricted
rows that remain hold none in clear and become unreadable once their key is shredded.
"""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client

from candor.privacy import consent, crypto, datamap, disclosure, rights, taxonomy
from candor.privacy.crypto import RestrictedData
from candor.privacy.datamap import KeyClass, OnErasure
from candor.privacy.processing import processing
from candor.privacy.reveal import reveal
from tests.privacy.planting import UNPLANTABLE, database_text, is_scalar, plant_subject, plantable

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_declared_field_is_planted():
    planted = plant_subject()
    for declaration in datamap.declarations():
        for name in declaration.fields:
            key = f"{declaration.model._meta.label}.{name}"
            if plantable(declaration, name):
                assert key in planted.values, f"{key} was not planted"
            elif not is_scalar(declaration, name):  # any other field must say why it is not planted
                assert (declaration.model._meta.label, name) in UNPLANTABLE, (
                    f"{key} is neither planted nor listed"
                )


def test_export_then_erase_leaves_no_planted_value(tmp_path):
    planted = plant_subject()
    subject = planted.user.pk
    assert len(planted.values) >= 15
    # Ordinary life around the subject, so sessions and the core's ledgers are part of the
    # proof too: a login, a consent, a disclosure, a staff reveal.
    deal = planted.rows["privacy_app.Deal"]
    disclosure.disclose(taxonomy.LOGISTICS, deal, taxonomy.DELIVERY)
    consent.grant(subject, taxonomy.MARKETING_PUSH, channel=consent.Channel.WEB, evidence={"page": "/me/"})
    Client().force_login(planted.user)
    staff = get_user_model().objects.create_user(username="officer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    staff = get_user_model().objects.get(pk=staff.pk)
    shown = reveal(actor=staff, obj=deal, field="recipient_phone", reason="delivery_problem", ticket="CS-1")
    assert shown == planted.values["privacy_app.Deal.recipient_phone"]

    archive = zipfile.ZipFile(io.BytesIO(rights.export(subject, language="en")))
    exported = "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    # Bytes (an avatar) travel as base64 in JSON: look for the value in either form.
    missing = [
        key
        for key, value in planted.values.items()
        if value not in exported and base64.b64encode(value.encode()).decode() not in exported
    ]
    assert not missing, f"export lacks {missing}"
    assert "Who received my data" in exported and "logistics" in exported.lower()

    # While the subject lives, the planted values are in the database (encrypted ones only
    # as ciphertext: that is the encryption's own proof).
    text = database_text()
    clear_before = [k for k, v in planted.values.items() if v in text]
    encrypted = {
        f"{d.model._meta.label}.{n}"
        for d in datamap.declarations()
        for n, pi in d.fields.items()
        if pi.encrypt
    }
    assert set(clear_before) == set(planted.values) - encrypted

    rights.erase(subject)

    text = database_text()
    remaining = [key for key, value in planted.values.items() if value in text]
    assert not remaining, f"after erasure the database still holds {remaining}"

    if connection.vendor == "sqlite":
        copy = tmp_path / "vacuumed.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        raw = copy.read_bytes()
        in_file = [key for key, value in planted.values.items() if value.encode() in raw]
        assert not in_file, f"the vacuumed database file still contains {in_file}"


def test_restricted_rows_readable_only_for_legal_purposes_then_gone_when_shredded():
    planted = plant_subject()
    subject = planted.user.pk
    deal_model = planted.rows["privacy_app.Deal"].__class__
    planted_name = planted.values["privacy_app.Deal.recipient_name"]
    rights.erase(subject)

    restricted = [d for d in datamap.declarations() if d.on_erasure is OnErasure.RESTRICT and d.fields]
    assert deal_model in {d.model for d in restricted}
    with processing(taxonomy.LEGAL_RETENTION):
        assert deal_model.objects.get(user_id=subject).recipient_name == planted_name
    for purpose in (taxonomy.MARKETING_PUSH, taxonomy.PERSONALIZATION, taxonomy.ANALYTICS):
        with processing(purpose), pytest.raises(RestrictedData):
            _ = deal_model.objects.get(user_id=subject).recipient_name
    with pytest.raises(RestrictedData):
        _ = deal_model.objects.get(user_id=subject).recipient_name  # no purpose: fail closed

    crypto.shred(subject, KeyClass.TRANSACTION)
    with processing(taxonomy.LEGAL_RETENTION):
        assert deal_model.objects.get(user_id=subject).recipient_name is None
