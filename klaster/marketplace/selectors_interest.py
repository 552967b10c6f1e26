"""Reads of expressions of interest and their threads: who is on which side, and what each
person may see.

A thread has two sides. The owner side is the editors of the organisation that published the
profile; the interested side is the user who expressed interest and the editors of their
organisation, or a visitor holding the thread's private link. Cluster staff read every thread
but write in none. Anybody else is told the thread does not exist.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff, is_editor_of, is_member_editor
from klaster.marketplace.models import Interest

OPEN_STATUSES = (
    Interest.Status.NEW,
    Interest.Status.CONTACTED,
    Interest.Status.MEETING_HELD,
    Interest.Status.NEGOTIATION,
)


class Side(StrEnum):
    OWNER = "owner"
    INTERESTED = "interested"
    # The interested side as a visitor, known by the thread's private link.
    VISITOR_LINK = "visitor_link"


def is_visitor(interest: Interest) -> bool:
    """Expressed by a visitor without an account (or by a user since erased)."""
    return interest.user_id is None and interest.organisation_id is None


def interest_side(*, user, interest: Interest) -> Side | None:
    """The side `user` writes for in the thread, or None (staff included: they only read)."""
    if is_editor_of(user, interest.profile.organisation_id):
        return Side.OWNER
    if not user.is_authenticated:
        return None
    if interest.user_id == user.pk or is_editor_of(user, interest.organisation_id):
        return Side.INTERESTED
    return None


def interest_token_matches(*, interest: Interest, token: str | None) -> bool:
    """The private link of a visitor's thread (compared in constant time)."""
    return bool(token) and secrets.compare_digest(interest.access_token, token)


def _with_thread_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("profile", "profile__organisation", "organisation", "user")


def interests_visible_to(user) -> QuerySet:
    """Every interest whose thread `user` may read."""
    interests = _with_thread_rows(Interest.objects.all())
    if is_cluster_staff(user):
        return interests
    if not user.is_authenticated:
        return interests.none()
    mine = Q(user=user)
    if is_member_editor(user):
        mine |= Q(organisation_id=user.organisation_id)
        mine |= Q(profile__organisation_id=user.organisation_id)
    return interests.filter(mine)


def interest_for_viewer(*, user, pk: int) -> Interest:
    """The interest `pk` if `user` may read its thread; `Interest.DoesNotExist` otherwise."""
    return interests_visible_to(user).get(pk=pk)


def interest_by_token(*, token: str) -> Interest:
    """A visitor's interest by its private link; `Interest.DoesNotExist` for any other string."""
    return _with_thread_rows(Interest.objects.filter(user=None, organisation=None)).get(
        access_token=token
    )


def interests_sent(*, user) -> QuerySet:
    """What the user (and, for an editor, their organisation) expressed interest in."""
    if not user.is_authenticated:
        return Interest.objects.none()
    mine = Q(user=user)
    if is_member_editor(user):
        mine |= Q(organisation_id=user.organisation_id)
    return _with_thread_rows(Interest.objects.filter(mine))


def interests_received(*, user) -> QuerySet:
    """Interest others expressed in the profiles of the editor's organisation."""
    if not is_member_editor(user):
        return Interest.objects.none()
    return _with_thread_rows(Interest.objects.filter(profile__organisation_id=user.organisation_id))


def interests_for_staff(*, filters: dict) -> QuerySet:
    """All interests for cluster staff, filtered by `status`, profile `kind` and `q` (the
    profile's reference or title, the interested organisation or visitor)."""
    interests = _with_thread_rows(Interest.objects.all())
    if filters.get("status"):
        interests = interests.filter(status=filters["status"])
    if filters.get("kind"):
        interests = interests.filter(profile__kind=filters["kind"])
    query = (filters.get("q") or "").strip()
    if query:
        interests = interests.filter(
            Q(profile__reference__icontains=query)
            | Q(profile__title_pl__icontains=query)
            | Q(profile__title_en__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(visitor_organisation__icontains=query)
            | Q(visitor_name__icontains=query)
            | Q(visitor_email__icontains=query)
        )
    return interests


def interest_messages(*, interest: Interest) -> QuerySet:
    return interest.messages.select_related("author")


def interests_open_count(*, user=None, visitor_email: str = "") -> int:
    """Open expressions of interest (not closed, no agreement yet) by a user or a visitor."""
    interests = Interest.objects.filter(status__in=OPEN_STATUSES)
    if user is not None:
        return interests.filter(user=user).count()
    return interests.filter(user=None, visitor_email__iexact=visitor_email).count()


@dataclass(frozen=True)
class ThreadEntry:
    author: str
    from_owner: bool
    body: str
    created_at: datetime.datetime


def thread_entries(*, interest: Interest, reveal_owner: bool) -> list[ThreadEntry]:
    """The thread's messages with their authors' names; the owner side's names only when the
    reader may learn which organisation owns the profile (else "the profile's owner")."""
    entries = []
    owner = _("The profile's owner")
    if reveal_owner:
        owner = interest.profile.organisation.name
    for message in interest_messages(interest=interest):
        if message.from_owner:
            author = owner
            if reveal_owner and message.author is not None:
                author = f"{owner} ({_person(message.author)})"
        else:
            author = interested_party(interest)
        entries.append(ThreadEntry(author, message.from_owner, message.body, message.created_at))
    return entries


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def interested_party(interest: Interest) -> str:
    """Who expressed interest, as the owner side reads it."""
    person = _person(interest.user) if interest.user else ""
    if interest.organisation_id is not None:
        return f"{interest.organisation.name} ({person})" if person else interest.organisation.name
    if person:
        return person
    return f"{interest.visitor_name}, {interest.visitor_organisation} <{interest.visitor_email}>"
