"""Writes: real-name and face verification through the identity authority, and the guardian
step for minors (C003-28, C004-23).

A check with the authority runs in three steps so that no database transaction stays open while
Candor waits on the network (the simulator, or a slow authority, would otherwise hold SQLite's
write lock): (1) one transaction stores the submitted values as "pending", hands them over
through ``disclosure.disclose`` (allowlist, ledger, audit) and commits; (2) the call; (3) one
transaction records the verdict, blanks what a failed check submitted, and audits it. Input is
validated before step 1, so bad input creates nothing.

Minors: ``minor_check`` is called by registration and profile edits inside their transaction.
Under 14 the account is closed (``GuardianGateMiddleware``) until a guardian, proven by an SMS
code to their own phone, consents; the consent is a ledger entry on the child's account. A
guardianship left pending past the grace period, or refused, is erased by the nightly task.
"""

from __future__ import annotations

import base64
import re
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.identity import idnumbers, minors
from candor.identity.models import FaceVerification, Guardianship, RealNameAttempt, RealNameVerification
from candor.identity.personal_data import FACE_PURPOSE
from candor.identity.selectors import CONSENT_STEP, NOTICE_STEP, is_realname_verified, pending_step
from candor.integrations.identity import client as authority
from candor.privacy import audit, consent, crypto, disclosure, rights, taxonomy
from candor.privacy.processing import processing
from candor.verification.phones import normalize_cn_mobile

Status = RealNameVerification.Status
_NAME = re.compile(r"^(?:[\u3400-\u9fff·•]{2,30}|[A-Za-z][A-Za-z ·'.-]{1,59})$")
IMAGE_TYPES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG: what the authority accepts


# --- errors ---------------------------------------------------------------------------------


class InvalidName(CandorError):
    status = 400
    code = "invalid_name"

    def __init__(self) -> None:
        message = _("Enter your name exactly as it appears on your ID card.")
        super().__init__(message, fields={"name": [str(message)]})


class RealNameMismatch(CandorError):
    status = 400
    code = "realname_mismatch"

    def __init__(self) -> None:
        super().__init__(_("The name and ID number do not match. Please check both and try again."))


class RealNameFailed(CandorError):
    status = 400
    code = "realname_failed"

    def __init__(self) -> None:
        super().__init__(_("The identity authority could not verify this ID number."))


class AuthorityUnavailable(CandorError):
    status = 503
    code = "identity_authority_unavailable"

    def __init__(self) -> None:
        super().__init__(
            _("The identity check is not available right now. Nothing was saved; please try later.")
        )


class AlreadyVerified(CandorError):
    status = 409
    code = "realname_already_verified"

    def __init__(self) -> None:
        super().__init__(_("Your account is already verified."))


class IdNumberTaken(CandorError):
    status = 409
    code = "id_number_taken"

    def __init__(self) -> None:
        message = _("This ID number has already verified another account.")
        super().__init__(message, fields={"id_number": [str(message)]})


class TooManyAttempts(CandorError):
    status = 429
    code = "realname_rate_limited"

    def __init__(self) -> None:
        super().__init__(_("Too many verification attempts today. Please try again tomorrow."))


class RealNameRequired(CandorError):
    status = 409
    code = "realname_required"

    def __init__(self) -> None:
        super().__init__(_("Complete real-name verification before face verification."))


class InvalidImage(CandorError):
    status = 400
    code = "invalid_image"

    def __init__(self) -> None:
        message = _("Upload a JPEG or PNG photo of your face, at most %(mb)s MB.") % {
            "mb": settings.CANDOR_FACE_MAX_BYTES // 1_000_000
        }
        super().__init__(message, fields={"image": [str(message)]})


class GuardianNotRequired(CandorError):
    status = 409
    code = "guardian_step_not_pending"

    def __init__(self) -> None:
        super().__init__(_("There is no guardian step waiting for this account."))


class InvalidRelation(CandorError):
    status = 400
    code = "invalid_relation"

    def __init__(self) -> None:
        message = _("Choose how the guardian is related to you.")
        super().__init__(message, fields={"relation": [str(message)]})


class GuardianPhoneIsOwn(CandorError):
    status = 400
    code = "guardian_phone_is_own"

    def __init__(self) -> None:
        message = _("Enter your guardian's mobile number, not your own.")
        super().__init__(message, fields={"phone": [str(message)]})


# --- helpers -------------------------------------------------------------------------------


def clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not _NAME.match(name):
        raise InvalidName()
    return name


def _target(row: Any) -> str:
    return f"{row._meta.label_lower}:{row.pk}"


def _audit_change(row: Any, subject_id: int, fields: list[str], purpose: str, **detail: Any) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=subject_id,
        subject_id=subject_id,
        target=_target(row),
        fields=fields,
        purpose=purpose,
        detail=detail,
    )


def _ensure_consent(user_id: int, purpose: taxonomy.Purpose, *, given: bool, channel: str) -> None:
    """A separate consent ticked on the same form is recorded first; without it, refuse."""
    if given and not consent.has(user_id, purpose):
        consent.grant(user_id, purpose, channel=channel, evidence={"asked_with": purpose.code})
    consent.require(user_id, purpose)


# --- real-name verification ------------------------------------------------------------------


def _attempts_today(user_id: int, now: datetime) -> int:
    return RealNameAttempt.objects.filter(user_id=user_id, at__gte=now - timedelta(days=1)).count()


def realname_verify(
    *, user: Any, name: str, id_number: str, consent_given: bool = False, channel: str
) -> RealNameVerification:
    """Check name + ID number with the authority; keep them (encrypted) only when they match.
    Raises ``InvalidIdNumber``/``InvalidName`` (nothing stored), ``ConsentRequired``,
    ``AlreadyVerified``, ``IdNumberTaken``, ``TooManyAttempts``, ``RealNameMismatch`` /
    ``RealNameFailed`` (the verdict is recorded) or ``AuthorityUnavailable``."""
    number = idnumbers.validate(id_number)
    name = clean_name(name)
    now = timezone.now()
    with transaction.atomic():
        _ensure_consent(user.pk, taxonomy.REAL_NAME, given=consent_given, channel=channel)
    if is_realname_verified(user):
        raise AlreadyVerified()
    if _attempts_today(user.pk, now) >= settings.CANDOR_REALNAME_DAILY_ATTEMPTS:
        raise TooManyAttempts()
    taken = RealNameVerification.objects.filter(
        status=Status.VERIFIED, **crypto.lookup(RealNameVerification, "id_number", number)
    ).exclude(user_id=user.pk)
    if taken.exists():
        # Counted as an attempt: otherwise the check would answer "is this number a customer?"
        # without limit.
        RealNameAttempt.objects.create(user_id=user.pk, outcome="taken")
        raise IdNumberTaken()
    row, payload = _realname_submit(user=user, name=name, number=number, now=now)
    try:
        with processing(taxonomy.REAL_NAME):
            result = authority.client().id_card_verification(
                id_card=payload["id_number"], name=payload["name"]
            )
    except authority.AuthorityUnavailable as exc:
        _realname_record(row_id=row.pk, status=Status.FAILED, code=exc.code, ref="")
        raise AuthorityUnavailable() from None
    if result.matched:
        status = Status.VERIFIED
    elif result.result == authority.MISMATCH:
        status = Status.MISMATCH
    else:
        status = Status.FAILED
    row = _realname_record(row_id=row.pk, status=status, code=result.result, ref=result.request_id)
    if row.status == Status.MISMATCH:
        raise RealNameMismatch()
    if row.status == Status.FAILED:
        raise IdNumberTaken() if row.result_code == "taken" else RealNameFailed()
    return row


@transaction.atomic
def _realname_submit(
    *, user: Any, name: str, number: str, now: datetime
) -> tuple[RealNameVerification, dict[str, Any]]:
    row, _ = RealNameVerification.objects.select_for_update().get_or_create(user=user)
    row.name, row.id_number = name, number
    row.status, row.result_code, row.authority_ref, row.checked_at = Status.PENDING, "", "", now
    row.save()
    _audit_change(row, user.pk, ["name", "id_number", "status"], taxonomy.REAL_NAME.code, step="submitted")
    payload = disclosure.disclose(taxonomy.IDENTITY_AUTHORITY, row, taxonomy.REAL_NAME, actor_id=user.pk)
    return row, payload


@transaction.atomic
def _realname_record(*, row_id: int, status: str, code: str, ref: str) -> RealNameVerification:
    row = RealNameVerification.objects.select_for_update().get(pk=row_id)
    row.status, row.result_code, row.authority_ref = status, code[:64], ref[:64]
    birthday: date | None = None
    if status == Status.VERIFIED:
        row.verified_at = timezone.now()
        with processing(taxonomy.REAL_NAME):
            birthday = idnumbers.birthday_of(str(row.id_number))
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # Another account verified the same number a moment ago: one number, one account.
            row.status, row.result_code, row.verified_at, birthday = Status.FAILED, "taken", None, None
    if row.status != Status.VERIFIED:
        # Candor has no purpose for a pair the authority did not confirm: keep the verdict only.
        row.name, row.id_number = None, None
        row.save()
    RealNameAttempt.objects.create(user_id=row.user_id, outcome=row.status, authority_ref=row.authority_ref)
    _audit_change(
        row, row.user_id, ["status", "name", "id_number"], taxonomy.REAL_NAME.code,
        step="verdict", status=row.status, result=row.result_code,
    )  # fmt: skip
    if birthday is not None:
        minor_check(user=row.user, birthday=birthday)
    return row


# --- face verification ---------------------------------------------------------------------


def face_verify(*, user: Any, image: bytes, consent_given: bool = False, channel: str) -> FaceVerification:
    """Compare a photo with the ID photo the authority holds for the user's verified identity.
    The photo is held in memory for the call and dropped: only the outcome is stored."""
    if not image or len(image) > settings.CANDOR_FACE_MAX_BYTES or not image.startswith(IMAGE_TYPES):
        raise InvalidImage()
    with transaction.atomic():
        _ensure_consent(user.pk, FACE_PURPOSE, given=consent_given, channel=channel)
    if not is_realname_verified(user):
        raise RealNameRequired()
    row, payload = _face_submit(user=user, image_base64=base64.b64encode(image).decode("ascii"))
    try:
        with processing(FACE_PURPOSE):
            result = authority.client().image_recognition(
                id_card=payload["verified_id_number"],
                name=payload["verified_name"],
                image_base64=payload["image_base64"],
            )
    except authority.AuthorityUnavailable as exc:
        _face_record(row_id=row.pk, passed=False, similarity=None, code=exc.code, ref="")
        raise AuthorityUnavailable() from None
    finally:
        payload.clear()  # the only reference to the photo outside the caller's request
    passed = (
        result.result == authority.FACE_SUCCESS
        and (result.similarity or 0) >= settings.CANDOR_FACE_MIN_SIMILARITY
    )
    return _face_record(
        row_id=row.pk, passed=passed, similarity=result.similarity, code=result.result, ref=result.request_id
    )


@transaction.atomic
def _face_submit(*, user: Any, image_base64: str) -> tuple[FaceVerification, dict[str, Any]]:
    row = FaceVerification.objects.create(user=user)
    row._image_base64 = image_base64
    try:
        payload = disclosure.disclose(taxonomy.IDENTITY_AUTHORITY, row, FACE_PURPOSE, actor_id=user.pk)
    finally:
        row._image_base64 = None
    return row, payload


@transaction.atomic
def _face_record(
    *, row_id: int, passed: bool, similarity: float | None, code: str, ref: str
) -> FaceVerification:
    row = FaceVerification.objects.select_for_update().get(pk=row_id)
    row.passed, row.similarity, row.result_code, row.authority_ref = passed, similarity, code[:64], ref[:64]
    row.save()
    _audit_change(
        row, row.user_id, ["passed", "similarity"], FACE_PURPOSE.code, passed=passed, result=row.result_code
    )
    return row


# --- minors and guardians ------------------------------------------------------------------


@transaction.atomic
def minor_check(*, user: Any, birthday: date | None) -> None:
    """Open the guardian step a birthday calls for: under 14, guardian consent (the account is
    closed until then); 14–17, the guardian notice. A consent or refusal already given stays
    as it is; a step still pending is lifted when a corrected birthday says adult."""
    if birthday is None:
        return
    band = minors.band_of(birthday, timezone.localdate())
    row = Guardianship.objects.select_for_update().filter(child_id=user.pk).first()
    purpose = taxonomy.GUARDIAN_CONSENT.code
    if band is minors.Band.CHILD:
        if row is None:
            row = Guardianship.objects.create(child=user, kind=Guardianship.Kind.CONSENT)
            _audit_change(row, user.pk, ["kind", "status"], purpose, step="opened", kind=row.kind)
        elif row.kind == Guardianship.Kind.NOTICE:
            row.kind, row.status, row.decided_at = (
                Guardianship.Kind.CONSENT,
                Guardianship.Status.PENDING,
                None,
            )
            row.save()
            _audit_change(row, user.pk, ["kind", "status"], purpose, step="raised_to_consent")
    elif band is minors.Band.MINOR:
        if row is None:
            row = Guardianship.objects.create(child=user, kind=Guardianship.Kind.NOTICE)
            _audit_change(row, user.pk, ["kind", "status"], purpose, step="opened", kind=row.kind)
    elif row is not None and row.status == Guardianship.Status.PENDING:
        _audit_change(row, user.pk, ["kind", "status"], purpose, step="lifted", kind=row.kind)
        row.delete()


def _own_phone(user: Any) -> str | None:
    # The accounts app adds ``User.phone``; until then there is nothing to compare with.
    try:
        value = getattr(user, "phone", None)
    except Exception:  # an unreadable (erased) value compares as nothing
        return None
    return str(value) if value else None


def guardian_code_send(*, user: Any, phone: str, ip: str) -> Any:
    """Send a code to the guardian's phone (the guardian proves it is theirs by passing it on)."""
    if pending_step(user) != CONSENT_STEP:
        raise GuardianNotRequired()
    number = normalize_cn_mobile(phone)
    if number == _own_phone(user):
        raise GuardianPhoneIsOwn()
    from candor.verification import services as verification

    return verification.code_send(channel="sms", target=number, purpose="guardian", ip=ip)


@transaction.atomic
def guardian_decide(
    *, user: Any, phone: str, code: str, relation: str, consent_given: bool, channel: str
) -> Guardianship:
    """Record the guardian's decision for a child's account, proven by the code sent to the
    guardian's phone. Consent opens the account; refusal leaves it closed for erasure."""
    row = Guardianship.objects.select_for_update().filter(child_id=user.pk).first()
    if row is None or row.kind != Guardianship.Kind.CONSENT or row.status == Guardianship.Status.CONSENTED:
        raise GuardianNotRequired()
    if relation not in Guardianship.Relation.values:
        raise InvalidRelation()
    number = normalize_cn_mobile(phone)
    if number == _own_phone(user):
        raise GuardianPhoneIsOwn()
    from candor.verification import services as verification

    verification.code_check(channel="sms", target=number, purpose="guardian", code=code)
    row.status = Guardianship.Status.CONSENTED if consent_given else Guardianship.Status.REFUSED
    row.guardian_phone, row.relation, row.decided_at = number, relation, timezone.now()
    row.save()
    evidence = {"guardianship": row.pk, "relation": relation, "via": channel}
    if consent_given:
        consent.grant(user.pk, taxonomy.GUARDIAN_CONSENT, channel=consent.Channel.GUARDIAN, evidence=evidence)
    else:
        consent.withdraw(
            user.pk, taxonomy.GUARDIAN_CONSENT, channel=consent.Channel.GUARDIAN, evidence=evidence
        )
    _audit_change(
        row, user.pk, ["status", "guardian_phone", "relation", "decided_at"], taxonomy.GUARDIAN_CONSENT.code,
        step="decided", status=row.status,
    )  # fmt: skip
    return row


@transaction.atomic
def guardian_notice_acknowledge(*, user: Any, channel: str) -> Guardianship:
    """A 14–17-year-old confirms having read the guardian notice (shown once)."""
    if pending_step(user) != NOTICE_STEP:
        raise GuardianNotRequired()
    row = Guardianship.objects.select_for_update().get(child_id=user.pk)
    row.status, row.decided_at = Guardianship.Status.ACKNOWLEDGED, timezone.now()
    row.save()
    _audit_change(
        row, user.pk, ["status", "decided_at"], taxonomy.GUARDIAN_CONSENT.code, step="notice", via=channel
    )
    return row


def unconsented_minors_erase(*, now: datetime | None = None) -> int:
    """Erase the accounts of children whose guardian refused, or did not consent within the
    grace period (C004-23: "data of a minor registered without consent is deleted")."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CANDOR_GUARDIAN_GRACE_DAYS)
    due = Guardianship.objects.filter(kind=Guardianship.Kind.CONSENT).filter(
        status__in=[Guardianship.Status.PENDING, Guardianship.Status.REFUSED]
    )
    due = due.filter(status=Guardianship.Status.REFUSED) | due.filter(
        status=Guardianship.Status.PENDING, created_at__lt=cutoff
    )
    erased = 0
    for child_id, status in list(due.values_list("child_id", "status")):
        with transaction.atomic():
            audit.record(
                action=audit.Action.ERASE,
                subject_id=child_id,
                target="identity.guardianship",
                purpose=taxonomy.GUARDIAN_CONSENT.code,
                detail={"reason": "no_guardian_consent", "status": status},
            )
            rights.erase(child_id)
        erased += 1
    return erased
