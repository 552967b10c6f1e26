"""Reads of saved searches and the weekly digest: whose they are, and what is new for them."""

from __future__ import annotations

import datetime

from django.core import signing
from django.db.models import QuerySet

from klaster.accounts.models import User
from klaster.marketplace.models import DigestSubscription, Profile, SavedSearch
from klaster.marketplace.selectors import profiles_published

NEW_PROFILES_SHOWN = 10
UNSUBSCRIBE_SALT = "klaster.marketplace.digest.unsubscribe"


def saved_searches_of(*, user) -> QuerySet[SavedSearch]:
    """The user's own saved searches (none for a visitor)."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user).order_by("name", "pk")


def digest_wanted(*, user) -> bool:
    """Whether the user gets the weekly digest: yes unless they opted out (no row: yes)."""
    subscription = DigestSubscription.objects.filter(user=user).only("weekly").first()
    return subscription is None or subscription.weekly


def profiles_new_for_search(
    search: SavedSearch, *, since: datetime.datetime, until: datetime.datetime
) -> QuerySet[Profile]:
    """Published profiles matching the saved search's filters, published in (since, until],
    not those of the searcher's own organisation, oldest first."""
    profiles = profiles_published(filters=search.query, user=search.user).filter(
        published_at__gt=since, published_at__lte=until
    )
    if search.user.organisation_id:
        profiles = profiles.exclude(organisation_id=search.user.organisation_id)
    return profiles.order_by("published_at", "pk")


def profiles_new_for_digest(
    *, user, since: datetime.datetime, until: datetime.datetime, limit: int = NEW_PROFILES_SHOWN
) -> list[Profile]:
    """The newest profiles published in (since, until], not the user's organisation's own."""
    profiles = profiles_published(filters={}, user=user).filter(
        published_at__gt=since, published_at__lte=until
    )
    if user.organisation_id:
        profiles = profiles.exclude(organisation_id=user.organisation_id)
    return list(profiles.order_by("-published_at", "-pk")[:limit])


def digest_recipients() -> QuerySet[User]:
    """Active member editors with an e-mail address, with their subscription (which may be
    missing: the digest is opt-out) and organisation."""
    return (
        User.objects.filter(
            is_active=True, role=User.Role.MEMBER_EDITOR, organisation__isnull=False
        )
        .exclude(email="")
        .select_related("organisation", "marketplace_digest")
        .order_by("organisation_id", "pk")
    )


def unsubscribe_token(user) -> str:
    """The signed token of a digest's one-click unsubscribe link (it names the user only)."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user(token: str) -> User | None:
    """The user a digest's unsubscribe `token` names; None when it was not signed here or was
    changed."""
    try:
        user_pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(user_pk, int):
        return None
    return User.objects.filter(pk=user_pk).first()
