"""Send and check one-time codes (SMS today; ``channel`` leaves room for others).

How a code is kept. A code has six digits from ``secrets``; the row stores only
HMAC-SHA256(key, salt | purpose | code), the key derived from ``settings.SECRET_KEY`` (Django's
``salted_hmac`` with a key salt of our own), never the code. Why an HMAC and not the password
hasher: a six-digit code has only a million values, so a slow hash (argon2) of a stolen table
falls to brute force in hours anyway, while it would cost every check real CPU; a keyed hash
whose key is not in the database cannot be brute-forced from a stolen table at all. Rotating
SECRET_KEY invalidates the codes in flight, which live five minutes. The number and the client
address are kept the same way (keyed hashes with their own key salts): enough to count and find
the codes of one number or address, and no list of numbers. The code is never returned by any
API (some malls return it in the HTTP response, which makes the SMS pointless).

Limits. Per number: 1 code a minute, 5 an hour, 10 a day; per address: 20 an hour; counted
from the rows, so every process sees the same counts (a PostgreSQL advisory lock per number
serializes two concurrent requests; SQLite's IMMEDIATE transactions already do). A code takes
5 wrong tries, then it is locked; only the newest code of a number and purpose counts. A wrong
try is counted in the cache as well as on the row: the caller's transaction, which the refusal
rolls back, would otherwise undo the count (use Redis — REDIS_URL — when several processes
serve, so they share it).

Sending. The code goes to the gateway through ``disclosure.disclose`` (recorded, audited) as the
last step of ``code_send``'s transaction; if the gateway refuses, the transaction rolls back and
nothing remains — no row, no disclosure record, no count against the limits. The plain code
exists only in memory between ``secrets`` and the gateway.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.integrations.sms.base import CODE_TEMPLATE, gateway
from candor.privacy import crypto, disclosure, taxonomy
from candor.verification.models import OutboxEmail, Purpose, VerificationCode
from candor.verification.phones import normalize_cn_mobile

CODE_LIFETIME = timedelta(minutes=5)
MAX_WRONG_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
PHONE_LIMITS = ((RESEND_AFTER, 1), (timedelta(hours=1), 5), (timedelta(days=1), 10))
IP_LIMITS = ((timedelta(hours=1), 20),)


# --- errors ------------------------------------------------------------------------------------


class CodeInvalid(CandorError):
    status = 400
    code = "code_invalid"

    def __init__(self) -> None:
        message = _("The verification code is incorrect or has already been used.")
        super().__init__(message, fields={"code": [str(message)]})


class CodeExpired(CandorError):
    status = 400
    code = "code_expired"

    def __init__(self) -> None:
        message = _("The verification code has expired. Please request a new one.")
        super().__init__(message, fields={"code": [str(message)]})


class CodeLocked(CandorError):
    status = 429
    code = "code_locked"

    def __init__(self) -> None:
        message = _("Too many wrong tries. Please request a new verification code.")
        super().__init__(message, fields={"code": [str(message)]})


class CodeRateLimited(CandorError):
    status = 429
    code = "code_rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("Too many verification codes requested. Please wait %(seconds)s seconds and try again.")
            % {"seconds": retry_after},
            extra={"retry_after": retry_after},
        )


class InvalidPurpose(CandorError):
    status = 400
    code = "invalid_purpose"

    def __init__(self) -> None:
        message = _("Unknown purpose for a verification code.")
        super().__init__(message, fields={"purpose": [str(message)]})


class UnsupportedChannel(CandorError):
    status = 400
    code = "unsupported_channel"

    def __init__(self) -> None:
        super().__init__(_("Verification codes are sent by text message only."))


@dataclass(frozen=True)
class SentCode:
    """What a caller may know about a sent code: never the code."""

    expires_in: int  # seconds
    resend_after: int  # seconds


# --- keyed hashes ------------------------------------------------------------------------------


def _mac(purpose: str, value: str) -> str:
    return salted_hmac(f"candor.verification.{purpose}", value, algorithm="sha256").hexdigest()


def phone_hash(phone: str) -> str:
    return _mac("phone", phone)


def ip_hash(ip: str) -> str:
    return _mac("ip", ip)


def code_hash(*, salt: str, purpose: str, code: str) -> str:
    return _mac("code", f"{salt}|{purpose}|{code}")


# --- services ----------------------------------------------------------------------------------


def _validated(channel: str, purpose: str) -> None:
    if channel != "sms":
        raise UnsupportedChannel()
    if purpose not in Purpose.values:
        raise InvalidPurpose()


def _retry_after(rows: list[datetime], limits: tuple[tuple[timedelta, int], ...], now: datetime) -> int:
    """Seconds until every limit admits one more code, given the send times (newest first)."""
    wait = 0.0
    for window, allowed in limits:
        recent = [at for at in rows if at > now - window]
        if len(recent) >= allowed:
            wait = max(wait, (recent[allowed - 1] + window - now).total_seconds())
    return math.ceil(wait)


def _send_times(now: datetime, **match: str) -> list[datetime]:
    """When codes went to a number (or from an address) in the longest window, newest first."""
    rows = VerificationCode.objects.filter(created_at__gt=now - timedelta(days=1), **match)
    return list(rows.order_by("-created_at").values_list("created_at", flat=True))


def _serialize(key: str) -> None:
    """Two requests for one number must not both pass the count (PostgreSQL; SQLite's
    IMMEDIATE transactions are serialized already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"verification:{key}"])


def _account_of(phone: str) -> int:
    user_model = get_user_model()
    found = user_model._default_manager.filter(**crypto.lookup(user_model, "phone", phone))
    return found.values_list("pk", flat=True).first() or 0


@transaction.atomic
def code_send(*, channel: str = "sms", target: str, purpose: str, ip: str) -> SentCode:
    """Send a new code for ``purpose`` to the mobile number ``target`` (any common spelling)."""
    _validated(channel, purpose)
    phone = normalize_cn_mobile(target)
    by_phone, by_ip = phone_hash(phone), ip_hash(ip)
    _serialize(by_phone)
    now = timezone.now()
    wait = max(
        _retry_after(_send_times(now, phone_hash=by_phone), PHONE_LIMITS, now),
        _retry_after(_send_times(now, ip_hash=by_ip), IP_LIMITS, now),
    )
    if wait:
        raise CodeRateLimited(wait)

    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    row = VerificationCode.objects.create(
        channel=channel,
        purpose=purpose,
        account_id=_account_of(phone),
        phone_hash=by_phone,
        ip_hash=by_ip,
        salt=salt,
        code_hash=code_hash(salt=salt, purpose=purpose, code=code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    outgoing = row.outgoing(phone=phone, code=code)
    payload = disclosure.disclose(taxonomy.SMS_GATEWAY, outgoing, taxonomy.REGISTRATION)
    row.receipt = gateway().send(phone=payload["phone"], template=CODE_TEMPLATE, params=payload["message"])
    row.save(update_fields=["receipt"])
    return SentCode(
        expires_in=int(CODE_LIFETIME.total_seconds()), resend_after=int(RESEND_AFTER.total_seconds())
    )


def _wrong_tries_key(row: VerificationCode) -> str:
    return f"verification:wrong:{row.pk}:{row.salt}"  # the salt: a reused id never inherits a count


def _wrong_tries(row: VerificationCode) -> int:
    return max(row.attempts, cache.get(_wrong_tries_key(row), 0))


def _count_wrong_try(row: VerificationCode) -> int:
    key = _wrong_tries_key(row)
    cache.add(key, 0, timeout=int(CODE_LIFETIME.total_seconds()) + 60)
    try:
        counted = cache.incr(key)
    except ValueError:  # expired between add and incr
        counted = 1
    VerificationCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    return max(counted, row.attempts + 1)


@transaction.atomic
def code_check(*, channel: str = "sms", target: str, purpose: str, code: str) -> None:
    """Consume the newest code sent to ``target`` for ``purpose`` if ``code`` matches (single
    use, in the caller's transaction); raise ``CodeInvalid``, ``CodeExpired`` or ``CodeLocked``."""
    _validated(channel, purpose)
    phone = normalize_cn_mobile(target)
    row = (
        VerificationCode.objects.select_for_update()
        .filter(phone_hash=phone_hash(phone), purpose=purpose, channel=channel)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None or row.consumed_at is not None:
        raise CodeInvalid()
    now = timezone.now()
    if row.expires_at <= now:
        raise CodeExpired()
    if _wrong_tries(row) >= MAX_WRONG_TRIES:
        raise CodeLocked()
    given = (code or "").strip()
    if not constant_time_compare(code_hash(salt=row.salt, purpose=purpose, code=given), row.code_hash):
        if _count_wrong_try(row) >= MAX_WRONG_TRIES:
            raise CodeLocked()
        raise CodeInvalid()
    if not VerificationCode.objects.filter(pk=row.pk, consumed_at__isnull=True).update(consumed_at=now):
        raise CodeInvalid()  # a concurrent check consumed it first


def outbox_email_store(*, to: str, subject: str, body: str) -> OutboxEmail:
    """Keep one e-mail in the dev outbox (``mail.OutboxEmailBackend``)."""
    return OutboxEmail.objects.create(to=to, subject=subject[:255], body=body)
