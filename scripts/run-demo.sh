#!/usr/bin/env bash
# Installs everything, prepares the SQLite database in var/ with the demo cluster, and serves
# Klaster at http://127.0.0.1:8000 (PORT=8100 scripts/run-demo.sh serves on 8100; links in
# e-mails and iCal follow the port unless SITE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/klaster migrate --noinput
.venv/bin/klaster demo
# The worker that `serve` starts builds the partner index at once, not on the first search.
.venv/bin/klaster partners_index --queue --if-stale
exec .venv/bin/klaster serve --port "${PORT:-8000}"
