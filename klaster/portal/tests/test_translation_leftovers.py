"""The leftovers a first week of use found: each says itself in the reader's language.

Polish is the default; English is the reader's choice (the language cookie), or, for the API,
the client's Accept-Language, and for an iCal feed the `lang` its link carries.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from klaster.calls.models import Call
from klaster.common import wording
from klaster.consortia import selectors as consortia_selectors
from klaster.consortia.models import ProjectIdea, Proposal, ProposedPartner
from klaster.events.tests.factories import EventFactory
from klaster.jobs.models import Job
from klaster.jobs.registry import JobKind
from klaster.jobs.selectors import job_with_progress
from klaster.members.tests.factories import valid_nip
from klaster.portal.tests.test_page_languages import visible_text

COUNTS = {"created": 2, "updated": 0, "unchanged": 5, "removed": 0}
IMPORT_RESULT = {
    "counts": dict.fromkeys(("projects", "organisations", "participations"), COUNTS),
    "changed": True,
    "seconds": 1.25,
    "linking": {"linked": 3, "by_pic": 1, "by_vat": 1, "by_name_city": 1, "pending": 2},
    "summary": "Imported. projects: 2 new …",  # as written by a worker in English
}


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- Words for CORDIS's codes ------------------------------------------------------------------


def test_cordis_codes_are_put_in_words_in_each_language():
    with translation.override("pl"):
        assert wording.activity_words("HES") == "uczelnia / szkoła wyższa"
        assert wording.activity_words("PRC") == "przedsiębiorstwo"
        assert wording.activity_words("REC") == "organizacja badawcza"
        assert wording.activity_words("PUB") == "instytucja publiczna"
        assert wording.activity_words("OTH") == "inne"
        assert wording.cordis_role_words("participant") == "uczestnik"
        assert wording.rule_set_words("horizon-ria").startswith("Horyzont Europa")
    with translation.override("en"):
        assert wording.activity_words("HES") == "higher or secondary education"
        assert wording.cordis_role_words("thirdParty") == "third party"
        assert wording.rule_set_words("horizon-ria") == (
            "Horizon Europe Research and Innovation Action (RIA)"
        )
    assert wording.activity_words("XYZ") == "XYZ"  # an unknown code is shown as it is
    assert wording.shown_pic("member-274") == "" and wording.shown_pic("999888777") == "999888777"


# --- Sector checkboxes -------------------------------------------------------------------------


def test_sector_checkboxes_are_in_english_on_an_english_page(client_for, editor_a, organisation_a):
    page = english(client_for(editor_a)).get(f"/members/{organisation_a.pk}/edit/")

    content = page.content.decode()
    assert "Renewable energy" in content and "Odnawialne źródła energii" not in content


def test_event_registration_sector_checkboxes_follow_the_reader(db):
    event = EventFactory()

    polish = Client().get(f"/events/{event.pk}/register/").content.decode()
    english_page = english(Client()).get(f"/events/{event.pk}/register/").content.decode()

    assert "Technologie kosmiczne" in polish
    assert "Space" in english_page and "Technologie kosmiczne" not in english_page


# --- Import titles and summaries ---------------------------------------------------------------


def test_member_import_job_title_names_the_kind_in_polish(
    client_for, coordinator, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = client_for(coordinator)
    csv = f"name;kind;enterprise_size;nip\nNowa;enterprise;micro;{valid_nip(987)}\n".encode()
    uploaded = client.post(
        reverse("members:import"),
        {"kind": "organisations", "file": SimpleUploadedFile("m.csv", csv, "text/csv")},
    )
    token = uploaded["Location"].rstrip("/").rsplit("/", 1)[-1]

    client.post(reverse("members:import_confirm", args=[token]))

    assert Job.objects.get(kind="members.import").title == "Import: organizacje z pliku m.csv"


def test_cordis_import_summary_is_said_in_the_reader_language(coordinator):
    job = Job.objects.create(
        kind=JobKind.CORDIS_IMPORT, title="CORDIS", status=Job.Status.SUCCEEDED,
        result=IMPORT_RESULT, created_by=coordinator,
    )  # fmt: skip

    with translation.override("pl"):
        polish = job_with_progress(job_id=job.pk).result["summary"]
    with translation.override("en"):
        in_english = job_with_progress(job_id=job.pk).result["summary"]

    assert polish.startswith("Zaimportowano.") and "Powiązano" in polish and "1,2" in polish
    assert "Linked" not in polish and "updated" not in polish
    assert in_english.startswith("Imported.") and "Linked 3 CORDIS organisations" in in_english


# --- The consortium workspace and its export ---------------------------------------------------


@pytest.fixture
def proposal(organisation_a, editor_a):
    idea = ProjectIdea.objects.create(
        owner=organisation_a, title="Sieci", rule_set="horizon-ria", size=2, created_by=editor_a
    )
    proposal = Proposal.objects.create(
        idea=idea, rule_set="horizon-ria",
        rule_set_title="Horizon Europe Research and Innovation Action (RIA)", size=2,
        eligible=True, created_by=editor_a,
    )  # fmt: skip
    ProposedPartner.objects.create(
        proposal=proposal, position=0, pic=f"member-{organisation_a.pk}", name=organisation_a.name,
        country="PL", activity_type="PRC", role="coordinator", is_coordinator=True,
        organisation=organisation_a,
    )  # fmt: skip
    ProposedPartner.objects.create(
        proposal=proposal, position=1, pic="999000111", name="Universitaet Wien", country="AT",
        activity_type="HES", role="university",
    )  # fmt: skip
    return proposal


def test_workspace_shows_words_not_codes(client_for, editor_a, proposal):
    page = visible_text(
        client_for(editor_a).get(f"/consortia/{proposal.idea_id}/").content.decode()
    )

    assert "horizon-ria" not in page and "Horyzont Europa" in page
    assert "member-" not in page  # a member's made-up identifier is no PIC to show
    assert "uczelnia / szkoła wyższa" in page and "HES" not in page
    assert "PIC 999000111" in page


def test_consortium_export_names_the_rule_set_and_kinds_in_the_reader_language(proposal):
    def export():
        return consortia_selectors.consortium_export(
            idea=proposal.idea, yes="yes", no="no", coordinator="coordinator"
        )

    with translation.override("pl"):
        polish = export()
    with translation.override("en"):
        in_english = export()

    assert polish.rule_set_title.startswith("Horyzont Europa")
    assert in_english.rule_set_title.startswith("Horizon Europe Research")
    assert [row.kind for row in polish.rows] == ["przedsiębiorstwo", "uczelnia / szkoła wyższa"]
    assert polish.rows[0].pic == ""  # a member's made-up identifier is no PIC


# --- The API: one language per request ---------------------------------------------------------


def test_api_errors_follow_accept_language_when_no_language_was_chosen(db):
    client = Client()

    default = client.get("/api/organisations/999999").json()["detail"]
    asked_english = client.get("/api/organisations/999999", HTTP_ACCEPT_LANGUAGE="en-GB").json()
    asked_polish = client.get("/api/organisations/999999", HTTP_ACCEPT_LANGUAGE="pl,en;q=0.5")

    assert default == "Nie ma takiej organizacji albo nie masz do niej dostępu."
    assert asked_english["detail"] == "No such organisation, or it is not visible to you."
    assert asked_polish.json()["detail"] == default


def test_api_chosen_language_cookie_wins_over_accept_language(db):
    client = english(Client())

    answer = client.get("/api/organisations/999999", HTTP_ACCEPT_LANGUAGE="pl")

    assert answer.json()["detail"] == "No such organisation, or it is not visible to you."


def test_api_validation_errors_speak_the_same_language_as_the_rest(db):
    polish = Client().get("/api/organisations/0")
    in_english = Client().get("/api/organisations/0", HTTP_ACCEPT_LANGUAGE="en")

    assert polish.status_code == 422
    assert polish.json()["detail"][0]["msg"] == "Podaj liczbę nie mniejszą niż 1."
    assert in_english.json()["detail"][0]["msg"] == "Enter a number of at least 1."


def test_api_patch_form_errors_and_their_summary_share_one_language(client_for, editor_a):
    organisation = editor_a.organisation
    client = client_for(editor_a)

    answer = client.patch(
        f"/api/organisations/{organisation.pk}",
        data={"sectors": ["no-such-sector"]},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "Nieprawidłowe dane.",
        "errors": {"sectors": ["Nieznany kod sektora: no-such-sector"]},
    }


# --- iCal ---------------------------------------------------------------------------------------


def test_ical_feeds_speak_the_language_of_the_page_that_linked_them(db):
    Call.objects.create(
        identifier="HORIZON-X-01", title="Grids", deadline=timezone.localdate(),
    )  # fmt: skip
    EventFactory()

    polish_calls = Client().get("/calls/deadlines.ics").content.decode()
    english_calls = Client().get("/calls/deadlines.ics?lang=en").content.decode()
    english_events = Client().get("/events/feed.ics?lang=en").content.decode()
    list_page = english(Client()).get("/calls/").content.decode()

    assert "SUMMARY:Termin: HORIZON-X-01" in polish_calls and "Nabory Klastra" in polish_calls
    assert "SUMMARY:Deadline: HORIZON-X-01" in english_calls
    assert "X-WR-CALNAME:Cluster events" in english_events
    assert "deadlines.ics?lang=en" in list_page
