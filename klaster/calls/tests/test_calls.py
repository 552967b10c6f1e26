"""Funding calls: import, list and filters, a call's page, iCal feed, deadline reminders."""

import datetime
import gzip
import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from klaster.calls.models import Call
from klaster.calls.services import calls_import, calls_remind
from klaster.members.models import Sector
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory

EXTRACT = Path(__file__).resolve().parents[3] / "data" / "extracts" / "eu-topics-extract.jsonl.gz"


def topic(**changes) -> dict:
    base = {
        "topicId": "HORIZON-CL5-2026-D3-01-01",
        "title": "Hydrogen storage for renewable energy grids",
        "programme": "Horizon Europe",
        "actionType": "RIA",
        "deadline": "2026-10-01",
        "budgetMin": 3000000,
        "budgetMax": 5000000,
        "keywords": "hydrogen, storage, grid",
        "description": "Projects will develop hydrogen storage for renewable energy grids.",
        "portalUrl": "https://ec.europa.eu/topic",
    }
    return {**base, **changes}


def write_topics(path: Path, topics: list) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for t in topics:
            stream.write((t if isinstance(t, str) else json.dumps(t)) + "\n")
    return path


@pytest.mark.django_db
def test_import_of_the_committed_extract_is_idempotent():
    first = calls_import(path=EXTRACT)
    assert first.created == Call.objects.count() > 20
    again = calls_import(path=EXTRACT)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert Call.objects.filter(programme="Horizon Europe", action_type="RIA").exists()


@pytest.mark.django_db
def test_import_command_updates_a_changed_topic(tmp_path, capsys):
    path = write_topics(tmp_path / "t.jsonl.gz", [topic()])
    call_command("calls", "import", str(path))
    write_topics(path, [topic(title="Hydrogen storage, revised")])
    call_command("calls", "import", str(path))
    assert "0 created, 1 updated" in capsys.readouterr().out
    assert Call.objects.get().title == "Hydrogen storage, revised"


@pytest.mark.django_db
def test_imported_texts_are_repaired_and_laid_out_in_paragraphs(tmp_path, client):
    glued = topic(
        title="Energy renovation solutions â€“ Boosting renovation",
        description="Objective:The programme helps.It funds pilots.Scope:Size: EUR 1.",
        topicConditions='">Conditions1. Admissibility: as described.2. Eligible countries: all.',
        deadlineModel="two-stage",
    )
    calls_import(path=write_topics(tmp_path / "t.jsonl.gz", [glued]))
    call = Call.objects.get()
    assert call.title == "Energy renovation solutions – Boosting renovation"
    assert call.description == (
        "Objective:\nThe programme helps.\n\nIt funds pilots.\n\nScope:\nSize: EUR 1."
    )
    assert call.conditions.startswith("Conditions\n\n1. Admissibility: as described.\n\n2.")
    page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert "<p>Objective:<br>The programme helps.</p>" in page
    assert "(dwuetapowy)" in page  # the portal's deadline model in the reader's words


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{oops"], "line 1: not valid JSON"),
        ([topic(), topic(topicId="")], "line 2: topicId is missing"),
        ([topic(deadline="tomorrow")], "line 1: deadline 'tomorrow' is not a date"),
        ([topic(budgetMax="lots")], "line 1: budgetMax 'lots' is not a number"),
        ([topic(title=7)], "line 1: title must be text"),
    ],
)
def test_bad_topic_file_is_refused_naming_line_and_field_and_nothing_is_imported(
    tmp_path, lines, message
):
    path = write_topics(tmp_path / "t.jsonl.gz", lines)
    with pytest.raises(CommandError, match=message):
        call_command("calls", "import", str(path))
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_list_filters_by_programme_action_type_deadline_and_budget(client):
    Call.objects.create(identifier="A", title="Solar cells", programme="Horizon Europe",
                        action_type="RIA", deadline=datetime.date(2026, 9, 1), budget_max=4_000_000)  # fmt: skip
    Call.objects.create(identifier="B", title="Nature restoration", programme="LIFE",
                        action_type="Grant", deadline=datetime.date(2026, 12, 1), budget_max=900_000)  # fmt: skip
    url = reverse("calls:list")

    def titles(**params) -> list[str]:
        # Both deadlines are in the past by now: the closed calls are asked for.
        page = client.get(url, {"show_closed": "on", **params}).context["page"]
        return [c.title for c in page]

    assert titles() == ["Solar cells", "Nature restoration"]
    assert titles(programme="LIFE") == ["Nature restoration"]
    assert titles(action_type="RIA") == ["Solar cells"]
    assert titles(deadline_from="2026-10-01") == ["Nature restoration"]
    assert titles(budget_min="1000000") == ["Solar cells"]
    assert titles(q="restoration") == ["Nature restoration"]
    assert titles(sort="budget") == ["Solar cells", "Nature restoration"]
    fragment = client.get(url, {"q": "solar", "show_closed": "on"}, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b"Solar cells" in fragment.content


@pytest.mark.django_db
def test_call_page_shows_best_placed_members_with_reasons_to_signed_in_people(
    client_for, editor_b, anonymous
):
    # Given an active member working on hydrogen storage and one baking bread
    hydrogen = OrganisationFactory(name="Wodór Magazyn sp. z o.o.",
                                   competences_text="hydrogen storage systems for energy grids")  # fmt: skip
    MembershipFactory(organisation=hydrogen)
    hydrogen.sectors.add(Sector.objects.get(code="energy"))  # sectors count too
    bakery = OrganisationFactory(name="Piekarnia", description_en="bread", description_pl="chleb",
                                 competences_text="bread bakery")  # fmt: skip
    MembershipFactory(organisation=bakery)
    call = Call.objects.create(
        identifier="H2",
        title="Hydrogen storage for renewable energy grids",
        description="Hydrogen storage demonstrators in energy grids.",
    )

    page = client_for(editor_b).get(reverse("calls:detail", args=[call.pk]))
    placed = page.context["placed"]
    assert [p.organisation for p in placed][:1] == [hydrogen]
    assert bakery not in [p.organisation for p in placed]
    assert "hydrogen" in placed[0].competence_terms
    assert 'data-testid="best-placed"' in page.content.decode()

    public = anonymous.get(reverse("calls:detail", args=[call.pk]))
    assert public.status_code == 200
    assert 'data-testid="best-placed"' not in public.content.decode()
    assert "Hydrogen storage demonstrators" in public.content.decode()


@pytest.mark.django_db
def test_unknown_call_is_not_found(client):
    assert client.get(reverse("calls:detail", args=[999])).status_code == 404


@pytest.mark.django_db
def test_ical_feed_lists_deadlines_as_all_day_events(client):
    Call.objects.create(
        identifier="A", title="Solar, cells; and more", deadline=datetime.date(2026, 9, 1)
    )
    Call.objects.create(identifier="B", title="No deadline yet")
    response = client.get(reverse("calls:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20260901" in text
    assert "SUMMARY:Termin: A Solar\\, cells\\; and more" in text  # Polish by default
    assert text.count("BEGIN:VEVENT") == 1
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    english = client.get(reverse("calls:feed") + "?lang=en").content.decode()
    assert "SUMMARY:Deadline: A Solar\\, cells\\; and more" in english


@pytest.mark.django_db
def test_reminders_go_once_per_call_to_each_person_separately(editor_a, editor_b, coordinator):
    today = datetime.date(2026, 9, 1)
    Call.objects.create(
        identifier="SOON", title="Closing soon", deadline=today + datetime.timedelta(days=5)
    )
    Call.objects.create(
        identifier="LATER", title="Closing later", deadline=today + datetime.timedelta(days=60)
    )
    Call.objects.create(
        identifier="PAST", title="Closed", deadline=today - datetime.timedelta(days=1)
    )
    assert calls_remind(today=today) == 1
    assert len(mail.outbox) == 3
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "SOON: Closing soon" in mail.outbox[0].body
    assert "LATER" not in mail.outbox[0].body
    assert calls_remind(today=today) == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_remind_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("calls", "remind", "--today", "soon")


@pytest.mark.django_db
def test_reminder_waits_when_nobody_can_receive_it():
    today = datetime.date(2026, 9, 1)
    Call.objects.create(identifier="SOON", title="Closing soon", deadline=today)
    assert calls_remind(today=today) == 0
    assert Call.objects.get().reminded_on is None
