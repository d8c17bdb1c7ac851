"""Test-only models. core_models.py exercises declarations; crypto_models.py the encrypted field."""

from tests.privacy_app.core_models import *  # noqa: F403
from tests.privacy_app.crypto_models import *  # noqa: F403
