"""The words the demo generator composes with: towns of Mazowieckie, sectors with their
competences and tools, parts of company names, fixed names of institutions, people's names and
positions, and the sentences of descriptions. Data only; `planning` makes the choices.

Everything is fictitious and marked as such where it could be taken for real (local governments
carry "(demo)"); the word lists are Polish, with English where a description needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from klaster.members.models import Organisation

Kind = Organisation.Kind
Size = Organisation.EnterpriseSize
Support = Organisation.SupportType

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
TOWN_WEIGHTS = [town.weight for town in TOWNS]

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
SECTOR_WEIGHTS = [sector.weight for sector in SECTORS]

# --- Names -------------------------------------------------------------------------------------

# Polish adjective forms per gender (masculine, feminine, neuter), matched to the noun's gender,
# so that generated brands read as Polish ("Zielona Fala", "Cyfrowy Most", "Jasne Pole").
ADJECTIVES = (
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
NOUNS = (
    ("Most", 0), ("Kod", 0), ("Horyzont", 0), ("Bieg", 0), ("Zenit", 0), ("Puls", 0),
    ("Wiatr", 0), ("Kompas", 0), ("Sygnał", 0), ("Węzeł", 0), ("Brzeg", 0), ("Prąd", 0),
    ("Fala", 1), ("Iskra", 1), ("Orbita", 1), ("Chmura", 1), ("Sieć", 1), ("Dolina", 1),
    ("Kuźnia", 1), ("Przystań", 1), ("Zorza", 1), ("Gwiazda", 1), ("Rzeka", 1), ("Mapa", 1),
    ("Pole", 2), ("Źródło", 2), ("Ogniwo", 2), ("Światło", 2), ("Jutro", 2), ("Okno", 2),
)  # fmt: skip
TAILS_BY_SECTOR = {
    "ict": ("Software", "Data", "Labs", "Systems", "Digital", "Cloud", "Tech", "AI"),
    "energy": ("Energy", "Grid", "Power", "Automation", "Tech"),
    "space": ("Space", "Orbital", "Geo", "Sat", "Labs"),
    "ecology": ("Eco", "Environment", "Green Tech", "Recycling", "Labs"),
    "renewable-energy": ("Solar", "Renewables", "Wind", "Energy", "Heat"),
}
LEGAL_FORMS = {
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

FIRST_NAMES_FEMALE = (
    "Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Ewa", "Monika", "Aleksandra",
    "Marta", "Karolina", "Natalia", "Zofia", "Julia", "Barbara", "Dorota", "Paulina",
)  # fmt: skip
FIRST_NAMES_MALE = (
    "Piotr", "Tomasz", "Paweł", "Michał", "Krzysztof", "Marcin", "Jakub", "Adam", "Łukasz",
    "Grzegorz", "Mateusz", "Andrzej", "Wojciech", "Kamil", "Rafał", "Bartosz",
)  # fmt: skip
# (masculine, feminine)
LAST_NAMES = (
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"), ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"), ("Król", "Król"), ("Wieczorek", "Wieczorek"),
    ("Jabłoński", "Jabłońska"), ("Wróbel", "Wróbel"), ("Majewski", "Majewska"),
)  # fmt: skip
POSITIONS = {
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

SIZE_NOUNS = {
    Size.MICRO: ("mikroprzedsiębiorstwo", "a micro-enterprise"),
    Size.SMALL: ("małe przedsiębiorstwo", "a small enterprise"),
    Size.MEDIUM: ("średnie przedsiębiorstwo", "a medium-sized enterprise"),
    Size.LARGE: ("duże przedsiębiorstwo", "a large enterprise"),
}
# Each pair says the same thing in Polish and in English.
OFFERS = (
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
SEEKS = (
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
INSTITUTION_INTROS = {
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
COOPERATION = (
    "W klastrze od roku {joined}; otwarci na wspólne projekty z członkami.",
    "A cluster member since {joined}; open to joint projects with other members.",
)

# --- Brokerage day ------------------------------------------------------------------------------

# What companies look for at the demo's brokerage day, by sector code; what they offer comes
# from their own competences.
LOOKING_FOR = {
    "ict": ["partner wdrożeniowy chmury", "dostawca cyberbezpieczeństwa", "analiza danych"],
    "energy": ["magazyny energii", "inteligentne sieci", "fotowoltaika dla gmin"],
    "renewable-energy": ["fotowoltaika", "magazyny energii", "pompy ciepła"],
    "space": ["zobrazowania satelitarne", "systemy nawigacji satelitarnej", "czujniki"],
    "ecology": ["monitoring jakości powietrza", "gospodarka obiegu zamkniętego", "czujniki"],
}
FALLBACK_LOOKING_FOR = ["partnerzy do projektów Horyzont Europa", "inwestor", "analiza danych"]
