"""A small, hand-checkable CORDIS track record written straight into the database.

Three themes, each with its own organisations, projects every month from 2021 to 2024: a
ranker fitted on it learns that the organisations of an idea's theme are its partners.
"""

from __future__ import annotations

from datetime import date

from klaster.trackrecord.models import (
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
    CordisTopic,
)

THEMES = {
    "solar": (
        "Solar photovoltaic panels and energy storage for renewable power grids",
        "photovoltaics, solar energy, batteries",
        "HORIZON-CL5-2022-D3-01-01",
    ),
    "space": (
        "Satellite earth observation data for agriculture and crop monitoring",
        "satellite, earth observation, remote sensing",
        "HORIZON-CL4-2022-SPACE-01-11",
    ),
    "cyber": (
        "Cybersecurity of industrial control systems and intrusion detection",
        "cybersecurity, intrusion detection, network security",
        "HORIZON-CL3-2022-CS-01-01",
    ),
}
COUNTRIES = ("PL", "DE", "FR", "IT", "ES", "NL")
TYPES = ("PRC", "HES", "REC", "PRC", "PUB", "PRC")
ORGANISATIONS_PER_THEME = 6


def pic_of(theme: str, number: int) -> str:
    """A 9-digit PIC per organisation: 9<theme number><number>, zero-padded."""
    return f"9{list(THEMES).index(theme)}{number:07d}"


def make_track_record(*, months: int = 36, start_year: int = 2021) -> dict[str, list[str]]:
    """Write the organisations, projects and participations; returns the PICs per theme."""
    pics: dict[str, list[str]] = {}
    organisations = {}
    for theme in THEMES:
        pics[theme] = []
        for number in range(ORGANISATIONS_PER_THEME):
            pic = pic_of(theme, number)
            organisations[pic] = CordisOrganisation.objects.create(
                pic=pic,
                name=f"{theme.title()} Organisation {number}",
                country=COUNTRIES[number],
                activity_type=TYPES[number],
                sme=TYPES[number] == "PRC",
                checksum="test",
            )
            pics[theme].append(pic)
    topics = {
        theme: CordisTopic.objects.create(code=code, title=f"{theme} topic")
        for theme, (_, _, code) in THEMES.items()
    }
    serial = 0
    for month in range(months):
        for theme, (text, keywords, code) in THEMES.items():
            serial += 1
            year, month_of_year = start_year + month // 12, month % 12 + 1
            project = CordisProject.objects.create(
                project_id=str(101000000 + serial),
                programme="HORIZON",
                acronym=f"{theme.upper()}{serial}",
                title=f"{text} ({serial})",
                objective=f"{text}. Work package {serial % 5} on {keywords}.",
                keywords=keywords,
                funding_scheme="HORIZON-RIA",
                call=code.rsplit("-", 1)[0],
                start_date=date(year, month_of_year, 1),
                checksum="test",
            )
            project.topics.add(topics[theme])
            # A consortium of four of the theme's six organisations, turning with the month.
            members = [pics[theme][(month + i) % ORGANISATIONS_PER_THEME] for i in range(4)]
            for order, pic in enumerate(members, start=1):
                CordisParticipation.objects.create(
                    project=project,
                    cordis_organisation=organisations[pic],
                    role="coordinator" if order == 1 else "participant",
                    order=order,
                    country=organisations[pic].country,
                    activity_type=organisations[pic].activity_type,
                    checksum="test",
                )
    return pics
