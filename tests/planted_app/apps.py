from django.apps import AppConfig


class PlantedAppConfig(AppConfig):
    """Installed only by tests/planted_settings.py: a model with an undeclared personal field."""

    name = "tests.planted_app"
    label = "planted_app"
