"""``candor staff totp <account>``: print the current 6-digit code of a staff account's second
factor — for the demo only (refused unless ``CANDOR_SIMULATORS`` is on), so that whoever runs
``candor demo`` can open the back office without an authenticator app. In production the
code exists only on the staff member's phone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from candor.staff import selectors


class Command(BaseCommand):
    help = "Staff second factor (demo helpers)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        totp = actions.add_parser("totp", help="print the current code of an account's device (demo only)")
        totp.add_argument("username")

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        if not settings.CANDOR_SIMULATORS:
            raise CommandError("demo only (CANDOR_SIMULATORS=1): codes live on the staff member's phone")
        user = get_user_model().objects.filter(username=username).first()
        device = selectors.confirmed_device(user) if user is not None else None
        if device is None:
            raise CommandError(f"{username!r} has no confirmed second factor")
        self.stdout.write(selectors.current_token(device))
