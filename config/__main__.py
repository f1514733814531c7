"""manage.py for an installed portal: the `township-portal` command (pyproject.toml) and
`python -m config`, e.g. `township-portal check` or `township-portal migrate` from any
directory. The settings are config.settings unless DJANGO_SETTINGS_MODULE says otherwise.
"""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
