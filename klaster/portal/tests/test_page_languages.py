"""Every page of the browser journeys speaks one language: Polish by default, English when the
reader chose it, without leftovers of the other.

Each page is rendered with Django's test client in both languages; its visible text (the
<body> without tags, scripts and styles) must not hold a telltale of the other language. The
telltales are a short, honest list: words of the product's own interface that a translated page
never shows in the other language, and the raw codes that should have been worded
(``horizon-ria``, ``member-274``, CORDIS's HES/PRC/REC/PUB). Names and descriptions written by
members (a Polish company name on an English page) are data, not leftovers: the test's data is
chosen so that none of it contains a telltale. The list is a net for regressions, not a proof
that every string is translated; the catalogue's own tests check completeness.
"""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from klaster.calls.models import Call
from klaster.consortia.models import ProjectIdea, Proposal, ProposedPartner
from klaster.core.consortium.selection import ACTIVITY_NAMES
from klaster.events.models import Registration
from klaster.events.tests.factories import EventFactory, RegistrationFactory
from klaster.members.models import Sector
from klaster.members.tests.factories import MembershipFactory
from klaster.trackrecord.models import CordisOrganisation, CordisParticipation, CordisProject

# Interface words that mean the page (or part of it) is in English.
ENGLISH_TELLTALES = [
    r" participant\b",
    r"\bOrganisations\b",
    r"\bSearch\b",
    r"\bSave\b",
    r"\bSign out\b",
    r"\bFunding calls\b",
    r"\bDirectory\b",
    r"\bSectors\b",
    r"\bEligibility rules\b",
    r"\bImport of\b",
    r"\bhigher or secondary education\b",
    r"\bprivate company\b",
]
# Interface words that mean the page (or part of it) is in Polish.
POLISH_TELLTALES = [
    r"\bZapisz\b",
    r"\bSzukaj\b",
    r"\borganizacje\b",
    r"\buczestnik\b",
    r"\bWyloguj\b",
    r"\bKatalog\b",
    r"\bSektory\b",
    r"\bNabory\b",
    r"\bprzedsiębiorstwo\b",
    r"\buczelnia\b",
]
# Codes that should have been put in words, in either language.
RAW_CODES = [r"horizon-ria", r"\bmember-\d+", r"\b(?:HES|PRC|REC|PUB|OTH)\b"]

BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    body = BODY.search(page)
    text = INVISIBLE.sub(" ", body.group(1) if body else page)
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", text)))


@pytest.fixture
def journey_world(db, organisation_a, organisation_b, editor_a):
    """What the browser journeys meet, built like the demo: members with sectors and a CORDIS
    track record, a brokerage day with a participant, a funding call and a consortium idea with
    a proposal (a member without a PIC among its partners)."""
    for organisation in (organisation_a, organisation_b):
        MembershipFactory(organisation=organisation)
    organisation_a.sectors.set(Sector.objects.all()[:2])
    record = CordisOrganisation.objects.create(
        pic="999888777", name="ALFA ENERGIA", activity_type="PRC", country="PL",
        organisation=organisation_a,
    )  # fmt: skip
    project = CordisProject.objects.create(
        project_id="101000001", programme="HORIZON", acronym="GRIDAI",
        title="Grid intelligence", start_date=datetime.date(2023, 1, 1),
    )  # fmt: skip
    CordisParticipation.objects.create(
        project=project, cordis_organisation=record, role="participant", country="PL",
        activity_type="PRC",
    )  # fmt: skip
    event = EventFactory(title="Dzień B2B")
    RegistrationFactory(
        event=event, organisation=organisation_a, status=Registration.Status.CONFIRMED
    )
    call = Call.objects.create(
        identifier="HORIZON-CL5-2026-D3-07", title="AI for resilient energy grids",
        programme="Horizon Europe", action_type="HORIZON-RIA",
        deadline=timezone.localdate() + datetime.timedelta(days=60),
    )  # fmt: skip
    idea = ProjectIdea.objects.create(
        owner=organisation_a, call=call, title="Sieci z AI", rule_set="horizon-ria", size=3,
        created_by=editor_a,
    )  # fmt: skip
    proposal = Proposal.objects.create(
        idea=idea, rule_set="horizon-ria",
        rule_set_title="Horizon Europe Research and Innovation Action (RIA)", size=3,
        eligible=True, created_by=editor_a,
    )  # fmt: skip
    partners = [
        (f"member-{organisation_a.pk}", organisation_a.name, "PRC", "coordinator", True),
        ("999000111", "Universitaet Wien", "HES", ACTIVITY_NAMES["HES"], False),
        ("999000222", "Instituto Tecnico", "REC", ACTIVITY_NAMES["REC"], False),
    ]
    for position, (pic, name, kind, role, is_coordinator) in enumerate(partners):
        ProposedPartner.objects.create(
            proposal=proposal, position=position, pic=pic, name=name, country="AT",
            activity_type=kind, role=role, is_coordinator=is_coordinator,
            organisation=organisation_a if is_coordinator else None,
        )  # fmt: skip
    return {"organisation": organisation_a, "event": event, "call": call, "idea": idea}


def journey_pages(world) -> dict[str, list[str]]:
    """The pages the browser journeys visit, by who visits them."""
    org, event, call, idea = world["organisation"], world["event"], world["call"], world["idea"]
    return {
        "anonymous": [
            "/", "/members/", f"/members/{org.pk}/", "/events/", f"/events/{event.pk}/",
            f"/events/{event.pk}/register/", "/calls/", f"/calls/{call.pk}/", "/accounts/login/",
            "/members/join/",
        ],
        "editor_a": [
            "/members/mine/", f"/members/{org.pk}/edit/", "/consortia/", f"/consortia/{idea.pk}/",
            "/partners/", "/trackrecord/cooperation/",
        ],
        "coordinator": [
            "/dashboard/", f"/events/{event.pk}/manage/", f"/events/{event.pk}/check-in/",
            f"/events/{event.pk}/table-plan/", "/trackrecord/network/", "/members/import/",
            "/members/candidates/",
        ],
    }  # fmt: skip


def leftovers(text: str, patterns: list[str]) -> list[str]:
    return [match.group(0) for p in patterns for match in re.finditer(p, text)]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_journey_pages_hold_no_words_of_the_other_language(
    client_for, journey_world, editor_a, coordinator, language
):
    telltales = (ENGLISH_TELLTALES if language == "pl" else POLISH_TELLTALES) + RAW_CODES
    # Sector names are the product's words too (checkboxes on the profile and registration forms).
    telltales += [
        rf"\b{re.escape(sector.name_en if language == 'pl' else sector.name_pl)}\b"
        for sector in Sector.objects.all()
        if sector.name_pl.lower() != sector.name_en.lower()
    ]
    users = {"anonymous": None, "editor_a": editor_a, "coordinator": coordinator}
    found = {}
    for who, urls in journey_pages(journey_world).items():
        client = client_for(users[who]) if users[who] else Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (who, url, response.status_code)
            words = leftovers(visible_text(response.content.decode()), telltales)
            if words:
                found[f"{who} {url}"] = sorted(set(words))
    assert found == {}
