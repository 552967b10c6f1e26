#!/usr/bin/env bash
# Re-resolves requirements.lock from the ranges in pyproject.toml (run after changing them).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install --quiet uv
.venv/bin/python -m uv pip compile pyproject.toml --extra dev --python-version 3.11 \
  --no-header --quiet -o requirements.lock
