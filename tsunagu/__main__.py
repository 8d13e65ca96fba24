"""The `tsunagu` command: Django's management commands with our settings chosen."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tsunagu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
