"""Settings with a planted undeclared personal field, for the check's end-to-end test."""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.planted_app"]
