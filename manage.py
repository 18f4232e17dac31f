#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A command holds one short connection: no pool, so a wrong database fails at once with its own reason.
    os.environ.setdefault("DB_POOL", "false")
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, InterfaceError) as exc:
        # An operator needs the reason (no such database, refused, unwritable file), not 90 lines of frames.
        sys.exit(f"booking_platform: database unavailable: {' '.join(str(exc).split())}")


if __name__ == "__main__":
    main()
