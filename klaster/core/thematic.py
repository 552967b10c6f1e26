"""Which of the cluster's sectors an EU project speaks to, from its topics and fields of science.

Work-programme codes say the cluster (CL4 digital, industry and space; CL5 climate, energy and
mobility; CL6 food, bioeconomy and environment) and euroSciVoc paths say the discipline.

Examples
--------
>>> sectors_of_project(["HORIZON-CL5-2021-D3-01-02"], ["/engineering and technology/.../solar energy"])
('energy', 'renewable-energy')
"""

from __future__ import annotations

from collections.abc import Iterable

SECTOR_CODES = ("ict", "energy", "space", "ecology", "renewable-energy")

_FIELD_WORDS = {
    "ict": (
        "computer and information sciences", "software", "internet", "telecommunications",
        "artificial intelligence", "data science", "computer hardware", "cybersecurity",
        "robotics", "electrical engineering, electronic engineering, information engineering",
    ),
    "energy": ("energy and fuels", "energy", "electric power", "smart grid", "batteries"),
    "space": ("space", "satellite", "astronomy", "astrophysics", "remote sensing"),
    "ecology": (
        "ecology", "environmental", "climatic changes", "pollution", "waste", "recycling",
        "biodiversity", "water management",
    ),
    "renewable-energy": (
        "renewable energy", "solar", "wind power", "wind energy", "geothermal", "biofuels",
        "hydrogen energy", "hydroelectric",
    ),
}  # fmt: skip
_TOPIC_PARTS = {
    "ict": ("-CL4-", "-DIGITAL-", "-EIC-", "CHIPS", "-HPC-", "SNS"),
    "energy": ("-CL5-", "ENERGY"),
    "space": ("SPACE", "-EUSPA-"),
    "ecology": ("-CL6-", "MISS-", "-LIFE-"),
    "renewable-energy": ("-RES-", "RENEWABLE", "-PV-", "-WIND-"),
}


def sectors_of_project(topic_codes: Iterable[str], field_paths: Iterable[str]) -> tuple[str, ...]:
    """The cluster sectors (in `SECTOR_CODES` order) a project belongs to; maybe none."""
    found: set[str] = set()
    upper_codes = [code.upper() for code in topic_codes]
    for sector, parts in _TOPIC_PARTS.items():
        if any(part in code for code in upper_codes for part in parts):
            found.add(sector)
    lower_paths = [path.lower() for path in field_paths]
    for sector, words in _FIELD_WORDS.items():
        if any(word in path for path in lower_paths for word in words):
            found.add(sector)
    return tuple(code for code in SECTOR_CODES if code in found)
