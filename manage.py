#!/usr/bin/env python3
"""Django's manage.py; the `klaster` command is the same thing with Klaster's own verbs."""

from klaster.cli import main

if __name__ == "__main__":
    main()
