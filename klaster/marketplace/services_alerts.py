"""Writes of saved searches and the weekly digest, and the runs that e-mail them.

A saved search keeps the public list's filters under a name; with its alert on,
`alerts_send` e-mails the profiles published since its last alert, once each. Every member
editor gets the weekly digest (`digests_send`: new profiles and the best matches of their
organisation's profiles this week) unless they opted out, on the settings page or through the
signed link in each digest. Messages are written in the language the person last used for
them, and sent once the run's write commits.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from klaster.accounts.models import User
from klaster.common.roles import is_member_editor
from klaster.marketplace import emails_alerts, matching, selectors_alerts
from klaster.marketplace.models import DigestSubscription, SavedSearch
from klaster.marketplace.selectors import FILTER_NAMES
from klaster.partners.serving import engine_get

SAVED_SEARCHES_PER_USER = 20
DIGEST_EVERY = datetime.timedelta(days=7)


def _language() -> str:
    known = {code for code, _name in settings.LANGUAGES}
    active = (translation.get_language() or "").split("-")[0]
    return active if active in known else settings.LANGUAGE_CODE


def _require_own(user, search: SavedSearch) -> None:
    if not user.is_authenticated or search.user_id != user.pk:
        raise PermissionDenied(_("This saved search is not yours."))


def _query_of(filters: dict) -> dict:
    # Only the list's own filters, as JSON keeps them: a search is re-run from them later.
    return {
        name: value
        for name, value in filters.items()
        if name in FILTER_NAMES and value not in ("", None)
    }


@transaction.atomic
def saved_search_create(*, user, name: str, filters: dict, now: datetime.datetime) -> SavedSearch:
    """Save the public list's `filters` under `name` for `user`, with its alert on; its first
    alert brings the profiles published after `now`. The e-mails speak the active language."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to save a search."))
    # Locked, so two saves at once cannot pass the limit together.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if SavedSearch.objects.filter(user=user).count() >= SAVED_SEARCHES_PER_USER:
        raise ValidationError(
            _("You have %(limit)s saved searches: delete one before saving another.")
            % {"limit": SAVED_SEARCHES_PER_USER},
            code="too_many",
        )
    name = " ".join((name or "").split())[: SavedSearch._meta.get_field("name").max_length]
    query = _query_of(filters)
    if not name:
        name = ", ".join(str(value) for value in query.values())[:120] or _("All profiles")
    return SavedSearch.objects.create(
        user=user, name=name, query=query, alert=True, language=_language(), last_alerted_at=now
    )


@transaction.atomic
def saved_search_alert_set(*, user, search: SavedSearch, alert: bool) -> SavedSearch:
    """Turn the e-mail alert of one's own saved search on or off."""
    _require_own(user, search)
    search.alert = alert
    search.language = _language()
    search.save(update_fields=["alert", "language"])
    return search


@transaction.atomic
def saved_search_delete(*, user, search: SavedSearch) -> None:
    _require_own(user, search)
    search.delete()


@transaction.atomic
def digest_subscription_set(*, user, weekly: bool) -> DigestSubscription:
    """Subscribe a member editor to the weekly digest, or opt out."""
    if not is_member_editor(user):
        raise PermissionDenied(_("The weekly digest is for member editors."))
    subscription, _created = DigestSubscription.objects.select_for_update().get_or_create(user=user)
    subscription.weekly = weekly
    subscription.language = _language()
    subscription.save(update_fields=["weekly", "language"])
    return subscription


@transaction.atomic
def digest_unsubscribe(*, token: str) -> User:
    """Opt the user named by a digest's signed `token` out of the digest; `ValidationError`
    when the token was not made here or was changed."""
    user = selectors_alerts.unsubscribe_user(token)
    if user is None:
        raise ValidationError(_("This unsubscribe link is not valid."), code="bad_token")
    subscription, _created = DigestSubscription.objects.select_for_update().get_or_create(user=user)
    subscription.weekly = False
    subscription.save(update_fields=["weekly"])
    return user


# --- Runs ---------------------------------------------------------------------------------------


def alerts_send(*, now: datetime.datetime) -> int:
    """E-mail each saved search with its alert on the profiles published since its last alert
    (up to `now`), then move its alert on to `now`: each profile is announced once. Returns how
    many e-mails were sent."""
    sent = 0
    due = Q(last_alerted_at__isnull=True) | Q(last_alerted_at__lt=now)
    searches = SavedSearch.objects.filter(due, alert=True, user__is_active=True).exclude(
        user__email=""
    )
    for search_id in searches.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            search = (
                SavedSearch.objects.select_for_update()
                .select_related("user")
                .filter(due, pk=search_id)
                .first()
            )
            if search is None:  # another run took it meanwhile
                continue
            since = search.last_alerted_at or search.created_at
            profiles = list(
                selectors_alerts.profiles_new_for_search(search, since=since, until=now)
            )
            search.last_alerted_at = now
            search.save(update_fields=["last_alerted_at"])
            if profiles:
                message = emails_alerts.alert_message(search, profiles)
                emails_alerts.send_on_commit(lambda message=message: [message])
                sent += 1
    return sent


def digests_send(*, now: datetime.datetime) -> int:
    """E-mail each subscribed member editor, at most once in `DIGEST_EVERY`, the profiles
    published this week and the best new matches of their organisation's profiles. Nobody gets
    an empty digest (it is tried again next run). Returns how many were sent.

    The matches come from the partner engine as it is (`engine_get`, a read): while it is being
    built, digests carry the new profiles only.
    """
    engine = engine_get()
    today = now.date()
    sent = 0
    for_you: dict[tuple[int, str], matching.OrganisationMatches] = {}
    for user in selectors_alerts.digest_recipients():
        subscription = getattr(user, "marketplace_digest", None)
        if subscription is not None and not subscription.weekly:
            continue
        last = subscription.last_sent_at if subscription else None
        if last is not None and last > now - DIGEST_EVERY:
            continue
        since = max(last, now - DIGEST_EVERY) if last else now - DIGEST_EVERY
        language = (subscription.language if subscription else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            new = selectors_alerts.profiles_new_for_digest(user=user, since=since, until=now)
            key = (user.organisation_id, language)
            if key not in for_you:  # the same for every editor of the organisation
                for_you[key] = matching.organisation_matches(
                    user=user,
                    organisation=user.organisation,
                    engine=engine,
                    today=today,
                    published_since=since,
                )
            matches = for_you[key]
            if not (new or matches.found):
                continue
            message = emails_alerts.digest_message(
                user, new, matches, token=selectors_alerts.unsubscribe_token(user)
            )
        with transaction.atomic():
            subscription, _created = DigestSubscription.objects.select_for_update().get_or_create(
                user=user
            )
            if subscription.last_sent_at is not None and subscription.last_sent_at > since:
                continue  # another run sent it meanwhile
            subscription.last_sent_at = now
            subscription.save(update_fields=["last_sent_at"])
            emails_alerts.send_on_commit(lambda message=message: [message])
        sent += 1
    return sent
