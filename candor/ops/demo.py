"""Demo data: each app may offer ``<app>/demo_data.py`` with ``load(stdout)``.

Loaders run in app order, once, on an empty database, so ``make run`` shows a living mall
and a second start keeps whatever the person changed.
"""

from __future__ import annotations

import secrets
from importlib import import_module
from importlib.util import find_spec
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from candor import keys
from candor.staff import selectors as staff_selectors
from candor.staff import services as staff_services

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


def ensure_admin_second_factor() -> str | None:
    """The demo admin's TOTP secret (base32, for an authenticator app), kept in var/; None when
    the simulators are off and the admin enrols a device at /staff/mfa/ like any staff member."""
    if not settings.CANDOR_SIMULATORS:
        return None
    key = keys.read_or_create(settings.VAR_DIR / "demo_admin_totp", lambda: secrets.token_hex(20))
    user = get_user_model().objects.get(username=DEMO_ADMIN)
    return staff_selectors.secret_base32(staff_services.totp_device_provision(user=user, key=key))
