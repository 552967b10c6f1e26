"""The partner engine on a small synthetic cluster whose right answers are known by design.

Three communities of organisations (solar energy, cancer care, robotics) run projects together,
each community in its own work-programme destination and vocabulary. An idea about solar cells
must therefore get solar organisations, explained by solar projects.
"""

import random
from dataclasses import replace
from datetime import date

import lightgbm
import numpy as np
import pytest

from klaster.core.partners.baselines import BASELINE_NAMES, Baselines
from klaster.core.partners.evaluation import mean_recall, query_outcome
from klaster.core.partners.explanations import explain
from klaster.core.partners.features import (
    COORDINATOR_SIGNALS,
    FEATURE_NAMES,
    SIGNAL_OF_FEATURE,
    PartnerQuery,
    candidate_pool,
    feature_matrix,
    likely_team,
    query_signals,
    term_scores,
)
from klaster.core.partners.index import (
    PartnerIndex,
    country_group,
    scheme_family,
    work_programme_keys,
)
from klaster.core.partners.ranker import (
    PRESCREEN_KEEP,
    PRESCREEN_TREES,
    BaggedRanker,
    PartnerRecommender,
    RankerSettings,
    fit_ranker,
    load_or_fit_ranker,
    partner_queries,
    training_windows,
)
from klaster.core.partners.ranker import _member_rows as member_rows
from klaster.core.records import OrganisationRecord, Participation, Project, ProjectHistory

COMMUNITIES = {
    "solar": ("HORIZON-CL5-{year}-D3-01-01", "solar photovoltaic perovskite cell panel module"),
    "health": ("HORIZON-HLTH-{year}-DISEASE-03-01", "cancer tumour immunotherapy clinical patient"),
    "robots": ("HORIZON-CL4-{year}-DIGITAL-01-02", "robot autonomous manipulation learning grasp"),
}
GENERIC = [
    "innovation",
    "europe",
    "platform",
    "pilot",
    "demonstration",
    "partners",
    "impact",
    "market",
]
SMALL_SETTINGS = RankerSettings(
    windows=2, window_months=6, min_history_text_projects=30, trees=40, negatives_per_query=40,
    hard_negatives=20, min_rows_in_leaf=5, threads=1,
)  # fmt: skip


def _organisation_id(community: str, number: int) -> str:
    return f"{community}-{number:02d}"


def synthetic_history(seed: int = 7) -> ProjectHistory:
    """About 200 projects from mid-2021 to 2023, each consortium drawn from one community."""
    rng = random.Random(seed)
    projects, participations, organisations = [], [], []
    countries = ("PL", "DE", "FR", "ES", "NO")
    for community in COMMUNITIES:
        for number in range(14):
            organisations.append(
                OrganisationRecord(
                    organisation_id=_organisation_id(community, number),
                    name=f"{community.title()} {number}",
                    country=countries[number % len(countries)],
                    activity_type=("HES", "REC", "PRC")[number % 3],
                    sme=number % 3 == 2,
                )
            )
    for month in range(30):
        year, month_of_year = 2021 + (month + 6) // 12, (month + 6) % 12 + 1
        for community, (topic, words) in COMMUNITIES.items():
            for copy in range(2):
                project_id = f"{community}-{month:02d}-{copy}"
                vocabulary = words.split()
                text = " ".join(rng.choice(vocabulary) for _ in range(12))
                text += " " + " ".join(rng.choice(GENERIC) for _ in range(6))
                projects.append(
                    Project(
                        id=project_id,
                        acronym=project_id.upper(),
                        title=f"{rng.choice(vocabulary)} {rng.choice(vocabulary)} {rng.choice(GENERIC)}",
                        objective=text,
                        keywords=tuple(rng.sample(vocabulary, 2)),
                        topics=(topic.format(year=year),),
                        call=topic.format(year=year).rsplit("-", 1)[0],
                        funding_scheme="HORIZON-RIA",
                        programme="HORIZON",
                        start_date=date(year, month_of_year, 1),
                    )
                )
                # Small numbers are the community's core: they take part most often.
                weights = [1.0 / (1 + n) for n in range(14)]
                members = set()
                while len(members) < 5:
                    members.add(rng.choices(range(14), weights)[0])
                for order, number in enumerate(sorted(members)):
                    participations.append(
                        Participation(
                            project_id=project_id,
                            organisation_id=_organisation_id(community, number),
                            role="coordinator" if order == 0 else "participant",
                            country=countries[number % len(countries)],
                            activity_type=("HES", "REC", "PRC")[number % 3],
                        )
                    )
    return ProjectHistory(tuple(projects), tuple(participations), tuple(organisations))


SOLAR_IDEA = PartnerQuery(
    project_id="idea-1",
    title="Perovskite solar cell modules",
    objective="Cheaper photovoltaic panel modules built from perovskite cell tandems.",
    keywords=("solar", "perovskite"),
    topic="HORIZON-CL5-2024-D3-01-01",
    call="HORIZON-CL5-2024-D3-01",
    funding_scheme="HORIZON-RIA",
    coordinator="solar-00",
    start_date=date(2024, 3, 1),
)


@pytest.fixture(scope="module")
def history():
    return synthetic_history()


@pytest.fixture(scope="module")
def index(history):
    return PartnerIndex.build(history, dense_dimensions=16)


@pytest.fixture(scope="module")
def recommender(history, index):
    return PartnerRecommender(index, fit_ranker(history, SMALL_SETTINGS))


def test_work_programme_keys_drop_the_year():
    keys = work_programme_keys("ERC-2023-STG", "ERC-2023-STG", "HORIZON-ERC")
    assert keys == {
        "topic": "ERC-STG", "cluster": "ERC", "destination": "ERC-STG", "call": "ERC-STG",
        "scheme": "HORIZON-ERC",
    }  # fmt: skip
    assert work_programme_keys("", "", "") == {}


def test_country_groups_and_scheme_families():
    assert [country_group(c) for c in ("PL", "FR", "UK", "CN", "")] == [
        "eu13", "eu15", "associated", "third", "third",
    ]  # fmt: skip
    assert [scheme_family(s) for s in ("HORIZON-CSA", "HORIZON-EIC-ACC", "HORIZON-JU-IA")] == [
        "CSA", "EIC", "IA",
    ]  # fmt: skip


def test_text_signal_prefers_the_community_of_the_idea(index):
    signals = query_signals(index, SOLAR_IDEA)
    scores = signals.scores["text_full"]
    solar = [scores[index.position[_organisation_id("solar", n)]] for n in range(14)]
    health = [scores[index.position[_organisation_id("health", n)]] for n in range(14)]
    assert min(solar) > max(health)


def test_name_signal_reads_the_words_of_organisation_names(index):
    names = query_signals(index, SOLAR_IDEA).scores["text_name"]
    solar = [names[index.position[_organisation_id("solar", n)]] for n in range(14)]
    others = [names[p] for o, p in index.position.items() if not o.startswith("solar-")]
    # Every "Solar n" has the same name words, so the same score; no other name says "solar".
    assert min(solar) == max(solar) > 0
    assert max(others) == 0


def test_coordinator_partners_are_the_ones_it_worked_with(index, history):
    signals = query_signals(index, SOLAR_IDEA)
    worked_with = {
        p.organisation_id
        for p in history.participations
        if p.project_id
        in {q.project_id for q in history.participations if q.organisation_id == "solar-00"}
    } - {"solar-00"}
    partners = {index.organisations[i] for i in np.flatnonzero(signals.scores["partners"])}
    assert partners == worked_with


def test_led_and_recent_ties_count_what_the_coordinator_did(index, history):
    signals = query_signals(index, SOLAR_IDEA)
    consortia: dict[str, set[str]] = {}
    lead_of: dict[str, str] = {}
    for p in history.participations:
        consortia.setdefault(p.project_id, set()).add(p.organisation_id)
        if p.role == "coordinator":
            lead_of[p.project_id] = p.organisation_id
    led = {pid for pid, lead in lead_of.items() if lead == "solar-00"}
    for organisation in ("solar-01", "solar-02", "solar-07"):
        position = index.position[organisation]
        assert signals.scores["partners_led"][position] == sum(
            organisation in consortia[pid] for pid in led
        )
        assert signals.scores["partners_leading"][position] == sum(
            lead == organisation and "solar-00" in consortia[pid] for pid, lead in lead_of.items()
        )
    shared = signals.scores["partners"] + signals.scores["partners_other"]
    recent = signals.scores["partners_recent"]
    # Every shared project counts, but none for more than one: weights fade with age.
    assert set(np.flatnonzero(recent)) == set(np.flatnonzero(shared))
    assert np.all(recent <= shared + 1e-6)
    assert np.all(signals.scores["partners_recent_fast"] <= recent + 1e-6)
    best = signals.scores["partners_best_project"]
    assert set(np.flatnonzero(best)) <= set(np.flatnonzero(signals.scores["partners"]))
    assert best[index.position["solar-00"]] == 0
    similarity = term_scores(index.project_terms, signals.query_vector)
    for organisation in ("solar-01", "solar-03"):
        together = [
            j
            for j, project in enumerate(index.text_projects)
            if {"solar-00", organisation} <= consortia[project.id]
        ]
        expected = max((similarity[j] for j in together), default=0.0)
        assert best[index.position[organisation]] == pytest.approx(expected)


def test_team_ties_count_the_likely_team_each_organisation_worked_with(index, history):
    signals = query_signals(index, SOLAR_IDEA)
    votes = signals.scores["votes"]
    coordinator = index.position["solar-00"]
    best = [int(i) for i in np.argsort(-votes, kind="stable") if votes[i] > 0]
    team = {index.organisations[i] for i in best[:10] if i != coordinator}
    consortia: dict[str, set[str]] = {}
    for p in history.participations:
        consortia.setdefault(p.project_id, set()).add(p.organisation_id)

    def worked_together(a: str, b: str) -> bool:
        return any({a, b} <= members for members in consortia.values())

    ties = signals.scores["ties_votes"]
    for organisation in ("solar-00", "solar-03", "solar-09", "solar-13"):
        expected = sum(
            worked_together(organisation, member) for member in team if member != organisation
        )
        assert ties[index.position[organisation]] == pytest.approx(expected / len(team))
    # Nobody of another community ever worked with the solar team.
    others = [ties[p] for o, p in index.position.items() if not o.startswith("solar-")]
    assert max(others) == 0
    assert signals.scores["ties_votes_recent"].max() > 0


def test_coordinator_signals_are_zero_for_an_unknown_coordinator(index):
    signals = query_signals(index, replace(SOLAR_IDEA, coordinator="nobody"))
    for name in (*COORDINATOR_SIGNALS, "ties_coordinator_team"):
        assert not signals.scores[name].any(), name


def test_candidate_pool_leaves_out_the_coordinator(index):
    signals = query_signals(index, SOLAR_IDEA)
    pool = candidate_pool(index, signals)
    assert index.position["solar-00"] not in set(pool)
    assert len(pool) == len(set(pool))
    features = feature_matrix(index, signals, pool)
    assert features.shape == (len(pool), len(FEATURE_NAMES))


def test_every_feature_speaks_for_a_signal():
    assert set(FEATURE_NAMES) == set(SIGNAL_OF_FEATURE)


def test_training_windows_lie_inside_the_history(history):
    windows = training_windows(history, SMALL_SETTINGS)
    last_start = max(p.start_date for p in history.projects)
    assert windows == [(date(2023, 7, 1), date(2024, 1, 1)), (date(2023, 1, 1), date(2023, 7, 1))]
    assert all(cutoff <= last_start < end or end <= last_start for cutoff, end in windows)


def test_partner_queries_take_participants_without_the_coordinator(history):
    queries = partner_queries(history, date(2023, 7, 1), date(2024, 1, 1))
    assert len(queries) == 6 * 2 * 3
    for training_query in queries:
        assert training_query.query.coordinator not in training_query.partners
        assert len(training_query.partners) == 4
        assert date(2023, 7, 1) <= training_query.query.start_date < date(2024, 1, 1)


def test_engine_ranks_the_solar_community_first(recommender):
    ranked = recommender.rank(SOLAR_IDEA, 10)
    top = [r.organisation_id for r in ranked[:8]]
    assert all(organisation.startswith("solar-") for organisation in top)


def test_engine_returns_k_distinct_partners_without_coordinator_or_excluded(recommender):
    ranked = recommender.rank(SOLAR_IDEA, 30, exclude=["solar-01"])
    organisations = [r.organisation_id for r in ranked]
    assert len(organisations) == 30 == len(set(organisations))
    assert "solar-00" not in organisations and "solar-01" not in organisations


def test_engine_answers_an_idea_with_no_text_and_an_unknown_coordinator(recommender):
    ranked = recommender.rank(PartnerQuery(project_id="blank", coordinator="nobody"), 5)
    assert len(ranked) == 5


def test_fitting_is_reproducible_with_a_seed(history, index):
    first = PartnerRecommender(index, fit_ranker(history, SMALL_SETTINGS))
    second = PartnerRecommender(index, fit_ranker(history, SMALL_SETTINGS))
    assert [r.organisation_id for r in first.rank(SOLAR_IDEA, 20)] == [
        r.organisation_id for r in second.rank(SOLAR_IDEA, 20)
    ]


def test_fitted_ranker_is_cached_by_data_checksum(history, tmp_path):
    model, from_cache = load_or_fit_ranker(history, "checksum-a", tmp_path, SMALL_SETTINGS)
    again, again_from_cache = load_or_fit_ranker(history, "checksum-a", tmp_path, SMALL_SETTINGS)
    assert (from_cache, again_from_cache) == (False, True)
    assert again.num_trees() == model.num_trees() == SMALL_SETTINGS.trees * SMALL_SETTINGS.members
    _, other_from_cache = load_or_fit_ranker(history, "checksum-b", tmp_path, SMALL_SETTINGS)
    assert other_from_cache is False


def test_explanations_show_similar_projects_and_a_real_collaboration_path(recommender, history):
    ranked = recommender.rank(SOLAR_IDEA, 5)
    explanations = explain(recommender, SOLAR_IDEA, ranked)
    index = recommender.index
    signals = query_signals(index, SOLAR_IDEA)
    team = {
        index.organisations[i]
        for i in likely_team(signals.scores, "votes", 10, index.position["solar-00"])
    }
    consortia = {}
    led_by_coordinator = set()
    for p in history.participations:
        consortia.setdefault(p.project_id, set()).add(p.organisation_id)
        if p.role == "coordinator" and p.organisation_id == "solar-00":
            led_by_coordinator.add(p.project_id)
    for explanation, partner in zip(explanations, ranked, strict=True):
        assert explanation.organisation_id == partner.organisation_id
        assert explanation.projects_led_by_coordinator == sum(
            explanation.organisation_id in consortia[pid] for pid in led_by_coordinator
        )
        assert explanation.projects_led_by_coordinator <= explanation.projects_with_coordinator
        assert explanation.past_projects
        assert all(p.project_id.startswith("solar-") for p in explanation.past_projects)
        for project in explanation.past_projects:
            assert explanation.organisation_id in consortia[project.project_id]
        path = explanation.collaboration_path
        assert path[0] == "solar-00" and path[-1] == explanation.organisation_id
        for a, b in zip(path, path[1:], strict=False):
            assert any({a, b} <= members for members in consortia.values())
        assert ("destination", "HORIZON-CL5-D3", explanation.shared_work_programme[0][2]) in (
            explanation.shared_work_programme
        )
        assert explanation.name_words == ("Solar",)  # "Solar 3": the idea speaks of solar cells
        # Every organisation of the similar projects' team it worked with, and no other.
        assert set(explanation.team_mates) == {
            mate
            for mate in team - {explanation.organisation_id}
            if any({mate, explanation.organisation_id} <= members for members in consortia.values())
        }
        assert explanation.summary()
    assert any(explanation.team_mates for explanation in explanations)


def test_signal_contributions_add_up_to_the_score(recommender):
    ranked = recommender.rank(SOLAR_IDEA, 5)
    explanations = explain(recommender, SOLAR_IDEA, ranked)
    features = feature_matrix(
        recommender.index,
        query_signals(recommender.index, SOLAR_IDEA),
        np.array([r.position for r in ranked]),
    )
    bias = recommender.model.predict(features, pred_contrib=True)[:, -1]
    for explanation, partner, expected_value in zip(explanations, ranked, bias, strict=True):
        total = sum(value for _, value in explanation.signal_contributions) + expected_value
        assert total == pytest.approx(partner.score, abs=1e-3)


def test_baselines_rank_by_their_own_rule(history):
    baselines = Baselines.build(history)
    popular = baselines.rank("popularity", SOLAR_IDEA)
    counts = [baselines.popularity[o] for o in popular]
    assert counts == sorted(counts, reverse=True)
    past = baselines.rank("past_partners", SOLAR_IDEA)
    worked_with = set(baselines.co_participation["solar-00"])
    assert set(past[: len(worked_with)]) == worked_with
    assert all(o.startswith("solar-") for o in baselines.rank("text_tfidf", SOLAR_IDEA)[:14])
    assert all(o.startswith("solar-") for o in baselines.rank("blend", SOLAR_IDEA)[:10])
    assert set(BASELINE_NAMES) == {"popularity", "past_partners", "text_tfidf", "blend"}
    with pytest.raises(ValueError, match="unknown baseline"):
        baselines.rank("oracle", SOLAR_IDEA)


def test_recall_follows_the_reference_protocol():
    outcome = query_outcome({"a", "b", "z"}, ["c", "a", "x", "b"], "c", {"a", "b"}, ks=(1, 3))
    assert outcome.hits == {1: 1, 3: 2}
    scores = mean_recall([outcome], ks=(1, 3))
    assert scores["recall@3"] == pytest.approx(2 / 3)
    assert scores["known_recall@3"] == pytest.approx(1.0)


def test_prescreen_scores_the_best_with_every_tree_and_keeps_the_rest_below():
    rng = np.random.default_rng(3)
    features = rng.normal(size=(2000, 4)).astype(np.float32)
    labels = (features[:, 0] + 0.5 * rng.normal(size=2000) > 1).astype(int)
    first, second = (
        lightgbm.train(
            {"objective": "binary", "verbosity": -1, "seed": seed, "num_threads": 1,
             "bagging_fraction": 0.5, "bagging_freq": 1},
            lightgbm.Dataset(features, label=labels),
            num_boost_round=PRESCREEN_TREES + 40,
        )
        for seed in (0, 1)
    )  # fmt: skip
    recommender = PartnerRecommender(index=None, model=BaggedRanker([first, second]))
    pool = features[:1000]
    full = (first.predict(pool, raw_score=True) + second.predict(pool, raw_score=True)) / 2
    scores = recommender._predict(pool, only_best=50)
    # The first trees of the first model alone pick the candidates worth every tree.
    early = first.predict(pool, raw_score=True, num_iteration=PRESCREEN_TREES)
    kept = np.argsort(-early, kind="stable")[:PRESCREEN_KEEP]
    rest = np.setdiff1d(np.arange(len(pool)), kept)
    assert np.allclose(scores[kept], full[kept])
    assert scores[kept].min() > scores[rest].max()
    assert list(np.argsort(-scores[rest], kind="stable")) == list(
        np.argsort(-early[rest], kind="stable")
    )
    # The best 50 by the whole model are nearly all among those the first trees kept.
    assert len(set(np.argsort(-full)[:50]) & set(kept)) >= 48
    # Asking for more than the prescreen keeps scores every candidate with every tree.
    assert np.allclose(recommender._predict(pool, only_best=PRESCREEN_KEEP + 1), full)


def test_each_bagged_model_draws_its_own_negatives_and_keeps_every_positive():
    labels = np.zeros(500, np.int8)
    labels[[3, 70, 250]] = 1
    features = np.zeros((500, len(FEATURE_NAMES)), np.float32)
    features[:, FEATURE_NAMES.index("text_full_rank")] = np.arange(500)
    settings = RankerSettings(negatives_per_query=50, hard_negatives=10, members=3)
    rngs = [np.random.default_rng([0, member]) for member in range(3)]
    rows, drawn = member_rows(labels, features, settings, rngs)
    assert drawn.shape == (len(rows), 3)
    assert list(rows) == sorted(set(rows))
    for member in range(3):
        chosen = rows[drawn[:, member]]
        assert {3, 70, 250} <= set(chosen)
        assert len(chosen) == 3 + 50
        # The hard negatives (best text ranks) are in every draw; the rest are drawn apart.
        assert {0, 1, 2, 4, 5, 6, 7, 8, 9, 10} <= set(chosen)
    draws = [frozenset(rows[drawn[:, member]]) for member in range(3)]
    assert len(set(draws)) == 3
    assert set(rows) == set().union(*draws)


def test_bagged_models_differ_and_their_mean_is_the_score(history, index):
    model = fit_ranker(history, replace(SMALL_SETTINGS, members=2))
    assert len(model.members) == 2
    signals = query_signals(index, SOLAR_IDEA)
    features = feature_matrix(index, signals, candidate_pool(index, signals))
    first, second = (m.predict(features, raw_score=True) for m in model.members)
    assert not np.allclose(first, second)
    assert np.allclose(model.predict(features), (first + second) / 2)
    contributions = model.predict(features, pred_contrib=True)
    assert np.allclose(contributions.sum(axis=1), (first + second) / 2, atol=1e-6)
    again = BaggedRanker.loads(model.dumps())
    assert np.array_equal(again.predict(features), model.predict(features))


def test_candidates_the_model_cannot_tell_apart_keep_the_order_of_the_blend(index):
    # A model fitted on a small history may give many candidates the very same score.
    rows = np.zeros((40, len(FEATURE_NAMES)), np.float32)
    indifferent = lightgbm.train(
        {"objective": "regression", "verbosity": -1, "num_threads": 1},
        lightgbm.Dataset(rows, label=np.ones(40)),
        num_boost_round=3,
    )
    ranked = PartnerRecommender(index, BaggedRanker([indifferent])).rank(SOLAR_IDEA, 10)
    signals = query_signals(index, SOLAR_IDEA)
    blend = signals.scores["blend"]
    by_blend = sorted(candidate_pool(index, signals), key=lambda position: -blend[position])
    assert [r.position for r in ranked] == by_blend[:10]
    assert len({r.score for r in ranked}) == 1
