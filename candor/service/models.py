"""Requests and complaints (C002-24, C003-22, C004-22, C004-25): what a person asks of Candor,
and the record that it was answered on time.

A request is filed by its requester, for themselves or on behalf of a child or a deceased
relative (C003-22: a guardian, next of kin). What they wrote, the answer and the explanation of
a refusal can hold anyone's personal data, so they are encrypted under the requester's profile
key and go with the account. Kind, status and the dates stay in clear and stay after erasure:
they name no one and are the proof, for the regulator, that each request was answered in time.

Every change of a request is also written to its event log (``RequestEvent``), append-only:
services only ever add rows, and the admin shows them read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.privacy.crypto import EncryptedField


class Kind(models.TextChoices):
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    ACCESS = "access", _("Access to my data")
    CORRECTION = "correction", _("Correction of my data")
    DELETION = "deletion", _("Deletion of my data")
    WITHDRAW = "withdraw", _("Withdrawal of consent")
    CANCEL = "cancel", _("Cancellation of my account")
    CONTEST_DECISION = "contest_decision", _("Contest an automated decision")
    OTHER = "other", _("Other request")


class OnBehalf(models.TextChoices):
    SELF = "self", _("Myself")
    CHILD = "child", _("My child (I am the guardian)")
    DECEASED_RELATIVE = "deceased_relative", _("A deceased relative (I am next of kin)")


class Relationship(models.TextChoices):
    """Next of kin (PIPL art. 49; Civil Code art. 1045) who may act for a deceased person."""

    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Father or mother")
    CHILD = "child", _("Son or daughter")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFYING_IDENTITY = "verifying_identity", _("Verifying identity")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN = (Status.RECEIVED, Status.VERIFYING_IDENTITY, Status.IN_PROGRESS)


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("App")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")


class IdentityMethod(models.TextChoices):
    SMS_CODE = "sms_code", _("SMS code to the account's mobile")
    DOCUMENTS = "documents", _("Documents seen")


class RefusalReason(models.TextChoices):
    """The only cases in which a request may be refused: C004-22 (Factory to Home §6.8) and
    C003-22 (人集 七), each with an explanation written for the requester."""

    NATIONAL_SECURITY = "national_security", _("Related to national security or national defence")
    PUBLIC_INTEREST = (
        "public_interest",
        _("Related to public safety, public health or major public interests"),
    )
    CRIMINAL_INVESTIGATION = (
        "criminal_investigation",
        _("Related to criminal investigation, prosecution, trial or enforcement of judgments"),
    )
    BAD_FAITH = "bad_faith", _("Sufficient evidence of malice or abuse of rights")
    HARM_TO_OTHERS = (
        "harm_to_others",
        _("Answering would seriously harm the legitimate rights of you or other persons or organizations"),
    )
    NOT_THEIR_DATA = "not_their_data", _("The information is not directly related to the requester")
    REPEATED = "repeated", _("Repeated without a reasonable ground")
    IMPRACTICAL = (
        "impractical",
        _("Impractical, or would need excessive technical means (such as building a new system)"),
    )


class RightsRequest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rights_requests",
        verbose_name=_("requester"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on_behalf = models.CharField(_("on behalf of"), max_length=20, choices=OnBehalf.choices, default="self")
    # The child's or the deceased person's name; empty for oneself.
    relation_name = EncryptedField(_("name of the person concerned"), null=True, blank=True)
    relationship = models.CharField(
        _("relationship to the deceased"), max_length=16, choices=Relationship.choices, blank=True
    )
    body = EncryptedField(_("request"), null=True, blank=True)
    # What a deletion request is about: one data set of the data map ("app.model"), or empty for
    # the whole account. Its own field, not a tag in the text, so that staff can never answer a
    # request to delete one data set by erasing the whole account (``erases_account``).
    scope = models.CharField(_("data concerned"), max_length=100, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default="web")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="received")
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("due date"), db_index=True)
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("identity verified by"),
    )  # fmt: skip
    identity_method = models.CharField(
        _("identity verified by way of"), max_length=16, choices=IdentityMethod.choices, blank=True
    )
    answer = EncryptedField(_("answer"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=32, choices=RefusalReason.choices, blank=True
    )
    refusal_explanation = EncryptedField(_("explanation of the refusal"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests and complaints")
        ordering = ("due_at", "pk")
        indexes = [models.Index(fields=["user", "-received_at"], name="service_user_received")]
        permissions = [
            ("verify_identity", "Can verify a requester's identity"),
            ("act_on_request", "Can export or erase a requester's data for a request"),
        ]

    def __str__(self) -> str:
        return f"request #{self.pk}"  # nothing personal: admin titles and logs print it

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def erases_account(self) -> bool:
        """Whether the answer may be to erase the whole account: a cancellation, or a deletion of
        everything (no ``scope``). A deletion of one data set is answered by deleting that data."""
        return self.kind == Kind.CANCEL or (self.kind == Kind.DELETION and not self.scope)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def days_left(self) -> int:
        """Whole days until the due date (negative when overdue), counted as the calendar does."""
        today = timezone.localdate()
        return (timezone.localtime(self.due_at).date() - today).days


class RequestEvent(models.Model):
    """One line of a request's history: who did what, when, and the status it moved to."""

    class Action(models.TextChoices):
        FILED = "filed", _("Filed")
        CODE_SENT = "code_sent", _("Verification code sent")
        VERIFIED = "verified", _("Identity verified")
        STARTED = "started", _("Work started")
        EXPORTED = "exported", _("Data exported")
        ERASED = "erased", _("Data erased")
        ANSWERED = "answered", _("Answered")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(
        RightsRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("done by"),
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    status_from = models.CharField(_("status before"), max_length=20, choices=Status.choices, blank=True)
    status_to = models.CharField(_("status after"), max_length=20, choices=Status.choices)
    # Codes only (an identity method, a refusal reason): never free text, which could be personal.
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"request event #{self.pk}"
