from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarrierSimulatorConfig(AppConfig):
    """An app of its own only for the simulator's tables; the adapter needs no models."""

    name = "candor.integrations.carrier"
    label = "carrier_simulator"
    verbose_name = _("Carrier simulator")
