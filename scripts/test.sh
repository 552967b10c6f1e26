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
# The scale-out test queues a job on Redis, as a deployment with workers elsewhere does.
if [ -z "${REDIS_TEST_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Redis for the scale-out test (Debian package 'redis-server')..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    sleep 1
  else
    echo "The tests need a Redis server: install 'redis-server' or set REDIS_TEST_URL." >&2
    exit 1
  fi
fi
exec .venv/bin/pytest "$@"
