"""Who answers a marketplace profile: counterpart profiles, members, CORDIS organisations, calls.

Everything is read through the partner engine's index (`klaster.core.partners.index`): texts are
vectorised with its TF-IDF vocabulary and projected on its latent (LSA) axes, and an owner's
CORDIS organisation id (`organisation_pic`) opens its verified track record there: the past
projects most like the query (their votes, as the partner engine counts them, and the best single
one) and the projects two owners did together. Polish texts are read in English first, as the
partner engine reads ideas (`klaster.core.partners.language`).

A candidate's score adds up, with `MatchWeights`:
- text: cosine of the TF-IDF vectors (the engine's vocabulary and weights);
- meaning: cosine in the engine's latent axes (near in subject without sharing words);
- best project / votes: how close the candidate organisation's own past projects are to the
  query (its verified track record; zero when it has none in CORDIS);
- partners: projects the two owners did together (log-damped);
- TRL: an offer at or above the stage a request wants counts for it, one below against it;
- partnership: a type of partnership both sides consider.

Each `Match` carries its reasons as `klaster.core.messages.Message` (codes in `REASON_CODES`,
worded for people by the web layer) and the candidate's similar past projects.

Examples
--------
>>> COUNTERPARTS["technology_request"], COUNTERPARTS["business_offer"]
(('technology_offer',), ('business_request',))
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
from scipy import sparse

from klaster.core.messages import Message, message
from klaster.core.partners.explanations import PastProject, explain, nearest_projects
from klaster.core.partners.features import (
    SIMILAR_PROJECTS,
    PartnerQuery,
    term_scores,
    text_vector,
)
from klaster.core.partners.index import PartnerIndex, project_document
from klaster.core.partners.language import AsWritten, PolishReader, default_reader
from klaster.core.partners.ranker import PartnerRecommender
from klaster.core.text import fold, tokenize

TECHNOLOGY_OFFER = "technology_offer"
TECHNOLOGY_REQUEST = "technology_request"
BUSINESS_OFFER = "business_offer"
BUSINESS_REQUEST = "business_request"
RD_PARTNER_REQUEST = "rd_partner_request"
KINDS = (TECHNOLOGY_OFFER, TECHNOLOGY_REQUEST, BUSINESS_OFFER, BUSINESS_REQUEST, RD_PARTNER_REQUEST)
OFFER_KINDS = frozenset({TECHNOLOGY_OFFER, BUSINESS_OFFER})
REQUEST_KINDS = frozenset({TECHNOLOGY_REQUEST, BUSINESS_REQUEST, RD_PARTNER_REQUEST})
# The kinds that answer each kind: a technology offer meets technology and R&D partner requests,
# a business offer meets business requests.
COUNTERPARTS: dict[str, tuple[str, ...]] = {
    TECHNOLOGY_OFFER: (TECHNOLOGY_REQUEST, RD_PARTNER_REQUEST),
    TECHNOLOGY_REQUEST: (TECHNOLOGY_OFFER,),
    RD_PARTNER_REQUEST: (TECHNOLOGY_OFFER,),
    BUSINESS_OFFER: (BUSINESS_REQUEST,),
    BUSINESS_REQUEST: (BUSINESS_OFFER,),
}
# Codes of the reasons a match gives (values in brackets):
#   shared_keywords (keywords), similar_projects (titles; the partner engine's code),
#   worked_together (count), trl_fits (offer_trl, wanted_trl), partnership_types (types),
#   and, from the partner engine's explanations, its own codes (organisations_for_profile).
REASON_CODES = (
    "shared_keywords",
    "similar_projects",
    "worked_together",
    "trl_fits",
    "partnership_types",
)
# A candidate must be this close in words or meaning to match at all: latent axes leave a trace
# of similarity between any two texts, and a track record alone says nothing of the subject.
MIN_TEXT_SCORE = 0.05
KEYWORDS_SHOWN = 6
# Words every offer and request uses: weighty in a short text, yet no reason to meet.
GENERIC_WORDS = frozenset(
    [
        "company",
        "companies",
        "customer",
        "customers",
        "client",
        "clients",
        "partner",
        "partners",
        "proven",
        "solution",
        "solutions",
        "product",
        "products",
        "service",
        "services",
        "offer",
        "offers",
        "offered",
        "request",
        "requests",
        "looking",
        "seek",
        "seeking",
        "wanted",
        "need",
        "needs",
        "new",
        "based",
        "use",
        "used",
        "using",
        "provide",
        "provides",
        "develop",
        "developed",
        "development",
        "innovative",
        "innovation",
        "technology",
        "technologies",
    ]
)
PROJECTS_SHOWN = 3
_WORDS = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass(frozen=True)
class ProfileText:
    """A marketplace profile as the matcher reads it.

    `text` is the rest of what the owner wrote (summary, description, advantages, partner
    sought), in Polish or English; `keywords` its technology and market keywords. `trl` is, for
    an offer, its stage of development, for a request the stage it wants at least.
    `organisation_pic` is the owner's CORDIS organisation id when known (it opens the owner's
    verified track record), `organisation_id` the owner in the member registry (a profile never
    matches another profile, or the member, of its own organisation).
    """

    id: Hashable
    kind: str
    title: str
    text: str = ""
    keywords: tuple[str, ...] = ()
    trl: int | None = None
    partnership_types: tuple[str, ...] = ()
    organisation_pic: str | None = None
    organisation_id: Hashable | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of profile: {self.kind!r}")
        if self.trl is not None and not 1 <= self.trl <= 9:
            raise ValueError(f"TRL must be 1..9, not {self.trl}")


@dataclass(frozen=True)
class MemberText:
    """A member organisation: what it says it does, and its CORDIS id when known."""

    id: Hashable
    name: str
    competences: str = ""
    keywords: tuple[str, ...] = ()
    organisation_pic: str | None = None


@dataclass(frozen=True)
class CallText:
    """A funding call (or topic): its texts and its deadline (None: open without a deadline)."""

    id: Hashable
    title: str
    text: str = ""
    keywords: tuple[str, ...] = ()
    deadline: date | None = None


@dataclass(frozen=True)
class Match:
    """One answer: the candidate's id, its score (higher is better), why, and the candidate's
    past projects nearest to the query (for a call: the query owner's own)."""

    id: Hashable
    score: float
    reasons: tuple[Message, ...] = ()
    similar_projects: tuple[PastProject, ...] = ()


@dataclass(frozen=True)
class MatchWeights:
    """How much each kind of evidence adds to a score (see the module's docstring)."""

    text: float = 1.0
    meaning: float = 0.5
    best_project: float = 0.5
    votes: float = 0.5
    partners: float = 0.2
    trl: float = 0.05
    partnership: float = 0.05


@dataclass
class _Query:
    """A text read and vectorised once, with what its explanations look back at."""

    vector: sparse.csr_matrix  # 1 x terms, l2-normalised
    dense: np.ndarray  # latent axes, l2-normalised
    words: str  # the text as read (English), for the words shown
    keywords: frozenset[str]  # folded
    pic_position: int  # the owner in the index, -1 when unknown


@dataclass
class _Candidates:
    """A set of texts ranked against queries: their vectors, owners and facts."""

    ids: list[Hashable]
    vectors: sparse.csr_matrix  # candidates x terms
    dense: np.ndarray  # candidates x latent axes
    words: list[str]
    keywords: list[tuple[str, ...]]
    positions: np.ndarray  # the owner in the index, -1 when unknown
    owner_projects: sparse.csr_matrix | None = None  # known owners x text projects, on first use
    terms: sparse.csr_matrix | None = None  # `vectors` term-major (a query reads few rows)


def _closeness(dense: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Cosine of each row of `dense` with `vector` (all normalised), negatives as 0.

    einsum rather than BLAS: one query is one matrix-vector product, which BLAS threads only slow
    down on a busy server (9 ms against 1.7 ms for 15,000 x 192 on two shared cores).
    """
    return np.clip(np.einsum("ij,j->i", dense, vector), 0, None)


def _row(matrix: sparse.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of one row of a CSR matrix, without building a matrix for it."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def _row_maxima(matrix: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Per row of a 0/1 `matrix`, the largest of `values` at its columns (0 for an empty row)."""
    best = np.zeros(matrix.shape[0], np.float32)
    filled = np.diff(matrix.indptr) > 0
    if matrix.nnz:
        best[filled] = np.maximum.reduceat(values[matrix.indices], matrix.indptr[:-1][filled])
    return best


class MarketplaceMatcher:
    """Ranks profiles, members, CORDIS organisations and calls for marketplace profiles.

    `engine` is the partner engine: a fitted `PartnerRecommender` (then `organisations_for_profile`
    ranks with its learned model and explanations) or its bare `PartnerIndex`. Profiles, members
    and calls are vectorised once, here; each query costs a few sparse products.

    Examples
    --------
    See `klaster/core/tests/test_marketplace.py` for small worked cases.
    """

    def __init__(
        self,
        engine: PartnerRecommender | PartnerIndex,
        profiles: Iterable[ProfileText] = (),
        *,
        members: Iterable[MemberText] = (),
        calls: Iterable[CallText] = (),
        reader: PolishReader | AsWritten | None = None,
        weights: MatchWeights | None = None,
    ):
        if isinstance(engine, PartnerRecommender):
            self.recommender: PartnerRecommender | None = engine
            self.index: PartnerIndex = engine.index
            reader = reader or engine.reader
        else:
            self.recommender, self.index = None, engine
        self.reader = reader or default_reader()
        self.weights = weights or MatchWeights()
        self.profiles = {p.id: p for p in profiles}
        self.members = {m.id: m for m in members}
        self.calls = {c.id: c for c in calls}
        self._profiles = self._candidates(
            (p.id, p.title, p.text, p.keywords, p.organisation_pic) for p in self.profiles.values()
        )
        self._members = self._candidates(
            (m.id, "", m.competences, m.keywords, m.organisation_pic) for m in self.members.values()
        )
        self._calls = self._candidates(
            (c.id, c.title, c.text, c.keywords, None) for c in self.calls.values()
        )
        listed = list(self.profiles.values())
        self._kind = np.array([KINDS.index(p.kind) for p in listed], np.int8)
        self._rows_of: dict[tuple[str, Hashable], list[int]] = defaultdict(list)
        for row, p in enumerate(listed):
            for key in (("id", p.id), ("owner", p.organisation_id), ("pic", p.organisation_pic)):
                if key[1] is not None:
                    self._rows_of[key].append(row)
        self._trl = np.array([np.nan if p.trl is None else p.trl for p in listed], np.float32)
        self._with_partnership = [row for row, p in enumerate(listed) if p.partnership_types]

    # Reading texts.

    def _read(self, title: str, text: str, keywords: Sequence[str], pic: str | None) -> _Query:
        idea = self.reader.english_query(
            PartnerQuery(title=title, objective=text, keywords=tuple(keywords))
        )
        full, _ = project_document(idea.as_project())
        vector = text_vector(self.index, full)
        dense = np.asarray(vector @ self.index.dense_axes).ravel()
        dense /= max(float(np.linalg.norm(dense)), 1e-9)
        return _Query(
            vector=vector,
            dense=dense.astype(np.float32),
            words=" ".join((idea.title, *idea.keywords, idea.objective)),
            keywords=frozenset(fold(k) for k in keywords if k.strip()),
            pic_position=self.index.position.get(pic, -1) if pic else -1,
        )

    def _candidates(self, records: Iterable[tuple]) -> _Candidates:
        ids, rows, dense, words, keywords, positions = [], [], [], [], [], []
        for record_id, title, text, record_keywords, pic in records:
            query = self._read(title, text, record_keywords, pic)
            ids.append(record_id)
            rows.append(query.vector)
            dense.append(query.dense)
            words.append(query.words)
            keywords.append(tuple(record_keywords))
            positions.append(query.pic_position)
        terms = len(self.index.vectorizer.vocabulary_)
        return _Candidates(
            ids=ids,
            vectors=sparse.vstack(rows).tocsr() if rows else sparse.csr_matrix((0, terms)),
            dense=np.vstack(dense) if dense else np.zeros((0, self.index.dense_axes.shape[1])),
            words=words,
            keywords=keywords,
            positions=np.array(positions, np.int64),
        )

    def _profile_query(self, profile: ProfileText) -> _Query:
        return self._read(profile.title, profile.text, profile.keywords, profile.organisation_pic)

    # Evidence from the index.

    def _project_scores(self, query: _Query) -> np.ndarray:
        return term_scores(self.index.project_terms, query.vector)

    def _track_record(self, query: _Query, candidates: _Candidates) -> tuple[np.ndarray, ...]:
        """Per owner position (-1: none): its best past project's similarity to the query, its
        share of the similar projects' votes (of the best voted), and its projects with the
        query's owner."""
        positions = candidates.positions
        project_scores = self._project_scores(query)
        known = positions >= 0
        best = np.zeros(len(positions), np.float32)
        votes = np.zeros(len(positions), np.float32)
        together = np.zeros(len(positions), np.float32)
        if not known.any():
            return best, votes, together
        rows = positions[known]
        if candidates.owner_projects is None:
            candidates.owner_projects = self.index.organisation_projects[rows]
        best[known] = _row_maxima(candidates.owner_projects, project_scores)
        similar = np.flatnonzero(project_scores > 0)
        if len(similar) > SIMILAR_PROJECTS:
            similar = similar[np.argpartition(-project_scores[similar], SIMILAR_PROJECTS - 1)]
            similar = similar[:SIMILAR_PROJECTS]
        weights = np.zeros_like(project_scores)
        weights[similar] = project_scores[similar] ** 2
        all_votes = np.asarray(self.index.text_members.T @ weights).ravel()
        if all_votes.max(initial=0) > 0:
            votes[known] = all_votes[rows] / all_votes.max()
        if query.pic_position >= 0:
            owner = query.pic_position
            together[known] = self._worked_with(owner)[rows]
        return best, votes, together

    # Ranking.

    @staticmethod
    def _text_scores(query: _Query, candidates: _Candidates) -> np.ndarray:
        """TF-IDF cosine of the query with each candidate (term-major: few rows are read)."""
        if candidates.terms is None:
            candidates.terms = candidates.vectors.T.tocsr()
        return term_scores(candidates.terms, query.vector)

    def _rank(
        self,
        query: _Query,
        candidates: _Candidates,
        allowed: np.ndarray,
        k: int,
        *,
        text: np.ndarray | None = None,
        meaning: np.ndarray | None = None,
        bonus: np.ndarray | None = None,
        track_record: bool = True,
    ) -> list[tuple[int, float]]:
        """(candidate row, score) of the `k` best allowed candidates at least `MIN_TEXT_SCORE`
        close to the query, best first; equal scores keep the candidates' order."""
        w = self.weights
        if text is None:
            text = self._text_scores(query, candidates)
        if meaning is None:
            meaning = _closeness(candidates.dense, query.dense)
        score = close = w.text * text + w.meaning * meaning
        if track_record:
            best, votes, together = self._track_record(query, candidates)
            score = (
                score + w.best_project * best + w.votes * votes + w.partners * np.log1p(together)
            )
        if bonus is not None:
            score = score + bonus
        score = np.where(allowed & (close >= MIN_TEXT_SCORE), score, -np.inf)
        rows = np.flatnonzero(np.isfinite(score))
        if len(rows) > k:
            # Every candidate tied with the k-th stays in, so that the order below decides.
            kth = np.partition(score[rows], len(rows) - k)[len(rows) - k]
            rows = rows[score[rows] >= kth]
        order = rows[np.lexsort((rows, -score[rows]))][:k]
        return [(int(i), round(float(score[i]), 6)) for i in order]

    def _shared_keywords(
        self, query: _Query, words: str, keywords: Sequence[str], vector: tuple[np.ndarray, ...]
    ) -> list[Message]:
        """The keywords both sides declared, then the words weighing most in both texts."""
        shared = [k for k in keywords if fold(k) in query.keywords]
        weights = dict(zip(query.vector.indices.tolist(), query.vector.data.tolist(), strict=True))
        overlap = {
            column: value * weights[column]
            for column, value in zip(vector[0].tolist(), vector[1].tolist(), strict=True)
            if column in weights
        }
        if overlap:
            taken = {fold(k) for k in shared}
            wanted = sorted(overlap, key=lambda c: (-overlap[c], c))[: KEYWORDS_SHOWN + len(shared)]
            surface: dict[int, str] = {}
            for word in _WORDS.findall(words):
                column = self._column_of(word)
                if column in overlap and column not in surface:
                    surface[column] = fold(word)
                    if len(surface.keys() & wanted) == len(wanted):
                        break
            # A word of a keyword already listed ("earth" after "earth observation") says
            # nothing more.
            in_phrases = {part for phrase in taken for part in phrase.split()}
            for column in wanted:
                word = surface.get(column)
                if word and word not in taken | in_phrases and word not in GENERIC_WORDS:
                    shared.append(word)
                    taken.add(word)
        if not shared:
            return []
        keywords_shown = ", ".join(shared[:KEYWORDS_SHOWN])
        return [message("shared_keywords", "shared keywords: {keywords}", keywords=keywords_shown)]

    def _column_of(self, word: str) -> int | None:
        """The index's term of one (English) word, or None; remembered, as texts repeat words."""
        cache = self.__dict__.setdefault("_columns", {})
        if word not in cache:
            tokens = tokenize(word, "en")
            cache[word] = (
                self.index.vectorizer.vocabulary_.get(tokens[0]) if len(tokens) == 1 else None
            )
        return cache[word]

    def _similar_projects(
        self, position: int, project_scores: np.ndarray, dense_scores: np.ndarray
    ) -> tuple[tuple[PastProject, ...], list[Message]]:
        """An organisation's past projects nearest to a query, and the reason they make."""
        if position < 0:
            return (), []
        projects, _ = _row(self.index.organisation_projects, position)
        nearest = nearest_projects(projects, project_scores, dense_scores, PROJECTS_SHOWN)
        similar = tuple(self._past_project(j, project_scores, dense_scores) for j in nearest)
        if not similar:
            return (), []
        titles = "; ".join(f"{p.acronym or p.project_id} ({p.start_year})" for p in similar)
        return similar, [
            message("similar_projects", "similar past projects: {titles}", titles=titles)
        ]

    def _worked_with(self, owner: int) -> np.ndarray:
        """Per organisation of the index, the projects it did with the one at `owner`."""
        return (self.index.co_he[owner] + self.index.co_other[owner]).toarray().ravel()

    @staticmethod
    def _worked_together(count: int) -> list[Message]:
        if not count:
            return []
        return [
            message("worked_together", "worked together in {count} past project(s)", count=count)
        ]

    def _past_project(self, j: int, project_scores, dense_scores) -> PastProject:
        project = self.index.text_projects[j]
        return PastProject(
            project_id=project.id,
            acronym=project.acronym,
            title=project.title,
            start_year=project.start_date.year if project.start_date else None,
            similarity=round(float(max(project_scores[j], dense_scores[j])), 3),
        )

    def _dense_project_scores(self, query: _Query, positions: Iterable[int]) -> np.ndarray:
        """Per text project of the index, its latent closeness to the query, read only for the
        projects of the organisations at `positions` (0 elsewhere)."""
        matrix = self.index.organisation_projects
        projects = np.unique(
            np.concatenate([_row(matrix, p)[0] for p in positions if p >= 0] or [np.zeros(0, int)])
        )
        scores = np.zeros(matrix.shape[1], np.float32)
        scores[projects] = _closeness(self.index.project_dense[projects], query.dense)
        return scores

    def _matches(
        self,
        query: _Query,
        candidates: _Candidates,
        ranked: list[tuple[int, float]],
        extra: dict[int, list[Message]] | None = None,
    ) -> list[Match]:
        if not ranked:
            return []
        project_scores = self._project_scores(query)
        dense_scores = self._dense_project_scores(
            query, (int(candidates.positions[row]) for row, _ in ranked)
        )
        worked = self._worked_with(query.pic_position) if query.pic_position >= 0 else None
        matches = []
        for row, score in ranked:
            position = int(candidates.positions[row])
            reasons = self._shared_keywords(
                query,
                candidates.words[row],
                candidates.keywords[row],
                _row(candidates.vectors, row),
            )
            similar, told = self._similar_projects(position, project_scores, dense_scores)
            together = worked[position] if worked is not None and position >= 0 else 0
            reasons += told + self._worked_together(int(together))
            reasons += (extra or {}).get(row, [])
            matches.append(Match(candidates.ids[row], score, tuple(reasons), similar))
        return matches

    # Profiles against profiles.

    def _counterparts(self, profile: ProfileText, k: int) -> list[Match]:
        query = self._profile_query(profile)
        allowed = np.isin(self._kind, [KINDS.index(k) for k in COUNTERPARTS[profile.kind]])
        for key in (("id", profile.id), ("owner", profile.organisation_id)):
            allowed[self._rows_of.get(key, [])] = False
        if profile.organisation_pic is not None:
            allowed[self._rows_of.get(("pic", profile.organisation_pic), [])] = False
        bonus, extra = self._fit_bonus(profile)
        ranked = self._rank(query, self._profiles, allowed, k, bonus=bonus)
        return self._matches(query, self._profiles, ranked, extra)

    def _fit_bonus(self, profile: ProfileText) -> tuple[np.ndarray, dict[int, list[Message]]]:
        """Per candidate profile, what complementary TRL and shared partnership types add, and
        the reasons they give."""
        bonus = np.zeros(len(self._profiles.ids), np.float32)
        extra: dict[int, list[Message]] = {}
        if profile.trl is not None:
            offer_trl, wanted = (
                (np.full(len(bonus), profile.trl), self._trl)
                if profile.kind in OFFER_KINDS
                else (self._trl, np.full(len(bonus), profile.trl))
            )
            known = ~np.isnan(self._trl)
            fits = known & (offer_trl >= wanted)
            bonus[fits] += self.weights.trl
            bonus[known & ~fits] -= self.weights.trl
            for row in np.flatnonzero(fits):
                extra.setdefault(int(row), []).append(
                    message(
                        "trl_fits",
                        "the offer is at TRL {offer_trl}, the request wants TRL {wanted_trl}",
                        offer_trl=int(offer_trl[row]),
                        wanted_trl=int(wanted[row]),
                    )
                )
        wanted_types = set(profile.partnership_types)
        for row in self._with_partnership if wanted_types else ():
            candidate = self.profiles[self._profiles.ids[row]]
            common = [t for t in candidate.partnership_types if t in wanted_types]
            if common:
                bonus[row] += self.weights.partnership
                extra.setdefault(row, []).append(
                    message("partnership_types", "both consider: {types}", types=", ".join(common))
                )
        return bonus, extra

    def offers_for_request(self, request: ProfileText, k: int = 10) -> list[Match]:
        """The `k` offers that best answer `request` (technology offers for technology and R&D
        partner requests, business offers for business requests), best first.

        Never the request itself, nor offers of the request's own organisation; only candidates
        at least `MIN_TEXT_SCORE` close to the request in words or meaning.
        """
        if request.kind not in REQUEST_KINDS:
            raise ValueError(f"{request.kind} is not a request")
        return self._counterparts(request, k)

    def requests_for_offer(self, offer: ProfileText, k: int = 10) -> list[Match]:
        """The `k` requests that `offer` best answers, best first (see `offers_for_request`)."""
        if offer.kind not in OFFER_KINDS:
            raise ValueError(f"{offer.kind} is not an offer")
        return self._counterparts(offer, k)

    # Profiles against organisations.

    def members_for_profile(self, profile: ProfileText, k: int = 10) -> list[Match]:
        """The `k` member organisations whose competences and verified projects fit `profile`
        best; never the profile's own organisation."""
        query = self._profile_query(profile)
        allowed = np.array(
            [
                member_id != profile.organisation_id
                and not (
                    profile.organisation_pic
                    and self.members[member_id].organisation_pic == profile.organisation_pic
                )
                for member_id in self._members.ids
            ],
            bool,
        )
        # What a member says it does, or what its CORDIS projects say, whichever is closer: a
        # member with a rich track record and a short description still matches.
        members = self._members
        text = self._text_scores(query, members)
        meaning = _closeness(members.dense, query.dense)
        known = members.positions >= 0
        if known.any():
            rows = members.positions[known]
            text[known] = np.maximum(
                text[known], term_scores(self.index.profile_full, query.vector)[rows]
            )
            meaning[known] = np.maximum(
                meaning[known], _closeness(self.index.profile_dense[rows], query.dense)
            )
        ranked = self._rank(query, members, allowed, k, text=text, meaning=meaning)
        return self._matches(query, members, ranked)

    def organisations_for_profile(
        self, profile: ProfileText, k: int = 10, *, exclude: Iterable[str] = ()
    ) -> list[Match]:
        """The `k` CORDIS organisations (ids of the index) whose verified track record fits
        `profile` best, read as a project idea led by the profile's owner; never the owner nor
        `exclude`.

        With a fitted recommender, the partner engine ranks and explains (its own reason codes);
        with the bare index, its text profiles and past projects do.
        """
        excluded = set(exclude) | (
            {profile.organisation_pic} if profile.organisation_pic else set()
        )
        if self.recommender is not None:
            idea = PartnerQuery(
                project_id=str(profile.id),
                title=profile.title,
                objective=profile.text,
                keywords=tuple(profile.keywords),
                coordinator=profile.organisation_pic or "",
            )
            ranked = [
                r for r in self.recommender.rank(idea, k, exclude=excluded) if np.isfinite(r.score)
            ]
            return [
                Match(
                    explanation.organisation_id,
                    round(float(explanation.score), 6),
                    explanation.summary_messages(),
                    explanation.past_projects,
                )
                for explanation in explain(self.recommender, idea, ranked, exclude=excluded)
            ]
        query = self._profile_query(profile)
        index = self.index
        allowed = np.ones(index.size, bool)
        allowed[[index.position[o] for o in excluded if o in index.position]] = False
        ranked = self._rank(
            query,
            self._organisations,
            allowed,
            k,
            text=term_scores(index.profile_full, query.vector),
            meaning=_closeness(index.profile_dense, query.dense),
        )
        return self._matches(query, self._organisations, ranked)

    @cached_property
    def _organisations(self) -> _Candidates:
        """The index's organisations as candidates: their text profiles, their own projects
        (their words are left out: the projects shown say more)."""
        index = self.index
        return _Candidates(
            ids=list(index.organisations),
            vectors=index.profile_full.T.tocsr(),
            dense=index.profile_dense,
            words=[""] * index.size,
            keywords=[()] * index.size,
            positions=np.arange(index.size),
            owner_projects=index.organisation_projects,
        )

    # Profiles against calls.

    def calls_for_profile(self, profile: ProfileText, *, today: date, k: int = 10) -> list[Match]:
        """The `k` calls still open after `today` (deadline later than `today`, or none) whose
        texts fit `profile` best. `similar_projects` are the owner's own past projects nearest to
        the call: what it can show for it."""
        query = self._profile_query(profile)
        allowed = np.array(
            [
                self.calls[call_id].deadline is None or self.calls[call_id].deadline > today
                for call_id in self._calls.ids
            ],
            bool,
        )
        ranked = self._rank(query, self._calls, allowed, k, track_record=False)
        matches = []
        for row, score in ranked:
            reasons = self._shared_keywords(
                query,
                self._calls.words[row],
                self._calls.keywords[row],
                _row(self._calls.vectors, row),
            )
            call_query = _Query(
                self._calls.vectors[row], self._calls.dense[row], "", frozenset(), -1
            )
            similar, told = self._similar_projects(
                query.pic_position,
                self._project_scores(call_query),
                self._dense_project_scores(call_query, [query.pic_position]),
            )
            matches.append(Match(self._calls.ids[row], score, tuple(reasons + told), similar))
        return matches
