from django.apps import AppConfig


class PrivacyAppConfig(AppConfig):
    """Test-only models that exercise every option of a personal-data declaration."""

    name = "tests.privacy_app"
    label = "privacy_app"
