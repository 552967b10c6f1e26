"""The partner index: what the history says about every organisation, ready for fast queries.

Built once from a `ProjectHistory` (projects with their consortia). Holds
- text profiles of organisations (TF-IDF over their past projects' texts, a short field-aware
  profile of titles, keywords, topics and fields of science, and a dense LSA profile),
- the projects' own text vectors (for votes of similar past projects),
- the collaboration graph (co-participation in Horizon Europe and Horizon 2020, also weighted by
  recency, and who led the projects),
- activity per work-programme key (topic, destination, cluster, call, funding scheme),
- organisation facts (type, country, SME, activity, recency) and the type/country mix of each
  funding scheme.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from klaster.core.records import (
    CONSORTIUM_ROLES,
    COORDINATOR,
    OrganisationRecord,
    Project,
    ProjectHistory,
)
from klaster.core.text import detect_language, tokenize

ACTIVITY_TYPES = ("HES", "REC", "PRC", "PUB", "OTH")
COUNTRY_GROUPS = ("eu15", "eu13", "associated", "third")
_EU15 = frozenset(
    ["AT", "BE", "DE", "DK", "EL", "ES", "FI", "FR", "IE", "IT", "LU", "NL", "PT", "SE"]
)
_EU13 = frozenset(["BG", "CY", "CZ", "EE", "HR", "HU", "LT", "LV", "MT", "PL", "RO", "SI", "SK"])
# Countries associated to Horizon Europe (and the UK, associated since 2024).
_ASSOCIATED = frozenset(
    [
        "NO",
        "IS",
        "CH",
        "UK",
        "IL",
        "TR",
        "RS",
        "ME",
        "MK",
        "AL",
        "BA",
        "MD",
        "UA",
        "GE",
        "AM",
        "TN",
        "FO",
        "XK",
        "NZ",
    ]
)
_YEAR = re.compile(r"^\d{4}$")
# Keys of the work programme an organisation can be active in, coarsest last.
KEY_KINDS = ("topic", "destination", "call", "cluster", "scheme")


def country_group(country: str) -> str:
    """The group a country belongs to for Horizon Europe: eu15, eu13 (widening), associated, third.

    Examples
    --------
    >>> country_group("PL"), country_group("DE"), country_group("NO"), country_group("US")
    ('eu13', 'eu15', 'associated', 'third')
    """
    if country in _EU15:
        return "eu15"
    if country in _EU13:
        return "eu13"
    if country in _ASSOCIATED:
        return "associated"
    return "third"


def scheme_family(funding_scheme: str) -> str:
    """The broad kind of action of a funding scheme: RIA, IA, CSA, MSCA, ERC, EIC, other.

    Examples
    --------
    >>> scheme_family("HORIZON-JU-RIA"), scheme_family("HORIZON-TMA-MSCA-DN"), scheme_family("")
    ('RIA', 'MSCA', 'other')
    """
    scheme = funding_scheme.upper()
    for family in ("MSCA", "ERC", "EIC"):
        if family in scheme:
            return family
    for family in ("RIA", "IA", "CSA"):
        if scheme.endswith("-" + family):
            return family
    return "other"


def work_programme_keys(topic: str, call: str, funding_scheme: str) -> dict[str, str]:
    """Keys of the work programme a project belongs to, with the year left out.

    Topic codes carry the year of the work programme ("HORIZON-CL5-2021-D2-01-11"); the same
    destination and topic come back in later years, so the year is dropped to let history count.

    Examples
    --------
    >>> keys = work_programme_keys("HORIZON-CL5-2021-D2-01-11", "HORIZON-CL5-2021-D2-01", "HORIZON-RIA")
    >>> keys["topic"], keys["destination"], keys["cluster"], keys["call"]
    ('HORIZON-CL5-D2-01-11', 'HORIZON-CL5-D2', 'HORIZON-CL5', 'HORIZON-CL5-D2-01')
    """
    keys: dict[str, str] = {}
    parts = [p for p in topic.upper().split("-") if p]
    if parts:
        year_at = next((i for i, p in enumerate(parts) if _YEAR.match(p)), None)
        if year_at is None:
            keys["topic"] = "-".join(parts)
            keys["cluster"] = "-".join(parts[:2])
            keys["destination"] = "-".join(parts[:3])
        else:
            without_year = parts[:year_at] + parts[year_at + 1 :]
            keys["topic"] = "-".join(without_year)
            keys["cluster"] = "-".join(parts[:year_at])
            keys["destination"] = "-".join(without_year[: year_at + 1])
    if call:
        keys["call"] = "-".join(p for p in call.upper().split("-") if p and not _YEAR.match(p))
    if funding_scheme:
        keys["scheme"] = funding_scheme.upper()
    return keys


def project_document(project: Project) -> tuple[list[str], list[str]]:
    """Tokens of a project's full text, and of its short fields (title, keywords, topics, fields).

    The language is told once for the whole project, so that short fields (keywords) are stemmed
    as their project's language. The title counts twice because it is the densest statement of
    the subject. (Word pairs were tried and added nothing on the 2024 split.)
    """
    language = detect_language(" ".join((project.title, project.objective)))
    fields = [path.rstrip("/").rsplit("/", 1)[-1] for path in project.fields_of_science]
    short: list[str] = []
    title = tokenize(project.title, language)
    short += title + title
    for text in (*project.keywords, *project.topic_titles, *fields):
        short += tokenize(text, language)
    return short + tokenize(project.objective, language), short


# Parts of a web address that say nothing of the organisation.
_ADDRESS_NOISE = frozenset(
    ["www", "http", "https", "com", "org", "net", "edu", "gov", "int", "info", "eu", "ac", "co"]
)


def organisation_name_document(record: OrganisationRecord | None) -> list[str]:
    """Tokens of what an organisation calls itself: name, short name and web address.

    Names tell what many organisations do ("Hydrogen Europe", "University Hospital of ...",
    "Municipality of ...") even where the texts of their few projects are broad. Each word
    counts once.

    Examples
    --------
    >>> record = OrganisationRecord("999999999", name="Solar Grid Systems GmbH",
    ...                             short_name="SGS", url="https://www.smart-grid.de/about")
    >>> organisation_name_document(record)
    ['solar', 'grid', 'system', 'gmbh', 'sgs', 'smart', 'de']
    """
    if record is None:
        return []
    host = re.sub(r"^[a-z]+://", "", record.url.lower()).split("/")[0]
    address = [word for word in re.split(r"[.\-_]", host) if word not in _ADDRESS_NOISE]
    words = tokenize(" ".join([record.name, record.short_name, *address]))
    return list(dict.fromkeys(words))


def _identity(tokens):
    return tokens


@dataclass
class PartnerIndex:
    """Everything the ranker reads about organisations, built from a history of projects."""

    organisations: list[str]
    position: dict[str, int]
    org_type: np.ndarray  # index into ACTIVITY_TYPES, -1 unknown
    org_country: list[str]
    org_group: np.ndarray  # index into COUNTRY_GROUPS
    org_sme: np.ndarray  # 1, 0, or nan when unknown
    org_name: list[str]
    projects_he: np.ndarray  # consortium memberships in projects with text (Horizon Europe)
    projects_other: np.ndarray  # ... in projects without text (Horizon 2020)
    coordinations: np.ndarray
    recent_projects: np.ndarray  # memberships in the last two years before `end_date`
    last_start: np.ndarray  # ordinal day of the latest project start, 0 if never
    end_date: date
    # text
    vectorizer: TfidfVectorizer
    idf: np.ndarray  # per term, as the vectoriser weighs it
    dense_axes: np.ndarray  # terms x LSA dimensions
    text_projects: list[Project]
    project_vectors: sparse.csr_matrix  # text projects x terms, l2-normalised
    project_dense: np.ndarray  # text projects x LSA dimensions, l2-normalised
    text_members: sparse.csr_matrix  # text projects x organisations (1 = consortium member)
    organisation_projects: sparse.csr_matrix  # organisations x text projects
    topic_titles: dict[str, str]  # topic code, with and without its year -> title
    profile_full: sparse.csr_matrix  # terms x organisations (term-major: a query reads few rows)
    profile_short: sparse.csr_matrix  # terms x organisations
    project_terms: sparse.csr_matrix  # terms x text projects
    profile_dense: np.ndarray  # organisations x LSA dimensions
    profile_name: sparse.csr_matrix  # terms x organisations: name, short name, web address
    # graph
    co_he: sparse.csr_matrix  # organisations x organisations, shared projects with text
    co_other: sparse.csr_matrix  # ... shared projects without text
    co_any: sparse.csr_matrix  # 1 where the two ever shared a project
    co_recent: sparse.csr_matrix  # shared projects, each weighing less with age (half-life 2 years)
    co_recent_fast: sparse.csr_matrix  # ... with a half-life of 1 year
    led_with: sparse.csr_matrix  # row led projects with column as member; diagonal: projects led
    led_by: sparse.csr_matrix  # led_with transposed: row was a member of projects column led
    led_recent: sparse.csr_matrix  # led_with, each project weighing less with age (2 years)
    # work programme
    key_position: dict[tuple[str, str], int]
    key_activity: sparse.csc_matrix  # organisations x keys, consortium memberships
    scheme_type_share: dict[str, np.ndarray]  # scheme -> share of members per activity type
    scheme_group_share: dict[str, np.ndarray]  # scheme -> share of members per country group
    country_affinity: dict[str, dict[str, float]]  # coordinator country -> partner country share

    @property
    def size(self) -> int:
        return len(self.organisations)

    @classmethod
    def build(
        cls,
        history: ProjectHistory,
        *,
        dense_dimensions: int = 192,
        seed: int = 0,
        token_cache: dict[str, tuple[list[str], list[str]]] | None = None,
    ) -> PartnerIndex:
        """Index `history` for partner search.

        `token_cache` (project id -> tokens) lets several indexes over overlapping histories,
        as in time-split training, tokenise each project once.
        """
        members: dict[str, list[str]] = defaultdict(list)
        coordinator_of: dict[str, str] = {}
        facts: dict[str, tuple[str, str, bool | None, date]] = {}
        start_of = {p.id: p.start_date for p in history.projects}
        for participation in history.participations:
            if participation.role not in CONSORTIUM_ROLES:
                continue
            consortium = members[participation.project_id]
            if participation.organisation_id not in consortium:
                consortium.append(participation.organisation_id)
            if participation.role == COORDINATOR:
                coordinator_of[participation.project_id] = participation.organisation_id
            # The latest participation tells what the organisation is now.
            started = start_of.get(participation.project_id) or date.min
            known = facts.get(participation.organisation_id)
            if known is None or started >= known[3]:
                sme = (
                    participation.sme if participation.sme is not None else (known or {2: None})[2]
                )
                facts[participation.organisation_id] = (
                    participation.country or (known[0] if known else ""),
                    participation.activity_type or (known[1] if known else ""),
                    sme,
                    started,
                )
            elif known[2] is None and participation.sme is not None:
                facts[participation.organisation_id] = (*known[:2], participation.sme, known[3])
        projects = [p for p in history.projects if members.get(p.id)]
        organisations = sorted({o for p in projects for o in members[p.id]})
        position = {o: i for i, o in enumerate(organisations)}
        n_orgs = len(organisations)
        records = {o.organisation_id: o for o in history.organisations}

        org_country, org_type, org_sme, org_name = [], [], [], []
        for organisation in organisations:
            # Facts come from the history's own participation rows, so that an index of older
            # projects never sees what later rows say of an organisation; the record only fills gaps.
            country, activity_type, sme, _ = facts.get(organisation, ("", "", None, None))
            record = records.get(organisation)
            if record is not None:
                country = country or record.country
                activity_type = activity_type or record.activity_type
                sme = sme if sme is not None else record.sme
            org_country.append(country)
            org_type.append(
                ACTIVITY_TYPES.index(activity_type) if activity_type in ACTIVITY_TYPES else -1
            )
            org_sme.append(np.nan if sme is None else float(sme))
            org_name.append(record.name if record is not None else "")
        org_group = np.array([COUNTRY_GROUPS.index(country_group(c)) for c in org_country], np.int8)

        starts = [p.start_date for p in projects if p.start_date is not None]
        end_date = max(starts) if starts else date(1970, 1, 1)
        recent_from = end_date.toordinal() - 730

        # Memberships: projects x organisations.
        rows, cols = [], []
        for j, project in enumerate(projects):
            for organisation in members[project.id]:
                rows.append(j)
                cols.append(position[organisation])
        membership = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(projects), n_orgs)
        )
        has_text = np.array([p.has_text for p in projects])
        start = np.array([p.start_date.toordinal() if p.start_date else 0 for p in projects])
        projects_he = np.asarray(membership[has_text].sum(axis=0)).ravel()
        projects_other = np.asarray(membership[~has_text].sum(axis=0)).ravel()
        recent_projects = np.asarray(membership[start >= recent_from].sum(axis=0)).ravel()
        last_start = np.zeros(n_orgs, np.int64)
        for j, o in zip(rows, cols, strict=True):
            last_start[o] = max(last_start[o], start[j])
        coordinations = np.zeros(n_orgs, np.float32)
        for project in projects:
            if project.id in coordinator_of:
                coordinations[position[coordinator_of[project.id]]] += 1

        # Text.
        text_rows = np.flatnonzero(has_text)
        text_projects = [projects[j] for j in text_rows]
        documents = []
        for project in text_projects:
            tokens = token_cache.get(project.id) if token_cache is not None else None
            if tokens is None:
                tokens = project_document(project)
                if token_cache is not None:
                    token_cache[project.id] = tokens
            documents.append(tokens)
        vectorizer = TfidfVectorizer(
            analyzer=_identity, min_df=2, max_df=0.5, sublinear_tf=True, dtype=np.float32
        )
        project_vectors = vectorizer.fit_transform([full for full, _ in documents]).tocsr()
        short_vectors = normalize(vectorizer.transform([short for _, short in documents]))
        dimensions = min(dense_dimensions, project_vectors.shape[1] - 1, len(text_projects) - 1)
        # An exact decomposition (ARPACK): the randomised one moved recall@50 by up to 0.003 with
        # its seed, and the exact one costs about 3 s more on the full history.
        svd = TruncatedSVD(n_components=dimensions, algorithm="arpack", random_state=seed)
        project_dense = normalize(svd.fit_transform(project_vectors)).astype(np.float32)
        text_members = membership[text_rows].tocsr()
        members_by_org = text_members.T.tocsr()
        profile_full = normalize(members_by_org @ project_vectors).astype(np.float32).T.tocsr()
        profile_short = normalize(members_by_org @ short_vectors).astype(np.float32).T.tocsr()
        profile_dense = normalize(members_by_org @ project_dense).astype(np.float32)
        profile_name = _name_profiles(organisations, records, vectorizer)

        topic_titles: dict[str, str] = {}
        for project in text_projects:
            for code, title in zip(project.topics, project.topic_titles, strict=False):
                topic_titles[code.upper()] = title
                topic_titles[work_programme_keys(code, "", "").get("topic", "")] = title

        # Collaboration graph.
        def co_participation(mask: np.ndarray, weights: np.ndarray | None = None):
            part = membership[mask]
            if weights is not None:
                part = sparse.diags(weights[mask]) @ part
            graph = (membership[mask].T @ part).tocsr()
            graph.setdiag(0)
            graph.eliminate_zeros()
            return graph.astype(np.float32)

        every_project = np.ones(len(projects), bool)
        co_he = co_participation(has_text)
        co_other = co_participation(~has_text)
        co_any = (co_he + co_other).tocsr()
        co_any.data[:] = 1.0
        # Coordinators come back to the partners of their latest projects, and to those they led:
        # ties fade with age, and a tie made under the coordinator's lead counts apart.
        age_years = np.where(start > 0, (end_date.toordinal() - start) / 365.25, 100.0)
        fading = (0.5 ** (age_years / 2.0)).astype(np.float32)
        co_recent = co_participation(every_project, fading)
        co_recent_fast = co_participation(every_project, (0.5**age_years).astype(np.float32))
        led_rows = [j for j, p in enumerate(projects) if p.id in coordinator_of]
        leads = sparse.csr_matrix(
            (
                np.ones(len(led_rows), np.float32),
                (led_rows, [position[coordinator_of[projects[j].id]] for j in led_rows]),
            ),
            shape=(len(projects), n_orgs),
        )
        led_with = (leads.T @ membership).tocsr()
        led_recent = (leads.T @ sparse.diags(fading) @ membership).tocsr()

        # Work programme activity.
        key_position: dict[tuple[str, str], int] = {}
        key_rows, key_cols = [], []
        scheme_types: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(ACTIVITY_TYPES)))
        scheme_groups: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(COUNTRY_GROUPS)))
        pair_counts: dict[str, Counter] = defaultdict(Counter)
        for project in projects:
            keys = work_programme_keys(
                project.topics[0] if project.topics else "", project.call, project.funding_scheme
            )
            key_ids = [key_position.setdefault(item, len(key_position)) for item in keys.items()]
            coordinator = coordinator_of.get(project.id)
            for organisation in members[project.id]:
                o = position[organisation]
                for k in key_ids:
                    key_rows.append(o)
                    key_cols.append(k)
                if organisation == coordinator:
                    continue
                if project.funding_scheme:
                    if org_type[o] >= 0:
                        scheme_types[project.funding_scheme][org_type[o]] += 1
                    scheme_groups[project.funding_scheme][org_group[o]] += 1
                if coordinator is not None:
                    pair_counts[org_country[position[coordinator]]][org_country[o]] += 1
        key_activity = sparse.csc_matrix(
            (np.ones(len(key_rows), np.float32), (key_rows, key_cols)),
            shape=(n_orgs, max(len(key_position), 1)),
        )
        scheme_type_share = {s: v / max(v.sum(), 1) for s, v in scheme_types.items()}
        scheme_group_share = {s: v / max(v.sum(), 1) for s, v in scheme_groups.items()}
        country_affinity = {
            c: {p: n / sum(counts.values()) for p, n in counts.items()}
            for c, counts in pair_counts.items()
        }
        return cls(
            organisations=organisations,
            position=position,
            org_type=np.array(org_type, np.int8),
            org_country=org_country,
            org_group=org_group,
            org_sme=np.array(org_sme, np.float32),
            org_name=org_name,
            projects_he=projects_he.astype(np.float32),
            projects_other=projects_other.astype(np.float32),
            coordinations=coordinations,
            recent_projects=recent_projects.astype(np.float32),
            last_start=last_start,
            end_date=end_date,
            vectorizer=vectorizer,
            idf=vectorizer.idf_.astype(np.float32),
            dense_axes=np.ascontiguousarray(svd.components_.T, dtype=np.float32),
            text_projects=text_projects,
            project_vectors=project_vectors,
            project_terms=project_vectors.T.tocsr(),
            project_dense=project_dense,
            text_members=text_members,
            organisation_projects=members_by_org,
            topic_titles=topic_titles,
            profile_full=profile_full,
            profile_short=profile_short,
            profile_dense=profile_dense,
            profile_name=profile_name,
            co_he=co_he,
            co_other=co_other,
            co_any=co_any,
            co_recent=co_recent,
            co_recent_fast=co_recent_fast,
            led_with=led_with,
            led_by=led_with.T.tocsr(),
            led_recent=led_recent,
            key_position=key_position,
            key_activity=key_activity,
            scheme_type_share=scheme_type_share,
            scheme_group_share=scheme_group_share,
            country_affinity=country_affinity,
        )


def _name_profiles(
    organisations: list[str],
    records: dict[str, OrganisationRecord],
    vectorizer: TfidfVectorizer,
) -> sparse.csr_matrix:
    """Terms x organisations: each organisation's name words, weighted as the projects' texts
    weigh them (words the project texts do not know are left out), l2-normalised."""
    vocabulary = vectorizer.vocabulary_
    rows, columns = [], []
    for row, organisation in enumerate(organisations):
        for token in organisation_name_document(records.get(organisation)):
            column = vocabulary.get(token)
            if column is not None:
                rows.append(row)
                columns.append(column)
    words = sparse.csr_matrix(
        (vectorizer.idf_[columns].astype(np.float32), (rows, columns)),
        shape=(len(organisations), len(vocabulary)),
    )
    return normalize(words).astype(np.float32).T.tocsr()
