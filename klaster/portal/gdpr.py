"""A person's data under the GDPR: everything the cluster holds about them, and its erasure.

Unlike the rest of the code, reads and writes sit together here, across apps: the export and
the erasure must find the same copies (person rows, accounts, event registrations, meeting
requests, consortium invitations, audit entries), and keeping the one list of places in one
file is what stops a copy from being forgotten when the next table is added.

A person is matched by their e-mail address (case-insensitive): registrations, invitations and
accounts are keyed by it; there is no other link between a contact person and those rows.
"""

import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from klaster.common.roles import is_cluster_staff
from klaster.events.erasure import ERASED, registrations_anonymise
from klaster.members.models import Person


def _email(person_or_user) -> str:
    return (getattr(person_or_user, "email", "") or "").strip()


def _full_name(first: str, last: str) -> str:
    return " ".join(part for part in (first.strip(), last.strip()) if part)


# --- Where a person's copies are ----------------------------------------------------------------


def _people_of(email: str, *, person: Person | None = None) -> QuerySet:
    people = Person.objects.filter(email__iexact=email) if email else Person.objects.none()
    if person is not None:
        people = people | Person.objects.filter(pk=person.pk)
    return people.select_related("organisation").distinct()


def _accounts_of(email: str) -> QuerySet:
    from klaster.accounts.models import User

    return User.objects.filter(email__iexact=email) if email else User.objects.none()


def _accounts_of_any(emails: set[str]) -> QuerySet:
    from klaster.accounts.models import User

    match = Q(pk__in=[])
    for address in emails:
        match |= Q(email__iexact=address)
    return User.objects.filter(match)


def _registrations_of(email: str, user_ids: list[int]) -> QuerySet:
    from klaster.events.models import Registration

    match = Q(user_id__in=user_ids)
    if email:
        match |= Q(email__iexact=email)
    return Registration.objects.filter(match).select_related("event")


def _meeting_requests_of(registration_ids: list[int]) -> QuerySet:
    from klaster.events.models import MeetingRequest

    return MeetingRequest.objects.filter(
        Q(sender_id__in=registration_ids) | Q(recipient_id__in=registration_ids)
    ).select_related("sender", "recipient", "event")


def _invitations_of(email: str) -> QuerySet:
    from klaster.consortia.models import Invitation

    return Invitation.objects.filter(email__iexact=email) if email else Invitation.objects.none()


def _about(*, people_ids, user_ids) -> QuerySet:
    """Audit entries about their person rows and accounts."""
    from klaster.accounts.models import User

    return LogEntry.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(Person),
            object_pk__in=[str(pk) for pk in people_ids],
        )
        | Q(
            content_type=ContentType.objects.get_for_model(User),
            object_pk__in=[str(pk) for pk in user_ids],
        )
    )


def _audit_entries_of(*, people_ids, user_ids, email: str) -> QuerySet:
    """Entries about their person rows and accounts, and entries they made."""
    made = Q(actor_id__in=user_ids)
    if email:
        made |= Q(actor_email__iexact=email)
    about = _about(people_ids=people_ids, user_ids=user_ids)
    return (about | LogEntry.objects.filter(made)).select_related("content_type")


# --- Export --------------------------------------------------------------------------------------


def _iso(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def person_data_export(*, person: Person) -> dict:
    """Everything about `person` as plain JSON-serialisable data (a GDPR access request)."""
    email = _email(person)
    people = list(_people_of(email, person=person))
    accounts = list(_accounts_of(email))
    user_ids = [u.pk for u in accounts]
    registrations = list(_registrations_of(email, user_ids))
    registration_ids = [r.pk for r in registrations]
    return _export(
        people=people,
        accounts=accounts,
        registrations=registrations,
        requests=list(_meeting_requests_of(registration_ids)),
        invitations=list(_invitations_of(email)),
        audit=list(
            _audit_entries_of(people_ids=[p.pk for p in people], user_ids=user_ids, email=email)
        ),
    )


def user_data_export(*, user) -> dict:
    """Everything about a signed-in user, for the download on their account page."""
    email = _email(user)
    people = list(_people_of(email))
    registrations = list(_registrations_of(email, [user.pk]))
    return _export(
        people=people,
        accounts=[user],
        registrations=registrations,
        requests=list(_meeting_requests_of([r.pk for r in registrations])),
        invitations=list(_invitations_of(email)),
        audit=list(
            _audit_entries_of(people_ids=[p.pk for p in people], user_ids=[user.pk], email=email)
        ),
    )


def _export(*, people, accounts, registrations, requests, invitations, audit) -> dict:
    own = {r.pk for r in registrations}
    return {
        "exported_at": timezone.now().isoformat(),
        "people": [
            {
                "id": p.pk,
                "organisation": {"id": p.organisation_id, "name": p.organisation.name},
                "first_name": p.first_name,
                "last_name": p.last_name,
                "position": p.position,
                "email": p.email,
                "phone": p.phone,
                "is_primary_contact": p.is_primary_contact,
            }
            for p in people
        ],
        "consents": [
            {
                "person_id": p.pk,
                "purpose": p.consent_purpose,
                "given_on": _iso(p.consent_given_on),
                "withdrawn_on": _iso(p.consent_withdrawn_on),
            }
            for p in people
            if p.consent_given_on or p.consent_purpose
        ],
        "user_accounts": [
            {
                "id": u.pk,
                "username": u.username,
                "email": u.email,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "role": u.role,
                "organisation_id": u.organisation_id,
                "date_joined": _iso(u.date_joined),
                "last_login": _iso(u.last_login),
                "is_active": u.is_active,
            }
            for u in accounts
        ],
        "event_registrations": [
            {
                "id": r.pk,
                "event": {"id": r.event_id, "title": r.event.title},
                "name": r.name,
                "email": r.email,
                "organisation_name": r.organisation_name,
                "country": r.country,
                "offers": r.offers,
                "looking_for": r.looking_for,
                "status": r.status,
                "checked_in_at": _iso(r.checked_in_at),
                "language": r.language,
                "created_at": _iso(r.created_at),
            }
            for r in registrations
        ],
        "meeting_requests": [
            {
                "id": m.pk,
                "event": m.event.title,
                "direction": "sent" if m.sender_id in own else "received",
                "with": (m.recipient if m.sender_id in own else m.sender).organisation_name,
                "message": m.message,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "responded_at": _iso(m.responded_at),
            }
            for m in requests
        ],
        "consortium_invitations": [
            {
                "id": i.pk,
                "project_idea_id": i.idea_id,
                "organisation_name": i.name,
                "email": i.email,
                "status": i.status,
                "invited_at": _iso(i.invited_at),
            }
            for i in invitations
        ],
        "audit_entries": [
            {
                "timestamp": _iso(e.timestamp),
                "action": e.get_action_display(),
                "model": e.content_type.model,
                "object_id": e.object_pk,
                "object": e.object_repr,
                "changes": e.changes,
                "by_this_person": e.actor_id in {u.pk for u in accounts},
            }
            for e in audit
        ],
    }


# --- Erasure -------------------------------------------------------------------------------------


def _scrub_text_copies(*, names: set[str], emails: set[str], organisation_ids: set[int]) -> None:
    """Names typed into the cooperation log ("people involved") of their organisation."""
    from klaster.trackrecord.models import Cooperation

    terms = {t for t in names | emails if t}
    if not terms:
        return
    entries = Cooperation.objects.filter(
        Q(organisation_a_id__in=organisation_ids) | Q(organisation_b_id__in=organisation_ids)
    )
    cooperation_type = ContentType.objects.get_for_model(Cooperation)
    for entry in entries:
        changed = False
        for field in ("people", "notes"):
            value = getattr(entry, field)
            for term in terms:
                if term.lower() in value.lower():
                    value = _replace_folded(value, term)
            if value != getattr(entry, field):
                setattr(entry, field, value)
                changed = True
        if changed:
            entry.save(update_fields=["people", "notes"])
            _scrub_log_entries(
                LogEntry.objects.filter(content_type=cooperation_type, object_pk=str(entry.pk)),
                terms,
            )


def _replace_folded(text: str, term: str) -> str:
    lower, needle = text.lower(), term.lower()
    out, start = [], 0
    while (index := lower.find(needle, start)) != -1:
        out.append(text[start:index] + ERASED)
        start = index + len(needle)
    out.append(text[start:])
    return "".join(out)


def _scrub_value(value, terms):
    if isinstance(value, str):
        for term in terms:
            if term.lower() in value.lower():
                value = _replace_folded(value, term)
        return value
    if isinstance(value, list):
        return [_scrub_value(v, terms) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, terms) for k, v in value.items()}
    return value


def _scrub_log_entries(entries: QuerySet, terms: set[str]) -> None:
    for entry in entries:
        entry.changes = _scrub_value(entry.changes, terms)
        entry.changes_text = _scrub_value(entry.changes_text, terms)
        entry.object_repr = _scrub_value(entry.object_repr, terms)
        entry.serialized_data = _scrub_value(entry.serialized_data, terms)
        entry.save(update_fields=["changes", "changes_text", "object_repr", "serialized_data"])


def _erase(*, people: list[Person], accounts: list, registrations: QuerySet, email: str):
    from klaster.consortia.models import Invitation, PartnerOrganisation

    now = timezone.now()
    # Full names only: a first name alone would blank out namesakes' mentions too.
    names = {_full_name(p.first_name, p.last_name) for p in people}
    names |= {_full_name(u.first_name, u.last_name) for u in accounts}
    names = {n for n in names if " " in n}
    emails = {email} | {p.email for p in people} | {u.email for u in accounts}
    emails = {e for e in emails if e}
    user_ids = [u.pk for u in accounts]
    people_ids = [p.pk for p in people]
    organisation_ids = {p.organisation_id for p in people} | {
        u.organisation_id for u in accounts if u.organisation_id
    }
    # The erasure itself must not write the old values into the audit trail.
    with disable_auditlog():
        registrations_anonymise(registrations, now=now)
        for address in emails:
            Invitation.objects.filter(email__iexact=address).update(email="")
            PartnerOrganisation.objects.filter(email__iexact=address).update(email="")
        _scrub_text_copies(names=names, emails=emails, organisation_ids=organisation_ids)
        # Entries about their person rows and accounts go: they are copies of the data.
        _about(people_ids=people_ids, user_ids=user_ids).delete()
        # Django admin's own history names the rows it changed.
        AdminLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person),
            object_id__in=[str(pk) for pk in people_ids],
        ).delete()
        # Their own edits of other rows stay in the trail (what changed), without who they were.
        # An address still used by an account that stays (a staff account) keeps its entries.
        kept = {
            e.lower()
            for e in _accounts_of_any(emails)
            .exclude(pk__in=user_ids)
            .values_list("email", flat=True)
        }
        made = Q(actor_id__in=user_ids)
        for address in emails:
            if address.lower() not in kept:
                made |= Q(actor_email__iexact=address)
        LogEntry.objects.filter(made).update(
            actor=None, actor_email=None, remote_addr=None, remote_port=None
        )
        for account in accounts:
            account.delete()
        Person.objects.filter(pk__in=people_ids).delete()
    return {"people": len(people_ids), "accounts": len(user_ids)}


def _record_erasure(*, people: list[Person], editor) -> None:
    """The trail keeps that an erasure happened and who did it, not whose data it was."""
    person_type = ContentType.objects.get_for_model(Person)
    for person in people:
        entry = LogEntry.objects.create(
            content_type=person_type,
            object_pk=str(person.pk),
            object_id=person.pk,
            object_repr=f"#{person.pk} {ERASED}",
            action=LogEntry.Action.DELETE,
            changes={"gdpr": ["personal data", "erased"]},
            actor=editor,
            additional_data={"organisation_id": person.organisation_id, "partner_id": None},
        )
        if editor is None:
            # The request's actor (the person erasing themselves) is filled in on save by
            # auditlog; it is the very data being erased.
            LogEntry.objects.filter(pk=entry.pk).update(
                actor=None, actor_email=None, remote_addr=None, remote_port=None
            )


@transaction.atomic
def person_erase(*, person: Person, editor) -> dict:
    """Staff erase a person (a GDPR erasure request): every copy is removed or anonymised in
    one transaction. Staff accounts are not erased this way: another staff member removes
    those deliberately, so that no click locks the cluster out of its own registry."""
    if not is_cluster_staff(editor):
        raise PermissionDenied("Only coordinator staff erase a person's data.")
    email = _email(person)
    people = list(_people_of(email, person=person))
    accounts = [u for u in _accounts_of(email) if not u.is_superuser and not is_cluster_staff(u)]
    registrations = _registrations_of(email, [u.pk for u in accounts])
    result = _erase(people=people, accounts=accounts, registrations=registrations, email=email)
    _record_erasure(people=people, editor=editor)
    return result


@transaction.atomic
def account_delete_self(*, user) -> dict:
    """A signed-in user deletes their own account and everything about them."""
    email = _email(user)
    people = list(_people_of(email))
    registrations = _registrations_of(email, [user.pk])
    result = _erase(people=people, accounts=[user], registrations=registrations, email=email)
    _record_erasure(people=people, editor=None)
    return result
