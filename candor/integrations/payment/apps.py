from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentSimulatorConfig(AppConfig):
    """An app of its own only for the simulator's trades; the adapters need no models."""

    name = "candor.integrations.payment"
    label = "payment_simulator"
    verbose_name = _("Payment institution simulator")
