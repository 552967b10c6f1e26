"""Which organisations fit a text best (a funding topic), with the shared terms as reasons.

Each organisation is described by two texts: what it says it does (competences) and what it has
done (titles and summaries of its past projects). Both are compared with the topic by TF-IDF
cosine over the Polish/English tokens of `klaster.core.text`. The reasons are each
organisation's own: the topic's words found in its profile, those that set it apart from the
other organisations placed first (a word every one of them shares explains none of them), and
its own past projects nearest to the topic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from klaster.core.text import detect_language, tokenize

TRACK_RECORD_WEIGHT = 0.6
REASON_TERMS = 5
PROJECTS_SHOWN = 3


@dataclass(frozen=True)
class PastWork:
    """One past project of an organisation: what it was called, and its text."""

    key: object
    title: str
    acronym: str = ""
    year: int | None = None
    text: str = ""  # its summary


@dataclass(frozen=True)
class Profile:
    key: object
    competences: str = ""
    track_record: str = ""  # the texts of its past projects (read from `projects` when empty)
    past_projects: int = 0
    projects: tuple[PastWork, ...] = ()


@dataclass(frozen=True)
class Match:
    key: object
    score: float
    competence_terms: tuple[str, ...]  # the topic's words in its competences, its own first
    track_record_terms: tuple[str, ...]  # ... in its past projects
    past_projects: int
    projects: tuple[PastWork, ...] = ()  # its past projects nearest to the topic, best first


def _vector(tokens: list[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(tokens)
    weights = {t: (1 + math.log(n)) * idf.get(t, 0.0) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items() if w}


def _shared(query: dict[str, float], doc: dict[str, float]) -> tuple[float, dict[str, float]]:
    weights = {t: query[t] * doc[t] for t in query.keys() & doc.keys()}
    return sum(weights.values()), weights


def _own_terms(weights: dict[str, float], shared_by: Counter, placed: int) -> list[str]:
    """The terms of one match, those that set it apart from the other placed ones first.

    A term's weight in the match is divided by the number of placed organisations sharing it, so
    a word all of them share comes after the words that only this one has.
    """
    if placed <= 1:
        order = sorted(weights, key=lambda t: (-weights[t], t))
    else:
        order = sorted(weights, key=lambda t: (-weights[t] / shared_by[t], t))
    return order[:REASON_TERMS]


def best_placed(text: str, profiles: list[Profile], *, limit: int = 10) -> list[Match]:
    """The organisations whose competences and track record fit `text` best, best first, each
    with its own reasons: its words that the text uses, and its past projects nearest to it.

    Organisations sharing no term with the text are left out.

    Examples
    --------
    >>> profiles = [Profile("a", competences="solar energy storage"), Profile("b", "bakery")]
    >>> [m.key for m in best_placed("energy storage for solar farms", profiles)]
    ['a']

    Two organisations both speak of energy; the reasons lead with what each has of its own:

    >>> profiles = [Profile("h", competences="energy hydrogen"),
    ...             Profile("s", competences="energy storage batteries")]
    >>> [(m.key, m.competence_terms) for m in best_placed("hydrogen energy storage", profiles)]
    [('h', ('hydrogen', 'energy')), ('s', ('storage', 'energy'))]

    Past projects are each organisation's own, nearest to the text first:

    >>> grid = Profile("g", projects=(PastWork(1, "Bakery ovens"), PastWork(2, "Grid storage"),
    ...                               PastWork(3, "Storage of hydrogen for the grid")))
    >>> [p.key for p in best_placed("hydrogen storage in the grid", [grid])[0].projects]
    [3, 2]
    """
    query_tokens = tokenize(text)
    documents = []
    for p in profiles:
        track = p.track_record or " ".join(f"{w.title}. {w.text}" for w in p.projects)
        documents.append((tokenize(p.competences), tokenize(track)))
    frequency = Counter()
    for competences, track in documents:
        frequency.update(set(competences) | set(track))
    total = len(documents) + 1
    idf = {t: math.log(total / (1 + n)) + 1 for t, n in frequency.items()}
    for t in set(query_tokens) - idf.keys():
        idf[t] = math.log(total) + 1
    query = _vector(query_tokens, idf)
    # Reasons show the topic's own words rather than their stems.
    surface: dict[str, str] = {}
    language = detect_language(text)
    for word in re.findall(r"[\w-]+", text):
        for token in tokenize(word, language):
            surface.setdefault(token, word.lower())

    def words(terms: list[str]) -> tuple[str, ...]:
        return tuple(surface.get(t, t) for t in terms)

    found = []
    for profile, (competences, track) in zip(profiles, documents, strict=True):
        c_score, c_weights = _shared(query, _vector(competences, idf)) if competences else (0, {})
        t_score, t_weights = _shared(query, _vector(track, idf)) if track else (0, {})
        score = c_score + TRACK_RECORD_WEIGHT * t_score
        if score > 0:
            found.append((score, profile, c_weights, t_weights))
    found.sort(key=lambda f: (-f[0], str(f[1].key)))
    found = found[:limit]
    shared_by = Counter(t for _, _, c, k in found for t in set(c) | set(k))
    matches = []
    for score, profile, c_weights, t_weights in found:
        projects = []
        for work in profile.projects:
            near, _ = _shared(query, _vector(tokenize(f"{work.title}. {work.text}"), idf))
            if near > 0:
                projects.append((near, work))
        projects.sort(key=lambda pw: -pw[0])
        matches.append(
            Match(
                profile.key,
                score,
                words(_own_terms(c_weights, shared_by, len(found))),
                words(_own_terms(t_weights, shared_by, len(found))),
                profile.past_projects or len(profile.projects),
                tuple(work for _, work in projects[:PROJECTS_SHOWN]),
            )
        )
    return matches
