"""Signals of one query against the index, the candidate pool, and the ranker's features.

Every signal is a score per organisation of the index. Features are taken both raw and relative
to the query (share of the query's best score, rank among the candidates), because the history
behind a training query is smaller than at use time and raw scores drift with its size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse

from klaster.core.partners.index import (
    PartnerIndex,
    project_document,
    scheme_family,
    work_programme_keys,
)
from klaster.core.records import Project

SIMILAR_PROJECTS = 60
SHARP_SIMILAR_PROJECTS = 15
WIDE_SIMILAR_PROJECTS = 300
SCHEME_FAMILIES = ("RIA", "IA", "CSA", "MSCA", "ERC", "EIC", "other")
# How many organisations each signal brings into the candidate pool.
POOL_SHARES = {
    "text_full": 700,
    "votes_wide": 300,
    "partners_similar": 150,
    "text_dense": 400,
    "text_best_project": 300,
    "text_short": 300,
    "text_name": 100,
    "votes": 400,
    "votes_dense": 300,
    "partners": 300,
    "partners_recent": 150,
    "two_hop": 250,
    "topic": 150,
    "destination": 150,
    "call": 100,
    "blend": 200,
}
# Signals that need a known coordinator (zero when the coordinator is new to the history).
COORDINATOR_SIGNALS = (
    "partners", "partners_other", "two_hop", "partners_similar", "partners_best_project",
    "partners_recent", "partners_recent_fast", "partners_led", "partners_led_recent",
    "partners_leading",
)  # fmt: skip
# Ties with the team the idea is likely to have: (signal name, signal it takes its team from,
# team size). Consortia grow from groups that already know each other, so an organisation that
# worked with the members of similar projects, or with the coordinator's closest past team, tends
# to be asked along.
TEAM_TIES = (
    ("ties_votes", "votes", 10),
    ("ties_votes_broad", "votes", 30),
    ("ties_text", "text_full", 30),
    ("ties_blend", "blend", 20),
    ("ties_votes_dense", "votes_dense", 20),
    ("ties_coordinator_team", "partners_best_project", 10),
)
# The 20 best by votes once more, with ties that fade with age (half-life 2 years).
RECENT_TIES_TEAM = ("ties_votes_recent", "votes", 20)
TEAM_SIGNALS = (*(name for name, _, _ in TEAM_TIES), RECENT_TIES_TEAM[0])
# The simple blend every learned score must beat: text profile, past partners, activity.
BLEND_PARTNERS = 0.05
BLEND_ACTIVITY = 0.01


@dataclass(frozen=True)
class PartnerQuery:
    """A project idea looking for partners."""

    title: str = ""
    objective: str = ""
    keywords: tuple[str, ...] = ()
    topic: str = ""
    call: str = ""
    funding_scheme: str = ""
    coordinator: str = ""
    start_date: date | None = None
    project_id: str = ""

    def as_project(self, topic_title: str = "") -> Project:
        return Project(
            id=self.project_id,
            title=self.title,
            objective=self.objective,
            keywords=self.keywords,
            topics=(self.topic,) if self.topic else (),
            topic_titles=(topic_title,) if topic_title else (),
            call=self.call,
            funding_scheme=self.funding_scheme,
        )


@dataclass
class QuerySignals:
    """Per-organisation scores of one query, plus what explanations need to look back at."""

    query: PartnerQuery
    coordinator: int  # position in the index, -1 when the coordinator is unknown
    reference_day: int
    scores: dict[str, np.ndarray]
    similar_projects: np.ndarray  # positions in index.text_projects, best first
    similar_scores: np.ndarray
    query_vector: object = None
    keys: dict[str, str] = field(default_factory=dict)
    dense_vector: np.ndarray | None = None  # the query in the index's latent axes, normalised


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` largest positive values, best first."""
    positive = np.flatnonzero(values > 0)
    if len(positive) > count:
        positive = positive[np.argpartition(-values[positive], count - 1)[:count]]
    return positive[np.argsort(-values[positive], kind="stable")]


def _best_per_organisation(index: PartnerIndex, project_scores: np.ndarray) -> np.ndarray:
    matrix = index.organisation_projects
    best = np.zeros(matrix.shape[0], np.float32)
    has_projects = np.diff(matrix.indptr) > 0
    if matrix.nnz:
        maxima = np.maximum.reduceat(
            project_scores[matrix.indices], matrix.indptr[:-1][has_projects]
        )
        best[has_projects] = maxima
    return best


def text_vector(index: PartnerIndex, tokens: list[str]) -> sparse.csr_matrix:
    """The l2-normalised TF-IDF vector of `tokens` (1 x terms), as the index's vectoriser
    would make it, without its per-call overhead."""
    vocabulary = index.vectorizer.vocabulary_
    counts = Counter(vocabulary[t] for t in tokens if t in vocabulary)
    columns = np.fromiter(counts.keys(), np.int64, len(counts))
    values = (1.0 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))) * index.idf[
        columns
    ]
    norm = float(np.linalg.norm(values))
    if norm > 0:
        values /= norm
    order = np.argsort(columns)
    return sparse.csr_matrix(
        (values[order].astype(np.float32), columns[order], [0, len(columns)]),
        shape=(1, len(vocabulary)),
    )


def term_scores(term_major, query_vector) -> np.ndarray:
    """Cosine of a (normalised, 1 x terms) query with each column of a term-major matrix.

    Only the rows of the query's terms are read, which keeps a query in the milliseconds.
    """
    rows = term_major[query_vector.indices]
    return np.asarray(rows.T @ query_vector.data, dtype=np.float32).ravel()


def query_signals(
    index: PartnerIndex, query: PartnerQuery, *, now: date | None = None
) -> QuerySignals:
    """Score every organisation of `index` against `query`, one array per signal."""
    # The topic's title says in the work programme's words what the idea is about.
    topic_title = index.topic_titles.get(query.topic.upper()) or index.topic_titles.get(
        work_programme_keys(query.topic, "", "").get("topic", ""), ""
    )
    full_tokens, short_tokens = project_document(query.as_project(topic_title))
    query_vector = text_vector(index, full_tokens)
    short_vector = text_vector(index, short_tokens)
    dense = np.asarray(query_vector @ index.dense_axes).ravel()
    dense /= max(float(np.linalg.norm(dense)), 1e-9)
    scores: dict[str, np.ndarray] = {}
    scores["text_full"] = term_scores(index.profile_full, query_vector)
    scores["text_short"] = term_scores(index.profile_short, short_vector)
    scores["text_dense"] = np.clip(index.profile_dense @ dense.ravel(), 0, None)
    scores["text_name"] = term_scores(index.profile_name, query_vector)

    # Votes of similar past projects: their consortia are what such projects looked like.
    project_scores = term_scores(index.project_terms, query_vector)
    similar = _top(project_scores, SIMILAR_PROJECTS)
    weights = np.zeros_like(project_scores)
    weights[similar] = project_scores[similar] ** 2
    scores["votes"] = index.text_members.T @ weights
    scores["votes_count"] = index.text_members.T @ (weights > 0).astype(np.float32)
    sharp = similar[:SHARP_SIMILAR_PROJECTS]
    weights_sharp = np.zeros_like(project_scores)
    weights_sharp[sharp] = project_scores[sharp]
    scores["votes_sharp"] = index.text_members.T @ weights_sharp
    wide = _top(project_scores, WIDE_SIMILAR_PROJECTS)
    weights_wide = np.zeros_like(project_scores)
    weights_wide[wide] = project_scores[wide] ** 3
    scores["votes_wide"] = index.text_members.T @ weights_wide
    dense_project_scores = np.clip(index.project_dense @ dense.ravel(), 0, None)
    # The best single past project of each organisation: a broad profile can hide one close match.
    scores["text_best_project"] = _best_per_organisation(index, project_scores)
    scores["dense_best_project"] = _best_per_organisation(index, dense_project_scores)
    similar_dense = _top(dense_project_scores, SIMILAR_PROJECTS)
    weights_dense = np.zeros_like(dense_project_scores)
    weights_dense[similar_dense] = dense_project_scores[similar_dense] ** 4
    scores["votes_dense"] = index.text_members.T @ weights_dense

    coordinator = index.position.get(query.coordinator, -1)
    n = index.size
    if coordinator >= 0:
        scores["partners"] = index.co_he[coordinator].toarray().ravel()
        scores["partners_other"] = index.co_other[coordinator].toarray().ravel()
        direct = index.co_any[coordinator]
        scores["two_hop"] = (direct @ index.co_any).toarray().ravel()
        scores["two_hop"][coordinator] = 0
        # Past partners of the coordinator, weighted by how close the shared project is to the idea.
        shared = index.organisation_projects[coordinator].indices
        weights_shared = np.zeros_like(project_scores)
        weights_shared[shared] = project_scores[shared]
        scores["partners_similar"] = index.text_members.T @ weights_shared
        scores["partners_similar"][coordinator] = 0
        # The closest single project done with the coordinator: a follow-up often keeps its team.
        best_shared = np.zeros(n, np.float32)
        shared_members = index.text_members[shared]
        np.maximum.at(
            best_shared,
            shared_members.indices,
            np.repeat(project_scores[shared], np.diff(shared_members.indptr)),
        )
        best_shared[coordinator] = 0
        scores["partners_best_project"] = best_shared
        scores["partners_recent"] = index.co_recent[coordinator].toarray().ravel()
        scores["partners_recent_fast"] = index.co_recent_fast[coordinator].toarray().ravel()
        scores["partners_led"] = index.led_with[coordinator].toarray().ravel()
        scores["partners_led"][coordinator] = 0
        scores["partners_led_recent"] = index.led_recent[coordinator].toarray().ravel()
        scores["partners_led_recent"][coordinator] = 0
        scores["partners_leading"] = index.led_by[coordinator].toarray().ravel()
        scores["partners_leading"][coordinator] = 0
    else:
        for name in COORDINATOR_SIGNALS:
            scores[name] = np.zeros(n, np.float32)

    scores["blend"] = blend_scores(index, scores)
    scores.update(team_ties(index, scores, coordinator))

    keys = work_programme_keys(query.topic, query.call, query.funding_scheme)
    for kind in ("topic", "destination", "call", "cluster", "scheme"):
        column = index.key_position.get((kind, keys[kind])) if kind in keys else None
        if column is None:
            scores[kind] = np.zeros(n, np.float32)
        else:
            scores[kind] = index.key_activity[:, column].toarray().ravel()
    day = (query.start_date or now or index.end_date).toordinal()
    return QuerySignals(
        query=query,
        coordinator=coordinator,
        reference_day=day,
        scores=scores,
        similar_projects=similar,
        similar_scores=project_scores[similar],
        query_vector=query_vector,
        keys=keys,
        dense_vector=dense,
    )


def blend_scores(index: PartnerIndex, scores: dict[str, np.ndarray]) -> np.ndarray:
    """Text profile similarity plus a little for past partnership and activity (log-damped).

    The same mix as the blend baseline, from the index's own signals, so that the ranker starts
    from what the blend knows.
    """
    return (
        scores["text_full"]
        + BLEND_PARTNERS * np.log1p(scores["partners"] + scores["partners_other"])
        + BLEND_ACTIVITY * np.log1p(index.projects_he + index.projects_other)
    ).astype(np.float32)


def likely_team(
    scores: dict[str, np.ndarray], source: str, size: int, coordinator: int
) -> np.ndarray:
    """The `size` best organisations (index positions) of signal `source`, coordinator left out."""
    team = _top(scores[source], size)
    return team[team != coordinator]


def _summed_rows(matrix: sparse.csr_matrix, rows: np.ndarray) -> np.ndarray:
    if not len(rows):
        return np.zeros(matrix.shape[1], np.float32)
    return np.asarray(matrix[rows].sum(axis=0), dtype=np.float32).ravel()


def team_ties(
    index: PartnerIndex, scores: dict[str, np.ndarray], coordinator: int
) -> dict[str, np.ndarray]:
    """Per organisation, the share of each likely team (`TEAM_TIES`) it has worked with.

    A team is the best few organisations of one signal, coordinator left out. Co-participation
    is symmetric, so the rows of the team members give every organisation's count at once; an
    organisation never counts a tie with itself (the graph has no diagonal).
    """
    ties = {}
    for name, source, size in TEAM_TIES:
        team = likely_team(scores, source, size, coordinator)
        ties[name] = _summed_rows(index.co_any, team) / max(len(team), 1)
    name, source, size = RECENT_TIES_TEAM
    ties[name] = _summed_rows(index.co_recent, likely_team(scores, source, size, coordinator))
    return ties


def candidate_pool(index: PartnerIndex, signals: QuerySignals) -> np.ndarray:
    """Organisations worth ranking: the best few hundred of each signal, coordinator left out."""
    chosen = [_top(signals.scores[name], count) for name, count in POOL_SHARES.items()]
    pool = np.unique(np.concatenate(chosen)) if chosen else np.empty(0, np.int64)
    if signals.coordinator >= 0:
        pool = pool[pool != signals.coordinator]
    return pool


RELATIVE_SIGNALS = (
    "text_full", "text_short", "text_dense", "text_name", "votes", "votes_dense", "votes_count",
    "votes_sharp", "votes_wide", "partners_similar", "text_best_project", "dense_best_project",
    "blend",
)  # fmt: skip
RAW_SIGNALS = (
    "text_full", "text_short", "text_dense", "text_name", "votes", "votes_dense", "votes_count",
    "votes_sharp", "votes_wide", "text_best_project", "dense_best_project", "partners",
    "partners_similar", "partners_other", "two_hop", "topic", "destination", "call", "cluster",
    "scheme", "blend",
    "partners_best_project", "partners_recent", "partners_recent_fast", "partners_led",
    "partners_led_recent", "partners_leading",
)  # fmt: skip
FEATURE_NAMES = (
    *RAW_SIGNALS,
    *(f"{name}_share" for name in RELATIVE_SIGNALS),
    *(f"{name}_rank" for name in RELATIVE_SIGNALS),
    "two_hop_share",
    "partners_recent_share",
    "partners_led_recent_share",
    "partners_best_project_share",
    "partners_led_share",
    "scheme_share",
    "destination_share",
    "projects_he",
    "projects_other",
    "coordinations",
    "coordinator_share",
    "recent_projects",
    "years_since_last",
    "activity_type",
    "sme",
    "country_group",
    "same_country",
    "scheme_type_prior",
    "scheme_group_prior",
    "country_affinity",
    "scheme_family",
    "coordinator_known",
    "coordinator_degree",
    "query_terms",
    *TEAM_SIGNALS,
)
CATEGORICAL_FEATURES = ("activity_type", "country_group", "scheme_family")
# Which signal each feature speaks for, to tell a person what drove a recommendation.
SIGNAL_OF_FEATURE = {
    **{
        name: "text"
        for name in FEATURE_NAMES
        if name.startswith(("text_", "dense_", "votes", "query_", "blend"))
    },
    **{
        name: "collaboration"
        for name in FEATURE_NAMES
        if name.startswith(("partners", "two_hop", "coordinator_"))
    },
    # The organisation's own name, not a past project, speaks here.
    **dict.fromkeys(("text_name", "text_name_share", "text_name_rank"), "organisation name"),
    **dict.fromkeys(
        ("topic", "destination", "call", "cluster", "scheme", "scheme_share"), "work programme"
    ),
    "destination_share": "work programme",
    **dict.fromkeys(
        (
            "activity_type",
            "sme",
            "country_group",
            "same_country",
            "scheme_type_prior",
            "scheme_group_prior",
            "country_affinity",
            "scheme_family",
        ),
        "consortium mix",
    ),  # fmt: skip
    **dict.fromkeys(
        ("projects_he", "projects_other", "coordinations", "coordinator_share"), "activity"
    ),
    "recent_projects": "recency",
    "years_since_last": "recency",
    **dict.fromkeys(TEAM_SIGNALS, "team ties"),
}


def _rank(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), np.float32)
    ranks[order] = np.arange(1, len(values) + 1, dtype=np.float32)
    return np.log2(ranks)


def feature_matrix(index: PartnerIndex, signals: QuerySignals, pool: np.ndarray) -> np.ndarray:
    """One row of `FEATURE_NAMES` per organisation of `pool` (float32)."""
    s = signals.scores
    columns: list[np.ndarray] = [s[name][pool] for name in RAW_SIGNALS]
    for name in RELATIVE_SIGNALS:
        values = s[name][pool]
        columns.append(values / max(float(values.max(initial=0)), 1e-9))
    for name in RELATIVE_SIGNALS:
        columns.append(_rank(s[name][pool]))
    for name in ("two_hop", "partners_recent", "partners_led_recent", "partners_best_project"):
        values = s[name][pool]
        columns.append(values / max(float(values.max(initial=0)), 1e-9))
    # Share of the coordinator's own led projects that the candidate was in.
    led = (
        float(index.led_with[signals.coordinator, signals.coordinator])
        if signals.coordinator >= 0
        else 0.0
    )
    columns.append(s["partners_led"][pool] / max(led, 1.0))
    total = index.projects_he[pool] + index.projects_other[pool]
    columns.append(s["scheme"][pool] / np.maximum(total, 1))
    columns.append(s["destination"][pool] / np.maximum(index.projects_he[pool], 1))
    columns.append(index.projects_he[pool])
    columns.append(index.projects_other[pool])
    columns.append(index.coordinations[pool])
    columns.append(index.coordinations[pool] / np.maximum(total, 1))
    columns.append(index.recent_projects[pool])
    last = index.last_start[pool]
    columns.append(np.where(last > 0, (signals.reference_day - last) / 365.25, 30.0))
    columns.append(index.org_type[pool].astype(np.float32))
    columns.append(index.org_sme[pool])
    columns.append(index.org_group[pool].astype(np.float32))
    scheme = signals.query.funding_scheme
    coordinator_country = index.org_country[signals.coordinator] if signals.coordinator >= 0 else ""
    countries = [index.org_country[i] for i in pool]
    columns.append(np.array([c == coordinator_country for c in countries], np.float32))
    type_share = index.scheme_type_share.get(scheme)
    types = index.org_type[pool]
    if type_share is None:
        columns.append(np.full(len(pool), np.nan, np.float32))
    else:
        columns.append(np.where(types >= 0, type_share[np.maximum(types, 0)], np.nan))
    group_share = index.scheme_group_share.get(scheme)
    if group_share is None:
        columns.append(np.full(len(pool), np.nan, np.float32))
    else:
        columns.append(group_share[index.org_group[pool]])
    affinity = index.country_affinity.get(coordinator_country, {})
    columns.append(np.array([affinity.get(c, 0.0) for c in countries], np.float32))
    family = SCHEME_FAMILIES.index(scheme_family(scheme))
    columns.append(np.full(len(pool), family, np.float32))
    columns.append(np.full(len(pool), float(signals.coordinator >= 0), np.float32))
    degree = float(index.co_any[signals.coordinator].nnz) if signals.coordinator >= 0 else 0.0
    columns.append(np.full(len(pool), degree, np.float32))
    columns.append(np.full(len(pool), float(signals.query_vector.nnz), np.float32))
    columns.extend(s[name][pool] for name in TEAM_SIGNALS)
    return np.column_stack(columns).astype(np.float32)
