"""Reads of payments: what blocks cancelling an account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from candor.payments.models import Refund, RemittanceSlip


def cancellation_blockers(user: Any) -> list[Any]:
    """Money on its way back, or a remittance finance has not checked, keeps the account open."""
    reasons: list[Any] = []
    if Refund.objects.filter(buyer_id=user.pk, status__in=Refund.OPEN).exists():
        reasons.append(_("A refund to you is still in progress."))
    if RemittanceSlip.objects.filter(buyer_id=user.pk, status=RemittanceSlip.Status.WAITING).exists():
        reasons.append(_("A bank remittance you sent is still being checked."))
    return reasons
