"""A person's data under the GDPR: the export holds everything about them, the erasure leaves
their name and e-mail in no row of any table, and only staff (or the person) may do either."""

import datetime
import json

import pytest
from django.db import connection
from django.urls import reverse

from klaster.accounts.models import User
from klaster.consortia.models import Invitation, ProjectIdea
from klaster.events.models import MeetingRequest, Registration
from klaster.events.tests.factories import MeetingRequestFactory, RegistrationFactory
from klaster.members.models import Person
from klaster.members.tests.factories import PersonFactory, UserFactory
from klaster.portal import gdpr
from klaster.trackrecord.models import Cooperation

pytestmark = pytest.mark.django_db

EMAIL = "zofia.przyklad@example.org"
LAST_NAME = "Przykladowska"  # ASCII, so that no JSON escaping could hide a leftover copy
PASSWORD = "correct-horse-battery"


@pytest.fixture
def zofia(organisation_a):
    return PersonFactory(
        organisation=organisation_a,
        first_name="Zofia",
        last_name=LAST_NAME,
        email=EMAIL,
        consent_purpose="membership and cluster activities",
        consent_given_on=datetime.date(2025, 1, 10),
    )


@pytest.fixture
def zofia_account(organisation_a):
    return UserFactory(
        username="zofia",
        email=EMAIL,
        first_name="Zofia",
        last_name=LAST_NAME,
        role=User.Role.MEMBER_EDITOR,
        organisation=organisation_a,
    )


@pytest.fixture
def zofia_everywhere(zofia, zofia_account, organisation_a, organisation_b, client_for):
    """Zofia's data spread the way the cluster spreads it."""
    registration = RegistrationFactory(
        name=f"Zofia {LAST_NAME}",
        email=EMAIL,
        user=zofia_account,
        organisation=organisation_a,
        organisation_name=organisation_a.name,
        offers=f"Contact Zofia {LAST_NAME} at {EMAIL}",
    )
    other = RegistrationFactory(event=registration.event)
    MeetingRequestFactory(sender=registration, recipient=other, message=f"Regards, {LAST_NAME}")
    MeetingRequestFactory(sender=other, recipient=registration, message="Let us meet.")
    idea = ProjectIdea.objects.create(owner=organisation_b, title="Hydrogen valley", rule_set="x")
    Invitation.objects.create(idea=idea, pic="999999999", name=organisation_a.name, email=EMAIL)
    Cooperation.objects.create(
        kind="meeting",
        date=datetime.date(2025, 3, 1),
        organisation_a=organisation_a,
        organisation_b=organisation_b,
        people=f"Zofia {LAST_NAME}, Jan Nowak",
    )
    # an edit she made herself, signed in (the audit trail records her as the actor)
    client_for(zofia_account).post(
        reverse("members:person_edit", args=[organisation_a.pk, zofia.pk]),
        {
            "first_name": "Zofia",
            "last_name": LAST_NAME,
            "email": EMAIL,
            "position": "CTO",
            "consent_purpose": "membership and cluster activities",
            "consent_given_on": "2025-01-10",
        },
    )
    return registration


def _cells_containing(term: str) -> list[str]:
    """Every table.column of the database with a value containing `term`."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                    f"WHERE LOWER(CAST({connection.ops.quote_name(column.name)} AS TEXT)) LIKE %s",
                    [f"%{term.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_export_holds_registrations_meeting_requests_consents_and_audit_entries(
    zofia, zofia_everywhere
):
    data = gdpr.person_data_export(person=zofia)

    json.dumps(data)  # plain JSON
    assert [p["email"] for p in data["people"]] == [EMAIL]
    assert data["consents"][0]["purpose"] == "membership and cluster activities"
    assert [u["username"] for u in data["user_accounts"]] == ["zofia"]
    assert data["event_registrations"][0]["email"] == EMAIL
    assert {m["direction"] for m in data["meeting_requests"]} == {"sent", "received"}
    assert data["consortium_invitations"][0]["email"] == EMAIL
    assert any(e["model"] == "person" for e in data["audit_entries"])
    assert any(e["by_this_person"] for e in data["audit_entries"])
    assert "password" not in json.dumps(data["user_accounts"])


def test_after_erasure_no_row_anywhere_holds_the_name_or_e_mail(
    zofia, zofia_everywhere, coordinator
):
    assert _cells_containing(EMAIL) and _cells_containing(LAST_NAME)  # the search finds them

    gdpr.person_erase(person=zofia, editor=coordinator)

    assert _cells_containing(EMAIL) == []
    assert _cells_containing(LAST_NAME) == []
    assert not Person.objects.filter(pk=zofia.pk).exists()
    assert not User.objects.filter(username="zofia").exists()
    registration = Registration.objects.get(pk=zofia_everywhere.pk)
    assert registration.status == Registration.Status.CANCELLED  # an upcoming event
    assert MeetingRequest.objects.count() == 2  # the other participant's request stays
    assert Cooperation.objects.get().people.endswith("Jan Nowak")


def test_erasure_is_recorded_in_the_audit_trail_without_the_data(zofia, coordinator):
    from auditlog.models import LogEntry

    gdpr.person_erase(person=zofia, editor=coordinator)

    entry = LogEntry.objects.get(object_pk=str(zofia.pk), content_type__model="person")
    assert entry.actor == coordinator
    assert LAST_NAME not in entry.object_repr


def test_staff_download_and_erase_from_the_person_page(zofia, coordinator, client_for):
    staff = client_for(coordinator)
    page = staff.get(reverse("members:person_edit", args=[zofia.organisation_id, zofia.pk]))
    assert reverse("portal:person_erase", args=[zofia.organisation_id, zofia.pk]) in (
        page.content.decode()
    )

    download = staff.get(reverse("portal:person_data", args=[zofia.organisation_id, zofia.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["people"][0]["email"] == EMAIL

    url = reverse("portal:person_erase", args=[zofia.organisation_id, zofia.pk])
    assert staff.post(url, {}).status_code == 200  # not confirmed: nothing happens
    assert Person.objects.filter(pk=zofia.pk).exists()
    assert staff.post(url, {"confirm": "on"}).status_code == 302
    assert not Person.objects.filter(pk=zofia.pk).exists()


@pytest.mark.parametrize("persona", ["editor_a", "editor_b", "investor"])
def test_others_cannot_export_or_erase_a_person(persona, zofia, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    args = [zofia.organisation_id, zofia.pk]

    assert client.get(reverse("portal:person_data", args=args)).status_code == 403
    assert (
        client.post(reverse("portal:person_erase", args=args), {"confirm": "on"}).status_code == 403
    )
    assert Person.objects.filter(pk=zofia.pk).exists()


def test_anonymous_cannot_export_a_person(zofia, anonymous):
    response = anonymous.get(reverse("portal:person_data", args=[zofia.organisation_id, zofia.pk]))
    assert response.status_code == 302
    assert EMAIL not in response.content.decode()


def test_removing_a_contact_person_anonymises_their_event_registrations(
    zofia, editor_a, client_for
):
    registration = RegistrationFactory(
        name="Zofia", email=EMAIL, organisation=zofia.organisation, organisation_name="Alfa"
    )
    client_for(editor_a).post(
        reverse("members:person_delete", args=[zofia.organisation_id, zofia.pk])
    )

    registration.refresh_from_db()
    assert EMAIL not in registration.email
    assert registration.name == gdpr.ERASED


def test_user_downloads_their_own_data(zofia_account, zofia_everywhere, client_for):
    response = client_for(zofia_account).get(reverse("portal:account_data"))

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["user_accounts"][0]["username"] == "zofia"
    assert data["event_registrations"][0]["email"] == EMAIL
    assert data["people"][0]["last_name"] == LAST_NAME


def test_user_deletes_their_own_account_with_the_password(
    zofia_account, zofia_everywhere, client_for
):
    client = client_for(zofia_account)
    url = reverse("portal:account_delete")

    wrong = client.post(url, {"password": "not-it", "confirm": "on"})
    assert wrong.status_code == 200
    assert User.objects.filter(username="zofia").exists()

    assert client.post(url, {"password": PASSWORD, "confirm": "on"}).status_code == 302
    assert not User.objects.filter(username="zofia").exists()
    assert _cells_containing(EMAIL) == []
    assert client.get(reverse("accounts:account")).status_code == 302  # signed out


def test_account_page_offers_download_and_deletion(editor_a, client_for):
    page = client_for(editor_a).get(reverse("accounts:account")).content.decode()
    assert reverse("portal:account_data") in page
    assert reverse("portal:account_delete") in page


def test_erasing_a_person_never_erases_a_staff_account(organisation_a, coordinator):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    person = PersonFactory(organisation=organisation_a, email=coordinator.email)
    staff_entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(organisation_a),
        object_pk=str(organisation_a.pk),
        object_repr="x",
        action=LogEntry.Action.UPDATE,
        actor=coordinator,
        actor_email=coordinator.email,
    )

    gdpr.person_erase(person=person, editor=coordinator)

    assert User.objects.filter(pk=coordinator.pk).exists()
    staff_entry.refresh_from_db()
    assert staff_entry.actor == coordinator  # staff's own trail is kept


def test_person_without_e_mail_is_erased_alone(organisation_a, zofia, coordinator):
    nameless = PersonFactory(organisation=organisation_a, email="", last_name="Bezadresowa")
    gdpr.person_erase(person=nameless, editor=coordinator)
    assert not Person.objects.filter(pk=nameless.pk).exists()
    assert Person.objects.filter(pk=zofia.pk).exists()


def test_account_deletion_password_guesses_go_through_the_sign_in_limiter(
    zofia_account, client_for, settings
):
    settings.LOGIN_RATE_LIMIT_ATTEMPTS = 3
    client = client_for(zofia_account)
    url = reverse("portal:account_delete")
    for _ in range(3):
        client.post(url, {"password": "not-it", "confirm": "on"})

    locked = client.post(url, {"password": PASSWORD, "confirm": "on"})

    assert locked.status_code == 200
    assert "Zbyt wiele nieudanych prób logowania" in locked.content.decode()
    assert User.objects.filter(username="zofia").exists()


def test_erasing_a_person_gives_their_seat_at_an_upcoming_event_to_the_waiting_list(
    zofia, coordinator
):
    from klaster.events.tests.factories import EventFactory

    event = EventFactory(capacity=1)  # a month ahead
    seat = RegistrationFactory(event=event, email=EMAIL, name=f"Zofia {LAST_NAME}")
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)

    gdpr.person_erase(person=zofia, editor=coordinator)

    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert seat.status == Registration.Status.CANCELLED
    assert seat.email.endswith("@erased.invalid")
    assert waiting.status == Registration.Status.CONFIRMED
