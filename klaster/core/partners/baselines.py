"""Simple recommenders to print beside the engine: they keep its figures honest.

The same four as the reference scorer (../shared/bench/partner_eval.py `baselines`):
popularity, the coordinator's past partners (back-filled by popularity), TF-IDF text similarity
of organisation profiles, and a blend of the three.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from klaster.core.partners.features import PartnerQuery
from klaster.core.records import CONSORTIUM_ROLES, ProjectHistory

BASELINE_NAMES = ("popularity", "past_partners", "text_tfidf", "blend")
_POOL = 200


def _text(title: str, keywords: tuple[str, ...], objective: str) -> str:
    return " ".join((title, ", ".join(keywords), objective))


@dataclass
class Baselines:
    """Popularity, co-participation and TF-IDF statistics of a history."""

    popularity: Counter
    popular: list[str]
    co_participation: dict[str, Counter]
    vectorizer: TfidfVectorizer
    organisations: list[str]
    position: dict[str, int]
    profiles: sparse.csr_matrix

    @classmethod
    def build(cls, history: ProjectHistory) -> Baselines:
        """Count memberships and co-participations, and fit TF-IDF profiles of organisations."""
        members: dict[str, list[str]] = defaultdict(list)
        for participation in history.participations:
            if participation.role in CONSORTIUM_ROLES:
                members[participation.project_id].append(participation.organisation_id)
        popularity = Counter(o for consortium in members.values() for o in consortium)
        co_participation: dict[str, Counter] = defaultdict(Counter)
        for consortium in members.values():
            for a in consortium:
                for b in consortium:
                    if a != b:
                        co_participation[a][b] += 1
        text_projects = [p for p in history.projects if p.has_text]
        organisations = sorted({o for p in text_projects for o in members.get(p.id, [])})
        position = {o: i for i, o in enumerate(organisations)}
        vectorizer = TfidfVectorizer(
            sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english", dtype=np.float32
        )
        vectors = vectorizer.fit_transform(
            [_text(p.title, p.keywords, p.objective) for p in text_projects]
        )
        rows, cols = [], []
        for j, project in enumerate(text_projects):
            for organisation in members.get(project.id, []):
                rows.append(position[organisation])
                cols.append(j)
        membership = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)),
            shape=(len(organisations), len(text_projects)),
        )
        return cls(
            popularity=popularity,
            popular=[o for o, _ in popularity.most_common(_POOL)],
            co_participation=co_participation,
            vectorizer=vectorizer,
            organisations=organisations,
            position=position,
            profiles=normalize(membership @ vectors).tocsr(),
        )

    def rank(self, name: str, query: PartnerQuery) -> list[str]:
        """Organisations ranked by baseline `name` (one of `BASELINE_NAMES`), best first."""
        if name == "popularity":
            return list(self.popular)
        past = self.co_participation.get(query.coordinator, Counter())
        if name == "past_partners":
            partners = [o for o, _ in past.most_common(100)]
            seen = set(partners)
            return partners + [o for o in self.popular if o not in seen]
        query_vector = normalize(
            self.vectorizer.transform([_text(query.title, query.keywords, query.objective)])
        )
        similarity = np.asarray((self.profiles @ query_vector.T).todense()).ravel()
        if len(similarity) > _POOL:
            top = np.argpartition(-similarity, _POOL)[:_POOL]
        else:
            top = np.arange(len(similarity))
        top = top[np.argsort(-similarity[top])]
        by_text = [self.organisations[j] for j in top]
        if name == "text_tfidf":
            return by_text
        if name != "blend":
            raise ValueError(f"unknown baseline {name!r}; known: {', '.join(BASELINE_NAMES)}")
        candidates = set(by_text) | {o for o, _ in past.most_common(100)}

        def blended(organisation: str) -> float:
            j = self.position.get(organisation)
            text = float(similarity[j]) if j is not None else 0.0
            return (
                text
                + 0.05 * np.log1p(past.get(organisation, 0))
                + 0.01 * np.log1p(self.popularity.get(organisation, 0))
            )

        # Sorted by name first so that ties break the same way on every run.
        return sorted(sorted(candidates), key=blended, reverse=True)
