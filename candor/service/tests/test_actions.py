"""Identity verification before any data is revealed or changed (C003-08, C003-22), and the
actions that call the core: the export (the core's zip, an audit row naming the officer) and
the erasure (a verified, confirmed deletion or cancellation request only). On each refused
path: no zip, no audit row, no erasure, the request unchanged."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model

from candor.accounts.services import account_login_by_code
from candor.errors import CandorError
from candor.privacy.models import AuditEvent, ErasureRecord
from candor.service import actions, services
from candor.service.models import RightsRequest
from candor.service.tests.conftest import PHONE
from tests.sms_outbox import latest_code

pytestmark = pytest.mark.django_db


def _file(user, kind="access", **extra) -> RightsRequest:
    return services.request_file(user=user, kind=kind, body="请把我的数据发给我", **extra)


def _exports() -> int:
    return AuditEvent.objects.filter(action="export").count()


def test_no_export_before_the_identity_is_verified(alice, officer):
    request = _file(alice)
    before = _exports()
    with pytest.raises(CandorError) as raised:
        actions.request_export(request_id=request.pk, actor=officer)
    assert (raised.value.status, raised.value.code) == (409, "identity_not_verified")
    assert _exports() == before
    request.refresh_from_db()
    assert request.status == "received" and request.events.count() == 1


def test_after_documents_are_seen_the_export_is_the_cores_zip_with_an_audit_row(alice, officer):
    request = _file(alice, on_behalf="self")
    services.request_identity_verify(request_id=request.pk, actor=officer, method="documents")
    archive = actions.request_export(request_id=request.pk, actor=officer)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert "index.json" in names and "consents.json" in names
    assert any("service" in name and name.endswith(".json") for name in names)  # this very request
    audit = AuditEvent.objects.filter(action="export").latest("seq")
    assert (audit.actor_id, audit.subject_id, audit.purpose) == (officer.pk, alice.pk, "rights_requests")
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert list(request.events.values_list("action", flat=True)) == ["filed", "verified", "exported"]
    assert (request.identity_method, request.identity_verified_by_id) == ("documents", officer.pk)


def test_an_sms_code_to_the_account_mobile_verifies_the_requester(with_phone, officer):
    request = _file(with_phone)
    services.request_code_send(request_id=request.pk, actor=officer, ip="10.0.0.1")
    request.refresh_from_db()
    assert request.status == "verifying_identity"
    with pytest.raises(CandorError):
        services.request_code_check(request_id=request.pk, code="000000", actor=officer)
    request.refresh_from_db()
    assert request.identity_verified_at is None
    services.request_code_check(request_id=request.pk, code=latest_code(PHONE), actor=officer)
    request.refresh_from_db()
    assert (request.status, request.identity_method) == ("in_progress", "sms_code")
    assert request.identity_verified_at is not None


def test_the_identity_code_read_back_to_staff_does_not_log_into_the_account(with_phone, agent):
    """Staff (even customer service) send the code; whoever hears it read back cannot log in with it,
    and a code of the requester's own login does not verify the request either."""
    request = _file(with_phone, kind="question")
    services.request_code_send(request_id=request.pk, actor=agent, ip="10.0.0.1")
    code = latest_code(PHONE)
    with pytest.raises(CandorError):
        account_login_by_code(phone=PHONE, code=code)
    services.request_code_check(request_id=request.pk, code=code, actor=agent)  # still good for its use
    request.refresh_from_db()
    assert request.identity_method == "sms_code"


def test_the_requester_can_type_the_code_but_not_into_someone_elses_request(with_phone, bob, officer):
    request = _file(with_phone)
    services.request_code_send(request_id=request.pk, actor=officer, ip="10.0.0.1")
    with pytest.raises(CandorError) as raised:
        services.request_code_check(request_id=request.pk, code=latest_code(PHONE), actor=bob, requester=bob)
    assert raised.value.status == 404
    services.request_code_check(
        request_id=request.pk, code=latest_code(PHONE), actor=with_phone, requester=with_phone
    )
    request.refresh_from_db()
    assert request.identity_verified_by_id == with_phone.pk


def test_without_a_mobile_the_code_cannot_be_sent(alice, officer):
    request = _file(alice)
    with pytest.raises(CandorError) as raised:
        services.request_code_send(request_id=request.pk, actor=officer, ip="10.0.0.1")
    assert raised.value.code == "no_mobile"
    request.refresh_from_db()
    assert request.status == "received"


def test_a_request_for_another_person_is_not_exported_from_the_requesters_account(alice, officer):
    request = _file(alice, on_behalf="child", relation_name="李小明")
    services.request_identity_verify(request_id=request.pk, actor=officer, method="documents")
    before = _exports()
    with pytest.raises(CandorError) as raised:
        actions.request_export(request_id=request.pk, actor=officer)
    assert raised.value.code == "not_own_account" and _exports() == before


def test_a_deletion_of_one_data_set_never_erases_the_account(alice, officer):
    scoped = services.request_file(
        user=alice, kind="deletion", body="请删除我的实名认证信息", scope="identity.realnameverification"
    )
    assert scoped.scope == "identity.realnameverification" and not scoped.erases_account
    services.request_identity_verify(request_id=scoped.pk, actor=officer, method="documents")
    with pytest.raises(CandorError) as raised:
        actions.request_erase(request_id=scoped.pk, actor=officer, confirm=True)
    assert (raised.value.status, raised.value.code) == (409, "scoped_deletion")
    assert not ErasureRecord.objects.exists()
    assert get_user_model().objects.get(pk=alice.pk).is_active
    scoped.refresh_from_db()
    assert scoped.is_open and scoped.events.filter(action="erased").count() == 0
    # ...it is answered instead (staff deleted that data, or explain why it stays).
    services.request_answer(request_id=scoped.pk, actor=officer, answer="已删除您的实名认证信息")
    assert services.request_file(user=alice, kind="deletion", body="全部删除").erases_account
    assert services.request_file(user=alice, kind="cancel", body="注销").erases_account


@pytest.mark.parametrize(
    ("kind", "scope"), [("deletion", "nope.nothing"), ("access", "identity.realnameverification")]
)
def test_a_scope_names_a_data_set_of_the_data_map_and_only_for_a_deletion(alice, kind, scope):
    with pytest.raises(CandorError) as raised:
        services.request_file(user=alice, kind=kind, body="x", scope=scope)
    assert raised.value.status == 400 and "scope" in raised.value.fields
    assert not RightsRequest.objects.filter(user=alice).exists()


def _erasable(user, officer, kind="deletion") -> RightsRequest:
    request = _file(user, kind)
    services.request_identity_verify(request_id=request.pk, actor=officer, method="documents")
    return request


def test_erasure_needs_verification_confirmation_and_a_deletion_or_cancellation_request(alice, officer):
    unverified = _file(alice, "deletion")
    with pytest.raises(CandorError) as raised:
        actions.request_erase(request_id=unverified.pk, actor=officer, confirm=True)
    assert raised.value.code == "identity_not_verified"
    access = _erasable(alice, officer, kind="access")
    with pytest.raises(CandorError) as raised:
        actions.request_erase(request_id=access.pk, actor=officer, confirm=True)
    assert raised.value.code == "not_erasable"
    deletion = _erasable(alice, officer)
    with pytest.raises(CandorError) as raised:
        actions.request_erase(request_id=deletion.pk, actor=officer, confirm=False)
    assert raised.value.code == "not_confirmed"
    assert not ErasureRecord.objects.exists()
    assert get_user_model().objects.get(pk=alice.pk).is_active


def test_a_confirmed_erasure_erases_the_account_and_closes_the_request(alice, officer):
    request = _erasable(alice, officer, kind="cancel")
    done = actions.request_erase(request_id=request.pk, actor=officer, confirm=True)
    assert ErasureRecord.objects.filter(subject_id=alice.pk).exists()
    assert not get_user_model().objects.get(pk=alice.pk).is_active
    audit = AuditEvent.objects.filter(action="erase").latest("seq")
    assert (audit.actor_id, audit.subject_id) == (officer.pk, alice.pk)
    assert done.status == "answered" and done.closed_at is not None
    assert done.body is None  # anonymized with the rest of the person's data
    assert list(done.events.values_list("action", flat=True)) == ["filed", "verified", "erased"]


def test_what_blocks_a_cancellation_blocks_the_erasure(alice, officer, monkeypatch):
    from candor.accounts import cancellation

    monkeypatch.setattr(cancellation, "_blockers", [lambda user: ["未完成的订单"]])
    request = _erasable(alice, officer)
    with pytest.raises(CandorError) as raised:
        actions.request_erase(request_id=request.pk, actor=officer, confirm=True)
    assert raised.value.code == "erasure_blocked" and "未完成的订单" in str(raised.value.message)
    assert not ErasureRecord.objects.exists()
    request.refresh_from_db()
    assert request.status == "in_progress"
