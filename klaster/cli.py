"""The `klaster` command: every Django management command plus Klaster's own verbs.

`klaster migrate`, `klaster createsuperuser`, `klaster demo`, `klaster serve`,
`klaster bench ...` and the rest are management commands of Klaster's apps; this entry point
only makes sure the settings are known before handing over.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["klaster", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
