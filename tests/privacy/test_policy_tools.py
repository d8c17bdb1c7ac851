"""The policy's tooling and edges: the publish command, the demo's first version, the declared
third-party / SDK list (C003-14, C004-16) and the API's rendering of a missing consent."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from candor.privacy import consent, demo_data, policy, taxonomy
from candor.privacy.models import PolicyVersion
from candor.privacy.third_parties import ThirdParty, register_third_party, unregister_third_party

pytestmark = pytest.mark.django_db


def test_policy_publish_command():
    out = io.StringIO()
    call_command(
        "policy", "publish", "--number", "1.0", "--significant",
        "--summary-zh", "首次发布", "--summary-en", "First publication", stdout=out,
    )  # fmt: skip
    version = PolicyVersion.objects.get(number="1.0")
    assert version.significant and version.summary_en == "First publication"
    assert "1.0" in out.getvalue()
    with pytest.raises(CommandError, match=r"1\.0"):
        call_command("policy", "publish", "--number", "1.0", "--summary-zh", "x", "--summary-en", "y")


def test_demo_publishes_the_first_version_once():
    demo_data.load(io.StringIO())
    demo_data.load(io.StringIO())
    (version,) = PolicyVersion.objects.all()
    assert version.number == "1.0" and version.significant
    assert policy.current() == version


@pytest.fixture
def sdk():
    party = ThirdParty(
        name="Example Push SDK",
        operator="Example Push Co., Ltd.",
        function="deliver order notifications",
        data_items=["device push token", "device model"],
        policy_url="https://push.example/privacy",
        recipient=taxonomy.PUSH_SERVICE,
        method="SDK embedded in the app",
    )
    register_third_party(party)
    yield party
    unregister_third_party(party)


def test_registered_third_party_is_listed(client, api_client, sdk):
    html = client.get("/privacy/sharing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Example Push Co., Ltd." in html and 'href="https://push.example/privacy"' in html
    listed = api_client.call("get", "/privacy/sharing-list").json()["third_parties"]
    (party,) = [p for p in listed if p["operator"] == "Example Push Co., Ltd."]
    assert party["data_items"] == ["device push token", "device model"]
    assert party["recipient_code"] == "push_service"
    with pytest.raises(ValueError, match="twice"):
        register_third_party(sdk)


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh-hans", "此功能需要您同意“相机”。"), ("en", "This feature needs your consent to “Camera”.")],
)
def test_missing_consent_renders_in_the_error_shape(rf, lang, message):
    from candor.api.root import api

    with translation.override(lang):  # raised inside a request, in the request's language
        exc = consent.ConsentRequired(taxonomy.CAMERA)
        response = api.on_exception(rf.get("/api/v1/ping"), exc)
    assert (exc.status, exc.code, exc.extra) == (403, "consent_required", {"purpose": "camera"})
    assert response.status_code == 403
    body = json.loads(response.content)
    assert body == {"code": "consent_required", "message": message, "fields": {}, "purpose": "camera"}
