"""Demo data: each app may offer ``<app>/demo_data.py`` with ``load(stdout)``.

Loaders run in app order, once, on an empty database, so ``make run`` shows a living mall
and a second start keeps whatever the person changed.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from candor import keys

DEMO_ADMIN = "admin"


def is_empty() -> bool:
    return not get_user_model().objects.exists()


def load_all(stdout: TextIO) -> None:
    for config in apps.get_app_configs():
        name = f"{config.name}.demo_data"
        if config.name.startswith("candor.") and find_spec(name) is not None:
            with transaction.atomic():
                import_module(name).load(stdout)


def ensure_admin() -> tuple[str, str]:
    """A demo superuser whose password lives in var/ and is re-set at every demo start."""
    password = keys.read_or_create(
        settings.VAR_DIR / "demo_admin_password", lambda: keys.new_secret_key()[:16]
    )
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=DEMO_ADMIN, defaults={"is_staff": True, "is_superuser": True}
    )
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    return DEMO_ADMIN, password
