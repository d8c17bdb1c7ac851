"""Declarations of the test-only models."""

from tests.privacy_app import core_declarations, crypto_declarations  # noqa: F401
