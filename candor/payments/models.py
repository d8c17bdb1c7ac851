"""Payments, the notifications payment institutions send, refunds and business remittances.

A ``Payment`` is one purchase paid through one institution; its ``out_trade_no`` is the purchase
number, so a notification finds it and the unique constraint keeps one row per purchase and
institution. Every notification that arrives is logged (``PaymentNotice``) with what was done
with it — applied, a duplicate, rejected (bad signature), or refused (amount or number does not
match) — so a replay or a forgery is visible to staff and changes nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.orders.models import Order, PaymentMethod, Purchase
from candor.privacy.crypto import EncryptedField


class Payment(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        PAID = "paid", _("Paid")
        # Money that arrived when the purchase was already paid or closed: it goes back whole.
        REFUNDED = "refunded", _("Paid late: refunded")

    purchase = models.ForeignKey(
        Purchase, on_delete=models.PROTECT, related_name="payments", verbose_name=_("purchase")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    method = models.CharField(_("payment institution"), max_length=16, choices=PaymentMethod.choices)
    out_trade_no = models.CharField(_("merchant trade number"), max_length=32)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STARTED)
    provider_trade_no = EncryptedField(_("institution's trade number"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # The one payment that paid the purchase (a buyer may pay by two methods; the second is
    # refunded as late): refunds of its orders go back through this one.
    applied = models.BooleanField(_("paid the purchase"), default=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["method", "out_trade_no"], name="payments_payment_trade"),
        ]

    def __str__(self) -> str:
        return f"{self.method}:{self.out_trade_no}"


class PaymentNotice(models.Model):
    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied: the purchase is paid")
        DUPLICATE = "duplicate", _("Duplicate: already applied, nothing changed")
        REJECTED = "rejected", _("Rejected: signature or format invalid")
        MISMATCH = "mismatch", _("Refused: unknown trade or wrong amount")
        NOT_PAID = "not_paid", _("Noted: the institution reports no payment")
        LATE = "late", _("Paid after the purchase closed: refunded")
        REFUND = "refund", _("Refund notice: noted")

    provider = models.CharField(_("payment institution"), max_length=16)
    notice_id = models.CharField(_("notification id"), max_length=128, blank=True)
    out_trade_no = models.CharField(_("merchant trade number"), max_length=32, blank=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    body_sha256 = models.CharField(_("body (SHA-256)"), max_length=64)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ("-received_at", "-id")

    def __str__(self) -> str:
        return f"{self.provider}:{self.notice_id or '?'}"


class Refund(models.Model):
    """Money owed back, one row per refund number — which is fixed (``R`` and the order's
    number, or ``L``, the institution's initial and the purchase's number for money that came
    late), so asking again after a timeout is the same refund at the institution, never a
    second one. The row is committed (pending) before the institution is asked; a pending or
    failed one is asked again by ``tasks.refunds_retry``. A bank remittance is paid back by
    finance, who marks it done in the back office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")
        MANUAL = "manual", _("Finance pays back")

    LATE = "late"  # ``reason`` of a refund of money that came for a closed purchase
    OPEN = (Status.PENDING, Status.FAILED, Status.MANUAL)

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    refund_no = models.CharField(_("refund number"), max_length=32, unique=True)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_refund_no = EncryptedField(_("institution's refund number"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Why: the order's cancellation reason (applied when the money is back), or ``late``.
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    paid_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("paid back by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return self.refund_no


class RemittanceSlip(models.Model):
    """A business buyer's bank remittance slip (C002-05): uploaded by the buyer, checked by
    finance in the back office. The picture may show bank account numbers, so it is kept
    encrypted (as a data: URL) and masked until finance opens it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for finance")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    purchase = models.ForeignKey(
        Purchase, on_delete=models.PROTECT, related_name="remittance_slips", verbose_name=_("purchase")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    payer_name = EncryptedField(_("paying account name"), null=True, blank=True)
    slip = EncryptedField(_("remittance slip"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("remittance slip")
        verbose_name_plural = _("remittance slips")

    def __str__(self) -> str:
        return f"slip #{self.pk}"
