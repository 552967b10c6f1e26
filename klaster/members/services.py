"""Writes to the member registry. Every write a user sees goes through one function here."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from klaster.common.roles import is_cluster_staff
from klaster.core.text import fold
from klaster.members import permissions, signals
from klaster.members.forms import competences_for
from klaster.members.models import FeePayment, Membership, Organisation, Person

# The organisation's own texts that the directory's free-text search looks in.
SEARCHED_FIELDS = (
    "name",
    "short_name",
    "description_pl",
    "description_en",
    "competences_text",
    "city",
    "voivodeship",
    "nip",
    "pic",
)


def search_document_from(
    values: Mapping[str, str | None],
    *,
    competence_names: Iterable[str],
    sector_names: Iterable[tuple[str, str]],
) -> str:
    """The folded text the directory searches: the `SEARCHED_FIELDS` of `values`, then the
    competences' names and the sectors' (Polish, English) names, in the order given.

    Plain values, so that a bulk insert (the demo's thousands of organisations) builds the same
    document as `search_document_for` without reading each organisation's tags back.
    """
    parts = [values.get(name) or "" for name in SEARCHED_FIELDS]
    parts.append(" ".join(competence_names))
    parts.append(" ".join(f"{name_pl} {name_en}" for name_pl, name_en in sector_names))
    return fold(" ".join(p for p in parts if p))


def search_document_for(organisation: Organisation) -> str:
    return search_document_from(
        {name: getattr(organisation, name) for name in SEARCHED_FIELDS},
        competence_names=(c.name for c in organisation.competences.all()),
        sector_names=((s.name_pl, s.name_en) for s in organisation.sectors.all()),
    )


def organisation_refresh_search_document(*, organisation: Organisation) -> None:
    document = search_document_for(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(search_document=document)
    organisation.search_document = document


@transaction.atomic
def organisation_save_from_form(*, form, editor) -> Organisation:
    """Save a validated organisation form (page or API) for `editor`, with its tags."""
    organisation = form.instance
    if organisation.pk and not permissions.can_edit_organisation(editor, organisation):
        raise PermissionDenied("You may edit only your own organisation.")
    if not organisation.pk and not is_cluster_staff(editor):
        raise PermissionDenied("Only coordinator staff add organisations.")
    if "is_published" in form.changed_data and not permissions.can_publish_organisation(
        editor, organisation
    ):
        raise PermissionDenied("The profile is published once staff accept the membership.")
    organisation = form.save()
    if "competence_tags" in form.cleaned_data:
        organisation.competences.set(competences_for(form.cleaned_data["competence_tags"]))
    organisation_refresh_search_document(organisation=organisation)
    return organisation


@transaction.atomic
def person_save_from_form(*, form, organisation: Organisation, editor) -> Person:
    if not permissions.can_edit_organisation(editor, organisation):
        raise PermissionDenied("You may edit only the people of your own organisation.")
    person = form.save(commit=False)
    if person.pk and person.organisation_id != organisation.pk:
        raise PermissionDenied("This person belongs to another organisation.")
    person.organisation = organisation
    person.save()
    return person


@transaction.atomic
def person_delete(*, person: Person, editor) -> None:
    if not permissions.can_edit_person(editor, person):
        raise PermissionDenied("You may edit only the people of your own organisation.")
    # Their name and e-mail must not outlive them in copies other apps keep (event registrations).
    email = (person.email or "").strip()
    if email:
        signals.person_contact_removed.send(sender=Person, person=person, email=email)
    person.delete()


@transaction.atomic
def membership_set_status(
    *, organisation: Organisation, status: str, editor, on: datetime.date | None = None
) -> Membership:
    if not is_cluster_staff(editor):
        raise PermissionDenied("Only coordinator staff change memberships.")
    on = on or timezone.localdate()
    membership, _created = Membership.objects.get_or_create(organisation=organisation)
    membership.status = status
    if status == Membership.Status.ACTIVE and not membership.joined_on:
        membership.joined_on = on
        membership.left_on = None
    if status == Membership.Status.FORMER:
        membership.left_on = on
    membership.save()
    return membership


@transaction.atomic
def fees_issue_for_year(*, year: int, due_on: datetime.date, editor) -> int:
    """Create this year's fee for every active membership that has none yet; returns how many."""
    if not is_cluster_staff(editor):
        raise PermissionDenied("Only coordinator staff issue fees.")
    created = 0
    active = Membership.objects.filter(status=Membership.Status.ACTIVE).select_related("tier")
    for membership in active:
        amount = membership.annual_fee or (membership.tier.annual_fee if membership.tier else 0)
        if not amount:
            continue
        _fee, was_created = FeePayment.objects.get_or_create(
            membership=membership,
            year=year,
            defaults={"amount": Decimal(amount), "due_on": due_on},
        )
        created += was_created
    return created


@transaction.atomic
def fee_mark_paid(*, fee: FeePayment, paid_on: datetime.date, reference: str, editor) -> FeePayment:
    if not is_cluster_staff(editor):
        raise PermissionDenied("Only coordinator staff record payments.")
    fee.paid_on = paid_on
    fee.reference = reference
    fee.save(update_fields=["paid_on", "reference"])
    return fee


@transaction.atomic
def membership_apply(*, form) -> Organisation:
    """A membership application: an unpublished organisation, a candidate membership, its
    contact person with the consent given now, and the applicant's editor account."""
    from klaster.accounts.models import User

    data = form.cleaned_data
    today = timezone.localdate()
    organisation = form.save(commit=False)
    organisation.is_published = False
    organisation.source = Organisation.Source.MANUAL
    organisation.save()
    form.save_m2m()
    organisation.competences.set(competences_for(data.get("competence_tags", [])))
    organisation_refresh_search_document(organisation=organisation)
    Membership.objects.create(organisation=organisation, status=Membership.Status.CANDIDATE)
    Person.objects.create(
        organisation=organisation,
        first_name=data["first_name"],
        last_name=data["last_name"],
        position=data.get("position", ""),
        email=data["email"],
        phone=data.get("phone", ""),
        is_primary_contact=True,
        consent_purpose="membership and cluster activities",
        consent_given_on=today,
    )
    User.objects.create_user(
        username=data["username"],
        email=data["email"],
        password=data["password"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=User.Role.MEMBER_EDITOR,
        organisation=organisation,
    )
    return organisation


@transaction.atomic
def membership_accept(*, organisation: Organisation, editor, tier=None) -> Membership:
    """Staff accept a candidate: the membership starts today and the profile is published."""
    membership = membership_set_status(
        organisation=organisation, status=Membership.Status.ACTIVE, editor=editor
    )
    if tier is not None:
        membership.tier = tier
        membership.annual_fee = tier.annual_fee
        membership.save(update_fields=["tier", "annual_fee"])
    Organisation.objects.filter(pk=organisation.pk).update(is_published=True)
    return membership


@transaction.atomic
def membership_reject(*, organisation: Organisation, editor) -> None:
    """Staff turn an application down: the candidate's data and accounts are removed."""
    if not is_cluster_staff(editor):
        raise PermissionDenied("Only coordinator staff decide on applications.")
    membership = getattr(organisation, "membership", None)
    if membership is None or membership.status != Membership.Status.CANDIDATE:
        raise PermissionDenied("Only pending applications can be rejected.")
    organisation.editors.all().delete()
    organisation.delete()
