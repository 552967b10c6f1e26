#!/usr/bin/env bash
# Installs everything, prepares the SQLite database in var/ with the demo cluster, and serves
# Klaster at http://127.0.0.1:8000 (PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/klaster migrate --noinput
.venv/bin/klaster demo
exec .venv/bin/klaster serve --port "${PORT:-8000}"
