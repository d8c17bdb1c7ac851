"""Encryption at rest: what reaches the database, what comes back, and when it cannot."""

from __future__ import annotations

import base64
import secrets
import threading
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models.query import QuerySet
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.utils import timezone

from candor.privacy import audit, crypto, keyring, taxonomy
from candor.privacy.crypto import EncryptedField, PlaintextRefused, RestrictedData, Sealed, SubjectErased
from candor.privacy.datamap import KeyClass
from candor.privacy.models import AuditEvent, DataKey
from candor.privacy.processing import processing
from tests.privacy_app.crypto_declarations import declare_customer, undeclare_customer
from tests.privacy_app.crypto_models import Customer, Person, PlainPerson, Receipt

pytestmark = pytest.mark.django_db

PHONE = "13812348000"
ID_NUMBER = "110101199003071234"


def master(version: str) -> str:
    return f"{version}:" + base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture(autouse=True)
def fresh_keys():
    """Each test is one unit of work, as a request is: its own key cache."""
    with crypto.key_scope():
        yield


def make_user(name: str = "alice"):
    return get_user_model().objects.create_user(username=name, password="x-very-long-password")


def raw(model: type[models.Model], pk: int, *columns: str) -> tuple:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def write_raw(model: type[models.Model], pk: int, column: str, value: str | None) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s", [value, pk]
        )


def person(name: str = "alice", phone: str | None = PHONE, id_number: str | None = ID_NUMBER) -> Person:
    return Person.objects.create(user=make_user(name), phone=phone, id_number=id_number, nickname=name)


def test_roundtrip_and_the_instance_keeps_its_plaintext():
    row = person()
    assert row.phone == PHONE  # still plaintext on the saved instance
    with crypto.key_scope():
        again = Person.objects.get(pk=row.pk)
        assert (again.phone, again.id_number) == (PHONE, ID_NUMBER)


def test_the_database_holds_no_plaintext():
    row = person()
    phone, id_number, index = raw(Person, row.pk, "phone", "id_number", "phone_bidx")
    for stored, clear in ((phone, PHONE), (id_number, ID_NUMBER)):
        assert stored.startswith(
            f"enc1${DataKey.objects.get(subject_id=row.user_id, key_class='profile').pk}$"
        )
        assert clear not in stored
        assert clear not in base64.b64decode(stored.split("$")[2]).decode("latin-1")
    assert len(index) == 64 and PHONE not in index
    assert phone != raw(Person, person("bob").pk, "phone")[0]


def test_equal_values_encrypt_differently_each_time():
    row = person()
    first = raw(Person, row.pk, "phone")[0]
    row.phone = PHONE
    row.save()
    assert raw(Person, row.pk, "phone")[0] != first


def test_a_ciphertext_moved_to_another_subjects_row_does_not_open():
    alice, bob = person("alice"), person("bob", phone="13900000000")
    write_raw(Person, alice.pk, "phone", raw(Person, bob.pk, "phone")[0])
    with crypto.key_scope(), pytest.raises(crypto.DecryptionError):
        _ = Person.objects.get(pk=alice.pk).phone


def test_a_ciphertext_moved_to_another_column_does_not_open():
    alice = person()
    write_raw(Person, alice.pk, "id_number", raw(Person, alice.pk, "phone")[0])
    with crypto.key_scope(), pytest.raises(crypto.DecryptionError):
        _ = Person.objects.get(pk=alice.pk).id_number


def test_blind_index_finds_the_row_whatever_the_spacing():
    alice = person()
    person("bob", phone="13900000000")
    assert list(Person.objects.filter(**crypto.lookup(Person, "phone", "138 1234 8000"))) == [alice]
    assert not Person.objects.filter(**crypto.lookup(Person, "phone", "13812348001")).exists()


def test_blind_index_is_cleared_with_the_value():
    alice = person()
    alice.phone = None
    alice.save()
    assert raw(Person, alice.pk, "phone", "phone_bidx") == (None, "")


def test_plaintext_never_reaches_the_database_through_a_queryset():
    alice = person()
    before = raw(Person, alice.pk, "phone")
    with transaction.atomic(), pytest.raises(PlaintextRefused, match="save"):
        Person.objects.filter(pk=alice.pk).update(phone="13900000000")
    with transaction.atomic(), pytest.raises(PlaintextRefused, match="blind index"):
        Person.objects.filter(phone=PHONE).exists()
    with transaction.atomic(), pytest.raises(PlaintextRefused, match="isnull"):
        Person.objects.filter(phone__icontains="138").exists()
    assert raw(Person, alice.pk, "phone") == before


def test_null_is_allowed_everywhere():
    alice = person()
    assert Person.objects.filter(phone__isnull=False).count() == 1
    assert Person.objects.filter(pk=alice.pk).update(phone=None) == 1
    assert list(Person.objects.filter(phone=None)) == [alice]


def test_a_page_of_n_subjects_costs_one_extra_query():
    users = [make_user(f"user{i}") for i in range(20)]
    for i, user in enumerate(users):
        Person.objects.create(user=user, phone=f"1380000{i:04d}", id_number=f"1101011990030{i:05d}")
        PlainPerson.objects.create(user=user, phone=f"1380000{i:04d}", id_number=f"1101011990030{i:05d}")
    with crypto.key_scope(), CaptureQueriesContext(connection) as encrypted:
        seen = [(p.phone, p.id_number) for p in Person.objects.order_by("pk")]
    with CaptureQueriesContext(connection) as plain:
        expected = [(p.phone, p.id_number) for p in PlainPerson.objects.order_by("pk")]
    assert seen == expected
    assert len(plain) == 1
    assert len(encrypted) == 2, [q["sql"] for q in encrypted]
    with crypto.key_scope(), CaptureQueriesContext(connection) as values:
        listed = [str(v) for v in Person.objects.order_by("pk").values_list("phone", flat=True)]
    assert listed == [phone for phone, _ in expected]
    assert len(values) == 2


def test_values_hold_sealed_ciphertext_that_never_shows_in_repr():
    person()
    sealed = Person.objects.values_list("phone", flat=True).get()
    assert isinstance(sealed, Sealed)
    assert PHONE not in repr(sealed)
    assert str(sealed) == PHONE


def test_only_attribute_reads_check_the_rows_owner():
    alice, bob = person("alice"), person("bob", phone="13900000000")
    write_raw(Person, alice.pk, "phone", raw(Person, bob.pk, "phone")[0])  # bob's whole ciphertext
    with crypto.key_scope(), pytest.raises(crypto.DecryptionError, match="another subject"):
        _ = Person.objects.get(pk=alice.pk).phone
    # A values() row carries no subject, so Sealed.open() cannot tell: the limitation its
    # docstring states. Column and key still bind (a value moved to another column fails).
    with crypto.key_scope():
        assert str(Person.objects.values_list("phone", flat=True).get(pk=alice.pk)) == "13900000000"
    write_raw(Person, alice.pk, "id_number", raw(Person, bob.pk, "phone")[0])
    with crypto.key_scope(), pytest.raises(crypto.DecryptionError):
        str(Person.objects.values_list("id_number", flat=True).get(pk=alice.pk))


def test_a_sealed_value_copied_to_another_subject_is_re_encrypted():
    alice, bob = person("alice"), person("bob", phone="13900000000")
    bob_token = raw(Person, bob.pk, "phone")[0]
    alice.phone = Person.objects.values_list("phone", flat=True).get(pk=bob.pk)
    alice.save()
    assert raw(Person, alice.pk, "phone")[0] != bob_token
    with crypto.key_scope():
        assert Person.objects.get(pk=alice.pk).phone == "13900000000"
    assert Person.objects.filter(**crypto.lookup(Person, "phone", "13900000000")).count() == 2


def test_shredding_makes_every_value_unreadable():
    alice = person()
    before = AuditEvent.objects.count()
    assert crypto.shred(alice.user_id, KeyClass.PROFILE, actor_id=7) is True
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.subject_id, event.actor_id) == (audit.Action.KEY, alice.user_id, 7)
    assert event.detail == {"op": "shred", "key_class": "profile"}
    key = DataKey.objects.get(subject_id=alice.user_id, key_class="profile")
    assert (key.wrapped, key.state, key.shredded_at is not None) == (None, DataKey.State.SHREDDED, True)
    again = Person.objects.get(pk=alice.pk)
    assert (again.phone, again.id_number, again.nickname) == (None, None, "alice")
    phone, id_number = raw(Person, alice.pk, "phone", "id_number")
    assert PHONE not in phone and ID_NUMBER not in id_number
    again.nickname = "still saves"  # the unreadable ciphertext is kept, not turned into NULL
    again.save()
    assert raw(Person, alice.pk, "phone")[0] == phone
    assert crypto.shred(alice.user_id, KeyClass.PROFILE) is False
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize("change", ["shred", "restrict", "shred_expired"])
def test_changing_a_keys_state_drops_unwrapped_secrets_from_memory(change):
    buyer = make_user("buyer")
    receipt = Receipt.objects.create(user=buyer, recipient_phone=PHONE)
    if change == "shred_expired":
        crypto.restrict(buyer.pk, KeyClass.TRANSACTION, until=timezone.now() - timedelta(days=1))
    with crypto.key_scope(), processing(taxonomy.LEGAL_RETENTION):
        assert Receipt.objects.get(pk=receipt.pk).recipient_phone == PHONE
    assert keyring._unwrapped.cache_info().currsize > 0  # the process keeps the unwrapped key
    if change == "shred":
        crypto.shred(buyer.pk, KeyClass.TRANSACTION)
    elif change == "restrict":
        crypto.restrict(buyer.pk, KeyClass.TRANSACTION, until=timezone.now() + timedelta(days=1))
    else:
        assert crypto.shred_expired(now=timezone.now()) == 1
    assert keyring._unwrapped.cache_info().currsize == 0


def test_nothing_new_is_stored_under_a_destroyed_key():
    alice = person()
    crypto.shred(alice.user_id, KeyClass.PROFILE)
    alice.phone = "13900000000"
    with pytest.raises(SubjectErased) as caught:
        alice.save()
    assert (caught.value.status, caught.value.code) == (409, "subject_erased")


def test_a_missing_subject_shreds_nothing():
    assert crypto.shred(424242, KeyClass.PROFILE) is False
    crypto.restrict(424242, KeyClass.TRANSACTION, until=timezone.now())
    assert not DataKey.objects.filter(subject_id=424242).exists()


def restricted_receipt() -> Receipt:
    user = make_user("buyer")
    receipt = Receipt.objects.create(user=user, recipient_phone=PHONE, amount_fen=990)
    crypto.restrict(user.pk, KeyClass.TRANSACTION, until=timezone.now() + timedelta(days=3 * 366))
    return receipt


@pytest.mark.parametrize("purpose", [taxonomy.MARKETING_PUSH, taxonomy.PERSONALIZATION, taxonomy.ANALYTICS])
def test_restricted_records_refuse_other_purposes(purpose):
    receipt = restricted_receipt()
    with processing(purpose), pytest.raises(RestrictedData) as caught:
        _ = Receipt.objects.get(pk=receipt.pk).recipient_phone
    assert (caught.value.status, caught.value.code) == (403, "restricted_data")


def test_restricted_records_fail_closed_without_a_purpose():
    receipt = restricted_receipt()
    with pytest.raises(RestrictedData):
        _ = Receipt.objects.get(pk=receipt.pk).recipient_phone
    with pytest.raises(RestrictedData):
        str(Receipt.objects.values_list("recipient_phone", flat=True).get())


def test_restricted_records_open_for_a_legal_purpose_only_while_it_lasts():
    receipt = restricted_receipt()
    row = Receipt.objects.get(pk=receipt.pk)
    with processing(taxonomy.LEGAL_RETENTION):
        assert row.recipient_phone == PHONE
    with pytest.raises(RestrictedData):  # not kept in memory past the legal read
        _ = row.recipient_phone


def test_saving_a_restricted_row_keeps_its_ciphertext_without_opening_it():
    receipt = restricted_receipt()
    before = raw(Receipt, receipt.pk, "recipient_phone")
    row = Receipt.objects.get(pk=receipt.pk)
    row.completed_at = timezone.now()
    row.save()
    assert raw(Receipt, receipt.pk, "recipient_phone") == before
    row.recipient_phone = "13900000000"
    with pytest.raises(RestrictedData):
        row.save()


def test_shred_expired_destroys_keys_past_their_term_in_one_statement():
    receipt = restricted_receipt()
    other = make_user("other")
    Receipt.objects.create(user=other, recipient_phone=PHONE)
    crypto.restrict(other.pk, KeyClass.TRANSACTION, until=timezone.now() + timedelta(days=1))
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert crypto.shred_expired(now=timezone.now() + timedelta(days=2 * 366)) == 1
    assert sum("UPDATE" in q["sql"] and "privacy_datakey" in q["sql"] for q in queries) == 1
    assert AuditEvent.objects.filter(seq__gt=before).get().detail == {"op": "shred_expired", "count": 1}
    with processing(taxonomy.LEGAL_RETENTION):
        assert Receipt.objects.get(user=other).recipient_phone is None
        assert Receipt.objects.get(pk=receipt.pk).recipient_phone == PHONE
    assert crypto.shred_expired(now=timezone.now()) == 0
    assert AuditEvent.objects.count() == before + 1


def test_rotation_rewraps_keys_and_leaves_rows_alone():
    v1, v2 = master("v1"), master("v2")
    with override_settings(CANDOR_MASTER_KEYS=[v1]):
        rows = [person(f"user{i}", phone=f"1380000{i:04d}") for i in range(3)]
        index = crypto.blind_index(PHONE)
    before = {r.pk: raw(Person, r.pk, "phone", "id_number", "phone_bidx") for r in rows}
    keys = DataKey.objects.count()
    with override_settings(CANDOR_MASTER_KEYS=[v2, v1]):
        out = StringIO()
        call_command("keys", "rotate", "--dry-run", stdout=out)
        assert out.getvalue().strip() == f"Would re-wrap {keys} data key(s) under master key v2."
        assert set(DataKey.objects.values_list("master_version", flat=True)) == {"v1"}
        call_command("keys", "rotate", stdout=out)
        assert f"Re-wrapped {keys} data key(s) under master key v2." in out.getvalue()
        assert crypto.rotate() == 0
    assert set(DataKey.objects.values_list("master_version", flat=True)) == {"v2"}
    assert {r.pk: raw(Person, r.pk, "phone", "id_number", "phone_bidx") for r in rows} == before
    with override_settings(CANDOR_MASTER_KEYS=[v2]), crypto.key_scope():
        assert [p.phone for p in Person.objects.order_by("pk")] == [r.phone for r in rows]
        assert crypto.blind_index(PHONE) == index  # the index key survives rotation
    with (
        override_settings(CANDOR_MASTER_KEYS=[v1]),
        crypto.key_scope(),
        pytest.raises(ImproperlyConfigured, match="master key v2"),
    ):
        _ = Person.objects.get(pk=rows[0].pk).phone
    old = AESGCM(base64.b64decode(v1.split(":")[1]))
    for key in DataKey.objects.all():
        with pytest.raises(InvalidTag):
            old.decrypt(
                bytes(key.wrapped[:12]), bytes(key.wrapped[12:]), f"{key.subject_id}:{key.key_class}".encode()
            )


def test_rotation_skips_destroyed_keys():
    v1 = master("v1")
    with override_settings(CANDOR_MASTER_KEYS=[v1]):
        alice = person()
        crypto.shred(alice.user_id, KeyClass.PROFILE)
    with override_settings(CANDOR_MASTER_KEYS=[master("v2"), v1]):
        assert crypto.rotate(dry_run=True) == 1  # only the index key is left to re-wrap
        assert crypto.rotate() == 1
        shredded = DataKey.objects.get(subject_id=alice.user_id, key_class="profile")
        assert (shredded.wrapped, shredded.master_version) == (None, "v1")


@pytest.mark.parametrize(
    "configured",
    [
        [],
        ["no-version-here"],
        ["v1:" + base64.b64encode(b"short").decode()],
        ["v1:not base64!"],
        ["x1:" + "A" * 44],
    ],
)
def test_master_keys_are_validated_without_echoing_them(configured):
    with override_settings(CANDOR_MASTER_KEYS=configured), pytest.raises(ImproperlyConfigured) as caught:
        person()
    assert "CANDOR_MASTER_KEYS" in str(caught.value)
    for entry in configured:
        secret = entry.partition(":")[2]
        assert not secret or secret not in str(caught.value)


def test_a_master_key_listed_twice_is_refused():
    key = master("v1")
    with override_settings(CANDOR_MASTER_KEYS=[key, key]), pytest.raises(ImproperlyConfigured, match="twice"):
        person()


def test_a_key_created_concurrently_is_reused():
    user = make_user()
    first = crypto.encrypt_value("x", subject_id=user.pk, key_class=KeyClass.PROFILE, context="t.x")
    made = DataKey.objects.get(subject_id=user.pk)
    with crypto.key_scope(), mock.patch.object(QuerySet, "first", return_value=None):
        # The row exists but the first look missed it, as when another writer won the race.
        second = crypto.encrypt_value("y", subject_id=user.pk, key_class=KeyClass.PROFILE, context="t.x")
    assert first.split("$")[1] == second.split("$")[1] == str(made.pk)
    assert DataKey.objects.filter(subject_id=user.pk).count() == 1
    assert crypto.decrypt(second, context="t.x") == "y"  # the transaction is still usable


def test_a_key_made_here_is_reused_without_another_lookup():
    user = make_user()
    with crypto.key_scope(), CaptureQueriesContext(connection) as queries:
        for value in ("a", "b", "c", "d"):
            crypto.encrypt_value(value, subject_id=user.pk, key_class=KeyClass.PROFILE, context="t.x")
    key_lookups = [
        q for q in queries.captured_queries if "privacy_datakey" in q["sql"] and "SELECT" in q["sql"]
    ]
    assert len(key_lookups) == 1  # the first write looks, makes, and every later one reuses


def test_a_key_made_in_a_rolled_back_savepoint_is_made_again():
    user = make_user()
    with crypto.key_scope():
        try:
            with transaction.atomic():
                crypto.encrypt_value("a", subject_id=user.pk, key_class=KeyClass.PROFILE, context="t.x")
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        assert not DataKey.objects.filter(subject_id=user.pk).exists()
        token = crypto.encrypt_value("b", subject_id=user.pk, key_class=KeyClass.PROFILE, context="t.x")
    made = DataKey.objects.get(subject_id=user.pk)
    assert token.split("$")[1] == str(made.pk)
    assert crypto.decrypt(token, context="t.x") == "b"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
def test_concurrent_first_writes_make_one_key():
    user = make_user()
    barrier = threading.Barrier(4)
    tokens: list[str] = []

    def write(value: str) -> None:
        try:
            barrier.wait()
            with crypto.key_scope(), transaction.atomic():
                token = crypto.encrypt_value(
                    value, subject_id=user.pk, key_class=KeyClass.PROFILE, context="t.x"
                )
            tokens.append(token)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"value {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert DataKey.objects.filter(subject_id=user.pk).count() == 1
    with crypto.key_scope():
        assert sorted(crypto.decrypt(t, context="t.x") for t in tokens) == [f"value {i}" for i in range(4)]


@pytest.fixture
def customer_declared():
    declare_customer()
    yield
    undeclare_customer()


@pytest.mark.usefixtures("customer_declared")
def test_a_row_that_is_its_own_subject_is_encrypted_under_its_new_id():
    customer = Customer.objects.create(email="zhangsan@example.com")
    stored, index = raw(Customer, customer.pk, "email", "email_bidx")
    assert stored.startswith("enc1$") and "zhangsan" not in stored and len(index) == 64
    assert DataKey.objects.filter(subject_id=customer.pk, key_class="profile").exists()
    with crypto.key_scope():
        assert Customer.objects.get(**crypto.lookup(Customer, "email", "zhangsan@example.com")) == customer
        assert Customer.objects.get(pk=customer.pk).email == "zhangsan@example.com"


@pytest.mark.usefixtures("customer_declared")
def test_bulk_create_of_rows_that_are_their_own_subject_is_refused():
    # Such a row is encrypted under its new id after the INSERT, from post_save, which
    # bulk_create never sends: it would store "" beside a filled blind index.
    with transaction.atomic(), pytest.raises(ValueError, match="bulk_create"):
        Customer.objects.bulk_create(
            [Customer(email="zhangsan@example.com"), Customer(email="li@example.com")]
        )
    assert not Customer.objects.exists()
    assert not Customer.objects.filter(**crypto.lookup(Customer, "email", "zhangsan@example.com")).exists()
    # Nothing to encrypt, or an id known in advance, and bulk_create works as usual.
    Customer.objects.bulk_create([Customer(email=""), Customer(pk=424242, email="wang@example.com")])
    assert raw(Customer, 424242, "email")[0].startswith("enc1$")
    with crypto.key_scope():
        assert Customer.objects.get(pk=424242).email == "wang@example.com"


def test_update_fields_must_carry_the_blind_index():
    alice = person()
    alice.phone = "13900000000"
    with pytest.raises(ValueError, match="phone_bidx"):
        alice.save(update_fields=["phone"])
    alice.save(update_fields=["phone", "phone_bidx"])
    assert Person.objects.filter(**crypto.lookup(Person, "phone", "13900000000")).exists()


def test_a_model_without_declaration_cannot_encrypt():
    with isolate_apps("tests.privacy_app"):

        class Stray(models.Model):
            secret = EncryptedField(null=True)

            class Meta:
                app_label = "privacy_app"

        with pytest.raises(ImproperlyConfigured, match="declaration"):
            Stray(secret="x")._meta.get_field("secret").pre_save(Stray(secret="x"), add=True)


@isolate_apps("tests.privacy_app")
def test_blind_index_column_is_checked():
    class Missing(models.Model):
        phone = EncryptedField(null=True, blind_index="nope")

        class Meta:
            app_label = "privacy_app"

    class Before(models.Model):
        phone_bidx = models.CharField(max_length=64)
        phone = EncryptedField(null=True, blind_index="phone_bidx")

        class Meta:
            app_label = "privacy_app"

    assert [e.id for e in Missing._meta.get_field("phone").check()] == ["privacy.E201"]
    assert [e.id for e in Before._meta.get_field("phone").check()] == ["privacy.E202"]
    assert Person._meta.get_field("phone").check() == []


def test_the_key_cache_is_per_scope_and_per_transaction():
    person()
    with crypto.key_scope():
        first = keyring.ring()
        assert keyring.ring() is first
        with transaction.atomic():
            assert keyring.ring() is first  # a savepoint inside the same outer transaction
    with crypto.key_scope():
        assert keyring.ring() is not first


def test_the_middleware_gives_each_request_its_own_cache(settings):
    middleware = settings.MIDDLEWARE
    assert middleware.index("candor.privacy.crypto.KeyCacheMiddleware") == (
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    )
    seen = []
    handler = crypto.KeyCacheMiddleware(lambda request: seen.append(keyring.ring()) or "response")
    outer = keyring.ring()
    assert handler(None) == handler(None) == "response"
    assert seen[0] is not seen[1] and outer not in seen
    assert keyring.ring() is outer


@pytest.mark.parametrize("stored", [PHONE, "enc1$12345", "enc1$1$not base64!"])
def test_a_column_holding_something_else_than_ciphertext_fails_loudly(stored):
    alice = person()
    write_raw(Person, alice.pk, "phone", stored)
    with crypto.key_scope(), pytest.raises(crypto.DecryptionError, match="not Candor ciphertext"):
        _ = Person.objects.get(pk=alice.pk).phone


def test_a_value_whose_key_row_is_gone_reads_as_destroyed():
    alice = person()
    token = raw(Person, alice.pk, "phone")[0]
    write_raw(Person, alice.pk, "phone", token.replace(token.split("$")[1], "987654", 1))
    with crypto.key_scope():
        assert Person.objects.get(pk=alice.pk).phone is None


# --- the read path's shortcuts (ADR 0004): a cached key skips nothing that matters ------------


def test_a_cached_key_still_checks_the_rows_owner():
    alice, bob = person("alice"), person("bob", phone="13900000000")
    write_raw(Person, alice.pk, "phone", raw(Person, bob.pk, "phone")[0])
    with crypto.key_scope():
        assert Person.objects.get(pk=bob.pk).phone == "13900000000"  # bob's key is now cached
        with pytest.raises(crypto.DecryptionError, match="another subject"):
            _ = Person.objects.get(pk=alice.pk).phone


def test_a_cached_key_does_not_open_a_tampered_value():
    alice = person()
    token = raw(Person, alice.pk, "phone")[0]
    blob = bytearray(base64.b64decode(token.split("$")[2]))
    blob[-1] ^= 1
    write_raw(Person, alice.pk, "phone", f"enc1${token.split('$')[1]}${base64.b64encode(blob).decode()}")
    with crypto.key_scope():
        row = Person.objects.get(pk=alice.pk)
        assert row.id_number == ID_NUMBER  # the key is cached and active
        with pytest.raises(crypto.DecryptionError, match="does not decrypt"):
            _ = row.phone


def test_a_key_destroyed_by_another_process_reads_as_destroyed_on_the_next_request():
    # The process keeps unwrapped keys between requests, keyed by the key row as read; each
    # request reads the rows again, so a key wiped elsewhere (no eviction here) is not served.
    alice = person()
    with crypto.key_scope():
        assert Person.objects.get(pk=alice.pk).phone == PHONE
    assert keyring._unwrapped.cache_info().currsize > 0
    DataKey.objects.filter(subject_id=alice.user_id, key_class="profile").update(
        wrapped=None, state=DataKey.State.SHREDDED
    )
    with crypto.key_scope():
        assert Person.objects.get(pk=alice.pk).phone is None


def test_a_key_restricted_by_another_process_is_restricted_on_the_next_request():
    user = make_user("buyer")
    receipt = Receipt.objects.create(user=user, recipient_phone=PHONE)
    with crypto.key_scope():
        assert Receipt.objects.get(pk=receipt.pk).recipient_phone == PHONE
    DataKey.objects.filter(subject_id=user.pk, key_class="transaction").update(state=DataKey.State.RESTRICTED)
    with crypto.key_scope(), pytest.raises(RestrictedData):
        _ = Receipt.objects.get(pk=receipt.pk).recipient_phone


def test_rows_loaded_before_the_cache_went_stale_still_cost_one_key_query():
    for i in range(5):
        person(f"user{i}", phone=f"1380000{i:04d}")
    with crypto.key_scope():
        rows = list(Person.objects.order_by("pk"))
        stale = keyring.ring()
        with (
            mock.patch.object(keyring.Keyring, "fresh", lambda self: self is not stale),
            CaptureQueriesContext(connection) as queries,
        ):
            phones = [r.phone for r in rows]
            assert keyring.ring() is not stale
    assert phones == [f"1380000{i:04d}" for i in range(5)]
    assert len(queries) == 1
