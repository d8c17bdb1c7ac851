"""`manage.py check` fails on undeclared or wrongly declared personal data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks as django_checks
from django.db import models
from django.test.utils import isolate_apps

from candor.privacy import checks, datamap, retention, taxonomy
from candor.privacy.crypto import EncryptedField
from candor.privacy.datamap import OnErasure, Pi, Share

ROOT = Path(__file__).resolve().parents[2]


def run_check(settings_module: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_manage_py_check_fails_naming_the_undeclared_field():
    result = run_check("tests.planted_settings")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "planted_app.Courier.mobile_phone holds personal data but is not declared" in output
    assert "vehicle_plate" not in output  # not personal by name or type


def test_manage_py_check_passes_for_the_project():
    result = run_check("candor.settings")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def registry():
    planted: list[type[models.Model]] = []
    yield planted
    for model in planted:
        datamap.unregister(model)


def declare(registry, model, **kwargs):
    registry.append(model)
    defaults = {
        "subject": "pk",
        "fields": {},
        "retention": retention.while_account(),
        "on_erasure": OnErasure.DELETE,
    }
    return datamap.register(model, **{**defaults, **kwargs})


@isolate_apps("tests.privacy_app")
def test_recognises_personal_fields_by_type_and_name():
    class Thing(models.Model):
        class Meta:
            app_label = "privacy_app"

        contact = models.EmailField()
        client_ip = models.GenericIPAddressField()
        home_address = models.CharField(max_length=10)
        birthday = models.DateField()
        colour = models.CharField(max_length=10)
        secret = EncryptedField(null=True)

    messages = {m.msg for m in checks._check_undeclared(Thing)}
    for name in ("contact", "client_ip", "home_address", "birthday", "secret"):
        assert f"privacy_app.Thing.{name} holds personal data but is not declared" in messages
    assert not any("colour" in m for m in messages)


def test_a_model_pointing_at_the_user_must_be_declared():
    from tests.privacy_app.core_models import SearchEntry

    # As if SearchEntry had no declaration: its user foreign key alone makes it personal.
    found = {(m.id, m.msg) for m in checks._check_undeclared(SearchEntry)}
    assert ("privacy.E008", "privacy_app.SearchEntry points at the user (user) but is not declared") in found


@isolate_apps("tests.privacy_app")
def test_not_personal_list_silences_a_reviewed_field(registry):
    class Product(models.Model):
        class Meta:
            app_label = "privacy_app"

        name = models.CharField(max_length=10)

    assert [m.id for m in checks._check_undeclared(Product)] == ["privacy.E001"]
    registry.append(Product)
    datamap.not_personal(Product, fields={"name": "product title"})
    assert checks._check_undeclared(Product) == []


@isolate_apps("tests.privacy_app")
def test_declaration_errors(registry):
    class Card(models.Model):
        class Meta:
            app_label = "privacy_app"

        holder = models.CharField(max_length=10)
        id_number = models.CharField(max_length=18)
        phone = EncryptedField(null=True)
        mobile = models.CharField(max_length=10)

    declare(
        registry,
        Card,
        fields={
            "holder": Pi(taxonomy.BASIC, purposes=[taxonomy.ORDERING], mask="no-such-mask"),
            "id_number": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME]),
            "phone": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY]),
            "ghost": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY]),
        },
        recipients=[Share(taxonomy.PAYMENT_INSTITUTION, ("no_such_attr",), taxonomy.PAYMENT)],
    )
    messages = {(m.id, m.msg) for m in checks._check_declared(datamap.declaration_for(Card))}
    assert (
        "privacy.E003",
        "privacy_app.Card.id_number is sensitive (identity) but stored in clear",
    ) in messages
    assert ("privacy.E006", "privacy_app.Card.phone is encrypted but not declared encrypt=True") in messages
    assert ("privacy.E002", "privacy_app.Card.ghost is declared but does not exist") in messages
    assert ("privacy.E005", "privacy_app.Card.holder: unknown mask 'no-such-mask'") in messages
    assert ("privacy.E001", "privacy_app.Card.mobile holds personal data but is not declared") in messages
    assert (
        "privacy.E009",
        "privacy_app.Card: payment_institution may receive unknown 'no_such_attr'",
    ) in messages


@isolate_apps("tests.privacy_app")
def test_declaration_without_retention_or_with_unknown_purpose(registry):
    class Note(models.Model):
        class Meta:
            app_label = "privacy_app"

        text = models.TextField()

    fake = taxonomy.Purpose("telepathy", "telepathy", taxonomy.Need.BASIC, "")
    declare(registry, Note, fields={"text": Pi(taxonomy.OTHER, purposes=[fake])}, retention=None)
    found = {(m.id, m.msg) for m in checks._check_declared(datamap.declaration_for(Note))}
    assert ("privacy.E004", "privacy_app.Note has no retention rule") in found
    assert ("privacy.E005", "privacy_app.Note.text: unknown purpose 'telepathy'") in found


def test_the_registered_check_is_clean_for_the_test_project():
    errors = [e for e in checks.check_declarations() if e.level >= django_checks.ERROR]
    assert errors == []


@isolate_apps("tests.privacy_app")
def test_the_subject_must_point_at_the_user(registry):
    class Parcel(models.Model):
        class Meta:
            app_label = "privacy_app"

        order = models.ForeignKey("privacy_app.Catalogue", on_delete=models.CASCADE)

    declare(registry, Parcel, subject="order")
    found = {(m.id, m.msg) for m in checks._check_declared(datamap.declaration_for(Parcel))}
    assert (
        "privacy.E012",
        "privacy_app.Parcel: subject 'order' must be the user's foreign key or id",
    ) in found
