"""Small typed readers of environment variables: settings come from the environment only."""

import os
from collections.abc import Mapping


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Addresses a server listens on but nobody can open a link to.
_WILDCARD_HOSTS = {"", "0.0.0.0", "::", "[::]"}


def served_site_url(host: str, port: int | str) -> str:
    """The address people open for a server listening on `host`:`port`."""
    host = host.strip()
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{port}"


def default_site_url(environ: Mapping[str, str]) -> str:
    """SITE_URL when set; else the local address on PORT, the port `klaster serve` listens on
    (it also hands its own address to the web and task workers as SITE_URL), so links in
    e-mails and iCal follow `--port`."""
    if environ.get("SITE_URL", "").strip():
        return environ["SITE_URL"].strip()
    return served_site_url("127.0.0.1", environ.get("PORT", "").strip() or "8000")
