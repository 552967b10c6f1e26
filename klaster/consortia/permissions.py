"""Who may see and change what in a consortium workspace. One place, used by pages and tests.

- the owning organisation's editors and coordinator staff: everything (edit the idea, propose,
  pin, exclude, invite, notes, exports);
- editors of an invited member organisation: the consortium's summary and their invitation's
  answer; once they accept they are in the consortium and read and write its notes;
- everybody else: nothing (the pages answer 404, so an idea's existence is not disclosed).
"""

from klaster.common.roles import is_cluster_staff, is_editor_of, is_member_editor
from klaster.consortia.models import Invitation, ProjectIdea


def can_edit_idea(user, idea: ProjectIdea) -> bool:
    return is_cluster_staff(user) or is_editor_of(user, idea.owner_id)


def _invitations_of(user, idea: ProjectIdea):
    if not is_member_editor(user):
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
    return is_editor_of(user, invitation.organisation_id)
