"""``device_record``: what a browser's User-Agent and an app's headers say, cleaned and cut to
length, with the IP address encrypted at rest; and the network-log retention rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from candor.devices import network
from candor.devices.models import DeviceEvent
from candor.devices.services import device_record
from candor.devices.tests.conftest import CHROME
from candor.privacy import retention, rights, taxonomy
from candor.privacy.keyring import RestrictedData
from candor.privacy.processing import processing

pytestmark = pytest.mark.django_db


def request(**headers):
    return RequestFactory().post("/login/", REMOTE_ADDR=headers.pop("ip", "203.0.113.7"), **headers)


def test_a_chrome_login_records_browser_os_language_and_encrypted_ip(alice):
    device_record(
        request=request(HTTP_USER_AGENT=CHROME, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8"),
        user=alice,
        event="login",
    )
    row = DeviceEvent.objects.get(user=alice)
    assert (row.event, row.browser, row.os, row.language) == ("login", "Chrome 124", "Windows 10", "zh-CN")
    assert (row.device_model, row.app_version, row.resolution, row.carrier) == ("", "", "", "")
    assert row.ip_address == "203.0.113.7"
    with connection.cursor() as cursor:
        cursor.execute("SELECT ip_address FROM devices_deviceevent WHERE id = %s", [row.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1$") and "203.0.113" not in stored


def test_an_app_sends_its_own_headers(alice):
    device_record(
        request=request(
            HTTP_USER_AGENT="okhttp/4.12.0",
            HTTP_X_CANDOR_DEVICE_MODEL="HUAWEI Mate 60",
            HTTP_X_CANDOR_OS="HarmonyOS 4.2",
            HTTP_X_CANDOR_APP_VERSION="3.1.0 (412)",
            HTTP_X_CANDOR_RESOLUTION="1260×2720",
            HTTP_X_CANDOR_CARRIER="46000",
            ip="2001:db8:85a3::8a2e:370:7334",
        ),
        user=alice,
        event="register",
    )
    row = DeviceEvent.objects.get(user=alice)
    assert (row.event, row.device_model, row.os, row.app_version) == (
        "register", "HUAWEI Mate 60", "HarmonyOS 4.2", "3.1.0 (412)",
    )  # fmt: skip
    assert (row.resolution, row.carrier) == ("1260x2720", "46000")
    assert row.ip_address == "2001:db8:85a3::8a2e:370:7334"


def test_an_iphone_user_agent_gives_the_device_model(alice):
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
    )
    device_record(request=request(HTTP_USER_AGENT=iphone), user=alice, event="login")
    row = DeviceEvent.objects.get(user=alice)
    assert (row.device_model, row.os, row.browser) == ("Apple iPhone", "iOS 17.4", "Mobile Safari 17")


def test_oversize_and_malformed_headers_are_cut_cleaned_or_dropped(alice):
    device_record(
        request=request(
            HTTP_USER_AGENT="x" * 10_000,
            HTTP_X_CANDOR_DEVICE_MODEL="M" * 500,
            HTTP_X_CANDOR_OS="Android\x0014\r\n<script>",
            HTTP_X_CANDOR_APP_VERSION="9" * 100,
            HTTP_X_CANDOR_RESOLUTION="huge",
            HTTP_X_CANDOR_CARRIER="\t中国移动\x7f ",
            HTTP_ACCEPT_LANGUAGE="<b>not a language</b>",
            ip="not-an-ip",
        ),
        user=alice,
        event="login",
    )
    row = DeviceEvent.objects.get(user=alice)
    assert row.device_model == "M" * 64
    assert row.os == "Android 14 <script>"  # control characters out; it is text, escaped on display
    assert row.app_version == "9" * 32
    assert (row.resolution, row.carrier, row.language, row.browser) == ("", "中国移动", "", "")
    assert row.ip_address is None


def test_an_unknown_event_is_a_programming_error_and_stores_nothing(alice):
    with pytest.raises(ValueError):
        device_record(request=request(), user=alice, event="logout")
    assert not DeviceEvent.objects.exists()


def test_x_forwarded_for_is_believed_only_from_our_own_proxies(settings):
    forged = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7"
    )
    assert network.client_ip(forged) == "10.0.0.2"
    settings.CANDOR_TRUSTED_PROXY_HOPS = 1
    assert network.client_ip(forged) == "203.0.113.7"  # what our one proxy saw, not the client's claim


def test_ip_masks():
    assert network.mask_ip("203.0.113.7") == "203.0.113.*"
    assert network.mask_ip("2001:db8:85a3::8a2e:370:7334") == "2001:db8:85a3:*"
    assert network.mask_ip(None) == ""


def test_network_logs_are_kept_six_months_then_swept(alice):
    now = timezone.now()
    old = DeviceEvent.objects.create(
        user=alice, event="login", ip_address="203.0.113.1", at=now - timedelta(days=213)
    )
    recent = DeviceEvent.objects.create(
        user=alice, event="login", ip_address="203.0.113.2", at=now - timedelta(days=152)
    )
    edge = DeviceEvent.objects.create(
        user=alice, event="login", at=now - timedelta(days=183)
    )  # Jul–Dec is 184
    results = {r.label: r.rows for r in retention.sweep(now=now)}
    assert results["devices.DeviceEvent"] == 1
    assert set(DeviceEvent.objects.values_list("pk", flat=True)) == {recent.pk, edge.pk}
    assert not DeviceEvent.objects.filter(pk=old.pk).exists()


def test_erasure_keeps_the_log_restricted_until_its_term(alice):
    device_record(request=request(HTTP_USER_AGENT=CHROME), user=alice, event="login")
    rights.erase(alice.pk)
    row = DeviceEvent.objects.get(user=alice)
    assert (row.browser, row.os, row.event) == ("", "", "login")  # clear fields blanked
    with pytest.raises(RestrictedData):
        _ = row.ip_address
    with processing(taxonomy.LEGAL_RETENTION):
        assert DeviceEvent.objects.get(pk=row.pk).ip_address == "203.0.113.7"
