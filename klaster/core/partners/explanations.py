"""Why an organisation is recommended, in terms a person can check.

For each recommended partner: the past projects most like the idea, the work-programme keys it
shares with the idea (topic, destination, call, scheme), the shortest chain of past
collaborations leading to the coordinator, and how much each kind of signal moved its score
(the model's per-feature contributions, summed per signal).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.sparse.csgraph import breadth_first_order

from klaster.core.messages import Message, message
from klaster.core.partners.features import (
    FEATURE_NAMES,
    SIGNAL_OF_FEATURE,
    TEAM_TIES,
    PartnerQuery,
    likely_team,
    term_scores,
)
from klaster.core.partners.index import ACTIVITY_TYPES, PartnerIndex
from klaster.core.partners.ranker import PartnerRecommender, RankedPartner
from klaster.core.text import detect_language, tokenize

PAST_PROJECTS_SHOWN = 3


@dataclass(frozen=True)
class PastProject:
    project_id: str
    acronym: str
    title: str
    start_year: int | None
    similarity: float


@dataclass(frozen=True)
class PartnerExplanation:
    """The evidence behind one recommended partner."""

    organisation_id: str
    name: str
    country: str
    activity_type: str
    score: float
    past_projects: tuple[PastProject, ...]
    shared_work_programme: tuple[tuple[str, str, int], ...]  # (kind, key, past projects)
    collaboration_path: tuple[str, ...]  # coordinator ... partner; empty when unconnected
    projects_with_coordinator: int
    projects_led_by_coordinator: int  # of projects_with_coordinator, those the coordinator led
    name_words: tuple[str, ...]  # words of its name that the idea also uses
    # Organisations that similar projects bring (the team of the first of TEAM_TIES) and that it
    # worked with before.
    team_mates: tuple[str, ...]
    signal_contributions: tuple[tuple[str, float], ...]  # largest effect first

    def summary_messages(self) -> tuple[Message, ...]:
        """The evidence as short sentences (empty when there is none beyond activity)."""
        parts = []
        if self.past_projects:
            titles = "; ".join(
                f"{p.acronym or p.project_id} ({p.start_year})" for p in self.past_projects
            )
            parts.append(
                message("similar_projects", "similar past projects: {titles}", titles=titles)
            )
        if self.name_words:
            parts.append(
                message(
                    "name_matches", "its name speaks of {words}", words=", ".join(self.name_words)
                )
            )
        if self.team_mates:
            parts.append(
                message(
                    "team_mates",
                    "worked with {count} organisation(s) that similar projects bring",
                    count=len(self.team_mates),
                )
            )
        if self.shared_work_programme:
            kind, key, count = self.shared_work_programme[0]
            parts.append(
                message(
                    "work_programme",
                    "{count} past project(s) in {kind} {key}",
                    count=count,
                    kind=kind,
                    key=key,
                )
            )
        if self.projects_with_coordinator:
            parts.append(
                message(
                    "projects_with_coordinator_engine",
                    "{count} project(s) with the coordinator",
                    count=self.projects_with_coordinator,
                )
            )
            if self.projects_led_by_coordinator:
                parts.append(
                    message(
                        "led_by_coordinator",
                        "{count} of them led by the coordinator",
                        count=self.projects_led_by_coordinator,
                    )
                )
        elif len(self.collaboration_path) > 2:
            parts.append(
                message(
                    "linked_via",
                    "linked to the coordinator via {count} partner(s)",
                    count=len(self.collaboration_path) - 2,
                )
            )
        if self.signal_contributions:
            signal, _ = self.signal_contributions[0]
            parts.append(message("mostly_for", "mostly recommended for {signal}", signal=signal))
        return tuple(parts)

    def summary(self) -> str:
        """One paragraph a member can read."""
        return "; ".join(map(str, self.summary_messages())) or "active organisation"


def matching_name_words(name: str, index: PartnerIndex, query_terms: set[int]) -> tuple[str, ...]:
    """The words of an organisation's `name` whose stems are among the idea's `query_terms`
    (columns of the index's vocabulary), each once, as the name writes them (lower-cased when
    the name is in capitals, as CORDIS writes most)."""
    language = detect_language(name)
    vocabulary = index.vectorizer.vocabulary_
    words: dict[str, None] = {}
    for word in re.findall(r"[^\W_]+", name):
        if any(vocabulary.get(token) in query_terms for token in tokenize(word, language)):
            words[word.lower() if name.isupper() else word] = None
    return tuple(words)


# The signal that says how well an organisation's type and country fit the funding scheme: with
# no scheme chosen there is nothing for them to fit, so it is no reason to show.
SCHEME_FIT_SIGNAL = "consortium mix"


# Features the model reads as text that say nothing of the organisation's own texts: the size
# of the idea (the same for every candidate) and the blend of text, partners and activity. They
# are told as other signals, so that "similar texts" is always backed by similar projects.
NOT_OWN_TEXT = frozenset({"query_terms", "blend", "blend_share", "blend_rank"})


def signal_contributions(
    contributions: Iterable[tuple[str, float]], *, scheme_chosen: bool, texts_shown: bool = True
) -> tuple[tuple[str, float], ...]:
    """Per-feature contributions `(feature, value)` summed per signal, largest effect first.

    Without a chosen funding scheme the scheme-fit signal is left out: the type and country of
    an organisation fit no scheme then, and must not read as the main reason for it. Without
    similar projects to show (`texts_shown` false: the organisation has no project texts near
    the idea), what the model read from texts is told among the other signals, never as similar
    texts nobody can see.

    Examples
    --------
    >>> parts = [("text_full", 0.25), ("votes", 0.5), ("activity_type", 1.0), ("topic", -0.5),
    ...          ("query_terms", 0.125)]
    >>> signal_contributions(parts, scheme_chosen=True)
    (('consortium mix', 1.0), ('text', 0.75), ('work programme', -0.5), ('other', 0.125))
    >>> signal_contributions(parts, scheme_chosen=False)
    (('text', 0.75), ('work programme', -0.5), ('other', 0.125))
    >>> signal_contributions(parts, scheme_chosen=False, texts_shown=False)
    (('other', 0.875), ('work programme', -0.5))
    """
    by_signal: dict[str, float] = defaultdict(float)
    for name, value in contributions:
        signal = "other" if name in NOT_OWN_TEXT else SIGNAL_OF_FEATURE.get(name, "other")
        if signal == "text" and not texts_shown:
            signal = "other"
        by_signal[signal] += float(value)
    if not scheme_chosen:
        by_signal.pop(SCHEME_FIT_SIGNAL, None)
    return tuple(
        (signal, round(value, 4))
        for signal, value in sorted(by_signal.items(), key=lambda kv: -abs(kv[1]))
    )


def nearest_projects(
    projects: np.ndarray, term_scores: np.ndarray, dense_scores: np.ndarray, limit: int
) -> list[int]:
    """Of an organisation's `projects` (positions), the `limit` nearest to the idea: those that
    share its words first (by term similarity), then those near it in meaning only (by latent
    similarity). Projects near in neither way are left out.

    Either similarity alone gives the organisation a text score, so whenever it has one, the
    projects behind it are listed.

    Examples
    --------
    >>> import numpy as np
    >>> term = np.array([0.0, 0.2, 0.0, 0.5, 0.0])
    >>> dense = np.array([0.9, 0.1, 0.0, 0.0, 0.3])
    >>> nearest_projects(np.array([0, 1, 2, 3, 4]), term, dense, 3)
    [3, 1, 0]
    >>> nearest_projects(np.array([0, 2, 4]), term, dense, 3)
    [0, 4]
    """
    near = [int(j) for j in projects if term_scores[j] > 0 or dense_scores[j] > 0]
    near.sort(key=lambda j: (-float(term_scores[j]), -float(dense_scores[j]), j))
    return near[:limit]


def _path(predecessors: np.ndarray, source: int, target: int) -> tuple[int, ...]:
    if source < 0 or predecessors[target] < 0:
        return ()
    path = [target]
    while path[-1] != source:
        path.append(int(predecessors[path[-1]]))
    return tuple(reversed(path))


def explain(
    recommender: PartnerRecommender,
    query: PartnerQuery,
    ranked: list[RankedPartner],
    *,
    now: date | None = None,
    exclude: Iterable[str] = (),
) -> list[PartnerExplanation]:
    """Explain each of `ranked` (as returned by `PartnerRecommender.rank` for `query` with the
    same `now` and `exclude`)."""
    index: PartnerIndex = recommender.index
    signals, pool, features, _ = recommender.score_pool(query, now=now, exclude=exclude)
    # Contributions are read on the same pool the ranking came from, because features relative
    # to the query (rank, share of the best) depend on the whole pool.
    row_of = {int(position): row for row, position in enumerate(pool)}
    contributions = np.zeros((len(ranked), len(FEATURE_NAMES) + 1))
    rows = [row_of.get(r.position) for r in ranked]
    known_rows = [i for i, row in enumerate(rows) if row is not None]
    if known_rows:
        contributions[known_rows] = recommender.model.predict(
            features[[rows[i] for i in known_rows]], pred_contrib=True
        )
    predecessors = np.full(index.size, -9999)
    if signals.coordinator >= 0:
        _, predecessors = breadth_first_order(
            index.co_any, signals.coordinator, directed=False, return_predecessors=True
        )
    project_scores = term_scores(index.project_terms, signals.query_vector)
    dense_project_scores = np.clip(index.project_dense @ signals.dense_vector.ravel(), 0, None)
    query_terms = set(signals.query_vector.indices.tolist())
    members_by_org = index.text_members.T.tocsr()
    _, source, size = TEAM_TIES[0]
    team = likely_team(signals.scores, source, size, signals.coordinator)

    explanations = []
    for row, partner in enumerate(ranked):
        o = partner.position
        worked_with = set(index.co_any[o].indices.tolist())  # the graph has no diagonal
        best = nearest_projects(
            members_by_org[o].indices, project_scores, dense_project_scores, PAST_PROJECTS_SHOWN
        )
        past = tuple(
            PastProject(
                project_id=index.text_projects[j].id,
                acronym=index.text_projects[j].acronym,
                title=index.text_projects[j].title,
                start_year=index.text_projects[j].start_date.year
                if index.text_projects[j].start_date
                else None,
                similarity=round(float(max(project_scores[j], dense_project_scores[j])), 3),
            )
            for j in best
        )
        shared = tuple(
            (kind, signals.keys[kind], int(signals.scores[kind][o]))
            for kind in ("topic", "call", "destination", "cluster", "scheme")
            if kind in signals.keys and signals.scores[kind][o] > 0
        )
        activity_type = int(index.org_type[o])
        explanations.append(
            PartnerExplanation(
                organisation_id=partner.organisation_id,
                name=index.org_name[o],
                country=index.org_country[o],
                activity_type=ACTIVITY_TYPES[activity_type] if activity_type >= 0 else "",
                score=partner.score,
                past_projects=past,
                shared_work_programme=shared,
                collaboration_path=tuple(
                    index.organisations[p] for p in _path(predecessors, signals.coordinator, o)
                ),
                projects_with_coordinator=int(
                    signals.scores["partners"][o] + signals.scores["partners_other"][o]
                ),
                projects_led_by_coordinator=int(signals.scores["partners_led"][o]),
                name_words=matching_name_words(index.org_name[o], index, query_terms),
                team_mates=tuple(index.organisations[j] for j in team if j in worked_with),
                signal_contributions=signal_contributions(
                    zip(FEATURE_NAMES, contributions[row][:-1], strict=True),
                    scheme_chosen=bool(query.funding_scheme),
                    texts_shown=bool(past),
                ),
            )
        )
    return explanations
