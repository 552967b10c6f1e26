"""Choose a whole consortium with CP-SAT: the best partners that together meet the rules.

One model per proposal. A 0/1 variable per candidate says "in the consortium"; the objective
adds up fit (the partner engine's score), required roles covered (each role by its own partner),
past-collaboration trust (projects shared with the coordinator, other candidates worked with), diversity
(distinct countries and kinds of organisation) and a bonus for cluster members. Pinned partners,
excluded partners and the size are hard constraints. The rule set's conditions and the user's
preferences (at most N per country, include an SME) are constraints with a slack whose penalty
outweighs every gain, rules above preferences: so whenever some choice meets the rules the
optimum meets them, and when none does the best consortium still comes back, with what it lacks.

Determinism: one search worker, a fixed seed, and a deterministic time budget, with a wall-clock
limit only as a safety net.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from klaster.core.consortium.rules import CheckResult, Entity, RuleSet, check
from klaster.core.messages import Message, message

ACTIVITY_NAMES = {
    "PRC": "company",
    "HES": "university",
    "REC": "research organisation",
    "PUB": "public body",
    "OTH": "other organisation",
}
# The code of the reason "cluster member", which the web layer words for partner clusters abroad.
CLUSTER_MEMBER = "cluster_member"
# Objective weights, in points; a candidate's fit is scaled to 0..FIT_POINTS.
FIT_POINTS = 1000
ROLE_POINTS = 800
TRUST_POINTS = 120  # per shared past project, capped
TRUST_CAP = 3
PAIR_POINTS = 30  # per other candidate it has worked with, capped
COUNTRY_POINTS = 150
TYPE_POINTS = 150
MEMBER_POINTS = 300


class SelectionError(ValueError):
    """A request that no consortium can answer (contradictory pins and exclusions, ...)."""


@dataclass(frozen=True)
class Candidate:
    """An organisation that could join: what it is and why it might fit."""

    organisation_id: str
    name: str = ""
    country: str = ""
    activity_type: str = ""
    sme: bool | None = None
    fit: float = 0.0  # 0..1, from the partner engine
    projects_with_coordinator: int = 0
    cluster_member: bool = False
    roles: frozenset[str] = frozenset()  # required roles this organisation can take
    evidence: tuple[Message, ...] = ()  # reasons found elsewhere (the engine's explanation)

    def entity(self) -> Entity:
        return Entity(self.organisation_id, self.country, self.activity_type, self.sme)


@dataclass(frozen=True)
class Preferences:
    size: int
    pinned: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    max_per_country: int | None = None
    include_sme: bool = False
    prefer_members: bool = True
    required_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChosenPartner:
    candidate: Candidate
    role: str
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class Proposal:
    partners: tuple[ChosenPartner, ...]  # the coordinator first
    check: CheckResult
    unmet_preferences: tuple[Message, ...] = ()
    optimal: bool = False
    objective: float = 0.0
    notes: tuple[Message, ...] = field(default=())

    @property
    def eligible(self) -> bool:
        return self.check.eligible

    @property
    def missing(self) -> tuple[Message, ...]:
        return self.check.missing + self.unmet_preferences


def _fit_points(candidate: Candidate) -> int:
    return round(FIT_POINTS * min(max(candidate.fit, 0.0), 1.0))


def propose_consortium(
    coordinator: Candidate,
    candidates: Iterable[Candidate],
    rules: RuleSet,
    preferences: Preferences,
    *,
    collaborations: dict[tuple[str, str], int] | None = None,
    seed: int = 0,
    time_limit: float = 1.5,
) -> Proposal:
    """The best consortium of `coordinator` and some of `candidates` under `rules`.

    `collaborations` counts past projects shared by pairs of candidates (either order).
    The size is clipped to the rule set's maximum and raised to hold every pinned partner.

    Examples
    --------
    >>> from klaster.core.consortium.rules import load_rule_set
    >>> lead = Candidate("1", country="PL", activity_type="HES")
    >>> pool = [Candidate("2", country="DE", fit=0.9), Candidate("3", country="DE", fit=0.8),
    ...         Candidate("4", country="FR", fit=0.1)]
    >>> proposal = propose_consortium(lead, pool, load_rule_set("horizon-ria"), Preferences(size=3))
    >>> [p.candidate.organisation_id for p in proposal.partners], proposal.eligible
    (['1', '2', '4'], True)
    """
    by_id: dict[str, Candidate] = {}
    for candidate in candidates:
        if candidate.organisation_id != coordinator.organisation_id:
            by_id.setdefault(candidate.organisation_id, candidate)
    if coordinator.organisation_id in preferences.excluded:
        raise SelectionError("the coordinator cannot be excluded")
    clash = sorted(preferences.pinned & preferences.excluded)
    if clash:
        raise SelectionError(f"pinned and excluded at once: {', '.join(clash)}")
    unknown = sorted(preferences.pinned - set(by_id) - {coordinator.organisation_id})
    if unknown:
        raise SelectionError(f"pinned partner(s) not among the candidates: {', '.join(unknown)}")
    pool = [coordinator] + [
        c for c in by_id.values() if c.organisation_id not in preferences.excluded
    ]
    pinned = {coordinator.organisation_id} | set(preferences.pinned)
    notes = []
    size = max(1, preferences.size)
    if rules.max_entities is not None and size > rules.max_entities:
        notes.append(
            message(
                "size_lowered",
                "size lowered to {size}: {reason}",
                size=rules.max_entities,
                reason=rules.max_entities_reason or rules.title,
            )
        )
        size = rules.max_entities
    if len(pinned) > size:
        notes.append(
            message(
                "size_raised",
                "size raised to {size} to keep every pinned partner",
                size=len(pinned),
            )
        )
        size = len(pinned)
    size = min(size, len(pool))

    model = cp_model.CpModel()
    x = {c.organisation_id: model.new_bool_var(f"x{i}") for i, c in enumerate(pool)}
    for organisation_id in pinned:
        model.add(x[organisation_id] == 1)
    model.add(sum(x.values()) == size)

    gains = []
    penalties = []
    # Any unit of preference slack costs more than every gain together, and any unit of rule
    # slack more than every preference slack together.
    preference_weight = _total_gain_bound(len(pool))
    rule_weight = preference_weight * (len(pool) + 2)

    def soft_at_least(expression, minimum: int, weight: int):
        slack = model.new_int_var(0, minimum, "")
        model.add(expression + slack >= minimum)
        penalties.append(weight * slack)

    def soft_at_most(expression, maximum: int, weight: int, bound: int):
        slack = model.new_int_var(0, bound, "")
        model.add(expression - slack <= maximum)
        penalties.append(weight * slack)

    by_country = defaultdict(list)
    by_type = defaultdict(list)
    for c in pool:
        by_country[c.country].append(x[c.organisation_id])
        by_type[c.activity_type].append(x[c.organisation_id])

    # The rules, as linear constraints with a slack.
    soft_at_least(sum(x.values()), rules.min_entities, rule_weight)
    if rules.all_from is not None:
        outside = [x[c.organisation_id] for c in pool if c.country not in rules.all_from.countries]
        if outside:
            soft_at_most(sum(outside), 0, rule_weight, len(outside))
    if rules.distinct_countries is not None:
        present = []
        for country in sorted(set(by_country) & rules.distinct_countries.countries):
            flag = model.new_bool_var(f"country_{country}")
            model.add(flag <= sum(by_country[country]))
            present.append(flag)
        soft_at_least(sum(present), rules.distinct_countries.minimum, rule_weight)
    for need in rules.at_least_from:
        soft_at_least(
            sum(x[c.organisation_id] for c in pool if c.country in need.countries),
            need.minimum,
            rule_weight,
        )
    for need in rules.at_least_of_type:
        soft_at_least(
            sum(x[c.organisation_id] for c in pool if c.activity_type in need.activity_types),
            need.minimum,
            rule_weight,
        )

    # The user's preferences, softer than the rules.
    if preferences.max_per_country is not None:
        for country, chosen in sorted(by_country.items()):
            if country and len(chosen) > preferences.max_per_country:
                soft_at_most(
                    sum(chosen), preferences.max_per_country, preference_weight, len(chosen)
                )
    if preferences.include_sme:
        soft_at_least(sum(x[c.organisation_id] for c in pool if c.sme), 1, preference_weight)

    # Gains: fit, trust, membership, diversity, roles.
    # Trust among partners counts per candidate (how many of the others it has worked with)
    # rather than per chosen pair: pair terms made the model far slower for little change.
    known = Counter()
    for (a, b), shared in (collaborations or {}).items():
        if a in x and b in x and a != b and shared > 0:
            known[a] += 1
            known[b] += 1
    for c in pool:
        points = _fit_points(c) + TRUST_POINTS * min(c.projects_with_coordinator, TRUST_CAP)
        points += PAIR_POINTS * min(known[c.organisation_id], TRUST_CAP)
        if preferences.prefer_members and c.cluster_member:
            points += MEMBER_POINTS
        gains.append(points * x[c.organisation_id])
    for country, chosen in sorted(by_country.items()):
        if country:
            flag = model.new_bool_var("")
            model.add(flag <= sum(chosen))
            gains.append(COUNTRY_POINTS * flag)
    for kind, chosen in sorted(by_type.items()):
        if kind:
            flag = model.new_bool_var("")
            model.add(flag <= sum(chosen))
            gains.append(TYPE_POINTS * flag)
    assignment: dict[tuple[str, str], cp_model.IntVar] = {}
    for role in preferences.required_roles:
        takers = [c for c in pool if role in c.roles]
        for c in takers:
            assignment[c.organisation_id, role] = model.new_bool_var("")
            model.add(assignment[c.organisation_id, role] <= x[c.organisation_id])
        if takers:
            model.add(sum(assignment[c.organisation_id, role] for c in takers) <= 1)
    for c in pool:
        taken = [v for (o, _), v in assignment.items() if o == c.organisation_id]
        if len(taken) > 1:
            model.add(sum(taken) <= 1)
    gains.extend(ROLE_POINTS * v for v in assignment.values())
    model.maximize(sum(gains) - sum(penalties))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(time_limit, 0.01)
    solver.parameters.max_time_in_seconds = max(time_limit * 2, 0.5)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Only pins against the size can make the hard part infeasible, and the size is raised
        # for those; this is a safety net rather than an expected path.
        raise SelectionError("no consortium satisfies the pinned partners and the size")
    chosen = [c for c in pool if solver.value(x[c.organisation_id])]
    roles = {o: role for (o, role), v in assignment.items() if solver.value(v)}
    result = check(rules, [c.entity() for c in chosen])
    unmet = _unmet_preferences(chosen, preferences)
    partners = _explain(coordinator, chosen, roles, rules, preferences, collaborations or {}, pool)
    return Proposal(
        partners=partners,
        check=result,
        unmet_preferences=unmet,
        optimal=status == cp_model.OPTIMAL,
        objective=solver.objective_value,
        notes=tuple(notes),
    )


def _total_gain_bound(count: int) -> int:
    best_single = FIT_POINTS + TRUST_POINTS * TRUST_CAP + MEMBER_POINTS + ROLE_POINTS
    pairs = PAIR_POINTS * TRUST_CAP * count
    diversity = (COUNTRY_POINTS + TYPE_POINTS) * count
    return best_single * count + pairs + diversity + 1


def _unmet_preferences(chosen: list[Candidate], preferences: Preferences) -> tuple[Message, ...]:
    unmet = []
    if preferences.max_per_country is not None:
        counts = Counter(c.country for c in chosen if c.country)
        over = sorted(k for k, n in counts.items() if n > preferences.max_per_country)
        if over:
            unmet.append(
                message(
                    "per_country_not_met",
                    "preference not met: at most {maximum} partner(s) per country ({over})",
                    maximum=preferences.max_per_country,
                    over=", ".join(f"{k}: {counts[k]}" for k in over),
                )
            )
    if preferences.include_sme and not any(c.sme for c in chosen):
        unmet.append(
            message(
                "sme_not_met",
                "preference not met: include an SME (no SME among the candidates fits)",
            )
        )
    covered = set()
    for role in preferences.required_roles:
        if any(role in c.roles for c in chosen):
            covered.add(role)
    for role in preferences.required_roles:
        if role not in covered:
            unmet.append(
                message("role_not_covered", "required role not covered: {role}", role=role)
            )
    return tuple(unmet)


def _explain(
    coordinator: Candidate,
    chosen: list[Candidate],
    roles: dict[str, str],
    rules: RuleSet,
    preferences: Preferences,
    collaborations: dict[tuple[str, str], int],
    pool: list[Candidate],
) -> tuple[ChosenPartner, ...]:
    fit_rank = {
        c.organisation_id: i + 1
        for i, c in enumerate(sorted(pool[1:], key=lambda c: (-c.fit, c.organisation_id)))
    }
    eligible_countries = rules.distinct_countries.countries if rules.distinct_countries else None
    country_count = Counter(c.country for c in chosen)
    type_count = Counter(c.activity_type for c in chosen)
    ordered = [coordinator] + sorted(
        (c for c in chosen if c.organisation_id != coordinator.organisation_id),
        key=lambda c: (-c.fit, c.organisation_id),
    )
    members = {c.organisation_id for c in chosen}
    partners = []
    for c in ordered:
        reasons = []
        if c is coordinator:
            role = "coordinator"
            reasons.append(message("coordinator", "coordinator of the idea"))
        else:
            role = roles.get(c.organisation_id) or ACTIVITY_NAMES.get(c.activity_type, "partner")
            if c.organisation_id in preferences.pinned:
                reasons.append(message("pinned", "pinned by you"))
            reasons.append(
                message(
                    "fit",
                    "fit {fit:.2f} with the idea (rank {rank} of {candidates} candidates)",
                    fit=round(float(c.fit), 2),
                    rank=fit_rank[c.organisation_id],
                    candidates=len(pool) - 1,
                )
            )
        if c.organisation_id in roles:
            reasons.append(
                message(
                    "covers_role",
                    "covers the required role: {role}",
                    role=roles[c.organisation_id],
                )
            )
        if c is not coordinator and c.projects_with_coordinator:
            reasons.append(
                message(
                    "projects_with_coordinator",
                    "{count} past project(s) with the coordinator",
                    count=c.projects_with_coordinator,
                )
            )
        peers = sum(
            1
            for other in members
            if other != c.organisation_id
            and other != coordinator.organisation_id
            and collaborations.get(
                (c.organisation_id, other), collaborations.get((other, c.organisation_id), 0)
            )
        )
        if peers:
            reasons.append(
                message(
                    "worked_with_chosen",
                    "has worked before with {count} other chosen partner(s)",
                    count=peers,
                )
            )
        if c.cluster_member:
            reasons.append(message(CLUSTER_MEMBER, "cluster member"))
        if c.sme:
            reasons.append(
                message("sme_asked", "SME (you asked to include one)")
                if preferences.include_sme
                else message("sme", "SME")
            )
        if (
            c.country
            and country_count[c.country] == 1
            and (eligible_countries is None or c.country in eligible_countries)
        ):
            reasons.append(
                message(
                    "adds_country",
                    "the only partner from {country}: adds a country",
                    country=c.country,
                )
            )
        for need in rules.at_least_of_type:
            if c.activity_type in need.activity_types:
                reasons.append(
                    message(
                        "counts_as", "counts as the {label} the rules ask for", label=need.label
                    )
                )
        if c.activity_type and type_count[c.activity_type] == 1 and c is not coordinator:
            reasons.append(
                message(
                    "only_kind",
                    "the only {kind}",
                    kind=ACTIVITY_NAMES.get(c.activity_type, c.activity_type),
                )
            )
        reasons.extend(c.evidence)
        partners.append(ChosenPartner(c, role, tuple(reasons)))
    return tuple(partners)
