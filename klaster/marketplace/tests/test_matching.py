"""Matches of marketplace profiles: who sees which, why each matches, and the index not ready.

A small CORDIS track record (three themes: solar, space, cyber) gives the partner engine;
Alfa (organisation_a) is the space theme's first CORDIS organisation, Beta (organisation_b) the
solar theme's. Alfa asks for earth observation; Beta and a third member offer.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from klaster.calls.models import Call
from klaster.jobs.models import Job
from klaster.marketplace import matching, services_alerts
from klaster.marketplace.models import Profile
from klaster.marketplace.tests.factories import ProfileFactory
from klaster.members.models import Competence
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory
from klaster.partners import serving
from klaster.partners.tests.conftest import partner_engine_sandbox, track_record  # noqa: F401
from klaster.partners.tests.trackrecord_rows import pic_of
from klaster.trackrecord.models import CordisOrganisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_engine_sandbox")]

TODAY = datetime.date(2026, 12, 4)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 4, 12, 0))


@pytest.fixture(autouse=True)
def no_matcher_of_another_test():
    matching._loaded.clear()
    yield
    matching._loaded.clear()


def published(**fields) -> Profile:
    return ProfileFactory(
        status=Profile.Status.PUBLISHED,
        published_at=NOW - datetime.timedelta(days=1),
        reference=fields.pop("reference", None),
        **fields,
    )


@pytest.fixture
def market(track_record, organisation_a, organisation_b):  # noqa: F811
    """Alfa's draft and published requests, Beta's published offer (its name hidden), a third
    member's offer on another subject, an open and a closed call."""
    MembershipFactory(organisation=organisation_a)
    MembershipFactory(organisation=organisation_b)
    CordisOrganisation.objects.filter(pic=pic_of("space", 0)).update(organisation=organisation_a)
    CordisOrganisation.objects.filter(pic=pic_of("space", 1)).update(organisation=organisation_b)
    observer = OrganisationFactory(name="Gamma Obserwacje", competences_text="")
    MembershipFactory(organisation=observer)
    observer.competences.add(
        Competence.objects.create(name="satellite earth observation", slug="eo"),
        Competence.objects.create(name="remote sensing", slug="rs"),
    )
    space_text = {
        "summary_en": "Satellite earth observation data to monitor crops and agriculture.",
        "summary_pl": "",
        "technology_keywords": ["earth observation", "satellite"],
        "market_keywords": ["agriculture"],
    }
    request_draft = ProfileFactory(
        kind=Profile.Kind.TECHNOLOGY_REQUEST,
        organisation=organisation_a,
        title_en="Earth observation for crop monitoring",
        title_pl="Obserwacja Ziemi do monitorowania upraw",
        trl=5,
        **space_text,
    )
    request_published = published(
        kind=Profile.Kind.TECHNOLOGY_REQUEST,
        organisation=organisation_a,
        reference="TR-2026-0001",
        title_en="Remote sensing of fields from satellites",
        title_pl="Teledetekcja pól z satelitów",
        trl=5,
        **space_text,
    )
    offer = published(
        kind=Profile.Kind.TECHNOLOGY_OFFER,
        organisation=organisation_b,
        reference="TO-2026-0001",
        title_en="Satellite remote sensing platform for agriculture",
        title_pl="Platforma teledetekcji satelitarnej dla rolnictwa",
        trl=7,
        show_organisation=False,
        **space_text,
    )
    other_offer = published(
        kind=Profile.Kind.TECHNOLOGY_OFFER,
        organisation=observer,
        reference="TO-2026-0002",
        title_en="Photovoltaic panels for rooftops",
        title_pl="Panele fotowoltaiczne na dachy",
        summary_en="Solar photovoltaic panels and batteries for renewable power.",
        summary_pl="",
        technology_keywords=["photovoltaics", "solar energy"],
        market_keywords=["energy"],
    )
    open_call = Call.objects.create(
        identifier="HORIZON-CL4-2027-SPACE-01-01",
        title="Earth observation services for agriculture",
        description="Satellite earth observation and remote sensing to monitor crops.",
        keywords="earth observation, satellite",
        deadline=TODAY + datetime.timedelta(days=60),
    )
    closed_call = Call.objects.create(
        identifier="HORIZON-CL4-2026-SPACE-01-09",
        title="Earth observation for crop monitoring (closed)",
        description="Satellite earth observation and remote sensing to monitor crops.",
        keywords="earth observation, satellite",
        deadline=TODAY - datetime.timedelta(days=1),
    )
    serving.build_recommender_now()
    return {
        "request_draft": request_draft,
        "request": request_published,
        "offer": offer,
        "other_offer": other_offer,
        "observer": observer,
        "open_call": open_call,
        "closed_call": closed_call,
        "engine": serving.engine_get(),
    }


def ids(items) -> list:
    return [item.id for item in items]


def test_the_owner_sees_offers_members_organisations_and_open_calls_for_a_draft(market, editor_a):
    found = matching.profile_matches(
        user=editor_a, profile=market["request_draft"], engine=market["engine"], today=TODAY
    )
    assert found.ready and found.full
    # The space offer answers the space request; the solar offer is about something else.
    assert ids(found.profiles) == [market["offer"].pk]
    assert market["observer"].pk in ids(found.members)
    assert found.organisations and all(o.id.startswith("9") for o in found.organisations)
    # Its own CORDIS organisation is never proposed to it.
    assert pic_of("space", 0) not in ids(found.organisations)
    assert ids(found.calls) == [market["open_call"].pk]
    assert found.calls[0].start_consortium_url == reverse(
        "consortia:new_for_call", args=[market["open_call"].pk]
    )


def test_each_match_says_why_in_the_readers_language(market, editor_a):
    with translation.override("en"):
        found = matching.profile_matches(
            user=editor_a, profile=market["request_draft"], engine=market["engine"], today=TODAY
        )
    reasons = found.profiles[0].reasons
    assert any(r.startswith("shared keywords: ") and "earth observation" in r for r in reasons)
    assert "the offer is at TRL 7, the request wants TRL 5" in reasons
    assert "both consider: Licence agreement" in reasons
    assert found.calls[0].reasons and found.organisations[0].reasons
    with translation.override("pl"):
        found = matching.profile_matches(
            user=editor_a, profile=market["request"], engine=market["engine"], today=TODAY
        )
    reasons = found.profiles[0].reasons
    assert any(r.startswith("wspólne słowa kluczowe: ") for r in reasons), reasons
    assert "oferta ma TRL 7, zapytanie wymaga TRL 5" in reasons


def test_the_public_sees_only_counterpart_profiles_and_never_a_hidden_organisation(market):
    visitor = AnonymousUser()
    found = matching.profile_matches(
        user=visitor, profile=market["request"], engine=market["engine"], today=TODAY
    )
    assert not found.full
    assert ids(found.profiles) == [market["offer"].pk]
    assert (found.members, found.organisations, found.calls) == ([], [], [])
    shown = found.profiles[0]
    # Beta keeps its name hidden: neither its name nor its past projects are shown.
    assert shown.note == "TO-2026-0001" and market["offer"].organisation.name not in shown.note
    assert shown.similar_projects == ()
    assert not any("past project" in reason for reason in shown.reasons)


def test_an_organisation_that_shows_its_name_is_named_with_its_past_projects(market):
    Profile.objects.filter(pk=market["offer"].pk).update(show_organisation=True)
    found = matching.profile_matches(
        user=AnonymousUser(), profile=market["request"], engine=market["engine"], today=TODAY
    )
    assert found.profiles[0].note == market["offer"].organisation.name
    assert found.profiles[0].similar_projects


def test_nobody_but_the_owner_and_staff_sees_the_matches_of_a_draft(
    market, client_for, editor_a, editor_b, coordinator, investor, anonymous
):
    url = reverse("marketplace:matches", args=[market["request_draft"].pk])
    assert client_for(editor_b).get(url).status_code == 404
    assert client_for(investor).get(url).status_code == 404
    assert anonymous.get(url).status_code == 404
    for owner_or_staff in (editor_a, coordinator):
        page = client_for(owner_or_staff).get(url).content.decode()
        assert 'data-testid="match-profile"' in page
        assert 'data-testid="match-call"' in page
        assert market["closed_call"].title not in page


def test_the_public_page_of_a_published_profile_shows_profile_matches_only(
    market, client_for, editor_b, anonymous
):
    url = reverse("marketplace:matches", args=[market["request"].pk])
    for reader in (anonymous, client_for(editor_b)):
        page = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert 'data-testid="match-profile"' in page
        assert 'data-testid="match-member"' not in page
        assert 'data-testid="match-call"' not in page
        assert 'data-testid="find-partners"' not in page
    detail = anonymous.get(reverse("marketplace:detail", args=[market["request"].pk]))
    assert 'data-testid="matches-slot"' in detail.content.decode()


def test_a_request_opens_find_partners_and_a_consortium_with_its_texts(
    market, client_for, editor_a
):
    page = (
        client_for(editor_a)
        .get(reverse("marketplace:matches", args=[market["request"].pk]))
        .content.decode()
    )
    assert f'action="{reverse("partners:find")}"' in page
    assert 'name="title" value="Teledetekcja pól z satelitów"' in page
    assert 'name="keywords" value="earth observation, satellite, agriculture"' in page
    assert reverse("consortia:new_for_call", args=[market["open_call"].pk]) in page
    assert 'name="prefill" value="1"' in page
    # The texts are those the find-partners page and the consortium builder read.
    found = client_for(editor_a).post(
        reverse("partners:find"), matching.find_partners_texts(market["request"])
    )
    assert found.status_code == 200 and 'data-testid="partner"' in found.content.decode()


def test_an_offer_has_no_find_partners_button(market, client_for, editor_b):
    page = (
        client_for(editor_b)
        .get(reverse("marketplace:matches", args=[market["offer"].pk]))
        .content.decode()
    )
    assert 'data-testid="find-partners"' not in page
    assert 'data-testid="match-profile"' in page  # Alfa's published request


def test_matches_for_you_are_for_the_organisations_editors_and_staff(
    market, client_for, editor_a, editor_b, coordinator, anonymous
):
    url = reverse("marketplace:for_you")
    page = client_for(editor_a).get(url).content.decode()
    assert 'data-testid="for-you-match"' in page
    assert reverse("marketplace:detail", args=[market["offer"].pk]) in page
    own = f"{url}?organisation={market['request'].organisation_id}"
    assert client_for(editor_b).get(own).status_code == 403
    assert client_for(coordinator).get(own).status_code == 200
    assert anonymous.get(url).status_code == 302  # to sign in
    profile_page = reverse("members:detail", args=[market["request"].organisation_id])
    assert (
        'data-testid="matches-for-you-section"'
        in client_for(editor_a).get(profile_page).content.decode()
    )
    assert (
        'data-testid="matches-for-you-section"'
        not in client_for(editor_b).get(profile_page).content.decode()
    )


def test_a_members_competences_find_the_requests_they_answer(market, editor_a, coordinator):
    found = matching.organisation_matches(
        user=coordinator, organisation=market["observer"], engine=market["engine"], today=TODAY
    )
    assert market["request"].pk in ids(found.answers)
    # Alfa's editor sees no other organisation's matches.
    hidden = matching.organisation_matches(
        user=editor_a, organisation=market["observer"], engine=market["engine"], today=TODAY
    )
    assert not hidden.found and hidden.profiles == [] and hidden.answers == []


def test_while_the_index_is_missing_a_visitor_is_told_and_a_member_starts_its_build(
    track_record,  # noqa: F811
    organisation_a,
    client_for,
    editor_a,
    anonymous,
):
    profile = published(
        kind=Profile.Kind.TECHNOLOGY_REQUEST, organisation=organisation_a, reference="TR-1"
    )
    url = reverse("marketplace:matches", args=[profile.pk])
    page = anonymous.get(url).content.decode()
    assert 'data-testid="matches-not-ready"' in page
    assert not Job.objects.filter(kind=serving.BUILD_JOB).exists()
    page = client_for(editor_a).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="matches-building"' in page
    assert 'hx-trigger="every 2s"' in page
    client_for(editor_a).get(url)
    assert Job.objects.filter(kind=serving.BUILD_JOB).count() == 1  # never a second build
    found = matching.profile_matches(
        user=editor_a, profile=profile, engine=serving.engine_get(), today=TODAY
    )
    assert not found.ready and not found.found


def test_without_eu_projects_the_matches_say_there_is_nothing_to_match_on(
    organisation_a, client_for, editor_a
):
    profile = published(
        kind=Profile.Kind.TECHNOLOGY_REQUEST, organisation=organisation_a, reference="TR-1"
    )
    page = client_for(editor_a).get(reverse("marketplace:matches", args=[profile.pk]))
    assert 'data-testid="matches-no-data"' in page.content.decode()
    assert not Job.objects.exists()


def test_a_new_published_profile_is_matched_without_restarting(market, editor_a):
    first = matching.profile_matches(
        user=editor_a, profile=market["request_draft"], engine=market["engine"], today=TODAY
    )
    newcomer = published(
        kind=Profile.Kind.TECHNOLOGY_OFFER,
        organisation=market["observer"],
        reference="TO-2026-0003",
        title_en="Earth observation satellites for crops",
        summary_en="Satellite earth observation to monitor agriculture and crops.",
        technology_keywords=["earth observation", "satellite"],
    )
    again = matching.profile_matches(
        user=editor_a, profile=market["request_draft"], engine=market["engine"], today=TODAY
    )
    assert newcomer.pk not in ids(first.profiles)
    assert newcomer.pk in ids(again.profiles)


def test_the_weekly_digest_brings_the_weeks_new_matches_of_ones_profiles(
    market, editor_a, django_capture_on_commit_callbacks
):
    editor_a.email = "a@example.org"
    editor_a.save()
    # Beta's offer was published yesterday: new this week for Alfa's requests.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services_alerts.digest_subscription_set(user=editor_a, weekly=True)
        assert services_alerts.digests_send(now=NOW) == 1
    (message,) = mail.outbox
    body = message.body
    assert "New matches for your profile “Remote sensing of fields from satellites”:" in body
    assert reverse("marketplace:detail", args=[market["offer"].pk]) in body
    assert "the offer is at TRL 7, the request wants TRL 5" in body
    assert market["offer"].organisation.name not in body  # Beta keeps its name hidden


def test_after_a_failed_build_only_staff_are_offered_to_start_it_again(
    track_record,  # noqa: F811
    organisation_a,
    client_for,
    coordinator,
    editor_a,
):
    profile = published(
        kind=Profile.Kind.TECHNOLOGY_REQUEST, organisation=organisation_a, reference="TR-1"
    )
    Job.objects.create(
        kind=serving.BUILD_JOB,
        title="build",
        status=Job.Status.FAILED,
        error="out of memory",
        parameters={"fingerprint": serving.track_record_fingerprint()},
    )
    url = reverse("marketplace:matches", args=[profile.pk])
    staff_page = client_for(coordinator).get(url).content.decode()
    assert f'action="{reverse("partners:rebuild")}"' in staff_page
    assert f'name="next" value="{url}"' in staff_page and "out of memory" in staff_page
    member_page = client_for(editor_a).get(url).content.decode()
    assert reverse("partners:rebuild") not in member_page
    assert "Zespół klastra może ponownie uruchomić budowę indeksu" in member_page
    assert Job.objects.filter(kind=serving.BUILD_JOB).count() == 1  # a reader starts no retry
