"""Each recipient gets exactly its declared part (C000-08, C000-24, C001-07, C002-04, C004-07)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candor.privacy import audit, consent, disclosure, taxonomy
from candor.privacy.consent import ConsentRequired
from candor.privacy.datamap import Share
from candor.privacy.disclosure import DisclosureRefused
from candor.privacy.models import AuditEvent, DisclosureRecord
from tests.privacy_app.core_models import Deal

pytestmark = pytest.mark.django_db

# Marked with a character no payload holds, so a generated "number" or "Candor" cannot match the
# payload's own keys and fixed text by chance (hypothesis found exactly that once).
PERSONAL = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=6, max_size=30).map(
    lambda text: f"个{text}"
)


def make_deal(user, **values) -> Deal:
    defaults = {"number": "D" + str(Deal.objects.count() + 1), "amount_fen": 12_800}
    return Deal.objects.create(user=user, **{**defaults, **values})


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=PERSONAL, phone=PERSONAL, address=PERSONAL, note=PERSONAL)
def test_payment_institution_gets_only_number_amount_and_subject(
    django_user_model, name, phone, address, note
):
    user, _ = django_user_model.objects.get_or_create(username="buyer")
    deal = make_deal(user, recipient_name=name, recipient_phone=phone, address=address, buyer_note=note)
    payload = disclosure.disclose(taxonomy.PAYMENT_INSTITUTION, deal, taxonomy.PAYMENT)
    assert payload == {
        "number": deal.number,
        "amount_fen": 12_800,
        "payment_subject": f"Candor order {deal.number}",
    }
    text = repr(payload)
    assert not any(value in text for value in (name, phone, address, note))


def test_carrier_gets_recipient_phone_and_address(django_user_model):
    user = django_user_model.objects.create_user(username="buyer2")
    deal = make_deal(
        user, recipient_name="张三", recipient_phone="13812348000", address="北京市朝阳区建国路88号"
    )
    payload = disclosure.disclose(taxonomy.LOGISTICS, deal, taxonomy.DELIVERY)
    assert payload == {
        "number": deal.number,
        "recipient_name": "张三",
        "recipient_phone": "13812348000",
        "address": "北京市朝阳区建国路88号",
    }


def test_each_disclosure_is_recorded_with_basis_and_audited(django_user_model):
    user = django_user_model.objects.create_user(username="buyer3")
    deal = make_deal(user)
    disclosure.disclose(taxonomy.PAYMENT_INSTITUTION, deal, taxonomy.PAYMENT, actor_id=user.pk)
    record = DisclosureRecord.objects.get()
    assert (record.recipient, record.subject_id, record.purpose, record.basis) == (
        "payment_institution",
        user.pk,
        "payment",
        "contract",
    )
    assert record.fields == ["number", "amount_fen", "payment_subject"]
    event = AuditEvent.objects.get(action=audit.Action.DISCLOSE)
    assert event.subject_id == user.pk and event.detail["recipient"] == "payment_institution"
    assert disclosure.ledger(user.pk) == [record]


def test_undeclared_recipient_or_purpose_is_refused_and_nothing_is_recorded(django_user_model):
    user = django_user_model.objects.create_user(username="buyer4")
    deal = make_deal(user)
    with pytest.raises(DisclosureRefused):
        disclosure.disclose(taxonomy.PROMOTION_PARTNER, deal, taxonomy.MARKETING_PUSH)
    with pytest.raises(DisclosureRefused):
        disclosure.disclose(taxonomy.LOGISTICS, deal, taxonomy.MARKETING_PUSH)
    with pytest.raises(DisclosureRefused):
        disclosure.disclose(taxonomy.LOGISTICS, user, taxonomy.DELIVERY)  # users are not shared at all
    assert not DisclosureRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=audit.Action.DISCLOSE).exists()


@pytest.fixture
def location_share():
    """Deal, declared for the test with one more recipient whose share rests on consent."""
    from dataclasses import replace

    from candor.privacy import datamap

    original = datamap.declaration_for(Deal)
    extra = Share(taxonomy.LOCATION_PROVIDER, ("address",), taxonomy.LOCATION_FEATURES, taxonomy.CONSENT)
    datamap._declarations[Deal] = replace(original, recipients=(*original.recipients, extra))
    yield
    datamap._declarations[Deal] = original


def test_a_share_resting_on_consent_waits_for_it(django_user_model, location_share):
    user = django_user_model.objects.create_user(username="locator")
    deal = make_deal(user, address="北京市朝阳区建国路88号")
    with pytest.raises(ConsentRequired):
        disclosure.disclose(taxonomy.LOCATION_PROVIDER, deal, taxonomy.LOCATION_FEATURES)
    assert not DisclosureRecord.objects.exists()
    consent.grant(user.pk, taxonomy.LOCATION_FEATURES, channel=consent.Channel.WEB)
    payload = disclosure.disclose(taxonomy.LOCATION_PROVIDER, deal, taxonomy.LOCATION_FEATURES)
    assert payload == {"address": "北京市朝阳区建国路88号"}
