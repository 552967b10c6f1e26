"""Who may see and change what in the member registry. One place, used by pages and the API.

- coordinator staff: everything;
- member editor: reads what the public reads, plus their own organisation whole; edits only
  their own organisation and its people;
- investor: reads every member profile, including the fields marked for investors;
- public visitor: published profiles only, without investor fields or unconsented contacts.
"""

from django.db.models import Q, QuerySet

from klaster.common.roles import is_cluster_staff, is_editor_of, is_member_editor, sees_every_member
from klaster.members.models import Membership, Organisation, Person


def organisations_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Organisation.objects.all() if queryset is None else queryset
    if sees_every_member(user):
        return queryset
    if is_member_editor(user):
        return queryset.filter(Q(is_published=True) | Q(pk=user.organisation_id))
    return queryset.filter(is_published=True)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return is_cluster_staff(user) or is_editor_of(user, organisation.pk)


def is_candidate(organisation: Organisation | None) -> bool:
    """An applicant whose membership staff have not accepted yet: a draft, not a member."""
    if organisation is None or organisation.pk is None:
        return False
    return Membership.objects.filter(
        organisation_id=organisation.pk, status=Membership.Status.CANDIDATE
    ).exists()


def can_publish_organisation(user, organisation: Organisation | None) -> bool:
    """Whether `user` may put the profile in (or take it out of) the public directory.

    Staff always; an organisation's own editors once staff have accepted its membership. A
    candidate could otherwise publish an unreviewed profile the moment it joins.
    """
    if is_cluster_staff(user):
        return True
    return can_edit_organisation(user, organisation) and not is_candidate(organisation)


def can_make_public_claims(user) -> bool:
    """Public statements in the cluster's name (public cooperation entries) are for staff and
    accepted members, never for a candidate still waiting for review."""
    if is_cluster_staff(user):
        return True
    return is_member_editor(user) and not is_candidate(user.organisation)


def can_see_investor_fields(user, organisation: Organisation) -> bool:
    return sees_every_member(user) or can_edit_organisation(user, organisation)


def people_visible_to(user, organisation: Organisation) -> QuerySet:
    """Contacts: the public sees only people who consented; editors and staff see all."""
    people = organisation.people.all()
    if can_edit_organisation(user, organisation):
        return people
    return people.filter(consent_given_on__isnull=False, consent_withdrawn_on__isnull=True)


def can_see_contact_details(user) -> bool:
    """E-mail and phone of consenting contacts are for signed-in users, not for scrapers."""
    return user.is_authenticated


def can_edit_person(user, person: Person) -> bool:
    return can_edit_organisation(user, person.organisation)


def can_see_organisation_history(user, organisation: Organisation) -> bool:
    """Staff, and the organisation's own editors for their organisation: who changed their
    profile is theirs to know; another organisation's history is not."""
    return can_edit_organisation(user, organisation)
