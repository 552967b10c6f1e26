"""Which organisations fit a text best (a funding topic), with the shared terms as reasons.

Each organisation is described by two texts: what it says it does (competences) and what it has
done (titles and summaries of its past projects). Both are compared with the topic by TF-IDF
cosine over the Polish/English tokens of `klaster.core.text`; the reasons are the topic's terms
that weigh most in the match, so a person can see why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from klaster.core.text import detect_language, tokenize

TRACK_RECORD_WEIGHT = 0.6
REASON_TERMS = 5


@dataclass(frozen=True)
class Profile:
    key: object
    competences: str = ""
    track_record: str = ""
    past_projects: int = 0


@dataclass(frozen=True)
class Match:
    key: object
    score: float
    competence_terms: tuple[str, ...]
    track_record_terms: tuple[str, ...]
    past_projects: int


def _vector(tokens: list[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(tokens)
    weights = {t: (1 + math.log(n)) * idf.get(t, 0.0) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items() if w}


def _cosine(query: dict[str, float], doc: dict[str, float]) -> tuple[float, list[str]]:
    shared = [(query[t] * doc[t], t) for t in query.keys() & doc.keys()]
    shared.sort(reverse=True)
    return sum(v for v, _ in shared), [t for _, t in shared[:REASON_TERMS]]


def best_placed(text: str, profiles: list[Profile], *, limit: int = 10) -> list[Match]:
    """The organisations whose competences and track record fit `text` best, best first.

    Organisations sharing no term with the text are left out.

    Examples
    --------
    >>> profiles = [Profile("a", competences="solar energy storage"), Profile("b", "bakery")]
    >>> [m.key for m in best_placed("energy storage for solar farms", profiles)]
    ['a']
    """
    query_tokens = tokenize(text)
    documents = []
    for p in profiles:
        documents.append((tokenize(p.competences), tokenize(p.track_record)))
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

    matches = []
    for profile, (competences, track) in zip(profiles, documents, strict=True):
        c_score, c_terms = _cosine(query, _vector(competences, idf)) if competences else (0.0, [])
        t_score, t_terms = _cosine(query, _vector(track, idf)) if track else (0.0, [])
        score = c_score + TRACK_RECORD_WEIGHT * t_score
        if score > 0:
            matches.append(
                Match(profile.key, score, words(c_terms), words(t_terms), profile.past_projects)
            )
    matches.sort(key=lambda m: (-m.score, str(m.key)))
    return matches[:limit]
