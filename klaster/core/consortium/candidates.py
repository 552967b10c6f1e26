"""From a project idea to a proposed consortium: candidates from the partner engine, then CP-SAT.

The candidates are the engine's best-scored organisations for the idea, plus those the rules
need that the top of the ranking may lack (organisations of the countries and kinds the rule set
asks for, SMEs), plus the coordinator's past partners. Fit is the engine's score rescaled to
0..1 over the candidates; trust is the number of past projects shared with the coordinator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from klaster.core.consortium.ideas import ConsortiumIdea
from klaster.core.consortium.rules import RuleSet
from klaster.core.consortium.selection import (
    Candidate,
    Preferences,
    Proposal,
    propose_consortium,
)
from klaster.core.partners.explanations import explain
from klaster.core.partners.index import ACTIVITY_TYPES
from klaster.core.partners.ranker import PartnerRecommender, RankedPartner

TOP_BY_SCORE = 40
PER_NEED = 8
PER_COUNTRY = 2
COUNTRIES_CONSIDERED = 12
PAST_PARTNERS = 15

# Words of a required role and the kinds of organisation (CORDIS activity types) that can take it.
_ROLE_WORDS = (
    (re.compile(r"\buniversit|\bacademic|\bhigher education"), {"HES"}),
    (re.compile(r"\bresearch|\blaborator|\binstitute"), {"REC", "HES"}),
    (re.compile(r"\bsme\b|\bcompan|\benterprise|\bindustr|\bprovider|\bmanufactur|\bstart-?up"), {"PRC"}),
    (re.compile(r"\bpublic|\bauthorit|\bmunicipal|\bcity\b|\bregion"), {"PUB"}),
    (re.compile(r"\bend[- ]user|\buser\b|\boperator"), {"PRC", "PUB", "OTH"}),
    (re.compile(r"\binvestor|\bassociation|\bcluster|\bngo\b|\bfoundation"), {"OTH"}),
)  # fmt: skip


class UnknownOrganisationError(ValueError):
    """A pinned partner the history does not know."""


def role_fits(role: str, activity_type: str, sme: bool | None) -> bool:
    """Whether an organisation of this kind can take `role` ("SME technology provider", ...)."""
    text = role.lower()
    if re.search(r"\bsme\b", text) and not sme:
        return False
    kinds = [types for pattern, types in _ROLE_WORDS if pattern.search(text)]
    return not kinds or any(activity_type in types for types in kinds)


def _fit(scores: np.ndarray) -> np.ndarray:
    if not len(scores):
        return scores
    finite = np.where(np.isfinite(scores), scores, np.nan)
    low, high = np.nanmin(finite), np.nanmax(finite)
    if not np.isfinite(low) or high - low < 1e-9:
        return np.where(np.isfinite(scores), 1.0, 0.0)
    return np.nan_to_num((finite - low) / (high - low), nan=0.0)


def _top(positions: np.ndarray, mask: np.ndarray, count: int) -> list[int]:
    return [int(p) for p in positions[mask][:count]]


def propose_for_idea(
    recommender: PartnerRecommender,
    idea: ConsortiumIdea,
    rules: RuleSet,
    size: int,
    *,
    cluster_members: Iterable[str] = (),
    seed: int = 0,
    time_limit: float = 1.0,
    explain_partners: bool = True,
) -> Proposal:
    """Propose a consortium of `size` (coordinator included) for `idea` under `rules`."""
    index = recommender.index
    query = idea.query
    members = frozenset(cluster_members)
    unknown = [p for p in idea.pinned if p not in index.position]
    if unknown:
        raise UnknownOrganisationError(
            f"pinned organisation(s) not in the history: {', '.join(unknown)}"
        )
    excluded = set(idea.excluded)
    _, pool, _, scores = recommender.score_pool(query, exclude=excluded)
    order = np.argsort(-scores, kind="stable")
    ranked_positions = pool[order]
    ranked_fit = _fit(scores[order])
    fit_of = {int(p): float(f) for p, f in zip(ranked_positions, ranked_fit, strict=True)}
    score_of = {int(pool[i]): float(scores[i]) for i in range(len(pool))}

    countries = np.array([index.org_country[int(p)] for p in ranked_positions], dtype=object)
    types = np.array(
        [ACTIVITY_TYPES[t] if t >= 0 else "" for t in index.org_type[ranked_positions]],
        dtype=object,
    )
    smes = index.org_sme[ranked_positions] == 1
    chosen: list[int] = list(map(int, ranked_positions[:TOP_BY_SCORE]))
    needs = []
    if rules.all_from is not None:
        needs.append(np.isin(countries, list(rules.all_from.countries)))
    for need in rules.at_least_from:
        needs.append(np.isin(countries, list(need.countries)))
    for need in rules.at_least_of_type:
        needs.append(np.isin(types, list(need.activity_types)))
    if idea.include_sme:
        needs.append(smes)
    for role in idea.required_roles:
        needs.append(
            np.array([role_fits(role, t, bool(s)) for t, s in zip(types, smes, strict=True)])
        )
    for mask in needs:
        chosen += _top(ranked_positions, mask, PER_NEED)
    if rules.distinct_countries is not None:
        eligible = rules.distinct_countries.countries
        if rules.all_from is not None:
            eligible = eligible & rules.all_from.countries
        seen: dict[str, int] = {}
        for position, country in zip(ranked_positions, countries, strict=True):
            if country in eligible and seen.get(country, 0) < PER_COUNTRY:
                if len(seen) >= COUNTRIES_CONSIDERED and country not in seen:
                    continue
                seen[country] = seen.get(country, 0) + 1
                chosen.append(int(position))
    members_known = [index.position[m] for m in members if m in index.position]
    chosen += [p for p in members_known if p in fit_of][:PER_NEED]

    coordinator_position = index.position.get(query.coordinator, -1)
    shared = np.zeros(index.size)
    if coordinator_position >= 0:
        row = index.co_he[coordinator_position] + index.co_other[coordinator_position]
        row = row.tocsr()
        shared[row.indices] = row.data
        past = row.indices[np.argsort(-row.data, kind="stable")]
        chosen += [int(p) for p in past if index.organisations[p] not in excluded][:PAST_PARTNERS]
    chosen += [index.position[p] for p in idea.pinned]

    def candidate(position: int, fit: float) -> Candidate:
        organisation_id = index.organisations[position]
        kind = int(index.org_type[position])
        sme = index.org_sme[position]
        activity_type = ACTIVITY_TYPES[kind] if kind >= 0 else ""
        return Candidate(
            organisation_id=organisation_id,
            name=index.org_name[position],
            country=index.org_country[position],
            activity_type=activity_type,
            sme=None if np.isnan(sme) else bool(sme),
            fit=fit,
            projects_with_coordinator=int(shared[position]),
            cluster_member=organisation_id in members,
            roles=frozenset(
                r for r in idea.required_roles if role_fits(r, activity_type, sme == 1)
            ),
        )

    if coordinator_position >= 0:
        coordinator = candidate(coordinator_position, 1.0)
    else:
        coordinator = Candidate(query.coordinator, cluster_member=query.coordinator in members)
    candidates = [
        candidate(p, fit_of.get(p, 0.0))
        for p in dict.fromkeys(chosen)
        if p != coordinator_position and index.organisations[p] not in excluded
    ]
    collaborations = {}
    positions = [index.position[c.organisation_id] for c in candidates]
    if positions:
        block = (index.co_he + index.co_other)[positions][:, positions].tocoo()
        for i, j, value in zip(block.row, block.col, block.data, strict=True):
            if i < j and value > 0:
                collaborations[candidates[i].organisation_id, candidates[j].organisation_id] = int(
                    value
                )
    preferences = Preferences(
        size=size,
        pinned=frozenset(idea.pinned),
        excluded=frozenset(excluded),
        max_per_country=idea.max_per_country,
        include_sme=idea.include_sme,
        required_roles=idea.required_roles,
    )
    proposal = propose_consortium(
        coordinator, candidates, rules, preferences,
        collaborations=collaborations, seed=seed, time_limit=time_limit,
    )  # fmt: skip
    if not explain_partners:
        return proposal
    return _with_engine_evidence(recommender, idea, proposal, score_of, excluded)


def _with_engine_evidence(recommender, idea, proposal: Proposal, score_of, excluded) -> Proposal:
    """Add the engine's own account (similar past projects, shared work programme) per partner."""
    index = recommender.index
    partners = list(proposal.partners[1:])
    ranked = [
        RankedPartner(
            p.candidate.organisation_id,
            score_of.get(index.position[p.candidate.organisation_id], float("-inf")),
            index.position[p.candidate.organisation_id],
        )
        for p in partners
    ]
    if not ranked:
        return proposal
    explanations = explain(recommender, idea.query, ranked, exclude=excluded)
    enriched = [proposal.partners[0]]
    for partner, explanation in zip(partners, explanations, strict=True):
        enriched.append(replace(partner, reasons=partner.reasons + explanation.summary_messages()))
    return replace(proposal, partners=tuple(enriched))
