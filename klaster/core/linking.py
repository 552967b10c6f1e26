"""Which CORDIS organisation is which cluster organisation.

Identifiers first, names last, precision before recall:

1. the same PIC: certain;
2. the same VAT number (a Polish VAT number is ``PL`` + NIP): certain;
3. the same city and a near-identical name once legal forms are set aside ("SPOLKA Z
   OGRANICZONA ODPOWIEDZIALNOSCIA" = "sp. z o.o."): certain from `certain_score` up, and
   for staff to review between `review_score` and `certain_score`.

A pair staff rejected is never proposed again; a CORDIS organisation links to one cluster
organisation at most, and a name match that two cluster organisations share goes to review.

Examples
--------
>>> cluster = [ClusterOrganisation(id=1, name="Vigo Photonics S.A.", city="Ożarów Mazowiecki")]
>>> cordis = [CordisEntry(pic="999", name="VIGO PHOTONICS SPOLKA AKCYJNA", city="OZAROW MAZOWIECKI")]
>>> [(m.pic, m.organisation_id, m.method, m.certain) for m in match_organisations(cluster, cordis)]
[('999', 1, 'name_city', True)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from klaster.core.text import fold

PIC, VAT, NAME_CITY = "pic", "vat", "name_city"
CERTAIN_SCORE = 96.0
REVIEW_SCORE = 86.0


@dataclass(frozen=True, slots=True)
class ClusterOrganisation:
    id: int
    name: str
    city: str = ""
    nip: str = ""
    vat_number: str = ""
    pic: str = ""
    country: str = "PL"


@dataclass(frozen=True, slots=True)
class CordisEntry:
    pic: str
    name: str = ""
    city: str = ""
    vat_number: str = ""
    country: str = ""
    short_name: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    pic: str
    organisation_id: int
    method: str
    score: float
    certain: bool
    reason: str = ""


# Legal forms, written out and abbreviated, folded; longest first so that the long forms win.
_LEGAL_FORMS = sorted(
    (
        "spolka z ograniczona odpowiedzialnoscia",
        "sp z ograniczona odpowiedzialnoscia",
        "spolka komandytowo akcyjna",
        "spolka komandytowa",
        "spolka jawna",
        "spolka akcyjna",
        "prosta spolka akcyjna",
        "spolka cywilna",
        "sp z o o",
        "sp z oo",
        "sp zoo",
        "sp k",
        "sp j",
        "s c",
        "s a",
        "sa",
        "psa",
        "ltd",
        "limited",
        "gmbh",
        "inc",
        "bv",
        "nv",
        "ag",
        "srl",
        "sas",
        "oy",
        "ab",
        "as",
    ),
    key=len,
    reverse=True,
)
_LEGAL_FORM = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in _LEGAL_FORMS) + r")\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CITY_NAMES = {
    "warsaw": "warszawa",
    "varsovie": "warszawa",
    "cracow": "krakow",
    "krakau": "krakow",
    "breslau": "wroclaw",
    "danzig": "gdansk",
    "posen": "poznan",
}


def normalise_vat(vat_number: str, country: str = "") -> str:
    """Upper-case, no separators; bare Polish NIPs get their ``PL`` prefix.

    >>> normalise_vat("525-000-73-07", "PL")
    'PL5250007307'
    """
    compact = re.sub(r"[^0-9A-Za-z]", "", vat_number).upper()
    if compact.isdigit() and len(compact) == 10 and country.upper() in ("PL", ""):
        return "PL" + compact
    return compact


def normalise_name(name: str) -> str:
    """Folded name without punctuation and legal forms.

    >>> normalise_name("MKANGO POLSKA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ")
    'mkango polska'
    >>> normalise_name("Mkango Polska sp. z o.o.")
    'mkango polska'
    """
    words = _NON_WORD.sub(" ", fold(name)).strip()
    return " ".join(_LEGAL_FORM.sub(" ", words).split())


def normalise_city(city: str) -> str:
    folded = " ".join(_NON_WORD.sub(" ", fold(city)).split())
    return _CITY_NAMES.get(folded, folded)


def name_similarity(a: str, b: str) -> float:
    """0..100 on normalised names; word order does not matter, a missing word does."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_sort_ratio(a, b))


def match_organisations(
    cluster: Iterable[ClusterOrganisation],
    cordis: Iterable[CordisEntry],
    *,
    rejected: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset(),
    certain_score: float = CERTAIN_SCORE,
    review_score: float = REVIEW_SCORE,
) -> list[Match]:
    """Matches of CORDIS organisations to cluster organisations, best first per CORDIS PIC."""
    cluster = list(cluster)
    by_pic = {o.pic: o for o in cluster if o.pic}
    by_vat: dict[str, list[ClusterOrganisation]] = defaultdict(list)
    by_city: dict[str, list[tuple[ClusterOrganisation, str]]] = defaultdict(list)
    for organisation in cluster:
        vats = {normalise_vat(organisation.vat_number, organisation.country)}
        if organisation.nip:
            vats.add(normalise_vat(organisation.nip, "PL"))
        for vat in vats - {""}:
            by_vat[vat].append(organisation)
        city = normalise_city(organisation.city)
        if city:
            by_city[city].append((organisation, normalise_name(organisation.name)))

    matches: list[Match] = []
    name_matches: list[Match] = []
    for entry in cordis:
        organisation = by_pic.get(entry.pic)
        if organisation is not None and (entry.pic, organisation.id) not in rejected:
            matches.append(Match(entry.pic, organisation.id, PIC, 100.0, True, "PIC"))
            continue
        vat = normalise_vat(entry.vat_number, entry.country)
        candidates = [o for o in by_vat.get(vat, ()) if (entry.pic, o.id) not in rejected]
        if vat and len(candidates) == 1:
            matches.append(Match(entry.pic, candidates[0].id, VAT, 100.0, True, f"VAT {vat}"))
            continue
        if not entry.name:
            continue
        near = by_city.get(normalise_city(entry.city))
        if not near:
            continue
        names = {normalise_name(entry.name)}
        if entry.short_name:
            names.add(normalise_name(entry.short_name))
        best: tuple[float, ClusterOrganisation] | None = None
        runner_up = 0.0
        for organisation, cluster_name in near:
            if (entry.pic, organisation.id) in rejected:
                continue
            score = max(name_similarity(name, cluster_name) for name in names)
            if best is None or score > best[0]:
                runner_up = best[0] if best else 0.0
                best = (score, organisation)
            elif score > runner_up:
                runner_up = score
        if best is None or best[0] < review_score:
            continue
        score, organisation = best
        # Two near-equal candidates in one city: a person decides.
        certain = score >= certain_score and runner_up < review_score
        name_matches.append(
            Match(
                entry.pic,
                organisation.id,
                NAME_CITY,
                score,
                certain,
                f"name {score:.0f}% similar, same city",
            )
        )

    # A cluster organisation claimed by an identifier is not also claimed by a name; a cluster
    # organisation that several CORDIS names claim for certain is left to review.
    claimed = {m.organisation_id for m in matches}
    certain_claims: dict[int, int] = defaultdict(int)
    for m in name_matches:
        if m.certain:
            certain_claims[m.organisation_id] += 1
    for m in name_matches:
        contested = m.organisation_id in claimed or certain_claims[m.organisation_id] > 1
        if m.certain and contested:
            m = Match(m.pic, m.organisation_id, m.method, m.score, False, m.reason)
        matches.append(m)
    return matches
