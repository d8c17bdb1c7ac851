from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: the demo, the web server and the job worker as management commands."""

    name = "candor.ops"
    label = "ops"
    verbose_name = _("Operations")
