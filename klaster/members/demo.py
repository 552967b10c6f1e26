"""The demo cluster: a generated cluster with the composition of Mazovia Cluster ICT.

Everything here is fictitious and marked as such: organisations carry
`Source.DEMO_GENERATED`, names are composed from word lists, websites and e-mails live under the
reserved `.example` domain, phone numbers use a subscriber range that is never assigned, and
no organisation gets a PIC (an invented EU track record would mislead the partner search).
Identifiers have valid check digits, so that every form and import path accepts them.

Generation is deterministic: each organisation is drawn from its own random stream, seeded by
(seed, slot, index), so the i-th university is the same whether it is generated alone or
together with 10,000 enterprises. That is also what makes `build_demo_cluster` idempotent and
lets a later step add real CORDIS organisations first and top up with generated ones only
where the composition is still short (`missing_composition`).

Examples
--------
>>> plans = plan_organisations(seed=2026, missing={("university", ""): 1})
>>> plans[0].kind, plans[0].voivodeship
('university', 'mazowieckie')
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from klaster.accounts.models import User
from klaster.core.text import fold
from klaster.members.models import (
    Competence,
    FeePayment,
    Membership,
    MembershipTier,
    Organisation,
    Person,
    Sector,
)

Kind = Organisation.Kind
Size = Organisation.EnterpriseSize
Support = Organisation.SupportType
Band = Organisation.EmployeesBand
Turnover = Organisation.TurnoverBand

DEMO_SOURCES = (Organisation.Source.DEMO_GENERATED, Organisation.Source.DEMO_CORDIS)
DEFAULT_SEED = 2026

# A slot is one line of the composition: (kind, enterprise size or support type or "").
Slot = tuple[str, str]

# Mazovia Cluster ICT as the product describes it: 9 institutes, 6 universities, 3 funds,
# 500+ enterprises (mostly SMEs), business-environment institutions, local governments, NGOs.
MAZOVIA_CLUSTER_ICT: dict[Slot, int] = {
    (Kind.RESEARCH_INSTITUTE, ""): 9,
    (Kind.UNIVERSITY, ""): 6,
    (Kind.INVESTMENT_FUND, ""): 3,
    (Kind.ENTERPRISE, Size.MICRO): 215,
    (Kind.ENTERPRISE, Size.SMALL): 170,
    (Kind.ENTERPRISE, Size.MEDIUM): 90,
    (Kind.ENTERPRISE, Size.LARGE): 45,
    (Kind.BUSINESS_SUPPORT, Support.TECHNOLOGY_PARK): 4,
    (Kind.BUSINESS_SUPPORT, Support.INCUBATOR): 5,
    (Kind.BUSINESS_SUPPORT, Support.CHAMBER): 3,
    (Kind.BUSINESS_SUPPORT, Support.AGENCY): 3,
    (Kind.PUBLIC_ADMINISTRATION, ""): 12,
    (Kind.NGO, ""): 5,
}


def composition_scaled_to(total: int) -> dict[Slot, int]:
    """The Mazovia composition with enterprises grown (or shrunk) so that it sums to `total`.

    Everything but enterprises stays as in the real cluster; enterprises keep their size mix.
    Used by the directory benchmark (10,000 organisations) and by fast tests (small clusters).
    """
    fixed = {slot: n for slot, n in MAZOVIA_CLUSTER_ICT.items() if slot[0] != Kind.ENTERPRISE}
    enterprises = {slot: n for slot, n in MAZOVIA_CLUSTER_ICT.items() if slot[0] == Kind.ENTERPRISE}
    wanted = max(0, total - sum(fixed.values()))
    share = sum(enterprises.values())
    scaled = {slot: wanted * n // share for slot, n in enterprises.items()}
    # Rounding leftovers go to micro enterprises, the largest group.
    scaled[(Kind.ENTERPRISE, Size.MICRO)] += wanted - sum(scaled.values())
    return {**fixed, **scaled}


def slot_of(organisation: Organisation) -> Slot:
    if organisation.kind == Kind.ENTERPRISE:
        return (organisation.kind, organisation.enterprise_size)
    if organisation.kind == Kind.BUSINESS_SUPPORT:
        return (organisation.kind, organisation.support_type)
    return (organisation.kind, "")


def existing_demo_composition() -> Counter:
    """How many demo organisations (generated or from CORDIS) each slot already holds."""
    counts: Counter = Counter()
    rows = Organisation.objects.filter(source__in=DEMO_SOURCES).values_list(
        "kind", "enterprise_size", "support_type"
    )
    for kind, size, support_type in rows:
        variant = (
            size
            if kind == Kind.ENTERPRISE
            else support_type
            if kind == Kind.BUSINESS_SUPPORT
            else ""
        )
        counts[(kind, variant)] += 1
    return counts


def missing_composition(*, target: dict[Slot, int], existing: Counter) -> dict[Slot, int]:
    """What the demo still lacks per slot to reach `target`, given organisations already there.

    Organisations in a slot the target does not name (say, a CORDIS company of unknown size)
    fill no slot: the generated part of the cluster is then a little larger, never smaller.
    """
    return {slot: n - existing[slot] for slot, n in target.items() if n > existing[slot]}


# --- Places ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    name: str
    locative: str  # "w Radomiu": descriptions say where an organisation is based
    locative_en: str
    postcodes: tuple[str, ...]
    nuts_code: str
    phone_area: str
    weight: int


def _warsaw_postcodes() -> tuple[str, ...]:
    return tuple(f"0{d}-{n:03d}" for d in range(5) for n in range(1, 999, 37))


# NUTS 2021: PL91 Warszawski stołeczny = Warsaw + grodziski, legionowski, miński, nowodworski,
# otwocki, piaseczyński, pruszkowski, warszawski zachodni, wołomiński; the rest is PL92.
TOWNS: tuple[Town, ...] = (
    Town("Warszawa", "w Warszawie", "Warsaw", _warsaw_postcodes(), "PL911", "22", 330),
    Town("Pruszków", "w Pruszkowie", "Pruszków", ("05-800", "05-803", "05-804"), "PL913", "22", 14),
    Town("Piaseczno", "w Piasecznie", "Piaseczno", ("05-500", "05-501"), "PL913", "22", 14),
    Town(
        "Grodzisk Mazowiecki",
        "w Grodzisku Mazowieckim",
        "Grodzisk Mazowiecki",
        ("05-825",),
        "PL913",
        "22",
        9,
    ),
    Town("Łomianki", "w Łomiankach", "Łomianki", ("05-092",), "PL913", "22", 7),
    Town(
        "Ożarów Mazowiecki",
        "w Ożarowie Mazowieckim",
        "Ożarów Mazowiecki",
        ("05-850",),
        "PL913",
        "22",
        5,
    ),
    Town(
        "Nowy Dwór Mazowiecki",
        "w Nowym Dworze Mazowieckim",
        "Nowy Dwór Mazowiecki",
        ("05-100",),
        "PL913",
        "22",
        3,
    ),
    Town(
        "Konstancin-Jeziorna",
        "w Konstancinie-Jeziornie",
        "Konstancin-Jeziorna",
        ("05-520",),
        "PL913",
        "22",
        4,
    ),
    Town("Legionowo", "w Legionowie", "Legionowo", ("05-119", "05-120"), "PL912", "22", 8),
    Town("Otwock", "w Otwocku", "Otwock", ("05-400", "05-402"), "PL912", "22", 7),
    Town("Wołomin", "w Wołominie", "Wołomin", ("05-200",), "PL912", "22", 6),
    Town("Marki", "w Markach", "Marki", ("05-270",), "PL912", "22", 7),
    Town("Ząbki", "w Ząbkach", "Ząbki", ("05-091",), "PL912", "22", 5),
    Town(
        "Mińsk Mazowiecki",
        "w Mińsku Mazowieckim",
        "Mińsk Mazowiecki",
        ("05-300",),
        "PL912",
        "25",
        5,
    ),
    Town(
        "Radom",
        "w Radomiu",
        "Radom",
        tuple(f"26-6{n:02d}" for n in range(0, 18)),
        "PL921",
        "48",
        16,
    ),
    Town("Kozienice", "w Kozienicach", "Kozienice", ("26-900",), "PL921", "48", 3),
    Town("Ciechanów", "w Ciechanowie", "Ciechanów", ("06-400",), "PL922", "23", 5),
    Town("Mława", "w Mławie", "Mława", ("06-500",), "PL922", "23", 3),
    Town("Płońsk", "w Płońsku", "Płońsk", ("09-100",), "PL922", "23", 2),
    Town("Pułtusk", "w Pułtusku", "Pułtusk", ("06-100",), "PL922", "23", 2),
    Town(
        "Płock", "w Płocku", "Płock", tuple(f"09-4{n:02d}" for n in range(0, 12)), "PL923", "24", 12
    ),
    Town("Gostynin", "w Gostyninie", "Gostynin", ("09-500",), "PL923", "24", 2),
    Town("Sierpc", "w Sierpcu", "Sierpc", ("09-200",), "PL923", "24", 2),
    Town(
        "Ostrołęka",
        "w Ostrołęce",
        "Ostrołęka",
        tuple(f"07-4{n:02d}" for n in range(0, 18)),
        "PL924",
        "29",
        6,
    ),
    Town("Wyszków", "w Wyszkowie", "Wyszków", ("07-200",), "PL924", "29", 3),
    Town("Przasnysz", "w Przasnyszu", "Przasnysz", ("06-300",), "PL924", "29", 2),
    Town("Siedlce", "w Siedlcach", "Siedlce", ("08-100", "08-110"), "PL925", "25", 9),
    Town("Garwolin", "w Garwolinie", "Garwolin", ("08-400",), "PL925", "25", 3),
    Town(
        "Sokołów Podlaski",
        "w Sokołowie Podlaskim",
        "Sokołów Podlaski",
        ("08-300",),
        "PL925",
        "25",
        2,
    ),
    Town("Żyrardów", "w Żyrardowie", "Żyrardów", ("96-300",), "PL926", "46", 5),
    Town("Sochaczew", "w Sochaczewie", "Sochaczew", ("96-500",), "PL926", "46", 4),
    Town("Grójec", "w Grójcu", "Grójec", ("05-600",), "PL926", "48", 3),
)
TOWNS_BY_NAME = {town.name: town for town in TOWNS}
_TOWN_WEIGHTS = [town.weight for town in TOWNS]

STREETS = (
    "ul. Polna", "ul. Lipowa", "ul. Kościuszki", "ul. Mickiewicza", "ul. Przemysłowa",
    "ul. Słoneczna", "ul. Ogrodowa", "ul. Kolejowa", "ul. Technologiczna", "ul. Naukowa",
    "ul. Sienkiewicza", "ul. Leśna", "ul. Spokojna", "ul. Fabryczna", "ul. Wiejska",
    "al. Niepodległości", "ul. Piękna", "ul. Długa", "ul. Krótka", "ul. Energetyków",
    "ul. Łączności", "ul. Wynalazców", "ul. Inżynierska", "ul. Składowa", "ul. Graniczna",
)  # fmt: skip

# --- Sectors and competences -------------------------------------------------------------------


@dataclass(frozen=True)
class SectorVocabulary:
    code: str
    genitive_pl: str  # "w branży technologii kosmicznych"
    name_en: str
    weight: int
    # (tag as shown in the directory, the same in an English sentence, is a technology)
    terms: tuple[tuple[str, str, bool], ...]
    tools: tuple[str, ...]


SECTORS: tuple[SectorVocabulary, ...] = (
    SectorVocabulary(
        "ict",
        "ICT",
        "ICT",
        50,
        (
            ("sztuczna inteligencja", "artificial intelligence", False),
            ("uczenie maszynowe", "machine learning", False),
            ("cyberbezpieczeństwo", "cybersecurity", False),
            ("IoT", "IoT", True),
            ("chmura obliczeniowa", "cloud computing", True),
            ("big data", "big data", False),
            ("analiza danych", "data analytics", False),
            ("blockchain", "blockchain", True),
            ("aplikacje mobilne", "mobile applications", False),
            ("systemy ERP", "ERP systems", True),
            ("DevOps", "DevOps", False),
            ("5G", "5G networks", True),
            ("computer vision", "computer vision", False),
            ("przetwarzanie języka naturalnego", "natural language processing", False),
            ("e-zdrowie", "e-health", False),
            ("cyfrowy bliźniak", "digital twins", True),
            ("robotyzacja procesów RPA", "robotic process automation", True),
            ("systemy wbudowane", "embedded systems", True),
        ),
        ("Python", "Java", "Kubernetes", "PostgreSQL", "React", "TensorFlow", ".NET", "Rust"),
    ),
    SectorVocabulary(
        "energy",
        "energetyki",
        "energy",
        15,
        (
            ("smart grid", "smart grids", True),
            ("magazynowanie energii", "energy storage", False),
            ("elektromobilność", "electromobility", False),
            ("efektywność energetyczna", "energy efficiency", False),
            ("wodór", "hydrogen", True),
            ("automatyka przemysłowa", "industrial automation", False),
            ("SCADA", "SCADA", True),
            ("inteligentne liczniki", "smart metering", True),
            ("audyt energetyczny", "energy audits", False),
        ),
        ("IEC 61850", "PLC", "SCADA", "MATLAB/Simulink", "PowerFactory"),
    ),
    SectorVocabulary(
        "space",
        "technologii kosmicznych",
        "space",
        10,
        (
            ("obserwacja Ziemi", "Earth observation", False),
            ("GIS", "GIS", True),
            ("nawigacja satelitarna GNSS", "satellite navigation (GNSS)", True),
            ("teledetekcja", "remote sensing", False),
            ("mikrosatelity", "small satellites", True),
            ("segment naziemny", "ground segment", True),
            ("drony", "drones", True),
            ("dane Copernicus", "Copernicus data", False),
        ),
        ("Sentinel-2", "QGIS", "GDAL", "CubeSat", "Copernicus DIAS"),
    ),
    SectorVocabulary(
        "ecology",
        "ekologii i ochrony środowiska",
        "ecology and the environment",
        13,
        (
            ("gospodarka o obiegu zamkniętym", "circular economy", False),
            ("monitoring jakości powietrza", "air-quality monitoring", False),
            ("oczyszczanie ścieków", "wastewater treatment", True),
            ("recykling", "recycling", False),
            ("ślad węglowy", "carbon footprint", False),
            ("zielone budownictwo", "green building", False),
            ("ocena cyklu życia LCA", "life-cycle assessment", False),
        ),
        ("ISO 14001", "LCA", "EMAS", "OpenLCA"),
    ),
    SectorVocabulary(
        "renewable-energy",
        "odnawialnych źródeł energii",
        "renewable energy",
        12,
        (
            ("fotowoltaika", "photovoltaics", True),
            ("energetyka wiatrowa", "wind energy", True),
            ("pompy ciepła", "heat pumps", True),
            ("biogaz", "biogas", True),
            ("biomasa", "biomass", False),
            ("magazyny ciepła", "thermal storage", True),
            ("klastry energii", "energy communities", False),
        ),
        ("PVsyst", "HOMER", "SCADA", "BIM"),
    ),
)
SECTORS_BY_CODE = {sector.code: sector for sector in SECTORS}
_SECTOR_WEIGHTS = [sector.weight for sector in SECTORS]

# --- Names -------------------------------------------------------------------------------------

# Polish adjective forms per gender (masculine, feminine, neuter), matched to the noun's gender,
# so that generated brands read as Polish ("Zielona Fala", "Cyfrowy Most", "Jasne Pole").
_ADJECTIVES = (
    ("Wiślany", "Wiślana", "Wiślane"), ("Mazowiecki", "Mazowiecka", "Mazowieckie"),
    ("Cyfrowy", "Cyfrowa", "Cyfrowe"), ("Zielony", "Zielona", "Zielone"),
    ("Jasny", "Jasna", "Jasne"), ("Bursztynowy", "Bursztynowa", "Bursztynowe"),
    ("Srebrny", "Srebrna", "Srebrne"), ("Błękitny", "Błękitna", "Błękitne"),
    ("Słoneczny", "Słoneczna", "Słoneczne"), ("Północny", "Północna", "Północne"),
    ("Kwantowy", "Kwantowa", "Kwantowe"), ("Polarny", "Polarna", "Polarne"),
    ("Nowy", "Nowa", "Nowe"), ("Bystry", "Bystra", "Bystre"), ("Leśny", "Leśna", "Leśne"),
    ("Dębowy", "Dębowa", "Dębowe"), ("Lotny", "Lotna", "Lotne"), ("Spójny", "Spójna", "Spójne"),
    ("Złoty", "Złota", "Złote"), ("Otwarty", "Otwarta", "Otwarte"), ("Czysty", "Czysta", "Czyste"),
    ("Miedziany", "Miedziana", "Miedziane"), ("Wschodni", "Wschodnia", "Wschodnie"),
    ("Gwiezdny", "Gwiezdna", "Gwiezdne"), ("Tęczowy", "Tęczowa", "Tęczowe"),
    ("Rzeczny", "Rzeczna", "Rzeczne"), ("Pewny", "Pewna", "Pewne"), ("Śmiały", "Śmiała", "Śmiałe"),
)  # fmt: skip
_NOUNS = (
    ("Most", 0), ("Kod", 0), ("Horyzont", 0), ("Bieg", 0), ("Zenit", 0), ("Puls", 0),
    ("Wiatr", 0), ("Kompas", 0), ("Sygnał", 0), ("Węzeł", 0), ("Brzeg", 0), ("Prąd", 0),
    ("Fala", 1), ("Iskra", 1), ("Orbita", 1), ("Chmura", 1), ("Sieć", 1), ("Dolina", 1),
    ("Kuźnia", 1), ("Przystań", 1), ("Zorza", 1), ("Gwiazda", 1), ("Rzeka", 1), ("Mapa", 1),
    ("Pole", 2), ("Źródło", 2), ("Ogniwo", 2), ("Światło", 2), ("Jutro", 2), ("Okno", 2),
)  # fmt: skip
_TAILS_BY_SECTOR = {
    "ict": ("Software", "Data", "Labs", "Systems", "Digital", "Cloud", "Tech", "AI"),
    "energy": ("Energy", "Grid", "Power", "Automation", "Tech"),
    "space": ("Space", "Orbital", "Geo", "Sat", "Labs"),
    "ecology": ("Eco", "Environment", "Green Tech", "Recycling", "Labs"),
    "renewable-energy": ("Solar", "Renewables", "Wind", "Energy", "Heat"),
}
_LEGAL_FORMS = {
    Size.MICRO: (("sp. z o.o.", 6), ("P.S.A.", 2), ("sp.k.", 1), ("sp. j.", 1)),
    Size.SMALL: (("sp. z o.o.", 8), ("P.S.A.", 1), ("sp.k.", 1)),
    Size.MEDIUM: (("sp. z o.o.", 7), ("S.A.", 3)),
    Size.LARGE: (("S.A.", 7), ("sp. z o.o.", 3)),
}

RESEARCH_INSTITUTES = (
    ("Instytut Systemów Autonomicznych", "ict"),
    ("Instytut Sieci Energetycznych Przyszłości", "energy"),
    ("Instytut Geoinformacji i Obserwacji Ziemi", "space"),
    ("Instytut Cyberbezpieczeństwa Stosowanego", "ict"),
    ("Instytut Fotoniki i Czujników Kwantowych", "ict"),
    ("Instytut Gospodarki Obiegu Zamkniętego", "ecology"),
    ("Instytut Magazynowania Energii i Wodoru", "energy"),
    ("Instytut Technik Satelitarnych", "space"),
    ("Instytut Energii Odnawialnej i Mikrosieci", "renewable-energy"),
)
UNIVERSITIES = (
    ("Politechnika Nadwiślańska", "ict", "Warszawa"),
    ("Uniwersytet Cyfrowy Mazowsza", "ict", "Warszawa"),
    ("Akademia Technologii Kosmicznych i Geoinformacji", "space", "Warszawa"),
    ("Uczelnia Techniczno-Energetyczna w Radomiu", "energy", "Radom"),
    ("Akademia Nauk Stosowanych Doliny Wisły w Płocku", "renewable-energy", "Płock"),
    ("Uczelnia Informatyki i Ekologii w Siedlcach", "ecology", "Siedlce"),
)
INVESTMENT_FUNDS = (
    ("Wiślany Fundusz Technologiczny ASI sp. z o.o.", "ict"),
    ("Orbita Ventures ASI S.A.", "space"),
    ("Zielona Transformacja Capital ASI sp. z o.o.", "renewable-energy"),
)
SUPPORT_INSTITUTIONS = {
    Support.TECHNOLOGY_PARK: (
        ("Park Technologiczny Nowa Orbita", "Warszawa"),
        ("Park Przemysłowo-Technologiczny Iskra", "Radom"),
        ("Park Naukowy Nadwiślańska Energia", "Płock"),
        ("Park Technologiczny Zielona Dolina", "Siedlce"),
    ),
    Support.INCUBATOR: (
        ("Inkubator Technologiczny Start-Orbita", "Warszawa"),
        ("Akcelerator Cyfrowe Jutro", "Warszawa"),
        ("Inkubator Przedsiębiorczości Bystra Rzeka", "Ostrołęka"),
        ("Inkubator Innowacji Jasne Pole", "Ciechanów"),
        ("Preinkubator Akademicki Kuźnia Pomysłów", "Radom"),
    ),
    Support.CHAMBER: (
        ("Izba Gospodarcza Technologii Cyfrowych Mazowsza", "Warszawa"),
        ("Izba Przemysłowo-Handlowa Nowej Energii", "Warszawa"),
        ("Regionalna Izba Gospodarcza Doliny Bugu", "Siedlce"),
    ),
    Support.AGENCY: (
        ("Agencja Rozwoju Innowacji Mazowsze Północ", "Ciechanów"),
        ("Agencja Rozwoju Przedsiębiorczości Ziemi Radomskiej", "Radom"),
        ("Agencja Transferu Technologii Zielony Most", "Warszawa"),
    ),
}
# Local governments are real bodies of real towns: the "(demo)" mark keeps generated figures
# from being mistaken for theirs.
LOCAL_GOVERNMENT_TOWNS = (
    "Radom", "Płock", "Siedlce", "Ostrołęka", "Ciechanów", "Pruszków", "Piaseczno", "Legionowo",
    "Otwock", "Żyrardów", "Mińsk Mazowiecki", "Grodzisk Mazowiecki", "Wołomin", "Sochaczew",
    "Garwolin", "Łomianki", "Marki",
)  # fmt: skip
NGOS = (
    ("Fundacja Cyfrowe Mazowsze Jutra", "ict"),
    ("Stowarzyszenie Inżynierów Nowej Energii", "renewable-energy"),
    ("Fundacja Kobiety w Technologiach Kosmicznych", "space"),
    ("Stowarzyszenie Czyste Powietrze Mazowsza", "ecology"),
    ("Fundacja Otwartych Danych i Sztucznej Inteligencji", "ict"),
    ("Stowarzyszenie Młodych Programistów Doliny Wisły", "ict"),
)

# --- People ------------------------------------------------------------------------------------

_FIRST_NAMES_FEMALE = (
    "Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Ewa", "Monika", "Aleksandra",
    "Marta", "Karolina", "Natalia", "Zofia", "Julia", "Barbara", "Dorota", "Paulina",
)  # fmt: skip
_FIRST_NAMES_MALE = (
    "Piotr", "Tomasz", "Paweł", "Michał", "Krzysztof", "Marcin", "Jakub", "Adam", "Łukasz",
    "Grzegorz", "Mateusz", "Andrzej", "Wojciech", "Kamil", "Rafał", "Bartosz",
)  # fmt: skip
# (masculine, feminine)
_LAST_NAMES = (
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"), ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"), ("Król", "Król"), ("Wieczorek", "Wieczorek"),
    ("Jabłoński", "Jabłońska"), ("Wróbel", "Wróbel"), ("Majewski", "Majewska"),
)  # fmt: skip
_POSITIONS = {
    Kind.ENTERPRISE: (
        "Prezes Zarządu",
        "Dyrektor ds. rozwoju",
        "Kierownik projektów B+R",
        "CTO",
        "Specjalista ds. współpracy międzynarodowej",
        "Dyrektor handlowy",
    ),
    Kind.RESEARCH_INSTITUTE: (
        "Dyrektor",
        "Zastępca dyrektora ds. naukowych",
        "Kierownik zakładu",
        "Specjalista ds. transferu technologii",
    ),
    Kind.UNIVERSITY: (
        "Prorektor ds. nauki",
        "Dyrektor Centrum Transferu Technologii",
        "Kierownik katedry",
        "Koordynator projektów międzynarodowych",
    ),
    Kind.INVESTMENT_FUND: (
        "Partner zarządzający",
        "Analityk inwestycyjny",
        "Dyrektor inwestycyjny",
    ),
    Kind.BUSINESS_SUPPORT: (
        "Prezes",
        "Kierownik programu akceleracyjnego",
        "Doradca ds. innowacji",
    ),
    Kind.PUBLIC_ADMINISTRATION: (
        "Naczelnik wydziału rozwoju",
        "Pełnomocnik ds. innowacji",
        "Specjalista ds. funduszy UE",
    ),
    Kind.NGO: ("Prezes zarządu", "Koordynator programów", "Członek zarządu"),
}
CONSENT_PURPOSE = "Kontakt w sprawach klastra i prezentacja w katalogu członków"

# --- Descriptions ------------------------------------------------------------------------------

_SIZE_NOUNS = {
    Size.MICRO: ("mikroprzedsiębiorstwo", "a micro-enterprise"),
    Size.SMALL: ("małe przedsiębiorstwo", "a small enterprise"),
    Size.MEDIUM: ("średnie przedsiębiorstwo", "a medium-sized enterprise"),
    Size.LARGE: ("duże przedsiębiorstwo", "a large enterprise"),
}
# Each pair says the same thing in Polish and in English.
_OFFERS = (
    (
        "Realizujemy wdrożenia dla klientów z sektora publicznego i prywatnego.",
        "We deliver implementations for public and private clients.",
    ),
    (
        "Prowadzimy własne prace badawczo-rozwojowe i udostępniamy infrastrukturę testową.",
        "We run our own R&D and open our test infrastructure to partners.",
    ),
    (
        "Dostarczamy rozwiązania pod klucz: od analizy potrzeb po utrzymanie systemów.",
        "We provide turnkey solutions, from needs analysis to maintenance.",
    ),
    (
        "Współpracujemy z uczelniami przy projektach B+R i stażach dla studentów.",
        "We work with universities on R&D projects and student internships.",
    ),
    (
        "Nasze produkty działają u klientów w Polsce i w kilku krajach Unii Europejskiej.",
        "Our products run at customers in Poland and several EU countries.",
    ),
)
_SEEKS = (
    (
        "Szukamy partnerów do konsorcjów w programie Horyzont Europa.",
        "We are looking for consortium partners in Horizon Europe.",
    ),
    (
        "Chcemy wejść na rynki skandynawskie i szukamy partnerów handlowych.",
        "We want to enter the Nordic markets and seek commercial partners.",
    ),
    (
        "Poszukujemy inwestora na etapie skalowania produktu.",
        "We are seeking an investor to scale our product.",
    ),
    (
        "Interesują nas wspólne projekty z jednostkami naukowymi.",
        "We are interested in joint projects with research organisations.",
    ),
    ("", ""),
)
_INSTITUTION_INTROS = {
    Kind.RESEARCH_INSTITUTE: (
        "{name} to instytut badawczy {loc}, prowadzący badania stosowane w obszarach: {terms}.",
        "{name} is a research institute in {town_en}, doing applied research in {terms_en}.",
    ),
    Kind.UNIVERSITY: (
        "{name} kształci inżynierów i prowadzi badania w obszarach: {terms}.",
        "{name} educates engineers and does research in {terms_en}.",
    ),
    Kind.INVESTMENT_FUND: (
        "{name} inwestuje w spółki technologiczne na wczesnym etapie, zwłaszcza w obszarach: {terms}.",
        "{name} invests in early-stage technology companies, especially in {terms_en}.",
    ),
    Kind.BUSINESS_SUPPORT: (
        "{name} wspiera firmy {loc}: doradztwo, przestrzeń biurowa i laboratoria, kontakty z inwestorami. Specjalizacje: {terms}.",
        "{name} supports companies in {town_en} with advice, offices and labs, and investor contacts. Focus: {terms_en}.",
    ),
    Kind.PUBLIC_ADMINISTRATION: (
        "Samorząd współpracujący z klastrem przy projektach rozwoju lokalnego, m.in.: {terms}.",
        "A local government working with the cluster on local development projects such as {terms_en}.",
    ),
    Kind.NGO: (
        "{name} działa na rzecz popularyzacji wiedzy i współpracy w obszarach: {terms}.",
        "{name} promotes knowledge and cooperation in {terms_en}.",
    ),
}
_COOPERATION = (
    "W klastrze od roku {joined}; otwarci na wspólne projekty z członkami.",
    "A cluster member since {joined}; open to joint projects with other members.",
)


# --- Plans: what one generated organisation will be --------------------------------------------


@dataclass
class PersonPlan:
    first_name: str
    last_name: str
    position: str
    email: str
    phone: str
    is_primary_contact: bool
    consent_given_on: datetime.date | None
    consent_withdrawn_on: datetime.date | None


@dataclass
class OrganisationPlan:
    """Everything about one generated organisation, before it touches the database."""

    slot: Slot
    index: int
    name: str
    short_name: str
    kind: str
    enterprise_size: str
    support_type: str
    nip: str
    regon: str
    krs: str
    city: str
    postcode: str
    street: str
    nuts_code: str
    sector_codes: list[str]
    competence_names: list[str]
    competences_text: str
    description_pl: str
    description_en: str
    website: str
    employees_band: str
    turnover_band: str
    year_founded: int | None
    membership_status: str | None
    joined_on: datetime.date | None
    left_on: datetime.date | None
    people: list[PersonPlan] = field(default_factory=list)
    voivodeship: str = "mazowieckie"

    @property
    def is_sme(self) -> bool:
        return self.kind == Kind.ENTERPRISE and self.enterprise_size in Organisation.SME_SIZES

    @property
    def vat_number(self) -> str:
        return f"PL{self.nip}" if self.nip else ""


def _nip(rng: random.Random) -> str:
    """A NIP with a valid check digit; the first three digits look like a tax-office code."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        body = f"{rng.randint(101, 998)}{rng.randint(0, 999999):06d}"
        check = sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if check < 10:
            return body + str(check)


def _regon(rng: random.Random) -> str:
    """A nine-digit REGON with its check digit; 14 is the prefix of Mazowieckie registrations."""
    from stdnum.pl import regon as pl_regon

    body = f"14{rng.randint(0, 999999):06d}"
    return body + pl_regon.calc_check_digit(body)


def _krs(rng: random.Random) -> str:
    return f"0000{rng.randint(100000, 999999)}"


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _join_terms(terms: list[str], conjunction: str) -> str:
    if len(terms) <= 1:
        return "".join(terms)
    return f"{', '.join(terms[:-1])} {conjunction} {terms[-1]}"


def _web_slug(name: str) -> str:
    words = [
        w
        for w in slugify(fold(name)).split("-")
        if w not in {"sp", "z", "o", "s", "a", "k", "j", "p"}
    ]
    return "-".join(words[:4]) or "organizacja"


def _pick_competences(
    rng: random.Random, sector_codes: list[str], count: int
) -> list[tuple[str, str, bool]]:
    primary = SECTORS_BY_CODE[sector_codes[0]].terms
    picked = rng.sample(primary, min(count, len(primary)))
    for code in sector_codes[1:]:
        picked.append(rng.choice(SECTORS_BY_CODE[code].terms))
    unique: dict[str, tuple[str, str, bool]] = {}
    for term in picked:
        unique.setdefault(term[0], term)
    return list(unique.values())


def _people(
    rng: random.Random, *, kind: str, domain: str, phone_area: str, today: datetime.date, count: int
) -> list[PersonPlan]:
    people = []
    names_taken: set[tuple[str, str]] = set()
    for position_number in range(count):
        # Two people of one organisation never share a name: their e-mails would clash too.
        while True:
            female = rng.random() < 0.45
            first = rng.choice(_FIRST_NAMES_FEMALE if female else _FIRST_NAMES_MALE)
            last = rng.choice(_LAST_NAMES)[1 if female else 0]
            if (first, last) not in names_taken:
                names_taken.add((first, last))
                break
        consent_given_on = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
        withdrawn = None
        roll = rng.random()
        if roll < 0.08:
            withdrawn = consent_given_on + datetime.timedelta(days=rng.randint(1, 25))
        elif roll < 0.12:
            consent_given_on = None  # asked, never answered: not shown publicly
        local_part = slugify(fold(f"{first}.{last}").replace(".", "-")).replace("-", ".")
        people.append(
            PersonPlan(
                first_name=first,
                last_name=last,
                position=rng.choice(_POSITIONS[kind]),
                email=f"{local_part}@{domain}",
                # Polish subscriber numbers never start with 0: these reach no one.
                phone=f"+48 {phone_area} 0{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                is_primary_contact=position_number == 0,
                consent_given_on=consent_given_on,
                consent_withdrawn_on=withdrawn,
            )
        )
    return people


def _membership(
    rng: random.Random, *, kind: str, year_founded: int | None, today: datetime.date
) -> tuple[str | None, datetime.date | None, datetime.date | None]:
    """(status, joined on, left on). Some local governments cooperate without being members."""
    if kind == Kind.PUBLIC_ADMINISTRATION and rng.random() < 0.4:
        return None, None, None
    roll = rng.random()
    if roll < 0.06:
        return Membership.Status.CANDIDATE, None, None
    first_year = max(2007, year_founded or 2007)
    joined_year = rng.randint(first_year, max(first_year, today.year - 1))
    joined_on = datetime.date(joined_year, rng.randint(1, 12), rng.randint(1, 28))
    if roll < 0.11:
        return Membership.Status.SUSPENDED, joined_on, None
    if roll < 0.18 and joined_year < today.year - 1:
        left_year = rng.randint(joined_year + 1, today.year - 1)
        return Membership.Status.FORMER, joined_on, datetime.date(left_year, 12, 31)
    return Membership.Status.ACTIVE, joined_on, None


def _enterprise_name(rng: random.Random, size: str, sector_code: str) -> tuple[str, str]:
    adjective = rng.choice(_ADJECTIVES)
    noun, gender = rng.choice(_NOUNS)
    tail = rng.choice(_TAILS_BY_SECTOR[sector_code])
    brand = f"{adjective[gender]} {noun} {tail}"
    return f"{brand} {_weighted(rng, _LEGAL_FORMS[size])}", brand


def _bands(rng: random.Random, kind: str, size: str) -> tuple[str, str]:
    if kind == Kind.ENTERPRISE:
        return {
            Size.MICRO: (Band.UP_TO_9, Turnover.UP_TO_2M),
            Size.SMALL: (Band.UP_TO_49, rng.choice((Turnover.UP_TO_2M, Turnover.UP_TO_10M))),
            Size.MEDIUM: (Band.UP_TO_249, rng.choice((Turnover.UP_TO_10M, Turnover.UP_TO_50M))),
            Size.LARGE: (
                rng.choice((Band.UP_TO_999, Band.OVER_1000)),
                rng.choice((Turnover.UP_TO_50M, Turnover.OVER_50M)),
            ),
        }[size]
    return {
        Kind.RESEARCH_INSTITUTE: (rng.choice((Band.UP_TO_249, Band.UP_TO_999)), ""),
        Kind.UNIVERSITY: (Band.OVER_1000, ""),
        Kind.INVESTMENT_FUND: (Band.UP_TO_9, ""),
        Kind.BUSINESS_SUPPORT: (rng.choice((Band.UP_TO_9, Band.UP_TO_49)), ""),
        Kind.PUBLIC_ADMINISTRATION: (rng.choice((Band.UP_TO_249, Band.UP_TO_999)), ""),
        Kind.NGO: (Band.UP_TO_9, ""),
    }[kind]


def _founded(rng: random.Random, kind: str, today: datetime.date) -> int | None:
    ranges = {
        Kind.ENTERPRISE: (1991, today.year - 1),
        Kind.RESEARCH_INSTITUTE: (1951, 2005),
        Kind.UNIVERSITY: (1951, 2008),
        Kind.INVESTMENT_FUND: (2010, 2021),
        Kind.BUSINESS_SUPPORT: (1995, 2019),
        Kind.NGO: (2004, 2022),
    }
    if kind not in ranges:
        return None
    low, high = ranges[kind]
    # Young companies are more common than old ones: the later of two draws.
    year = rng.randint(low, high)
    return max(year, rng.randint(low, high)) if kind == Kind.ENTERPRISE else year


def _fixed_name(slot: Slot, index: int) -> tuple[str, str | None, str | None]:
    """(name, sector code, town) for kinds whose demo names come from a fixed list."""
    kind, variant = slot
    lists = {
        Kind.RESEARCH_INSTITUTE: [(n, s, None) for n, s in RESEARCH_INSTITUTES],
        Kind.UNIVERSITY: list(UNIVERSITIES),
        Kind.INVESTMENT_FUND: [(n, s, "Warszawa") for n, s in INVESTMENT_FUNDS],
        Kind.BUSINESS_SUPPORT: [(n, None, t) for n, t in SUPPORT_INSTITUTIONS.get(variant, ())],
        Kind.PUBLIC_ADMINISTRATION: [
            (f"Gmina {t} (demo)", None, t) for t in LOCAL_GOVERNMENT_TOWNS
        ],
        Kind.NGO: [(n, s, None) for n, s in NGOS],
    }[kind]
    name, sector, town = lists[index % len(lists)]
    if index >= len(lists):
        # More than the list holds (only in scaled-up benchmarks): keep names distinct.
        name = f"{name} {index // len(lists) + 1}"
    return name, sector, town


def plan_organisation(
    *, seed: int, slot: Slot, index: int, today: datetime.date, taken_names: set[str]
) -> OrganisationPlan:
    """The `index`-th generated organisation of `slot`: a pure function of its arguments."""
    rng = random.Random(f"klaster-demo/{seed}/{slot[0]}/{slot[1]}/{index}")
    kind, variant = slot
    size = variant if kind == Kind.ENTERPRISE else ""
    support_type = variant if kind == Kind.BUSINESS_SUPPORT else ""

    primary_sector = rng.choices([s.code for s in SECTORS], weights=_SECTOR_WEIGHTS)[0]
    town = rng.choices(TOWNS, weights=_TOWN_WEIGHTS)[0]
    if kind == Kind.ENTERPRISE:
        for _attempt in range(20):
            name, short_name = _enterprise_name(rng, size, primary_sector)
            if name not in taken_names:
                break
        else:
            name = f"{name} {index}"
    else:
        name, fixed_sector, fixed_town = _fixed_name(slot, index)
        short_name = ""
        primary_sector = fixed_sector or primary_sector
        if fixed_town:
            town = TOWNS_BY_NAME[fixed_town]
        elif kind == Kind.RESEARCH_INSTITUTE:
            # Most institutes sit in Warsaw; energy ones near the Płock refinery and Kozienice.
            town = TOWNS_BY_NAME[
                "Płock" if primary_sector == "energy" and index % 2 else "Warszawa"
            ]
    taken_names.add(name)

    sector_codes = [primary_sector]
    broad = kind in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE, Kind.BUSINESS_SUPPORT)
    extra_sectors = rng.randint(1, 3) if broad else (1 if rng.random() < 0.3 else 0)
    for code in rng.sample([s.code for s in SECTORS if s.code != primary_sector], extra_sectors):
        sector_codes.append(code)
    terms = _pick_competences(rng, sector_codes, rng.randint(2, 5))
    tools = rng.sample(SECTORS_BY_CODE[primary_sector].tools, 2)

    year_founded = _founded(rng, kind, today)
    employees_band, turnover_band = _bands(rng, kind, size)
    status, joined_on, left_on = _membership(rng, kind=kind, year_founded=year_founded, today=today)
    domain = f"{_web_slug(short_name or name)}.example"

    tags_pl = [t[0] for t in terms]
    tags_en = [t[1] for t in terms]
    if kind == Kind.ENTERPRISE:
        size_pl, size_en = _SIZE_NOUNS[size]
        sector = SECTORS_BY_CODE[primary_sector]
        offer_pl, offer_en = rng.choice(_OFFERS)
        seek_pl, seek_en = rng.choice(_SEEKS)
        description_pl = (
            f"{short_name} to {size_pl} z siedzibą {town.locative}, działające od {year_founded} r. "
            f"w branży {sector.genitive_pl}. Specjalizujemy się w obszarach: "
            f"{_join_terms(tags_pl, 'oraz')}. {offer_pl} {seek_pl}"
        ).strip()
        description_en = (
            f"{short_name} is {size_en} based in {town.locative_en}, active in {sector.name_en} "
            f"since {year_founded}. We specialise in {_join_terms(tags_en, 'and')}. "
            f"{offer_en} {seek_en}"
        ).strip()
    else:
        intro_pl, intro_en = _INSTITUTION_INTROS[kind]
        values = {
            "name": name,
            "loc": town.locative,
            "town_en": town.locative_en,
            "terms": _join_terms(tags_pl, "oraz"),
            "terms_en": _join_terms(tags_en, "and"),
        }
        description_pl = intro_pl.format(**values)
        description_en = intro_en.format(**values)
    if joined_on:
        description_pl += " " + _COOPERATION[0].format(joined=joined_on.year)
        description_en += " " + _COOPERATION[1].format(joined=joined_on.year)

    # Universities and local governments are not in the court register (KRS); the rest are.
    has_krs = kind not in (Kind.UNIVERSITY, Kind.PUBLIC_ADMINISTRATION)
    people_count = rng.choice((1, 1, 2, 2, 3) if kind == Kind.ENTERPRISE else (2, 3))
    return OrganisationPlan(
        slot=slot,
        index=index,
        name=name,
        short_name=short_name[:60],
        kind=kind,
        enterprise_size=size,
        support_type=support_type,
        nip=_nip(rng),
        regon=_regon(rng),
        krs=_krs(rng) if has_krs else "",
        city=town.name,
        postcode=rng.choice(town.postcodes),
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        nuts_code=town.nuts_code,
        sector_codes=sector_codes,
        competence_names=tags_pl,
        competences_text=f"Narzędzia i standardy / tools and standards: {', '.join(tools)}.",
        description_pl=description_pl,
        description_en=description_en,
        website=f"https://www.{domain}",
        employees_band=employees_band,
        turnover_band=turnover_band,
        year_founded=year_founded,
        membership_status=status,
        joined_on=joined_on,
        left_on=left_on,
        people=_people(
            rng,
            kind=kind,
            domain=domain,
            phone_area=town.phone_area,
            today=today,
            count=people_count,
        ),
    )


_IDENTIFIER_DRAWS = {"nip": _nip, "regon": _regon, "krs": _krs}


def _redraws(plan: OrganisationPlan, column: str, *, seed: int):
    """The plan's own value, then an endless deterministic sequence of further draws."""
    yield getattr(plan, column)
    kind, variant = plan.slot
    for attempt in itertools.count(1):
        rng = random.Random(f"klaster-demo/{seed}/{kind}/{variant}/{plan.index}/{column}/{attempt}")
        yield _IDENTIFIER_DRAWS[column](rng)


def _with_unique_identifiers(
    plan: OrganisationPlan, taken: dict[str, set[str]], *, seed: int, skip_nips: set[str]
) -> OrganisationPlan | None:
    """The plan with each NIP, REGON and KRS drawn again until no organisation has it (the
    registry holds each at most once), or None when its NIP shows it was generated before."""
    values = {}
    for column in _IDENTIFIER_DRAWS:
        if not getattr(plan, column):
            continue  # no KRS for universities and local governments
        for candidate in _redraws(plan, column, seed=seed):
            if column == "nip" and candidate in skip_nips:
                return None
            if candidate not in taken[column]:
                values[column] = candidate
                break
    return dataclasses.replace(plan, **values)


def plan_organisations(
    *,
    seed: int,
    missing: dict[Slot, int],
    today: datetime.date | None = None,
    skip_nips: set[str] | None = None,
    taken_names: set[str] | None = None,
    taken_identifiers: dict[str, set[str]] | None = None,
) -> list[OrganisationPlan]:
    """Plans for the organisations that fill `missing`, slot by slot, from index 0 upwards.

    Indices whose NIP is in `skip_nips` were generated before and are still there: they are
    passed over, so a second run re-creates only what was deleted and never duplicates.
    No two plans, and no plan and an organisation of `taken_identifiers` (column -> values
    already in the registry), share a NIP, REGON or KRS: clashing numbers are drawn again.
    """
    today = today or timezone.localdate()
    skip_nips = skip_nips or set()
    taken_names = set() if taken_names is None else taken_names
    taken = {column: set((taken_identifiers or {}).get(column, ())) for column in _IDENTIFIER_DRAWS}
    plans: list[OrganisationPlan] = []
    planned_nips: set[str] = set()
    for slot in sorted(missing):
        wanted, index = missing[slot], 0
        while wanted > 0:
            plan = plan_organisation(
                seed=seed, slot=slot, index=index, today=today, taken_names=taken_names
            )
            index += 1
            if plan.nip in skip_nips or plan.nip in planned_nips:
                continue
            plan = _with_unique_identifiers(plan, taken, seed=seed, skip_nips=skip_nips)
            if plan is None:
                continue
            planned_nips.add(plan.nip)
            for column in _IDENTIFIER_DRAWS:
                taken[column].add(getattr(plan, column))
            plans.append(plan)
            wanted -= 1
    return plans


# --- Writing the demo --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    organisation: str


DEMO_LOGINS = (
    # (role as printed, username, password): fixed, so that the README can name them.
    ("coordinator", "koordynator", "demo-koordynator-2026"),
    ("member editor", "redaktor-a", "demo-redaktor-a-2026"),
    ("member editor", "redaktor-b", "demo-redaktor-b-2026"),
    ("investor", "inwestor", "demo-inwestor-2026"),
)


@dataclass
class DemoReport:
    created_organisations: int
    organisations_by_kind: dict[str, int]
    smes: int
    people: int
    memberships_by_status: dict[str, int]
    fees_created: int
    logins: list[DemoLogin]
    seconds: float


# Generated text holds only ASCII and Polish letters; for those, folding is a character table,
# which is what makes 10,000 search documents cheap. Anything else goes through `fold`.
_POLISH_FOLDS = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
_FAST_FOLDABLE = frozenset("".join(chr(c) for c in range(32, 127)) + "\t\n" + "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def _fold(text: str) -> str:
    if not _FAST_FOLDABLE.issuperset(text):
        return fold(text)
    return " ".join(text.translate(_POLISH_FOLDS).lower().split())


def search_document_for_plan(plan: OrganisationPlan, sectors_by_code: dict[str, Sector]) -> str:
    """The same text as `members.services.search_document_for`, without database reads.

    The demo writes thousands of organisations in one bulk insert; a test keeps the two in step.
    """
    parts = [
        plan.name,
        plan.short_name,
        plan.description_pl,
        plan.description_en,
        plan.competences_text,
        plan.city,
        plan.voivodeship,
        plan.nip,
        " ".join(sorted(plan.competence_names)),
        " ".join(
            f"{sector.name_pl} {sector.name_en}"
            for sector in sorted(
                (sectors_by_code[code] for code in plan.sector_codes),
                key=lambda sector: (not sector.is_builtin, sector.name_en),
            )
        ),
    ]
    return _fold(" ".join(p for p in parts if p))


def _sectors_by_code() -> dict[str, Sector]:
    sectors = {sector.code: sector for sector in Sector.objects.filter(code__in=SECTORS_BY_CODE)}
    for vocabulary in SECTORS:
        if vocabulary.code not in sectors:
            # The built-in sectors come with migration 0002; recreate any that staff deleted.
            sectors[vocabulary.code] = Sector.objects.create(
                code=vocabulary.code,
                name_pl=vocabulary.genitive_pl.capitalize(),
                name_en=vocabulary.name_en.capitalize(),
                is_builtin=True,
            )
    return sectors


def _competences_by_name(names: set[str]) -> dict[str, Competence]:
    technology = {term[0] for sector in SECTORS for term in sector.terms if term[2]}
    slugs = {name: slugify(name, allow_unicode=True) for name in names}
    existing = {c.slug: c for c in Competence.objects.filter(slug__in=slugs.values())}
    Competence.objects.bulk_create(
        [
            Competence(
                name=name,
                slug=slug,
                kind=Competence.Kind.TECHNOLOGY
                if name in technology
                else Competence.Kind.COMPETENCE,
            )
            for name, slug in slugs.items()
            if slug not in existing
        ],
        ignore_conflicts=True,
    )
    by_slug = {c.slug: c for c in Competence.objects.filter(slug__in=slugs.values())}
    return {name: by_slug[slug] for name, slug in slugs.items()}


def _tiers_by_rank() -> list[MembershipTier | None]:
    """[basic, standard, strategic]: the tiers from cheapest to dearest (migration 0002)."""
    tiers: list[MembershipTier | None] = list(MembershipTier.objects.order_by("annual_fee"))
    if not tiers:
        return [None, None, None]
    return [tiers[0], tiers[len(tiers) // 2], tiers[-1]]


def _tier_rank(plan: OrganisationPlan) -> int:
    if plan.kind == Kind.ENTERPRISE:
        return {Size.MICRO: 0, Size.SMALL: 0, Size.MEDIUM: 1, Size.LARGE: 2}[plan.enterprise_size]
    if plan.kind in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE, Kind.INVESTMENT_FUND):
        return 2
    return 1


def _write_plans(plans: list[OrganisationPlan], *, batch_size: int = 500) -> list[Organisation]:
    sectors = _sectors_by_code()
    competences = _competences_by_name({name for plan in plans for name in plan.competence_names})
    tiers = _tiers_by_rank()

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=plan.name,
                short_name=plan.short_name,
                kind=plan.kind,
                enterprise_size=plan.enterprise_size,
                support_type=plan.support_type,
                is_sme=plan.is_sme,  # bulk_create skips Organisation.save, which sets it
                nip=plan.nip,
                regon=plan.regon,
                krs=plan.krs,
                vat_number=plan.vat_number,
                pic=None,
                competences_text=plan.competences_text,
                description_pl=plan.description_pl,
                description_en=plan.description_en,
                street=plan.street,
                postcode=plan.postcode,
                city=plan.city,
                voivodeship=plan.voivodeship,
                nuts_code=plan.nuts_code,
                country="PL",
                website=plan.website,
                employees_band=plan.employees_band,
                turnover_band=plan.turnover_band,
                year_founded=plan.year_founded,
                is_published=plan.membership_status != Membership.Status.CANDIDATE,
                source=Organisation.Source.DEMO_GENERATED,
                search_document=search_document_for_plan(plan, sectors),
            )
            for plan in plans
        ],
        batch_size=batch_size,
    )
    if any(o.pk is None for o in organisations):
        # Databases that return no keys from a bulk insert: look them up by the stable NIP.
        by_nip = dict(
            Organisation.objects.filter(
                source=Organisation.Source.DEMO_GENERATED, nip__in=[p.nip for p in plans]
            ).values_list("nip", "pk")
        )
        for organisation in organisations:
            organisation.pk = by_nip[organisation.nip]

    SectorLink = Organisation.sectors.through
    CompetenceLink = Organisation.competences.through
    SectorLink.objects.bulk_create(
        [
            SectorLink(organisation_id=organisation.pk, sector_id=sectors[code].pk)
            for organisation, plan in zip(organisations, plans, strict=True)
            for code in plan.sector_codes
        ],
        batch_size=batch_size * 4,
    )
    CompetenceLink.objects.bulk_create(
        [
            CompetenceLink(organisation_id=organisation.pk, competence_id=competences[name].pk)
            for organisation, plan in zip(organisations, plans, strict=True)
            for name in plan.competence_names
        ],
        batch_size=batch_size * 4,
    )
    Person.objects.bulk_create(
        [
            Person(
                organisation_id=organisation.pk,
                first_name=person.first_name,
                last_name=person.last_name,
                position=person.position,
                email=person.email,
                phone=person.phone,
                is_primary_contact=person.is_primary_contact,
                consent_purpose=CONSENT_PURPOSE if person.consent_given_on else "",
                consent_given_on=person.consent_given_on,
                consent_withdrawn_on=person.consent_withdrawn_on,
            )
            for organisation, plan in zip(organisations, plans, strict=True)
            for person in plan.people
        ],
        batch_size=batch_size * 2,
    )
    memberships = []
    for organisation, plan in zip(organisations, plans, strict=True):
        if plan.membership_status is None:
            continue
        tier = tiers[_tier_rank(plan)]
        memberships.append(
            Membership(
                organisation_id=organisation.pk,
                status=plan.membership_status,
                joined_on=plan.joined_on,
                left_on=plan.left_on,
                tier=tier,
                annual_fee=tier.annual_fee if tier else Decimal("0"),
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=batch_size)
    return organisations


def _fee_plan(
    membership: Membership, organisation_nip: str, *, seed: int, year: int, today: datetime.date
) -> FeePayment | None:
    """This year's or last year's fee of one demo membership, paid or not, or None if not owed."""
    if not membership.joined_on or membership.joined_on.year > year or not membership.annual_fee:
        return None
    if membership.left_on and membership.left_on.year < year:
        return None
    rng = random.Random(f"klaster-demo-fee/{seed}/{organisation_nip}/{year}")
    # Most members pay by the end of March; some agreed on half-year or year-end terms, so
    # the fee dashboard shows money still due (not yet late) at any time of the year.
    due_on = datetime.date(year, *rng.choices(((3, 31), (9, 30), (12, 31)), weights=(6, 2, 2))[0])
    fee = FeePayment(
        membership=membership,
        year=year,
        amount=membership.annual_fee,
        due_on=due_on,
        reference="",
    )
    if membership.status == Membership.Status.SUSPENDED:
        pay_probability = 0.15  # suspended for not paying, mostly
    elif year < today.year:
        pay_probability = 0.92
    else:
        pay_probability = 0.72 if today > due_on else 0.35
    if rng.random() < pay_probability:
        invoiced_on = due_on - datetime.timedelta(days=80)
        paid_on = invoiced_on + datetime.timedelta(days=rng.randint(0, 110))
        fee.paid_on = min(paid_on, today)
        fee.reference = f"KL/{year}/{organisation_nip[-6:]}"
    return fee


def _top_up_fees(*, seed: int, today: datetime.date) -> int:
    """Fees of demo memberships for the previous and the current year, where still missing."""
    years = (today.year - 1, today.year)
    memberships = Membership.objects.filter(
        organisation__source__in=DEMO_SOURCES,
        status__in=(
            Membership.Status.ACTIVE,
            Membership.Status.SUSPENDED,
            Membership.Status.FORMER,
        ),
    ).select_related("organisation")
    have = set(
        FeePayment.objects.filter(membership__in=memberships, year__in=years).values_list(
            "membership_id", "year"
        )
    )
    fees = []
    for membership in memberships:
        for year in years:
            if (membership.pk, year) in have:
                continue
            fee = _fee_plan(
                membership, membership.organisation.nip, seed=seed, year=year, today=today
            )
            if fee:
                fees.append(fee)
    FeePayment.objects.bulk_create(fees, batch_size=1000)
    return len(fees)


def _ensure_login(
    *, username: str, password: str, role: str, organisation: Organisation | None, staff: bool
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@klaster-demo.example",
            "first_name": {"koordynator": "Koordynator", "inwestor": "Inwestor"}.get(
                username, "Redaktor"
            ),
            "last_name": "Demo",
        },
    )
    user.role = role
    user.is_staff = staff
    user.is_superuser = staff
    user.is_active = True
    if user.organisation_id is None or created:
        user.organisation = organisation
    # Hashing is slow on purpose; keep a working password rather than rehash on every run.
    if created or not user.check_password(password):
        user.set_password(password)
    user.save()
    return user


def _ensure_logins() -> list[DemoLogin]:
    demo = Organisation.objects.filter(source__in=DEMO_SOURCES, is_published=True)
    editable_smes = list(
        demo.filter(is_sme=True, membership__status=Membership.Status.ACTIVE).order_by("nip")[:2]
    )
    fund = demo.filter(kind=Kind.INVESTMENT_FUND).order_by("nip").first()
    roles = [
        (User.Role.COORDINATOR, None, True),
        (User.Role.MEMBER_EDITOR, editable_smes[0] if editable_smes else None, False),
        (User.Role.MEMBER_EDITOR, editable_smes[1] if len(editable_smes) > 1 else None, False),
        (User.Role.INVESTOR, fund, False),
    ]
    logins = []
    for (label, username, password), (role, organisation, staff) in zip(
        DEMO_LOGINS, roles, strict=True
    ):
        user = _ensure_login(
            username=username,
            password=password,
            role=role,
            organisation=organisation,
            staff=staff,
        )
        logins.append(
            DemoLogin(
                role=label,
                username=username,
                password=password,
                organisation=user.organisation.name if user.organisation else "",
            )
        )
    return logins


@transaction.atomic
def build_demo_cluster(
    *,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    composition: dict[Slot, int] | None = None,
    with_logins: bool = True,
) -> DemoReport:
    """Fill the database with the demo cluster, adding only what is missing (idempotent).

    Demo organisations already present (generated earlier, or real ones from CORDIS) count
    towards `composition`; generated organisations top up each slot to its target.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    target = MAZOVIA_CLUSTER_ICT if composition is None else composition
    missing = missing_composition(target=target, existing=existing_demo_composition())
    generated = Organisation.objects.filter(source=Organisation.Source.DEMO_GENERATED)
    plans = plan_organisations(
        seed=seed,
        missing=missing,
        today=today,
        skip_nips=set(generated.values_list("nip", flat=True)),
        taken_names=set(Organisation.objects.values_list("name", flat=True)),
        taken_identifiers={
            column: set(Organisation.objects.exclude(**{column: ""}).values_list(column, flat=True))
            for column in ("nip", "regon", "krs")
        },
    )
    _write_plans(plans)
    fees_created = _top_up_fees(seed=seed, today=today)
    logins = _ensure_logins() if with_logins else []

    demo = Organisation.objects.filter(source__in=DEMO_SOURCES)
    by_kind = Counter(demo.values_list("kind", flat=True))
    return DemoReport(
        created_organisations=len(plans),
        organisations_by_kind={kind: by_kind.get(kind, 0) for kind in Kind.values},
        smes=demo.filter(is_sme=True).count(),
        people=Person.objects.filter(organisation__source__in=DEMO_SOURCES).count(),
        memberships_by_status=dict(
            Counter(
                Membership.objects.filter(organisation__source__in=DEMO_SOURCES).values_list(
                    "status", flat=True
                )
            )
        ),
        fees_created=fees_created,
        logins=logins,
        seconds=time.perf_counter() - started,
    )
