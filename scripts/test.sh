#!/usr/bin/env bash
# Runs the whole test suite: unit, Django (pages, API, permissions, imports) and browser
# journeys in headless Chromium. DATABASE_URL selects PostgreSQL; unset means SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (Debian package 'chromium')..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: install the 'chromium' package or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi
exec .venv/bin/pytest "$@"
