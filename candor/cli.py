"""The ``candor`` command: Django's management commands under a friendlier name.

``candor demo``, ``candor serve``, ``candor worker``, ``candor check`` and every other
management command (``candor migrate``, later ``candor audit verify`` …) run through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "candor.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
