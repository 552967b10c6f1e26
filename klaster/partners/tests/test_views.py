"""The find-partners page: members describe an idea and get ranked partners with reasons."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from klaster.calls.models import Call
from klaster.consortia.models import ProjectIdea
from klaster.jobs.models import Job
from klaster.jobs.services import job_run
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory
from klaster.partners import serving
from klaster.partners.tests.trackrecord_rows import pic_of
from klaster.trackrecord.models import (
    Cooperation,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_engine_sandbox")]

URL = reverse("partners:find")
SPACE_IDEA = {
    "title": "Satellite earth observation for crop monitoring",
    "objective": "Remote sensing data from satellites to monitor agriculture.",
    "keywords": "earth observation, satellite",
}


@pytest.fixture
def client_for(client_for):
    """Signed-in clients reading the page in English, whatever the Polish catalogue holds."""

    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as after choosing English
        return client

    return make


@pytest.fixture
def engine(track_record):
    return serving.build_recommender_now()


@pytest.fixture
def member_a(organisation_a, track_record):
    """Organisation A is an active member, known in CORDIS as the first space organisation."""
    MembershipFactory(organisation=organisation_a)
    CordisOrganisation.objects.filter(pic=pic_of("space", 0)).update(organisation=organisation_a)
    return organisation_a


def partner_pics(response) -> list[str]:
    return re.findall(r'data-pic="(\d+)"', response.content.decode())


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.get(URL, SPACE_IDEA)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_form_proposes_the_members_own_organisation_as_coordinator(
    client_for, editor_a, member_a
):
    response = client_for(editor_a).get(URL)
    assert response.status_code == 200
    assert f'value="{pic_of("space", 0)}"' in response.content.decode()
    assert not Job.objects.exists()  # nothing is built before someone asks


SUGGESTIONS = reverse("partners:coordinators")


def test_typing_a_coordinator_suggests_cordis_organisations_the_most_active_first(
    client_for, editor_a, track_record
):
    # Every organisation of the sample is in 24 projects: one more for the fourth, none for
    # a newcomer.
    CordisOrganisation.objects.create(
        pic="912345678", name="Space Organisation Newcomer", checksum="t"
    )
    CordisParticipation.objects.create(
        project=CordisProject.objects.filter(acronym__startswith="SOLAR").first(),
        cordis_organisation=CordisOrganisation.objects.get(pic=pic_of("space", 3)),
        role="participant",
        checksum="t",
    )
    client = client_for(editor_a)
    response = client.get(SUGGESTIONS, {"coordinator": "space  organisation"})
    html = unescape(response.content.decode())
    offered = re.findall(r'<option value="(\d+)">', html)
    assert offered[0] == pic_of("space", 3) and offered[-1] == "912345678"
    assert sorted(offered[1:-1]) == offered[1:-1] and len(offered) == 7
    assert "Space Organisation 3 · Italy · 25 EU projects" in html
    assert 'id="coordinator-suggestions"' in html and "<html" not in html
    by_pic = client.get(SUGGESTIONS, {"coordinator": pic_of("cyber", 4)})
    assert re.findall(r'<option value="(\d+)">', by_pic.content.decode()) == [pic_of("cyber", 4)]
    too_short = client.get(SUGGESTIONS, {"coordinator": "sp"})
    assert "<option" not in too_short.content.decode()


def test_suggestions_are_for_signed_in_people_only(anonymous):
    response = anonymous.get(SUGGESTIONS, {"coordinator": "space"})
    assert response.status_code == 302


def test_a_coordinator_given_by_name_is_searched_under_its_pic(
    client_for, editor_a, track_record, engine
):
    client = client_for(editor_a)
    response = client.get(URL, {**SPACE_IDEA, "coordinator": "  space ORGANISATION 2 "})
    assert response.status_code == 200
    assert pic_of("space", 2) not in partner_pics(response)  # the coordinator itself
    assert "Coordinator: Space Organisation 2" in unescape(response.content.decode())
    CordisOrganisation.objects.create(pic="912345678", name="Space Organisation 2", checksum="t")
    ambiguous = client.get(URL, {**SPACE_IDEA, "coordinator": "Space Organisation 2"})
    unknown = client.get(URL, {**SPACE_IDEA, "coordinator": "Nobody Ltd"})
    for response in (ambiguous, unknown):
        html = unescape(response.content.decode())
        assert "No single organisation in CORDIS is called" in html
        assert partner_pics(response) == []


def test_a_member_gets_ranked_partners_with_their_reasons(client_for, editor_a, member_a, engine):
    response = client_for(editor_a).get(URL, SPACE_IDEA)
    html = response.content.decode()
    assert set(partner_pics(response)[:5]) == {pic_of("space", n) for n in range(1, 6)}
    assert pic_of("space", 0) not in partner_pics(response)  # the coordinator itself
    assert "Space Organisation 0" in html  # named as the coordinator and on the paths
    assert "Similar past projects" in html and "SPACE" in html
    assert "past projects with the coordinator" in html
    assert "What counted" in html
    assert reverse("trackrecord:cordis_organisation", args=[pic_of("space", 1)]) in html
    # Space organisations worked together: each names, with links, those of the space team.
    assert 'data-testid="team-mates"' in html
    assert "Worked with organisations that similar projects bring:" in html


def test_words_of_the_idea_in_a_partners_name_are_shown(client_for, editor_a, member_a, engine):
    client = client_for(editor_a)
    named = client.get(URL, {**SPACE_IDEA, "title": "Space weather satellites for crops"})
    html = named.content.decode()
    space = [pic for pic in partner_pics(named) if pic.startswith(pic_of("space", 0)[:2])]
    assert space and html.count('data-testid="name-words"') == len(space)  # "Space Organisation n"
    assert "Its name speaks of the idea: Space<" in html
    # The idea without the word: no name speaks of it.
    assert 'data-testid="name-words"' not in client.get(URL, SPACE_IDEA).content.decode()


def test_while_the_index_is_built_the_page_follows_the_build_then_shows_results(
    client_for, editor_a, member_a
):
    client = client_for(editor_a)
    first = client.get(URL, SPACE_IDEA)
    assert "Preparing partner search" in first.content.decode()
    assert 'hx-trigger="every 2s"' in first.content.decode()
    poll = client.get(URL, SPACE_IDEA, HTTP_HX_REQUEST="true")
    assert "Preparing partner search" in poll.content.decode()
    assert Job.objects.filter(kind=serving.BUILD_JOB).count() == 1

    job_run(job_id=Job.objects.get(kind=serving.BUILD_JOB).pk)
    serving._loaded.clear()  # the worker built it in another process
    done = client.get(URL, SPACE_IDEA, HTTP_HX_REQUEST="true")
    assert "<html" not in done.content.decode()  # the results fragment only
    assert "every 2s" not in done.content.decode()
    assert pic_of("space", 1) in partner_pics(done)


@pytest.mark.parametrize(
    ("filters", "allowed"),
    [
        ({"country": "DE"}, {pic_of(theme, 1) for theme in ("solar", "space", "cyber")}),
        ({"activity_type": "REC"}, {pic_of(theme, 2) for theme in ("solar", "space", "cyber")}),
        ({"sme": "yes"}, {pic_of(t, n) for t in ("solar", "space", "cyber") for n in (0, 3, 5)}),
    ],
)
def test_filters_keep_only_matching_partners(
    client_for, editor_a, member_a, engine, filters, allowed
):
    response = client_for(editor_a).get(URL, {**SPACE_IDEA, **filters})
    pics = partner_pics(response)
    assert pics
    assert set(pics) <= allowed


def test_countries_are_offered_and_shown_by_name(client_for, editor_a, member_a, engine):
    response = client_for(editor_a).get(URL, {**SPACE_IDEA, "country": "DE"})
    html = response.content.decode()
    assert '<option value="DE" selected>Germany</option>' in html
    assert '<option value="FR">France</option>' in html
    assert '<span class="tag">Germany</span>' in html


def test_cluster_members_only_shows_members_linked_to_their_profiles(
    client_for, editor_a, member_a, engine
):
    member = OrganisationFactory(name="Orbita Sat sp. z o.o.")
    MembershipFactory(organisation=member)
    CordisOrganisation.objects.filter(pic=pic_of("space", 3)).update(organisation=member)
    response = client_for(editor_a).get(URL, {**SPACE_IDEA, "members_only": "on"})
    assert partner_pics(response) == [pic_of("space", 3)]
    html = response.content.decode()
    assert "Orbita Sat sp. z o.o." in html
    assert reverse("members:detail", args=[member.pk]) in html


def test_unpublished_members_are_shown_only_as_their_public_cordis_record(
    client_for, editor_a, member_a, engine
):
    hidden = OrganisationFactory(name="Ukryta Firma sp. z o.o.", is_published=False)
    MembershipFactory(organisation=hidden)
    CordisOrganisation.objects.filter(pic=pic_of("space", 3)).update(organisation=hidden)
    response = client_for(editor_a).get(URL, SPACE_IDEA)
    html = response.content.decode()
    assert pic_of("space", 3) in partner_pics(response)
    assert "Ukryta Firma" not in html
    assert reverse("members:detail", args=[hidden.pk]) not in html


def test_private_cooperation_log_entries_never_appear(
    client_for, editor_b, member_a, organisation_b, engine
):
    MembershipFactory(organisation=organisation_b)
    CordisOrganisation.objects.filter(pic=pic_of("space", 2)).update(organisation=organisation_b)
    Cooperation.objects.create(
        kind=Cooperation.Kind.AGREEMENT,
        date="2024-05-01",
        organisation_a=member_a,
        organisation_b=organisation_b,
        people="Jan Tajny",
        notes="Poufne warunki umowy licencyjnej",
        visibility=Cooperation.Visibility.PRIVATE,
    )
    response = client_for(editor_b).get(URL, {**SPACE_IDEA, "coordinator": pic_of("space", 0)})
    html = response.content.decode()
    assert partner_pics(response)
    assert "Poufne warunki" not in html and "Jan Tajny" not in html


def test_picking_a_funding_call_is_enough_to_find_partners(client_for, editor_a, member_a, engine):
    call = Call.objects.create(
        identifier="HORIZON-CL4-2026-SPACE-01-11",
        call_identifier="HORIZON-CL4-2026-SPACE-01",
        title="Satellite earth observation services",
        action_type="RIA",
        keywords="remote sensing, satellite",
    )
    response = client_for(editor_a).get(URL, {"call": call.pk})
    assert set(partner_pics(response)[:5]) == {pic_of("space", n) for n in range(1, 6)}
    assert "HORIZON-CL4-SPACE-01-11" in response.content.decode()  # the shared topic


def test_an_empty_idea_is_refused_without_building_anything(client_for, editor_a, track_record):
    response = client_for(editor_a).get(URL, {"title": "", "keywords": ""})
    assert response.status_code == 200
    assert "Describe the idea" in response.content.decode()
    assert not Job.objects.exists()


def test_without_eu_projects_the_page_says_so(client_for, editor_a):
    response = client_for(editor_a).get(URL, SPACE_IDEA)
    assert "No EU projects have been imported yet" in response.content.decode()
    assert not Job.objects.exists()


def consortium_hand_over(response) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the form that takes the idea to the consortium builder."""
    html = response.content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)" data-testid="start-consortium">(.*?)</form>',
        html,
        re.S,
    )
    if not form:
        return "", {}
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    fields = {name: unescape(value) for name, value in fields.items()}
    return form.group(1), fields


def test_a_member_editor_can_take_the_idea_on_to_the_consortium_builder(
    client_for, editor_a, member_a, engine
):
    client = client_for(editor_a)
    page, fields = consortium_hand_over(client.post(URL, SPACE_IDEA))
    assert page == reverse("consortia:new")
    form = client.post(page, fields).context["form"]
    assert form.initial["title"] == SPACE_IDEA["title"]
    assert form.initial["summary"] == SPACE_IDEA["objective"]
    assert form.initial["keywords"] == SPACE_IDEA["keywords"]
    assert not ProjectIdea.objects.exists()  # handed over, not created


def test_the_funding_scheme_picked_chooses_the_consortiums_rules(
    client_for, editor_a, member_a, engine
):
    project = CordisProject.objects.filter(funding_scheme="HORIZON-RIA").first()
    CordisProject.objects.filter(pk=project.pk).update(funding_scheme="HORIZON-CSA")
    client = client_for(editor_a)
    page, fields = consortium_hand_over(
        client.post(URL, {**SPACE_IDEA, "funding_scheme": "HORIZON-CSA"})
    )
    assert fields["funding_scheme"] == "HORIZON-CSA"
    form = client.post(page, fields).context["form"]
    assert (form.initial["rule_set"], form.initial["size"]) == ("horizon-csa", 5)
    _, without_scheme = consortium_hand_over(client.post(URL, SPACE_IDEA))
    form = client.post(page, without_scheme).context["form"]
    assert form.initial["rule_set"] == "horizon-ria"  # the builder's default rules


def test_an_idea_from_a_funding_call_starts_a_consortium_for_that_call(
    client_for, editor_a, member_a, engine
):
    call = Call.objects.create(
        identifier="HORIZON-CL4-2026-SPACE-01-11",
        call_identifier="HORIZON-CL4-2026-SPACE-01",
        title="Satellite earth observation services",
        action_type="RIA",
    )
    page, _ = consortium_hand_over(client_for(editor_a).get(URL, {"call": call.pk}))
    assert page == reverse("consortia:new_for_call", args=[call.pk])


def test_who_cannot_start_a_consortium_is_not_offered_to(client_for, investor, engine):
    response = client_for(investor).post(URL, SPACE_IDEA)
    assert partner_pics(response)
    assert consortium_hand_over(response) == ("", {})


def test_a_long_objective_in_polish_is_posted_and_ranked(client_for, editor_a, member_a, engine):
    # Far more than a request line may hold once its Polish letters are percent-encoded.
    objective = "Obserwacja Ziemi z satelitów dla rolnictwa: zdjęcia, łączność, próby. " * 120
    response = client_for(editor_a).post(URL, {**SPACE_IDEA, "objective": objective})
    assert len(objective) > 8000
    assert set(partner_pics(response)[:5]) == {pic_of("space", n) for n in range(1, 6)}


def test_a_closed_call_is_not_offered_and_cannot_be_picked(client_for, editor_a, track_record):
    today = timezone.localdate()
    open_call = Call.objects.create(
        identifier="HORIZON-OPEN", title="Open call", deadline=today + timedelta(days=3)
    )
    closed = Call.objects.create(
        identifier="HORIZON-CLOSED", title="Closed call", deadline=today - timedelta(days=1)
    )
    client = client_for(editor_a)
    page = client.get(URL).content.decode()
    assert f'value="{open_call.pk}"' in page
    assert f'value="{closed.pk}"' not in page
    picked = client.get(URL, {"call": closed.pk})
    assert picked.context["form"].errors["call"]
    assert partner_pics(picked) == []
    assert not Job.objects.filter(kind=serving.BUILD_JOB).exists()


def test_results_name_each_partner_and_list_the_similar_projects_behind_it(
    client_for, editor_a, member_a, engine
):
    response = client_for(editor_a).get(URL, SPACE_IDEA)
    search = response.context["search"]
    assert search.results
    for partner in search.results:
        assert partner.name and not partner.name.startswith("PIC ")
        text = sum(part.value for part in partner.signals if part.signal == "text")
        if text > 0:  # a text score always comes with the projects behind it
            assert partner.past_projects
        assert all(p.title and p.start_year for p in partner.past_projects)
    assert all(partner.past_projects for partner in search.results[:5])  # the space partners
    html = unescape(response.content.decode())
    first = search.results[0]
    assert first.name in html
    assert first.past_projects[0].title in html
