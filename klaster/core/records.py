"""Frozen records the core speaks: projects, participations and organisations.

They are plain data, filled by readers (CORDIS files, later the database) and consumed by
algorithms; nothing here knows where the records came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Roles of an organisation in a project, as CORDIS spells them.
COORDINATOR = "coordinator"
PARTICIPANT = "participant"
# Roles that make an organisation a member of the consortium (the others, such as associated
# partners and third parties, take part without signing the grant agreement).
CONSORTIUM_ROLES = frozenset({COORDINATOR, PARTICIPANT})


@dataclass(frozen=True, slots=True)
class Project:
    """A funded project: what it is about and when it ran."""

    id: str
    title: str = ""
    acronym: str = ""
    objective: str = ""
    keywords: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_titles: tuple[str, ...] = ()
    call: str = ""
    sub_call: str = ""
    funding_scheme: str = ""
    programme: str = ""
    programme_parts: tuple[str, ...] = ()
    fields_of_science: tuple[str, ...] = ()
    status: str = ""
    start_date: date | None = None
    end_date: date | None = None
    total_cost: float | None = None
    ec_max_contribution: float | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.title or self.objective or self.keywords)


@dataclass(frozen=True, slots=True)
class Participation:
    """One organisation's part in one project."""

    project_id: str
    organisation_id: str
    role: str
    order: int | None = None
    ec_contribution: float | None = None
    country: str = ""
    activity_type: str = ""
    sme: bool | None = None

    @property
    def is_consortium_member(self) -> bool:
        return self.role in CONSORTIUM_ROLES


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    """What the source says about an organisation (the latest record seen for it)."""

    organisation_id: str
    name: str = ""
    short_name: str = ""
    vat_number: str = ""
    country: str = ""
    nuts_code: str = ""
    city: str = ""
    activity_type: str = ""
    sme: bool | None = None
    url: str = ""


@dataclass(frozen=True, slots=True)
class ProjectHistory:
    """Projects, their participations and the organisations behind them."""

    projects: tuple[Project, ...] = ()
    participations: tuple[Participation, ...] = ()
    organisations: tuple[OrganisationRecord, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def combined(self, other: ProjectHistory) -> ProjectHistory:
        """Both histories together; an organisation known to both keeps this one's record."""
        known = {o.organisation_id for o in self.organisations}
        return ProjectHistory(
            projects=self.projects + other.projects,
            participations=self.participations + other.participations,
            organisations=self.organisations
            + tuple(o for o in other.organisations if o.organisation_id not in known),
            sources=self.sources + other.sources,
        )

    def started_before(self, cutoff: date) -> ProjectHistory:
        """The projects (and their participations) known to have started before `cutoff`."""
        kept = {p.id for p in self.projects if p.start_date is not None and p.start_date < cutoff}
        return ProjectHistory(
            projects=tuple(p for p in self.projects if p.id in kept),
            participations=tuple(p for p in self.participations if p.project_id in kept),
            organisations=self.organisations,
            sources=self.sources,
        )
