"""The questions every app asks about who a user is in the cluster, answered in one place.

The roles themselves are kept on the account (`klaster.accounts.models.User.role`); the apps'
own `permissions` modules decide about their rows (may this editor change this idea?) and ask
these functions who the user is. Each function takes anyone, signed in or not.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _


def is_cluster_staff(user) -> bool:
    """Coordinator staff of the cluster (a superuser counts): may see and run everything."""
    return bool(user.is_authenticated and user.is_coordinator)


def require_cluster_staff(request: HttpRequest, message: str | None = None) -> None:
    """Refuse (`PermissionDenied`, a 403 page) anyone but coordinator staff.

    `message` says what only staff may do; "Only coordinator staff may do this." when omitted.
    """
    if not is_cluster_staff(request.user):
        raise PermissionDenied(message or _("Only coordinator staff may do this."))


def is_investor(user) -> bool:
    """An investor: reads every member profile, with the fields kept for investors."""
    return bool(user.is_authenticated and user.is_investor)


def is_member_editor(user) -> bool:
    """An editor of a member organisation (of any one; see `is_editor_of`)."""
    return bool(user.is_authenticated and user.is_member_editor)


def is_editor_of(user, organisation_id: int | None) -> bool:
    """An editor of the member organisation `organisation_id` itself (staff are not)."""
    return (
        organisation_id is not None
        and is_member_editor(user)
        and user.organisation_id == organisation_id
    )


def sees_every_member(user) -> bool:
    """Staff and investors read the whole registry, unpublished profiles included."""
    return is_cluster_staff(user) or is_investor(user)


def can_create_idea(user) -> bool:
    """Staff and member editors may start a consortium idea (for their own organisation)."""
    return is_cluster_staff(user) or is_member_editor(user)
