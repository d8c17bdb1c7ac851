"""Codes: hashed at rest, five minutes, single use, five wrong tries, limits, disclosure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from candor.integrations.sms.aliyun import AliyunSms
from candor.integrations.sms.base import SmsUnavailable
from candor.integrations.sms.models import OutboxMessage
from candor.privacy import retention, taxonomy
from candor.privacy.models import AuditEvent, DisclosureRecord
from candor.verification import services
from candor.verification.models import VerificationCode
from candor.verification.phones import InvalidPhone
from candor.verification.tests.conftest import PHONE, latest_code

pytestmark = pytest.mark.django_db


def send(phone: str = PHONE, purpose: str = "register", ip: str = "192.0.2.1") -> None:
    services.code_send(channel="sms", target=phone, purpose=purpose, ip=ip)


def age(delta: timedelta) -> None:
    """Move every code back in time, as if ``delta`` had passed."""
    for row in VerificationCode.objects.all():
        VerificationCode.objects.filter(pk=row.pk).update(
            created_at=row.created_at - delta, expires_at=row.expires_at - delta
        )


def test_the_code_is_stored_only_as_a_keyed_hash():
    send(phone="+86 138-1234-8000")
    code = latest_code()
    row = VerificationCode.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {VerificationCode._meta.db_table}")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert code not in stored
    assert PHONE not in stored and "192.0.2.1" not in stored
    ledgers = [*DisclosureRecord.objects.values(), *AuditEvent.objects.values()]
    assert ledgers and code not in str(ledgers) and PHONE not in str(ledgers)
    assert row.code_hash == services.code_hash(salt=row.salt, purpose="register", code=code)
    assert row.phone_hash == services.phone_hash(PHONE) and row.account_id == 0


def test_a_code_checks_once_and_only_once():
    send()
    code = latest_code()
    services.code_check(target=PHONE, purpose="register", code=code)
    assert VerificationCode.objects.get().consumed_at is not None
    with pytest.raises(services.CodeInvalid):
        services.code_check(target=PHONE, purpose="register", code=code)


def test_a_code_is_bound_to_its_purpose():
    send(purpose="register")
    with pytest.raises(services.CodeInvalid):
        services.code_check(target=PHONE, purpose="login", code=latest_code())
    assert VerificationCode.objects.get().consumed_at is None


def test_a_code_expires_after_five_minutes():
    send()
    code = latest_code()
    age(timedelta(minutes=5, seconds=1))
    with pytest.raises(services.CodeExpired) as refused:
        services.code_check(target=PHONE, purpose="register", code=code)
    assert refused.value.status == 400 and refused.value.code == "code_expired"
    assert VerificationCode.objects.get().consumed_at is None


def test_only_the_newest_code_counts():
    send()
    first = latest_code()
    age(timedelta(minutes=2))
    send()
    second = latest_code()
    if first != second:
        with pytest.raises(services.CodeInvalid):
            services.code_check(target=PHONE, purpose="register", code=first)
    services.code_check(target=PHONE, purpose="register", code=second)


def test_five_wrong_tries_lock_the_code_even_the_right_one_after():
    send()
    code = latest_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        with pytest.raises(services.CodeInvalid):
            services.code_check(target=PHONE, purpose="register", code=wrong)
    with pytest.raises(services.CodeLocked) as locked:
        services.code_check(target=PHONE, purpose="register", code=wrong)
    assert locked.value.status == 429 and locked.value.code == "code_locked"
    with pytest.raises(services.CodeLocked):
        services.code_check(target=PHONE, purpose="register", code=code)
    assert VerificationCode.objects.get().consumed_at is None


def test_wrong_tries_count_even_when_the_callers_transaction_rolls_back():
    send()
    code = latest_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises((services.CodeInvalid, services.CodeLocked)), transaction.atomic():
            services.code_check(target=PHONE, purpose="register", code=wrong)  # e.g. registration
    assert VerificationCode.objects.get().attempts == 0  # the rows' counts were rolled back…
    with pytest.raises(services.CodeLocked):  # …the lockout was not
        services.code_check(target=PHONE, purpose="register", code=code)


def test_per_phone_limits_one_a_minute_five_an_hour():
    send()
    with pytest.raises(services.CodeRateLimited) as limited:
        send()
    assert limited.value.status == 429 and 0 < limited.value.extra["retry_after"] <= 60
    for _ in range(4):
        age(timedelta(seconds=61))
        send()
    age(timedelta(seconds=61))
    with pytest.raises(services.CodeRateLimited) as hourly:
        send()
    assert 60 < hourly.value.extra["retry_after"] <= 3600
    assert VerificationCode.objects.count() == 5 and OutboxMessage.objects.count() == 5


def test_per_ip_limit_twenty_an_hour():
    for n in range(20):
        send(phone=f"1391234{n:04d}", ip="198.51.100.7")
    with pytest.raises(services.CodeRateLimited):
        send(phone="13912349999", ip="198.51.100.7")
    send(phone="13912349999", ip="198.51.100.8")  # another address is not affected
    assert VerificationCode.objects.count() == 21


def test_malformed_phone_and_unknown_purpose_send_nothing():
    with pytest.raises(InvalidPhone):
        send(phone="12345")
    with pytest.raises(services.InvalidPurpose):
        send(purpose="marketing")
    assert not VerificationCode.objects.exists() and not OutboxMessage.objects.exists()
    assert not DisclosureRecord.objects.exists()


def test_each_sms_is_a_recorded_disclosure_to_the_sms_gateway():
    send()
    row = VerificationCode.objects.get()
    record = DisclosureRecord.objects.get()
    assert record.recipient == taxonomy.SMS_GATEWAY.code
    assert record.target == f"verification.verificationcode:{row.pk}"
    assert record.fields == ["phone", "message"] and record.purpose == taxonomy.REGISTRATION.code
    assert record.subject_id == 0  # no account holds the number yet
    assert AuditEvent.objects.filter(action="disclose", target=record.target).exists()


def test_a_code_for_an_accounts_number_is_that_accounts_data(django_user_model):
    user = django_user_model.objects.create_user(username="lin", password="x-Very-long-9")
    user.phone = PHONE
    user.save()
    send(purpose="login")
    assert VerificationCode.objects.get().account_id == user.pk
    assert DisclosureRecord.objects.get().subject_id == user.pk


def test_a_refused_sms_leaves_nothing_behind(monkeypatch):
    # The adapter signs with a secret the simulator does not know: SignatureDoesNotMatch.
    forged = AliyunSms()
    forged.key_secret = "not-the-configured-secret"
    monkeypatch.setattr(services, "gateway", lambda: forged)
    with pytest.raises(SmsUnavailable) as failed:
        send()
    assert failed.value.status == 503 and failed.value.detail == "SignatureDoesNotMatch"
    assert not VerificationCode.objects.exists() and not DisclosureRecord.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_retention_sweep_deletes_codes_a_day_old():
    send()
    send(phone="13912340000")
    age(timedelta(days=1, minutes=1))
    send(phone="13712340000")
    results = {r.label: r.rows for r in retention.sweep()}
    assert results["verification.VerificationCode"] == 2
    assert results["sms_simulator.OutboxMessage"] == 0  # its rows are new (auto_now_add)
    assert VerificationCode.objects.count() == 1


def test_outbox_rows_expire_after_a_day_too():
    send()
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert {r.label: r.rows for r in retention.sweep()}["sms_simulator.OutboxMessage"] == 1
    assert not OutboxMessage.objects.exists()
