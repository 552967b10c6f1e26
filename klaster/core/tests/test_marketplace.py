"""Marketplace matching on the partner engine's synthetic cluster (solar, health, robots), where
the right counterpart of each profile is known by design; then invariants by hypothesis."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaster.core.marketplace import (
    COUNTERPARTS,
    CallText,
    MarketplaceMatcher,
    MatchWeights,
    MemberText,
    ProfileText,
)
from klaster.core.partners.index import PartnerIndex
from klaster.core.partners.language import AsWritten
from klaster.core.partners.ranker import PartnerRecommender, fit_ranker
from klaster.core.tests.test_partners import COMMUNITIES, SMALL_SETTINGS, synthetic_history

SOLAR_REQUEST = ProfileText(
    id="r-solar",
    kind="technology_request",
    title="Perovskite photovoltaic modules wanted",
    text="We look for a partner with perovskite solar cell panel technology for our roofs.",
    keywords=("perovskite", "photovoltaic"),
    trl=6,
    partnership_types=("licence",),
    organisation_pic="solar-00",
    organisation_id=1,
)


def offer(id, words, *, kind="technology_offer", pic=None, owner=None, trl=None, types=()):
    return ProfileText(
        id=id,
        kind=kind,
        title=f"Our {words.split()[0]} technology",
        text=f"We offer {words}.",
        keywords=tuple(words.split()[:2]),
        trl=trl,
        partnership_types=types,
        organisation_pic=pic,
        organisation_id=owner,
    )


HISTORY = synthetic_history()


@pytest.fixture(scope="module")
def index():
    return PartnerIndex.build(HISTORY, dense_dimensions=16)


def matcher_of(index, profiles=(), **kwargs):
    return MarketplaceMatcher(index, profiles, reader=AsWritten(), **kwargs)


def test_a_request_gets_the_offer_of_its_subject_and_never_a_business_offer_or_its_own(index):
    profiles = [
        SOLAR_REQUEST,
        offer("o-solar", "perovskite solar cell panel", pic="solar-03", owner=2),
        offer("o-health", "cancer tumour immunotherapy", pic="health-01", owner=3),
        offer("o-robots", "robot autonomous grasp", pic="robots-01", owner=4),
        offer("b-solar", "perovskite solar cell panel", kind="business_offer", owner=5),
        offer("o-own", "perovskite solar cell panel", owner=1),
        offer("r-other", "perovskite solar cell panel", kind="technology_request", owner=6),
    ]
    matches = matcher_of(index, profiles).offers_for_request(SOLAR_REQUEST)
    ids = [m.id for m in matches]
    assert ids[0] == "o-solar"
    assert not {"r-solar", "b-solar", "o-own", "r-other"} & set(ids)
    reasons = {r.code: r for r in matches[0].reasons}
    assert "perovskite" in reasons["shared_keywords"].value("keywords")


def test_shared_keywords_list_no_word_of_a_keyword_already_listed_and_no_generic_word(index):
    request = ProfileText(
        id="r-pv", kind="technology_request", title="Solar cell panels wanted",
        text="Our company needs perovskite solar cell panels; proven customers welcome.",
        keywords=("solar cell",), trl=None, partnership_types=(), organisation_id=1,
    )  # fmt: skip
    answer = ProfileText(
        id="o-pv", kind="technology_offer", title="Perovskite solar cell panels",
        text="A proven company with customers: perovskite solar cell panels for roofs.",
        keywords=("solar cell", "roofs"), trl=None, partnership_types=(), organisation_id=2,
    )  # fmt: skip
    (match,) = matcher_of(index, [request, answer]).offers_for_request(request)
    listed = {r.code: r for r in match.reasons}["shared_keywords"].value("keywords").split(", ")
    assert listed[0] == "solar cell" and "perovskite" in listed  # both ways of sharing ran
    assert not {"solar", "cell", "company", "customers", "proven"} & set(listed)


def test_similar_projects_are_the_offer_owners_own_and_worked_together_counts_shared_projects(
    index,
):
    solar = offer("o-solar", "perovskite solar cell panel", pic="solar-01", owner=2)
    (match,) = matcher_of(index, [solar]).offers_for_request(SOLAR_REQUEST)
    own = {p.project_id for p in HISTORY.participations if p.organisation_id == "solar-01"}
    assert match.similar_projects
    assert {p.project_id for p in match.similar_projects} <= own
    with_requester = {
        p.project_id for p in HISTORY.participations if p.organisation_id == "solar-00"
    }
    reasons = {r.code: r for r in match.reasons}
    assert reasons["worked_together"].value("count") == len(own & with_requester) > 0


def test_a_verified_track_record_lifts_an_offer_above_the_same_text_without_one(index):
    profiles = [
        offer("o-unknown", "perovskite solar cell panel", owner=2),
        offer("o-verified", "perovskite solar cell panel", pic="solar-02", owner=3),
    ]
    matches = matcher_of(index, profiles).offers_for_request(SOLAR_REQUEST)
    assert [m.id for m in matches] == ["o-verified", "o-unknown"]
    assert matches[1].similar_projects == ()


def test_an_offer_at_the_wanted_trl_beats_the_same_offer_below_it(index):
    profiles = [
        offer("o-low", "perovskite solar cell panel", owner=2, trl=3),
        offer("o-high", "perovskite solar cell panel", owner=3, trl=7),
    ]
    matches = {m.id: m for m in matcher_of(index, profiles).offers_for_request(SOLAR_REQUEST)}
    low, high = matches["o-low"], matches["o-high"]
    weights = MatchWeights()
    assert high.score - low.score == pytest.approx(2 * weights.trl, abs=1e-5)
    trl = {r.code: r for r in high.reasons}["trl_fits"]
    assert (trl.value("offer_trl"), trl.value("wanted_trl")) == (7, 6)
    assert "trl_fits" not in {r.code for r in low.reasons}


def test_a_partnership_type_both_consider_is_a_reason(index):
    profiles = [
        offer("o-licence", "perovskite solar cell", owner=2, types=("licence", "investment")),
        offer("o-sub", "perovskite solar cell", owner=3, types=("subcontracting",)),
    ]
    matches = {m.id: m for m in matcher_of(index, profiles).offers_for_request(SOLAR_REQUEST)}
    reasons = {r.code: r for r in matches["o-licence"].reasons}
    assert reasons["partnership_types"].value("types") == "licence"
    assert "partnership_types" not in {r.code for r in matches["o-sub"].reasons}
    assert matches["o-licence"].score > matches["o-sub"].score


def test_an_offer_finds_technology_and_rd_requests_but_not_business_requests(index):
    solar_offer = offer("o-solar", "perovskite solar cell panel", pic="solar-03", owner=2)
    profiles = [
        solar_offer,
        SOLAR_REQUEST,
        offer("rd-solar", "perovskite solar module", kind="rd_partner_request", owner=7),
        offer("br-solar", "perovskite solar module", kind="business_request", owner=8),
    ]
    matcher = matcher_of(index, profiles)
    assert {m.id for m in matcher.requests_for_offer(solar_offer)} == {"r-solar", "rd-solar"}
    with pytest.raises(ValueError):
        matcher.offers_for_request(solar_offer)
    with pytest.raises(ValueError):
        matcher.requests_for_offer(SOLAR_REQUEST)


def test_nothing_in_common_is_no_match(index):
    matches = matcher_of(index, [offer("o", "robot autonomous grasp", owner=2)]).offers_for_request(
        ProfileText(id="r", kind="technology_request", title="zzz", text="qqq xxyy")
    )
    assert matches == []


def test_members_are_ranked_by_competences_and_the_profiles_own_member_is_left_out(index):
    members = [
        MemberText(1, "Our own", "perovskite solar cell panel", organisation_pic="solar-00"),
        MemberText(2, "Sun Lab", "perovskite solar photovoltaic cell", organisation_pic="solar-04"),
        MemberText(3, "Onco", "cancer immunotherapy clinical", organisation_pic="health-02"),
    ]
    matches = matcher_of(index, members=members).members_for_profile(SOLAR_REQUEST)
    assert [m.id for m in matches] == [2]
    assert {r.code for r in matches[0].reasons} >= {"shared_keywords", "similar_projects"}


def test_a_member_with_a_short_description_is_found_by_its_cordis_projects(index):
    members = [
        MemberText(2, "Sun Lab", "", organisation_pic="solar-04"),
        MemberText(3, "Quiet", "", organisation_pic=None),
        MemberText(4, "Onco", "", organisation_pic="health-02"),
    ]
    matches = matcher_of(index, members=members).members_for_profile(SOLAR_REQUEST)
    assert [m.id for m in matches] == [2]
    assert matches[0].similar_projects


def test_cordis_organisations_from_the_index_are_of_the_subject_and_not_the_owner(index):
    matches = matcher_of(index).organisations_for_profile(SOLAR_REQUEST, 8, exclude=["solar-01"])
    ids = [m.id for m in matches]
    assert len(ids) == 8
    assert all(i.startswith("solar-") for i in ids)
    assert not {"solar-00", "solar-01"} & set(ids)
    assert all(m.similar_projects for m in matches)


def test_cordis_organisations_from_the_fitted_engine_come_with_its_explanations(index):
    engine = PartnerRecommender(index, fit_ranker(HISTORY, SMALL_SETTINGS), reader=AsWritten())
    matches = MarketplaceMatcher(engine).organisations_for_profile(SOLAR_REQUEST, 5)
    assert len(matches) == 5
    assert sum(m.id.startswith("solar-") for m in matches) >= 4
    assert "solar-00" not in {m.id for m in matches}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert any(r.code == "similar_projects" for m in matches for r in m.reasons)


def test_only_calls_open_after_today_are_returned_with_the_owners_projects_for_them(index):
    today = date(2026, 5, 1)
    calls = [
        CallText("closed", "Perovskite solar modules", "solar cell panel", deadline=today),
        CallText(
            "open",
            "Perovskite solar modules",
            "solar photovoltaic cell panel",
            deadline=date(2026, 5, 2),
        ),  # fmt: skip
        CallText("rolling", "Solar panels", "photovoltaic module"),
        CallText("health", "Cancer care", "tumour immunotherapy", deadline=date(2027, 1, 1)),
    ]
    matches = matcher_of(index, calls=calls).calls_for_profile(SOLAR_REQUEST, today=today)
    assert [m.id for m in matches] == ["open", "rolling"]
    own = {p.project_id for p in HISTORY.participations if p.organisation_id == "solar-00"}
    assert matches[0].similar_projects
    assert {p.project_id for p in matches[0].similar_projects} <= own


def test_a_polish_request_is_read_in_english_and_finds_the_solar_offer(index):
    request = ProfileText(
        id="r-pl",
        kind="technology_request",
        title="Szukamy modułów fotowoltaicznych z perowskitu",
        text="Poszukujemy partnera, który dostarczy ogniwa słoneczne i panele fotowoltaiczne.",
        keywords=("fotowoltaika",),
    )
    profiles = [
        offer("o-robots", "robot autonomous grasp", owner=2),
        offer("o-solar", "perovskite solar cell panel", owner=3),
    ]
    matches = MarketplaceMatcher(index, profiles).offers_for_request(request)
    assert matches[0].id == "o-solar"


# Invariants over random profiles made of the communities' words.
WORDS = sorted({w for _, words in COMMUNITIES.values() for w in words.split()})
KIND_NAMES = sorted(COUNTERPARTS)


@st.composite
def profile_sets(draw):
    count = draw(st.integers(2, 12))
    profiles = []
    for number in range(count):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
        profiles.append(
            ProfileText(
                id=number,
                kind=draw(st.sampled_from(KIND_NAMES)),
                title=" ".join(words[:2]),
                text=" ".join(words),
                keywords=tuple(words[:1]),
                trl=draw(st.one_of(st.none(), st.integers(1, 9))),
                organisation_id=draw(st.integers(0, 4)),
            )
        )
    return profiles


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(profiles=profile_sets())
def test_matches_are_counterparts_never_self_or_own_sorted_and_deterministic(index, profiles):
    matcher = matcher_of(index, profiles)
    reordered = matcher_of(index, list(reversed(profiles)))
    by_id = {p.id: p for p in profiles}
    for profile in profiles:
        method = "requests_for_offer" if profile.kind.endswith("offer") else "offers_for_request"
        matches = getattr(matcher, method)(profile, len(profiles))
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        for match in matches:
            other = by_id[match.id]
            assert match.id != profile.id
            assert other.organisation_id != profile.organisation_id
            assert other.kind in COUNTERPARTS[profile.kind]
        assert getattr(matcher, method)(profile, len(profiles)) == matches
        # The candidates' order decides only between equal scores (and the last bit of a sum).
        reordered_scores = {m.id: m.score for m in getattr(reordered, method)(profile, 99)}
        assert reordered_scores == pytest.approx({m.id: m.score for m in matches}, abs=1e-5)
