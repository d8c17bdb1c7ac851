"""The simulator's ledger: the trades and refunds the simulated institutions hold.

It stands for the institutions' side and exists only where the simulators run (the demo and
the tests); production never writes here. A trade holds what the merchant sent — its number,
amount, subject and addresses — and what the institution made of it; no one's personal data:
the simulated buyer has no account, and Candor sends none (``personal_data.py``).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_hex(16)


class SimTrade(models.Model):
    class Provider(models.TextChoices):
        ALIPAY = "alipay", _("Alipay")
        WECHATPAY = "wechatpay", _("WeChat Pay")
        UNIONPAY = "unionpay", _("UnionPay")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for payment")
        PAID = "paid", _("Paid")

    provider = models.CharField(_("institution"), max_length=16, choices=Provider.choices)
    out_trade_no = models.CharField(_("merchant's trade number"), max_length=64)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    subject = models.CharField(_("subject"), max_length=256)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    # The page address for the buyer's browser, and WeChat Pay's prepay_id after "wx".
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    provider_trade_no = models.CharField(_("institution's trade number"), max_length=64, unique=True)
    notify_url = models.CharField(_("notification address"), max_length=1024)
    return_url = models.CharField(_("return address"), max_length=1024, blank=True)
    # What the institution keeps of the merchant's request that the notification repeats
    # (Alipay's app_id, WeChat Pay's appid and mchid, UnionPay's merId and txnTime).
    details = models.JSONField(default=dict, blank=True)
    notice_id = models.CharField(_("notification id"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    notices_sent = models.PositiveIntegerField(_("notifications sent"), default=0)
    last_answer_status = models.PositiveIntegerField(_("merchant's last HTTP status"), null=True, blank=True)
    last_answer = models.TextField(_("merchant's last answer"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("simulated trade")
        verbose_name_plural = _("simulated trades")
        constraints = [
            models.UniqueConstraint(fields=["provider", "out_trade_no"], name="sim_trade_unique_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.out_trade_no}"

    @property
    def refunded_fen(self) -> int:
        return sum(refund.amount_fen for refund in self.refunds.all())


class SimRefund(models.Model):
    trade = models.ForeignKey(SimTrade, on_delete=models.CASCADE, related_name="refunds")
    refund_no = models.CharField(_("merchant's refund number"), max_length=64)
    provider_refund_no = models.CharField(_("institution's refund number"), max_length=64, unique=True)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("simulated refund")
        verbose_name_plural = _("simulated refunds")
        constraints = [
            models.UniqueConstraint(fields=["trade", "refund_no"], name="sim_refund_unique_per_trade")
        ]

    def __str__(self) -> str:
        return f"{self.trade} refund {self.refund_no}"
