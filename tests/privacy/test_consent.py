"""The consent ledger: append-only, withdrawal effective at once, history kept in order."""

from __future__ import annotations

import pytest

from candor.privacy import audit, consent, taxonomy
from candor.privacy.consent import ConsentRequired
from candor.privacy.models import AuditEvent, ConsentRecord
from candor.privacy.models.append_only import AppendOnlyError

pytestmark = pytest.mark.django_db

WEB = consent.Channel.WEB


def test_basic_purposes_need_no_grant_additional_ones_do():
    assert consent.has(7, taxonomy.ORDERING)
    assert not consent.has(7, taxonomy.PERSONALIZATION)
    with pytest.raises(ConsentRequired) as raised:
        consent.require(7, taxonomy.LOCATION_FEATURES)
    assert raised.value.status == 403 and raised.value.code == "consent_required"
    assert raised.value.extra == {"purpose": "location_features"}


def test_withdrawal_stops_require_at_once_and_history_keeps_both_in_order():
    consent.grant(
        7, taxonomy.MARKETING_PUSH, channel=WEB, policy_version="1.0", evidence={"page": "/me/privacy/"}
    )
    consent.require(7, taxonomy.MARKETING_PUSH)
    consent.withdraw(7, taxonomy.MARKETING_PUSH, channel=WEB, policy_version="1.0")
    with pytest.raises(ConsentRequired):
        consent.require(7, taxonomy.MARKETING_PUSH)
    history = [(r.purpose, r.granted, r.policy_version) for r in consent.history(7)]
    assert history == [("marketing_push", True, "1.0"), ("marketing_push", False, "1.0")]
    assert consent.history(7)[0].evidence == {"page": "/me/privacy/"}
    assert AuditEvent.objects.filter(action=audit.Action.CONSENT, subject_id=7).count() == 2


def test_states_lists_every_purpose_that_needs_consent():
    consent.grant(8, taxonomy.CAMERA, channel=WEB)
    states = consent.states(8)
    assert states["camera"] is True and states["microphone"] is False
    assert "ordering" not in states  # basic: covered by the policy
    needing = {code for code, p in taxonomy.PURPOSES.items() if p.needs_consent}
    assert set(states) == needing


def test_ledger_is_append_only():
    row = consent.grant(9, taxonomy.ALBUM, channel=WEB)
    row.granted = False
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        ConsentRecord.objects.filter(subject_id=9).update(granted=False)
    with pytest.raises(AppendOnlyError):
        ConsentRecord.objects.filter(subject_id=9).delete()
    assert consent.has(9, taxonomy.ALBUM)


def test_unknown_purpose_is_refused():
    with pytest.raises(ValueError, match="unknown purpose"):
        consent.grant(9, "mind_reading", channel=WEB)
