import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may do follows from `role` (and `organisation`)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator staff")
        MEMBER_EDITOR = "member_editor", _("Member editor")
        INVESTOR = "investor", _("Investor")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editors",
        help_text=_("For member editors: the organisation they may edit."),
    )

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == self.Role.COORDINATOR)

    @property
    def is_investor(self) -> bool:
        return self.is_active and self.role == self.Role.INVESTOR

    @property
    def is_member_editor(self) -> bool:
        return (
            self.is_active
            and self.role == self.Role.MEMBER_EDITOR
            and self.organisation_id is not None
        )


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "kl_" + secrets.token_urlsafe(32)


class AttemptCounter(models.Model):
    """How many sign-in attempts or reset e-mails one key has used in the current window.

    Kept in the database, not the cache: the file cache's increment is not atomic across
    gunicorn workers and rewrites the entry with its default timeout, so parallel guesses slipped
    past the limit and locks ended early. A conditional `UPDATE ... SET count = count + 1` is
    atomic on SQLite and PostgreSQL alike. The key is a hash of the username, e-mail or address,
    so the table holds no personal data in the clear.
    """

    key = models.CharField(_("key (hash)"), max_length=64, unique=True)
    scope = models.CharField(_("what is counted"), max_length=20)
    count = models.PositiveIntegerField(_("attempts"), default=0)
    # The window runs from the last counted attempt, so a lock lasts the whole window.
    updated_at = models.DateTimeField(_("last counted attempt"), db_index=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}… {self.count}"
