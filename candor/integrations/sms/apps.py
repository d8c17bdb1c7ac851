from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsSimulatorConfig(AppConfig):
    """An app of its own only for the simulator's outbox table; the adapters need no models."""

    name = "candor.integrations.sms"
    label = "sms_simulator"
    verbose_name = _("SMS gateway simulator")
