"""One limiter for every sign-in path and for password-reset e-mails.

Sign-in attempts are counted per username *and* address, so guessing one person's password is
slowed to a crawl while that person still signs in from their own address; a ceiling per address
(several times the per-pair limit) stops one address sweeping many usernames.

An attempt is *taken* before the password is checked, by a conditional
`UPDATE ... SET count = count + 1 WHERE count < limit`: the database serialises concurrent
updates of one row, so twenty parallel guesses still get exactly `limit` checks. A correct
password gives its attempt back. Counters live in `AttemptCounter` rows (see its docstring for why
not the cache) and a counter lapses a full window after its last counted attempt, so a lock lasts
the configured window.
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from klaster.accounts.models import AttemptCounter
from klaster.core.text import fold


def _now() -> datetime:
    """The limiter's clock; tests replace it to step through a window without sleeping."""
    return timezone.now()


@dataclass(frozen=True)
class _Counter:
    scope: str
    value: str
    limit: int
    window_seconds: int

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.scope}\0{self.value}".encode()).hexdigest()


def _address(client_address: str) -> str:
    """An IPv6 client is counted by its /64 network: one machine may hold the whole block."""
    try:
        address = ipaddress.ip_address(client_address)
    except ValueError:
        return client_address
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _login_counters(username: str, client_address: str) -> list[_Counter]:
    client_address = _address(client_address)
    window = settings.LOGIN_RATE_LIMIT_WINDOW_SECONDS
    return [
        _Counter(
            "login-pair",
            f"{fold(username)}\0{client_address}",
            settings.LOGIN_RATE_LIMIT_ATTEMPTS,
            window,
        ),
        _Counter(
            "login-address", client_address, settings.LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS, window
        ),
    ]


def _reset_counters(email: str, client_address: str) -> list[_Counter]:
    client_address = _address(client_address)
    window = settings.PASSWORD_RESET_RATE_LIMIT_WINDOW_SECONDS
    return [
        _Counter(
            "reset-email", fold(email).strip(), settings.PASSWORD_RESET_RATE_LIMIT_EMAILS, window
        ),
        _Counter(
            "reset-address",
            client_address,
            settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS_EMAILS,
            window,
        ),
    ]


def _take_one(counter: _Counter, now: datetime) -> bool:
    cutoff = now - timedelta(seconds=counter.window_seconds)
    live = AttemptCounter.objects.filter(key=counter.key, updated_at__gte=cutoff)
    if live.filter(count__lt=counter.limit).update(count=F("count") + 1, updated_at=now):
        return True
    if live.exists():
        return False  # full, and the window is still running
    # No counter yet, or one whose window has lapsed: start a new window.
    lapsed = AttemptCounter.objects.filter(key=counter.key, updated_at__lt=cutoff)
    if lapsed.update(count=1, updated_at=now):
        return True
    try:
        with transaction.atomic():
            AttemptCounter.objects.create(
                key=counter.key, scope=counter.scope, count=1, updated_at=now
            )
    except IntegrityError:
        # A parallel request created it first; take from its counter like any other.
        return bool(
            live.filter(count__lt=counter.limit).update(count=F("count") + 1, updated_at=now)
        )
    _forget_lapsed(now)
    return True


def _forget_lapsed(now: datetime) -> None:
    longest = max(
        settings.LOGIN_RATE_LIMIT_WINDOW_SECONDS, settings.PASSWORD_RESET_RATE_LIMIT_WINDOW_SECONDS
    )
    AttemptCounter.objects.filter(updated_at__lt=now - timedelta(seconds=longest)).delete()


def _take(counters: list[_Counter], now: datetime | None) -> bool:
    """Take one attempt from every counter, or from none of them."""
    now = now or _now()
    with transaction.atomic():
        for counter in counters:
            if not _take_one(counter, now):
                # Undo what the earlier counters took: a refused attempt costs nothing.
                transaction.set_rollback(True)
                return False
    return True


def login_attempt_take(*, username: str, client_address: str, now: datetime | None = None) -> bool:
    """Reserve one sign-in attempt before checking the password; False when locked out."""
    return _take(_login_counters(username, client_address), now)


@transaction.atomic
def login_succeeded(*, username: str, client_address: str) -> None:
    """The password was right: clear the pair's count and give the address its attempt back."""
    pair, address = _login_counters(username, client_address)
    AttemptCounter.objects.filter(key=pair.key).delete()
    AttemptCounter.objects.filter(key=address.key, count__gt=0).update(count=F("count") - 1)


def password_reset_email_take(
    *, email: str, client_address: str, now: datetime | None = None
) -> bool:
    """Whether one more reset e-mail may go to this address from this client (and count it)."""
    return _take(_reset_counters(email, client_address), now)


def attempt_take(
    *, scope: str, value: str, limit: int, window_seconds: int, now: datetime | None = None
) -> bool:
    """The same limiter for any other action a stranger could repeat to flood an inbox."""
    return _take([_Counter(scope[:20], value, limit, window_seconds)], now)
