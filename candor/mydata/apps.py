from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MydataConfig(AppConfig):
    name = "candor.mydata"
    label = "mydata"
    verbose_name = _("My data")
