"""Paying, being told of a payment, refunding, and business remittances.

- ``payment_start`` hands the purchase to the chosen institution through ``disclosure``: the
  institution receives the purchase number, the amount and a subject line naming no one — the
  allowlist declared on ``Purchase`` — and nothing else, however the order is filled (C000-08).
- ``notice_receive`` is the only way a purchase becomes paid: the adapter verifies the
  institution's signature (and decrypts WeChat Pay's resource); the amount and trade number must
  match a payment we started; applying it twice changes nothing (the purchase is locked and
  must still be pending). Every notification is logged with its outcome, forgeries included.
- Refunds go back to the original method (``order_cancel_and_refund``) under a number fixed per
  order (``R`` + order number; ``L`` + institution + purchase number for money that came late):
  the row is committed as owed before the institution is asked, the call holds no transaction,
  and a pending or refused one is asked again (``refunds_retry``) — the same refund at the
  institution, never a second payment out. A bank remittance is paid back by finance.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.integrations.payment.base import NoticeRejected, PaymentUnavailable, PayOrder, PayStart, gateway
from candor.integrations.payment.unionpay import RefundNotice
from candor.orders import services as orders
from candor.orders.errors import OrderNotFound, OrderStateInvalid
from candor.orders.models import ONLINE_METHODS, Order, PaymentMethod, Purchase
from candor.payments.models import Payment, PaymentNotice, Refund, RemittanceSlip
from candor.privacy import audit, disclosure, taxonomy

logger = logging.getLogger(__name__)
MAX_SLIP_BYTES = 2 * 1024 * 1024
# What a slip's first bytes must be, by the type it claims (a browser's word is not enough).
SLIP_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "application/pdf": b"%PDF-"}
SLIP_TYPES = set(SLIP_MAGIC)
CANCELLABLE = (Order.Status.PENDING_PAYMENT, Order.Status.TO_SHIP)
RETRY_FAILED = 12  # a refused refund is asked again this often before finance decides


def _own_purchase(user: Any, number: str, *, lock: bool = False) -> Purchase:
    rows = Purchase.objects.filter(buyer_id=user.pk, number=str(number)[:32])
    purchase = (rows.select_for_update() if lock else rows).first()
    if purchase is None:
        raise OrderNotFound()
    return purchase


def payment_start(
    *, user: Any, purchase_number: str, method: str, notify_base: str, return_url: str
) -> PayStart:
    """Send the buyer to ``method``'s payment page for their pending purchase. The disclosure
    and the payment row are committed first: the data leaves with the call (WeChat Pay's is an
    HTTP request), which is made outside any transaction and holds no lock."""
    if method not in ONLINE_METHODS:
        raise CandorError(_("Choose Alipay, WeChat Pay or UnionPay."), code="payment_method_invalid")
    with transaction.atomic():
        purchase = _own_purchase(user, purchase_number, lock=True)
        if purchase.status != Purchase.Status.PENDING or purchase.payment_method == PaymentMethod.COD:
            raise OrderStateInvalid(_("This purchase is not waiting for an online payment."))
        if purchase.payment_method == PaymentMethod.REMITTANCE:
            # The buyer may already have remitted: an online payment on top would pay twice.
            raise OrderStateInvalid(
                _("This purchase is paid by bank remittance: upload the remittance slip instead.")
            )
        if purchase.pay_by < timezone.now():
            raise OrderStateInvalid(_("The time to pay for this purchase has run out."))
        if purchase.payment_method != method:  # the buyer switched between online methods
            purchase.payment_method = method
            purchase.save(update_fields=["payment_method"])
            purchase.orders.update(payment_method=method)
        payload = disclosure.disclose(
            taxonomy.PAYMENT_INSTITUTION, purchase, taxonomy.PAYMENT, actor_id=user.pk
        )
        Payment.objects.get_or_create(
            method=method, out_trade_no=payload["number"],
            defaults={"purchase": purchase, "buyer_id": user.pk, "amount_fen": payload["total_fen"]},
        )  # fmt: skip
    order = PayOrder(
        out_trade_no=payload["number"], amount_fen=payload["total_fen"], subject=payload["payment_subject"]
    )
    return gateway(method).start(
        order, notify_url=f"{notify_base}/payments/notify/{method}/", return_url=return_url
    )


def _log(provider: str, body: bytes, outcome: str, *, notice: Any = None, reason: str = "") -> PaymentNotice:
    return PaymentNotice.objects.create(
        provider=provider, notice_id=getattr(notice, "notice_id", "")[:128],
        out_trade_no=getattr(notice, "out_trade_no", "")[:32], amount_fen=getattr(notice, "amount_fen", None),
        outcome=outcome, reason=reason[:200], body_sha256=hashlib.sha256(body).hexdigest(),
    )  # fmt: skip


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
    if isinstance(notice, RefundNotice):
        return adapter.notice_ack(ok=_refund_notice(provider, body, notice))
    late: Refund | None = None
    with transaction.atomic():
        rows = Payment.objects.select_for_update().filter(method=provider, out_trade_no=notice.out_trade_no)
        payment = rows.first()
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
        if payment.status in (Payment.Status.PAID, Payment.Status.REFUNDED):
            _log(provider, body, PaymentNotice.Outcome.DUPLICATE, notice=notice)
            return adapter.notice_ack(ok=True)
        paid_at = notice.paid_at or timezone.now()
        applied = orders.purchase_mark_paid(purchase_id=payment.purchase_id, paid_at=paid_at)
        payment.status = Payment.Status.PAID if applied else Payment.Status.REFUNDED
        payment.applied = applied
        payment.paid_at = paid_at
        payment.provider_trade_no = notice.provider_trade_no[:64]
        payment.save(update_fields=["status", "applied", "paid_at", "provider_trade_no"])
        if not applied:
            # Money for a purchase that closed or was paid already: it goes straight back. The
            # refund is owed from now on, whether or not the institution answers below.
            initial = payment.method[:1].upper()
            late = _refund_owed(
                payment, order=payment.purchase.orders.order_by("id").first(),
                refund_no=f"L{initial}{payment.out_trade_no}", amount_fen=payment.amount_fen,
                reason=Refund.LATE, actor_id=None,
            )  # fmt: skip
        outcome = PaymentNotice.Outcome.APPLIED if applied else PaymentNotice.Outcome.LATE
        _log(provider, body, outcome, notice=notice)
    if late is not None:
        # Unanswered, it stays pending: ``refunds_retry`` asks again under the same number.
        with contextlib.suppress(PaymentUnavailable):
            refund_send(refund_id=late.pk, actor_id=None)
    return adapter.notice_ack(ok=True)


def _refund_notice(provider: str, body: bytes, notice: RefundNotice) -> bool:
    """An institution's word on a refund we asked for (UnionPay notifies refunds too): logged,
    and a refund still waiting for its answer is settled by it."""
    refund = Refund.objects.filter(refund_no=notice.out_trade_no, payment__method=provider).first()
    if refund is None or refund.amount_fen != notice.amount_fen:
        _log(provider, body, PaymentNotice.Outcome.MISMATCH, notice=notice, reason="unknown refund or amount")
        return False
    _log(provider, body, PaymentNotice.Outcome.REFUND, notice=notice, reason="" if notice.paid else "failed")
    if notice.paid:
        _refund_settle(refund.pk, succeeded=True, provider_no=notice.provider_trade_no, actor_id=None)
    return True


# --- Refunds ---------------------------------------------------------------------------------------


def _refund_owed(
    payment: Payment, *, order: Order | None, refund_no: str, amount_fen: int, reason: str,
    actor_id: int | None, status: str = Refund.Status.PENDING,
) -> Refund:  # fmt: skip
    """The refund row, made once per refund number (a second request finds the first)."""
    assert order is not None
    return Refund.objects.get_or_create(refund_no=refund_no, defaults={
        "payment": payment, "order": order, "buyer_id": payment.buyer_id, "amount_fen": amount_fen,
        "reason": reason, "requested_by_id": actor_id, "status": status,
    })[0]  # fmt: skip


def refund_send(*, refund_id: int, actor_id: int | None) -> Refund:
    """Ask the institution for a pending or failed refund under its fixed number. Called
    outside any transaction: the row is committed before, so a timeout leaves it pending to be
    asked again. Raises ``PaymentUnavailable`` when the institution did not answer."""
    refund = Refund.objects.select_related("payment", "payment__purchase").get(pk=refund_id)
    if refund.status not in (Refund.Status.PENDING, Refund.Status.FAILED):
        return refund
    payment = refund.payment
    Refund.objects.filter(pk=refund.pk).update(attempts=F("attempts") + 1, attempted_at=timezone.now())
    # The request carries what the payment did: the purchase number and an amount.
    disclosure.disclose(taxonomy.PAYMENT_INSTITUTION, payment.purchase, taxonomy.PAYMENT, actor_id=actor_id)
    try:
        result = gateway(payment.method).refund(
            out_trade_no=payment.out_trade_no, refund_no=refund.refund_no, amount_fen=refund.amount_fen,
            total_fen=payment.amount_fen, provider_trade_no=payment.provider_trade_no or "",
        )  # fmt: skip
    except PaymentUnavailable:
        logger.warning("refund %s: the institution did not answer; it stays pending", refund.refund_no)
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.PENDING)
        raise
    return _refund_settle(refund.pk, succeeded=result.succeeded, provider_no=result.provider_refund_no,
                          actor_id=actor_id)  # fmt: skip


@transaction.atomic
def _refund_settle(refund_id: int, *, succeeded: bool, provider_no: str, actor_id: int | None) -> Refund:
    """Apply the institution's answer once. Money back for a cancellation cancels the order
    (unless it is no longer open: the refund stands either way)."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status in (Refund.Status.SUCCEEDED, Refund.Status.MANUAL):
        return refund
    if not succeeded:
        refund.status = Refund.Status.FAILED
        refund.save(update_fields=["status"])
        return refund
    refund.status = Refund.Status.SUCCEEDED
    refund.provider_refund_no = provider_no[:64]
    refund.refunded_at = timezone.now()
    refund.save(update_fields=["status", "provider_refund_no", "refunded_at"])
    _cancel_refunded_order(refund, actor_id=actor_id)
    return refund


def _cancel_refunded_order(refund: Refund, *, actor_id: int | None) -> None:
    status = Order.objects.filter(pk=refund.order_id).values_list("status", flat=True).get()
    if refund.reason != Refund.LATE and status in CANCELLABLE:
        actor_id = refund.requested_by_id or actor_id  # who asked, though the job may finish it
        orders.order_cancel(order_id=refund.order_id, actor_id=actor_id, reason=refund.reason)


def refunds_retry(*, now: datetime | None = None, limit: int = 200) -> int:
    """Ask again for refunds still pending or failed (Huey, every ten minutes), each under its
    own number. A refusal is asked again a few times (a seller's balance refills); then finance
    decides (``refund_mark_paid_back``). Returns how many went through."""
    now = now or timezone.now()
    due = Refund.objects.filter(
        Q(status=Refund.Status.PENDING) | Q(status=Refund.Status.FAILED, attempts__lt=RETRY_FAILED),
        Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - timedelta(minutes=5)),
    ).order_by("id").values_list("pk", flat=True)  # fmt: skip
    done = 0
    for refund_id in list(due[:limit]):
        try:
            refund = refund_send(refund_id=refund_id, actor_id=None)
        except PaymentUnavailable:
            continue
        done += refund.status == Refund.Status.SUCCEEDED
    return done


@transaction.atomic
def refund_mark_paid_back(*, refund_id: int, actor_id: int) -> Refund:
    """Finance paid the money back outside the institutions (a bank remittance, or a refund an
    institution keeps refusing): the refund is done, and a cancellation takes effect."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status not in (Refund.Status.MANUAL, Refund.Status.FAILED):
        raise OrderStateInvalid(
            _("Only a refund finance pays back, or a failed one, can be marked paid back.")
        )
    refund.status = Refund.Status.SUCCEEDED
    refund.refunded_at = timezone.now()
    refund.paid_back_by_id = actor_id
    refund.save(update_fields=["status", "refunded_at", "paid_back_by"])
    if refund.payment.method != PaymentMethod.REMITTANCE:
        _cancel_refunded_order(refund, actor_id=actor_id)
    audit.record(
        action=audit.Action.CHANGE, actor_id=actor_id, subject_id=refund.buyer_id,
        target=f"payments.refund:{refund.pk}", purpose=taxonomy.PAYMENT.code,
        detail={"operation": "paid_back"},
    )  # fmt: skip
    return refund


def order_cancel_and_refund(*, order: Order, actor_id: int | None, reason: str) -> Order:
    """Cancel an unshipped order. A paid one is refunded to the original method first: the
    refund is owed (committed) before the institution is asked, and the order is cancelled when
    the money is back; if the institution refuses or does not answer, the order stays as it was,
    cannot ship, and the refund is asked again later. A remittance is paid back by finance."""
    with transaction.atomic():
        # Purchase, then order: the order every other step locks them in.
        Purchase.objects.select_for_update().filter(pk=order.purchase_id).first()
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in CANCELLABLE:
            raise OrderStateInvalid(orders.not_cancellable(order))
        paid = Payment.objects.filter(purchase_id=order.purchase_id, applied=True)
        payment = paid.first() if order.paid_at is not None else None
        if payment is None:  # unpaid, or cash on delivery: nothing to give back
            return orders.order_cancel(order_id=order.pk, actor_id=actor_id, reason=reason)
        manual = payment.method == PaymentMethod.REMITTANCE
        refund = _refund_owed(
            payment, order=order, refund_no=f"R{order.number}", amount_fen=order.total_fen, reason=reason,
            actor_id=actor_id, status=Refund.Status.MANUAL if manual else Refund.Status.PENDING,
        )  # fmt: skip
        if manual:
            return orders.order_cancel(order_id=order.pk, actor_id=actor_id, reason=reason)
    try:
        refund = refund_send(refund_id=refund.pk, actor_id=actor_id)
    except PaymentUnavailable as exc:
        raise CandorError(
            _("The payment institution did not answer. The refund is asked for again automatically; "
              "the order is cancelled when the money is back."),
            code="refund_pending", status=503,
        ) from exc  # fmt: skip
    if refund.status != Refund.Status.SUCCEEDED:
        raise CandorError(
            _("The payment institution did not accept the refund. Please try again later."),
            code="refund_failed", status=502,
        )  # fmt: skip
    return Order.objects.get(pk=order.pk)


def buyer_cancel(*, user: Any, order_number: str) -> Order:
    mine = Order.objects.filter(buyer_id=user.pk, buyer_deleted_at__isnull=True)
    order = mine.filter(number=str(order_number)[:32]).first()
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
    if content_type not in SLIP_TYPES or not content.startswith(SLIP_MAGIC.get(content_type, b"-")):
        errors["slip"] = [str(_("Upload the slip as a PNG, JPEG or PDF file."))]
    elif len(content) > MAX_SLIP_BYTES:
        errors["slip"] = [str(_("The file is larger than 2 MB."))]
    if errors:
        raise CandorError(
            _("Please correct the highlighted fields."), code="remittance_invalid", fields=errors
        )
    if not purchase.remittance_slips.filter(status=RemittanceSlip.Status.WAITING).exists():
        # Finance has a slip to check now: the time to pay is extended once for it, not by
        # every further upload.
        purchase.pay_by = max(purchase.pay_by, timezone.now() + timedelta(days=7))
        purchase.save(update_fields=["pay_by"])
    slip = RemittanceSlip.objects.create(
        purchase=purchase, buyer_id=user.pk, payer_name=name,
        slip=f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}",
    )  # fmt: skip
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
            _("Say why the slip is rejected."), code="reason_required",
            fields={"review_note": [str(_("Say why the slip is rejected."))]},
        )  # fmt: skip
    now = timezone.now()
    slip.status = RemittanceSlip.Status.CONFIRMED if accept else RemittanceSlip.Status.REJECTED
    slip.reviewed_by_id = actor_id
    slip.reviewed_at = now
    slip.review_note = note.strip()[:200]
    slip.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if accept:
        if not orders.purchase_confirm_remittance(
            purchase_id=slip.purchase_id, actor_id=actor_id, paid_at=now
        ):
            raise OrderStateInvalid(
                _("This purchase is closed or already paid, so the slip cannot confirm it. Reject the slip "
                  "and pay the money back.")
            )  # fmt: skip
        purchase = slip.purchase
        # The payment refunds of its orders go back through (``order_cancel_and_refund``).
        Payment.objects.create(
            purchase=purchase, buyer_id=purchase.buyer_id, method=PaymentMethod.REMITTANCE,
            out_trade_no=purchase.number, amount_fen=purchase.total_fen, status=Payment.Status.PAID,
            applied=True, paid_at=now,
        )  # fmt: skip
    return slip
