"""Counting failed sign-ins, so that password guessing is slowed down to a crawl."""

from django.conf import settings
from django.core.cache import cache

from klaster.core.text import fold


def _keys(username: str, client_address: str) -> list[str]:
    return [f"login-fail:user:{fold(username)}", f"login-fail:addr:{client_address}"]


def login_is_blocked(*, username: str, client_address: str) -> bool:
    limit = settings.LOGIN_RATE_LIMIT_ATTEMPTS
    return any((cache.get(key) or 0) >= limit for key in _keys(username, client_address))


def login_failed(*, username: str, client_address: str) -> None:
    window = settings.LOGIN_RATE_LIMIT_WINDOW_SECONDS
    for key in _keys(username, client_address):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def login_succeeded(*, username: str, client_address: str) -> None:
    cache.delete(_keys(username, client_address)[0])
