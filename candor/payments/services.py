"""Paying, being told of a payment, refunding, and business remittances.

- ``payment_start`` hands the purchase to the chosen institution through ``disclosure``: the
  institution receives the purchase number, the amount and a subject line naming no one — the
  allowlist declared on ``Purchase`` — and nothing else, however the order is filled (C000-08).
- ``notice_receive`` is the only way a purchase becomes paid: the adapter verifies the
  institution's signature (and decrypts WeChat Pay's resource); the amount and trade number must
  match a payment we started; applying it twice changes nothing (the purchase is locked and
  must still be pending). Every notification is logged with its outcome, forgeries included.
- Refunds go back to the original method (``order_cancel_and_refund``).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.integrations.payment.base import NoticeRejected, PayOrder, PayStart, gateway
from candor.orders import services as orders
from candor.orders.errors import OrderNotFound, OrderStateInvalid
from candor.orders.models import ONLINE_METHODS, Order, PaymentMethod, Purchase
from candor.payments.models import Payment, PaymentNotice, Refund, RemittanceSlip
from candor.privacy import audit, disclosure, taxonomy

logger = logging.getLogger(__name__)
SLIP_TYPES = {"image/png", "image/jpeg", "application/pdf"}
MAX_SLIP_BYTES = 2 * 1024 * 1024


def _own_purchase(user: Any, number: str, *, lock: bool = False) -> Purchase:
    rows = Purchase.objects.filter(buyer_id=user.pk, number=str(number)[:32])
    purchase = (rows.select_for_update() if lock else rows).first()
    if purchase is None:
        raise OrderNotFound()
    return purchase


@transaction.atomic
def payment_start(
    *, user: Any, purchase_number: str, method: str, notify_base: str, return_url: str
) -> PayStart:
    """Send the buyer to ``method``'s payment page for their pending purchase."""
    if method not in ONLINE_METHODS:
        raise CandorError(_("Choose Alipay, WeChat Pay or UnionPay."), code="payment_method_invalid")
    purchase = _own_purchase(user, purchase_number, lock=True)
    if purchase.status != Purchase.Status.PENDING or purchase.payment_method in ("cod",):
        raise OrderStateInvalid(_("This purchase is not waiting for an online payment."))
    if purchase.pay_by < timezone.now():
        raise OrderStateInvalid(_("The time to pay for this purchase has run out."))
    if purchase.payment_method != method:  # the buyer switched between online methods
        purchase.payment_method = method
        purchase.save(update_fields=["payment_method"])
        purchase.orders.update(payment_method=method)
    payload = disclosure.disclose(taxonomy.PAYMENT_INSTITUTION, purchase, taxonomy.PAYMENT, actor_id=user.pk)
    Payment.objects.get_or_create(
        method=method,
        out_trade_no=payload["number"],
        defaults={"purchase": purchase, "buyer_id": user.pk, "amount_fen": payload["total_fen"]},
    )
    order = PayOrder(
        out_trade_no=payload["number"], amount_fen=payload["total_fen"], subject=payload["payment_subject"]
    )
    return gateway(method).start(
        order, notify_url=f"{notify_base}/payments/notify/{method}/", return_url=return_url
    )


def _log(provider: str, body: bytes, outcome: str, *, notice: Any = None, reason: str = "") -> PaymentNotice:
    return PaymentNotice.objects.create(
        provider=provider,
        notice_id=getattr(notice, "notice_id", "")[:128],
        out_trade_no=getattr(notice, "out_trade_no", "")[:32],
        amount_fen=getattr(notice, "amount_fen", None),
        outcome=outcome,
        reason=reason[:200],
        body_sha256=hashlib.sha256(body).hexdigest(),
    )


def notice_receive(*, provider: str, headers: Mapping[str, str], body: bytes) -> tuple[int, str, bytes]:
    """Verify and apply one notification; returns the answer the institution expects."""
    if provider not in ONLINE_METHODS:
        return 404, "text/plain", b"unknown"
    adapter = gateway(provider)
    try:
        notice = adapter.verify_notice(headers=headers, body=body)
    except NoticeRejected as exc:
        logger.warning("payment notice rejected: %s %s", provider, getattr(exc, "reason", exc))
        _log(provider, body, PaymentNotice.Outcome.REJECTED, reason=str(getattr(exc, "reason", exc)))
        return adapter.notice_ack(ok=False)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(method=provider, out_trade_no=notice.out_trade_no)
            .first()
        )
        if payment is None or payment.amount_fen != notice.amount_fen:
            _log(
                provider,
                body,
                PaymentNotice.Outcome.MISMATCH,
                notice=notice,
                reason="unknown trade or amount",
            )
            return adapter.notice_ack(ok=False)
        if not notice.paid:
            _log(provider, body, PaymentNotice.Outcome.NOT_PAID, notice=notice)
            return adapter.notice_ack(ok=True)
        if payment.status == Payment.Status.PAID:
            _log(provider, body, PaymentNotice.Outcome.DUPLICATE, notice=notice)
            return adapter.notice_ack(ok=True)
        paid_at = notice.paid_at or timezone.now()
        payment.status = Payment.Status.PAID
        payment.paid_at = paid_at
        payment.provider_trade_no = notice.provider_trade_no[:64]
        payment.save(update_fields=["status", "paid_at", "provider_trade_no"])
        applied = orders.purchase_mark_paid(purchase_id=payment.purchase_id, paid_at=paid_at)
        outcome = PaymentNotice.Outcome.APPLIED if applied else PaymentNotice.Outcome.LATE
        _log(provider, body, outcome, notice=notice)
    if not applied:
        # Money for a purchase that closed (timed out, cancelled): it goes straight back.
        _refund(payment, amount_fen=payment.amount_fen, order=None, actor_id=None)
    return adapter.notice_ack(ok=True)


def _refund(payment: Payment, *, amount_fen: int, order: Order | None, actor_id: int | None) -> Refund:
    purchase = payment.purchase
    target = order or purchase.orders.order_by("id").first()
    assert target is not None
    refund = Refund.objects.create(
        payment=payment,
        order=target,
        buyer_id=payment.buyer_id,
        refund_no=f"R{purchase.number[:20]}{secrets.randbelow(10**6):06d}",
        amount_fen=amount_fen,
    )
    # The refund request carries what the payment did: the purchase number and an amount.
    disclosure.disclose(taxonomy.PAYMENT_INSTITUTION, purchase, taxonomy.PAYMENT, actor_id=actor_id)
    result = gateway(payment.method).refund(
        out_trade_no=payment.out_trade_no, refund_no=refund.refund_no, amount_fen=amount_fen,
        total_fen=payment.amount_fen, provider_trade_no=payment.provider_trade_no,
    )  # fmt: skip
    refund.status = Refund.Status.SUCCEEDED if result.succeeded else Refund.Status.FAILED
    refund.provider_refund_no = result.provider_refund_no[:64]
    refund.save(update_fields=["status", "provider_refund_no"])
    return refund


def order_cancel_and_refund(*, order: Order, actor_id: int | None, reason: str) -> Order:
    """Cancel an unshipped order; a paid one is refunded to the original method first (if the
    institution refuses, the order stays as it was and the error says so)."""
    if order.status not in (Order.Status.PENDING_PAYMENT, Order.Status.TO_SHIP):
        raise OrderStateInvalid(orders.not_cancellable(order))
    with transaction.atomic():
        order = orders.order_cancel(order_id=order.pk, actor_id=actor_id, reason=reason)
        paid_online = order.paid_at is not None and order.payment_method in ONLINE_METHODS
        payment = Payment.objects.filter(purchase_id=order.purchase_id, status=Payment.Status.PAID).first()
        if paid_online and payment is not None:
            refund = _refund(payment, amount_fen=order.total_fen, order=order, actor_id=actor_id)
            if refund.status != Refund.Status.SUCCEEDED:
                raise CandorError(
                    _("The payment institution did not accept the refund. Please try again later."),
                    code="refund_failed",
                    status=502,
                )
    return order


def buyer_cancel(*, user: Any, order_number: str) -> Order:
    order = Order.objects.filter(
        buyer_id=user.pk, number=str(order_number)[:32], buyer_deleted_at__isnull=True
    ).first()
    if order is None:
        raise OrderNotFound()
    return order_cancel_and_refund(order=order, actor_id=user.pk, reason="buyer")


@transaction.atomic
def remittance_upload(
    *, user: Any, purchase_number: str, payer_name: str, content: bytes, content_type: str
) -> RemittanceSlip:
    purchase = _own_purchase(user, purchase_number, lock=True)
    if purchase.payment_method != PaymentMethod.REMITTANCE or purchase.status != Purchase.Status.PENDING:
        raise OrderStateInvalid(_("This purchase is not waiting for a bank remittance."))
    errors: dict[str, list[str]] = {}
    name = " ".join((payer_name or "").split())[:100]
    if not name:
        errors["payer_name"] = [str(_("Enter the name of the account the money came from."))]
    if content_type not in SLIP_TYPES or not content:
        errors["slip"] = [str(_("Upload the slip as a PNG, JPEG or PDF file."))]
    elif len(content) > MAX_SLIP_BYTES:
        errors["slip"] = [str(_("The file is larger than 2 MB."))]
    if errors:
        raise CandorError(
            _("Please correct the highlighted fields."), code="remittance_invalid", fields=errors
        )
    # The pay-by clock stops: finance has the slip now.
    purchase.pay_by = timezone.now() + timedelta(days=7)
    purchase.save(update_fields=["pay_by"])
    slip = RemittanceSlip.objects.create(
        purchase=purchase,
        buyer_id=user.pk,
        payer_name=name,
        slip=f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}",
    )
    audit.record(
        action=audit.Action.CHANGE, actor_id=user.pk, subject_id=user.pk,
        target=f"payments.remittanceslip:{slip.pk}", fields=["payer_name", "slip"],
        purpose=taxonomy.PAYMENT.code, detail={"operation": "upload"},
    )  # fmt: skip
    return slip


@transaction.atomic
def remittance_review(*, slip_id: int, actor_id: int, accept: bool, note: str = "") -> RemittanceSlip:
    """Finance confirms the money arrived (the purchase is paid) or rejects the slip, with a note."""
    slip = RemittanceSlip.objects.select_for_update().get(pk=slip_id)
    if slip.status != RemittanceSlip.Status.WAITING:
        raise OrderStateInvalid(_("This slip has already been reviewed."))
    if not accept and not note.strip():
        raise CandorError(
            _("Say why the slip is rejected."),
            code="reason_required",
            fields={"review_note": [str(_("Say why the slip is rejected."))]},
        )
    now = timezone.now()
    slip.status = RemittanceSlip.Status.CONFIRMED if accept else RemittanceSlip.Status.REJECTED
    slip.reviewed_by_id = actor_id
    slip.reviewed_at = now
    slip.review_note = note.strip()[:200]
    slip.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if accept:
        orders.purchase_confirm_remittance(purchase_id=slip.purchase_id, actor_id=actor_id, paid_at=now)
    return slip
