"""`klaster bench scheduler`: the B2B meeting scheduler on generated brokerage days.

Each case is a seeded, generated day. For each the benchmark prints the meetings scheduled
by CP-SAT, the upper bound (the smallest of `klaster.core.schedule.bounds`) and the share of
it reached, the first-come-first-served baseline (requests in acceptance order, earliest slot)
and the gain over it, the solve time, and whether the independent checker passed. Cases whose
requests carry priorities also get the priority-weighted objective beside its own upper bound
(`weighted_upper_bound`) and the baseline's.

Targets (issue 6): >= 98% of the bound on tight cases, >= 5% more meetings than the baseline
on constrained cases, <= 10 s on the largest case.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from klaster.core.schedule import (
    Instance,
    LockedMeeting,
    MeetingRequest,
    Participant,
    first_come_first_served,
    meeting_upper_bound,
    schedule_violations,
    solve_schedule,
)
from klaster.core.schedule.bounds import weighted_upper_bound

help = "B2B meeting scheduler: CP-SAT against the upper bound and a first-come baseline"


@dataclass(frozen=True)
class Case:
    """A generated brokerage day: its size, how busy people are and how skewed demand is."""

    name: str
    kind: str  # "tight" (bound reachable), "constrained" (scarce slots) or "journey"
    participants: int
    requests: int
    slots: int
    tables: int
    # Share of participants present the whole day; the others come for a window of the day.
    whole_day: float = 0.7
    # Shortest window, as a share of the day, of those who do not stay all day.
    shortest_window: float = 0.5
    # 0 means every participant is equally sought after; higher means a few stars.
    popularity_skew: float = 0.0
    locked: int = 0
    priorities: tuple[int, ...] = (1,)
    breaks: tuple[int, ...] = ()


CASES = (
    Case("small", "tight", 40, 150, 8, 12),
    Case("tight-200", "tight", 200, 800, 12, 80),
    Case("journey-300", "journey", 300, 1500, 12, 60),
    Case("popular-300", "constrained", 300, 1500, 12, 80, popularity_skew=1.0),
    Case("priorities-400", "constrained", 400, 2400, 12, 120, 0.5, 0.4, 0.8, 0, (1, 1, 2, 3)),
    Case("locked-500", "tight", 500, 3000, 16, 160, locked=300, breaks=(8,)),
    Case("tight-1000", "tight", 1000, 6000, 16, 400),
    Case("tables-1000", "constrained", 1000, 6000, 16, 320, popularity_skew=0.5),
    Case("crowded-1000", "constrained", 1000, 6000, 16, 450, 0.5, 0.4, 0.9, 200),
)


def generate_day(case: Case, *, seed: int = 0) -> Instance:
    """Generate the brokerage day described by `case`; the same seed gives the same day."""
    rng = random.Random(f"{case.name}:{seed}")
    participants = []
    for number in range(case.participants):
        if rng.random() < case.whole_day:
            available = set(range(case.slots))
        else:
            length = rng.randint(round(case.shortest_window * case.slots), case.slots)
            start = rng.randint(0, case.slots - length)
            available = set(range(start, start + length))
        participants.append(Participant(f"p{number}", frozenset(available)))

    popularity = [(rank + 1) ** -case.popularity_skew for rank in range(case.participants)]
    rng.shuffle(popularity)
    ids = [participant.id for participant in participants]
    seen = set()
    requests = []
    while len(requests) < case.requests:
        a, b = rng.choices(ids, weights=popularity, k=2)
        if a == b or frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        requests.append(MeetingRequest(a, b, rng.choice(case.priorities)))

    # Announced meetings: a first-come plan of the earliest requests, partly published.
    locked: list[LockedMeeting] = []
    if case.locked:
        draft = Instance(
            case.slots,
            case.tables,
            tuple(participants),
            tuple(requests),
            (),
            frozenset(case.breaks),
        )
        planned = first_come_first_served(draft).meetings
        for meeting in rng.sample(planned, min(case.locked, len(planned))):
            locked.append(LockedMeeting(meeting.a, meeting.b, meeting.slot, meeting.table))
    return Instance(
        slots=case.slots,
        tables=case.tables,
        participants=tuple(participants),
        requests=tuple(requests),
        locked=tuple(locked),
        breaks=frozenset(case.breaks),
    )


def add_arguments(parser) -> None:
    parser.add_argument(
        "--time-limit", type=float, default=8.0, help="CP-SAT seconds per case (default 8)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated days")
    parser.add_argument(
        "--case", action="append", choices=[case.name for case in CASES], help="only these cases"
    )


def run(options, out) -> None:
    chosen = [case for case in CASES if not options.get("case") or case.name in options["case"]]
    header = (
        f"{'case':<15}{'kind':<12}{'people':>7}{'requests':>9}{'slots':>6}{'tables':>7}"
        f"{'locked':>7}{'meetings':>9}{'bound':>7}{'%bound':>8}{'fcfs':>7}{'gain':>8}"
        f"{'seconds':>8}  {'status':<10}{'checker'}"
    )
    out(header)
    out("-" * len(header))
    weighted_rows = []
    for case in chosen:
        day = generate_day(case, seed=options["seed"])
        started = time.perf_counter()
        schedule = solve_schedule(day, time_limit=options["time_limit"], seed=options["seed"])
        seconds = time.perf_counter() - started
        bound = meeting_upper_bound(day).best
        baseline_schedule = first_come_first_served(day)
        baseline = len(baseline_schedule.meetings)
        meetings = len(schedule.meetings)
        violations = schedule_violations(day, schedule)
        checker = "ok" if not violations else f"FAILED ({len(violations)} violations)"
        out(
            f"{case.name:<15}{case.kind:<12}{case.participants:>7}{case.requests:>9}"
            f"{case.slots:>6}{case.tables:>7}{len(day.locked):>7}{meetings:>9}{bound:>7}"
            f"{100 * meetings / bound:>7.1f}%{baseline:>7}"
            f"{100 * (meetings - baseline) / baseline:>+7.1f}%{seconds:>8.1f}  "
            f"{schedule.status:<10}{checker}"
        )
        for violation in violations[:5]:
            out(f"    {violation}")
        if len(set(case.priorities)) > 1:
            weighted_rows.append(
                (case.name, schedule, baseline_schedule, weighted_upper_bound(day))
            )
    if weighted_rows:
        out()
        out(
            f"{'priority-weighted':<18}{'objective':>10}{'bound':>9}{'%bound':>8}{'fcfs':>9}{'gain':>8}"
        )
        for name, schedule, baseline_schedule, bound in weighted_rows:
            objective, baseline_objective = schedule.objective, baseline_schedule.objective
            out(
                f"{name:<18}{objective:>10g}{bound:>9g}{100 * objective / bound:>7.1f}%"
                f"{baseline_objective:>9g}"
                f"{100 * (objective - baseline_objective) / baseline_objective:>+7.1f}%"
            )
    out()
    out("meetings: scheduled by CP-SAT (locked included); bound: smallest upper bound;")
    out("fcfs: first-come-first-served baseline; gain: CP-SAT over fcfs; seconds: whole solve.")
    if weighted_rows:
        out("priority-weighted: each met pair counts its highest request priority; bound: the")
        out("maximum-weight b-matching with no more meetings than the count bound allows.")
