"""Who may see and change what in a consortium workspace. One place, used by pages and tests.

- the owning organisation's editors and coordinator staff: everything (edit the idea, propose,
  pin, exclude, invite, notes, exports);
- editors of an invited member organisation: the consortium's summary and their invitation's
  answer; once they accept they are in the consortium and read and write its notes;
- everybody else: nothing (the pages answer 404, so an idea's existence is not disclosed).
"""

from klaster.consortia.models import Invitation, ProjectIdea


def can_create_idea(user) -> bool:
    return user.is_authenticated and (user.is_coordinator or user.is_member_editor)


def can_edit_idea(user, idea: ProjectIdea) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_coordinator:
        return True
    return user.is_member_editor and user.organisation_id == idea.owner_id


def _invitations_of(user, idea: ProjectIdea):
    if not (user.is_authenticated and user.is_member_editor):
        return Invitation.objects.none()
    return idea.invitations.filter(organisation_id=user.organisation_id)


def can_view_idea(user, idea: ProjectIdea) -> bool:
    return can_edit_idea(user, idea) or _invitations_of(user, idea).exists()


def is_in_consortium(user, idea: ProjectIdea) -> bool:
    """The owner's editors, staff, and editors of member organisations that accepted."""
    return (
        can_edit_idea(user, idea)
        or _invitations_of(user, idea).filter(status=Invitation.Status.ACCEPTED).exists()
    )


def can_read_notes(user, idea: ProjectIdea) -> bool:
    return is_in_consortium(user, idea)


def can_answer_invitation(user, invitation: Invitation) -> bool:
    """Only the invited organisation's own editors answer for it (not staff, not the inviter)."""
    return (
        user.is_authenticated
        and user.is_member_editor
        and invitation.organisation_id is not None
        and user.organisation_id == invitation.organisation_id
    )
