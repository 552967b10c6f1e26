"""`check --deploy` is clean with production variables, and catches a forgotten secret key."""

import os
import subprocess
import sys

PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-9f8e7d6c5b4a3",
    "ALLOWED_HOSTS": "klaster.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def run_deploy_check(extra_env: dict) -> subprocess.CompletedProcess:
    # Only what a production environment would hold: no test-run switches leak in.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "klaster.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_variables():
    result = run_deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_deploy_check_fails_when_the_secret_key_is_left_at_the_default():
    without_secret = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_deploy_check(without_secret)
    assert result.returncode != 0
    assert "klaster.W001" in result.stderr


def test_the_wsgi_application_loads_every_view_before_the_first_request():
    # gunicorn --preload imports this module once before forking its workers; the views (and the
    # numeric libraries behind them) must come with it, or each worker's first visitor waits.
    probe = (
        "import sys, klaster.web.wsgi; "
        "print(all(m in sys.modules for m in "
        "('klaster.partners.views', 'klaster.events.views', 'klaster.consortia.views')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "True", result.stderr
