"""The one interface Candor sends text messages through, and the configured gateway.

A gateway sends a *template* the provider has approved, filled with *params*; Candor never
sends free text, which is also how both Chinese providers work (模板短信). The templates are
the verification code (``CODE_TEMPLATE``, params ``{"code": "123456"}``) and a notice that points
the person to their inbox (``NOTICE_TEMPLATE``, params ``{"topic": "隐私政策更新"}``: a short fixed
subject, never free text, as notice templates' variables are limited in length).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError

CODE_TEMPLATE = "verification_code"
NOTICE_TEMPLATE = "notice"


class SmsUnavailable(CandorError):
    """The gateway refused or could not be reached: nothing was sent, so nothing is kept."""

    status = 503
    code = "sms_unavailable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(_("The text message could not be sent just now. Please try again later."))
        self.detail = detail  # the provider's code, for the log; never shown to the user


class SmsGateway(ABC):
    name: str

    @abstractmethod
    def send(self, *, phone: str, template: str, params: Mapping[str, str]) -> str:
        """Send one templated message to an 11-digit mainland mobile number; returns the
        provider's receipt id (Aliyun BizId, Tencent SerialNo). Raises ``SmsUnavailable``."""


GATEWAYS = {
    "aliyun": "candor.integrations.sms.aliyun.AliyunSms",
    "tencent": "candor.integrations.sms.tencent.TencentSms",
}


def gateway() -> SmsGateway:
    """The gateway ``settings.CANDOR_SMS_GATEWAY`` names, configured from settings."""
    name = settings.CANDOR_SMS_GATEWAY
    if name not in GATEWAYS:
        raise ValueError(f"CANDOR_SMS_GATEWAY must be one of {sorted(GATEWAYS)}, not {name!r}")
    gateway_class: type[SmsGateway] = import_string(GATEWAYS[name])
    return gateway_class()
