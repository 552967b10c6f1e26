"""Who may see and record what in the track record and the cooperation log.

- coordinator staff: everything, including the linking review queue and CORDIS imports;
- member editor: records cooperation only where their own organisation is one of the two
  parties; sees public entries and the private entries of their own organisation; a public
  entry they record waits for the other party's confirmation (staff may confirm it too), and a
  candidate whose membership is not yet accepted records private entries only;
- investor and public: public cooperation entries only; EU track records are public data;
- cluster projects: staff and investors see all, member editors those their organisation is in.
"""

from django.db.models import Q, QuerySet

from klaster.common.roles import is_cluster_staff, is_investor, is_member_editor
from klaster.trackrecord.models import ClusterProject, Cooperation


def cooperations_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Cooperation.objects.all() if queryset is None else queryset
    if is_cluster_staff(user):
        return queryset
    # A public entry a member recorded is public only once the other party has confirmed it.
    public = Q(
        visibility=Cooperation.Visibility.PUBLIC,
        confirmation=Cooperation.Confirmation.CONFIRMED,
    )
    if is_member_editor(user):
        own = Q(organisation_a_id=user.organisation_id) | Q(organisation_b_id=user.organisation_id)
        return queryset.filter(public | own)
    return queryset.filter(public)


def can_record_cooperation(
    user, organisation_a_id: int | None, organisation_b_id: int | None
) -> bool:
    if is_cluster_staff(user):
        return True
    if not (is_member_editor(user)):
        return False
    return user.organisation_id in (organisation_a_id, organisation_b_id)


def can_change_cooperation(user, cooperation: Cooperation) -> bool:
    return can_record_cooperation(
        user, cooperation.organisation_a_id, cooperation.organisation_b_id
    )


def can_confirm_cooperation(user, cooperation: Cooperation) -> bool:
    """The party asked to confirm a pending public entry, or staff, may confirm or decline it.
    The party that recorded it may not: a claim is not confirmed by its author."""
    if cooperation.confirmation != Cooperation.Confirmation.PENDING:
        return False
    if is_cluster_staff(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_member_editor
        and cooperation.awaiting_organisation_id is not None
        and user.organisation_id == cooperation.awaiting_organisation_id
    )


def cluster_projects_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ClusterProject.objects.all() if queryset is None else queryset
    if is_cluster_staff(user) or is_investor(user):
        return queryset
    if is_member_editor(user):
        return queryset.filter(partners=user.organisation_id).distinct()
    return queryset.none()


def can_edit_cluster_project(user, project: ClusterProject | None) -> bool:
    """Staff run cluster projects; a member editor may update one their organisation is in."""
    if is_cluster_staff(user):
        return True
    if project is None or not (is_member_editor(user)):
        return False
    return project.partners.filter(pk=user.organisation_id).exists()


def cluster_projects_editable_by(user, queryset: QuerySet | None = None) -> QuerySet:
    """The projects of `queryset` that `can_edit_cluster_project` allows, in one query."""
    queryset = ClusterProject.objects.all() if queryset is None else queryset
    if is_cluster_staff(user):
        return queryset
    if is_member_editor(user):
        return queryset.filter(partners=user.organisation_id).distinct()
    return queryset.none()
