"""`klaster bench directory`: server time of directory search and filters over N organisations.

It lives with the demo because it fills its scratch database with the demo generator.

The benchmark never touches the real data: it creates a scratch database with Django's test
database machinery (a file next to the real SQLite database, or a separate PostgreSQL database
when DATABASE_URL names one), runs the migrations, generates N organisations with the demo
generator, and then times the directory page (`/members/`) and the API (`/api/organisations`)
through Django's test client, as an anonymous visitor and as coordinator staff, with a mix of
free-text (Polish with and without diacritics, English) and filter queries over pages 1 to 3.

Server time is the time Django takes to answer a request inside the process: URL routing,
middleware, the selector's queries and the template or JSON rendering; no network, no browser.
If a surface does not answer yet, the selector (`organisation_search` plus one paginated page)
is timed instead, so the figures are never silently missing.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import (
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)
from django.utils.text import slugify

from klaster.demo.loading import build_demo_cluster
from klaster.demo.planning import DEFAULT_SEED, composition_scaled_to
from klaster.demo.vocabulary import SECTORS

help = (
    "Time directory search and filters (page and API, anonymous and staff) over N generated "
    "organisations in a scratch database; prints p50 / p95 / mean / max per query type."
)

TARGET_P95_MS = 150.0
SCRATCH_DATABASE = "klaster_bench_directory"
PAGE_URL = "/members/"
API_URL = "/api/organisations"
WARM_UP_REQUESTS = 8

# Queries a cluster's visitors type: competences in Polish (as written, and typed without
# diacritics on an English keyboard), in English, a town, and a word of a company name.
TEXT_POLISH = (
    "sztuczna inteligencja", "cyberbezpieczeństwo", "magazynowanie energii", "fotowoltaika",
    "obserwacja Ziemi", "pompy ciepła", "wodór", "gospodarka o obiegu zamkniętym", "Płock",
)  # fmt: skip
TEXT_POLISH_WITHOUT_DIACRITICS = (
    "cyberbezpieczenstwo", "wodor", "pompy ciepla", "slad weglowy", "elektromobilnosc",
    "Plock", "Ostroleka", "zielona fala", "teledetekcja",
)  # fmt: skip
TEXT_ENGLISH = (
    "artificial intelligence", "energy storage", "earth observation", "photovoltaics",
    "cybersecurity", "smart grids", "heat pumps", "machine learning", "software",
)  # fmt: skip
KINDS = ("enterprise", "university", "research_institute", "business_support", "investment_fund")
CITIES = ("Warszawa", "Radom", "Płock", "Siedlce", "Piaseczno", "Ostrołęka")
COMPETENCES = tuple(
    slugify(term[0], allow_unicode=True) for sector in SECTORS for term in sector.terms[:4]
)
SECTOR_CODES = tuple(sector.code for sector in SECTORS)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--organisations", type=int, default=10_000, help="How many (default %(default)s)."
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="Timed requests per surface, page and API (default %(default)s).",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)


def query_mix(rng: random.Random) -> tuple[str, dict[str, str]]:
    """One realistic directory query: (query type, query-string parameters)."""
    query_type = rng.choice(
        (
            "browse",
            "text-pl",
            "text-pl-ascii",
            "text-en",
            "kind",
            "sector",
            "competence",
            "city",
            "sme",
            "combined",
        )
    )
    params: dict[str, str] = {}
    if query_type == "text-pl":
        params["q"] = rng.choice(TEXT_POLISH)
    elif query_type == "text-pl-ascii":
        params["q"] = rng.choice(TEXT_POLISH_WITHOUT_DIACRITICS)
    elif query_type == "text-en":
        params["q"] = rng.choice(TEXT_ENGLISH)
    elif query_type == "kind":
        params["kind"] = rng.choice(KINDS)
    elif query_type == "sector":
        params["sector"] = rng.choice(SECTOR_CODES)
    elif query_type == "competence":
        params["competence"] = rng.choice(COMPETENCES)
    elif query_type == "city":
        params["city"] = rng.choice(CITIES)
    elif query_type == "sme":
        params["sme"] = "1"
    elif query_type == "combined":
        params["q"] = rng.choice(TEXT_POLISH_WITHOUT_DIACRITICS + TEXT_ENGLISH)
        params["kind"] = "enterprise"
        params["sector"] = rng.choice(SECTOR_CODES)
        params["sme"] = "1"
        if rng.random() < 0.5:
            params["city"] = rng.choice(CITIES)
    page = rng.choice((1, 1, 2, 3))
    if page > 1:
        params["page"] = str(page)
    return query_type, params


@dataclass
class Timings:
    samples: dict[tuple[str, str], list[float]]
    # CPU time of this process per request: on a busy machine, the work without the waiting.
    # With PostgreSQL it leaves out the database server's own work.
    cpu_samples: list[float]

    @staticmethod
    def percentile(values: list[float], fraction: float) -> float:
        ordered = sorted(values)
        position = (len(ordered) - 1) * fraction
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    @classmethod
    def line(cls, label: str, values: list[float]) -> str:
        return (
            f"  {label:<34} {len(values):>5} {cls.percentile(values, 0.5):>8.1f} "
            f"{cls.percentile(values, 0.95):>8.1f} {statistics.fmean(values):>8.1f} "
            f"{max(values):>8.1f}"
        )


def _database_description() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return connection.vendor


def _probe(client: Client, url: str) -> str:
    """'' if the surface answers a plain query, else why not."""
    try:
        response = client.get(url)
    except Exception as error:  # a view being written right now may not import yet
        return f"{type(error).__name__}: {error}"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return ""


def _time_selector(user, params: dict[str, str]) -> None:
    from klaster.members.selectors import DirectoryFilters, organisation_search

    sme = params.get("sme")
    filters = DirectoryFilters(
        q=params.get("q", ""),
        kind=params.get("kind", ""),
        sector=params.get("sector", ""),
        competence=params.get("competence", ""),
        city=params.get("city", ""),
        sme=None if sme is None else sme == "1",
    )
    found = organisation_search(user=user, filters=filters).prefetch_related(
        "sectors", "competences"
    )
    page = Paginator(found, 20).get_page(params.get("page", 1))
    list(page.object_list)


def _measure(
    *, requests: int, seed: int, coordinator, out: Callable[[str], None]
) -> dict[str, Timings]:
    from django.contrib.auth.models import AnonymousUser

    anonymous_client = Client()
    staff_client = Client()
    staff_client.force_login(coordinator)
    personas = {
        "anonymous": (anonymous_client, AnonymousUser()),
        "coordinator": (staff_client, coordinator),
    }

    surfaces: dict[str, Callable[[Client, object, dict[str, str]], None]] = {}
    for surface, url in (("page", PAGE_URL), ("api", API_URL)):
        problem = _probe(anonymous_client, url) or _probe(staff_client, url)
        if problem:
            out(f"  {surface} {url} does not answer ({problem[:120]}); not timed.")
            continue
        surfaces[surface] = lambda client, _user, params, url=url: client.get(url, params)
    if len(surfaces) < 2:
        out("  Timing the selector (organisation_search + one paginated page) as a fallback.")
        surfaces["selector"] = lambda _client, user, params: _time_selector(user, params)

    results: dict[str, Timings] = {}
    for surface, call in surfaces.items():
        rng = random.Random(f"klaster-bench/{seed}/{surface}")
        for _ in range(WARM_UP_REQUESTS):
            for client, user in personas.values():
                call(client, user, query_mix(rng)[1])
        samples: dict[tuple[str, str], list[float]] = defaultdict(list)
        cpu_samples: list[float] = []
        for number in range(requests):
            persona = ("anonymous", "coordinator")[number % 2]
            client, user = personas[persona]
            query_type, params = query_mix(rng)
            started, started_cpu = time.perf_counter(), time.process_time()
            call(client, user, params)
            samples[(persona, query_type)].append((time.perf_counter() - started) * 1000)
            cpu_samples.append((time.process_time() - started_cpu) * 1000)
        results[surface] = Timings(samples, cpu_samples)
    return results


def _report(results: dict[str, Timings], out: Callable[[str], None]) -> None:
    header = f"  {'':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'max ms':>8}"
    everything: list[float] = []
    for surface, timings in results.items():
        out("")
        out(f"{surface}:")
        out(header)
        by_type: dict[str, list[float]] = defaultdict(list)
        by_persona: dict[str, list[float]] = defaultdict(list)
        for (persona, query_type), values in timings.samples.items():
            by_type[query_type].extend(values)
            by_persona[persona].extend(values)
        for query_type in sorted(by_type):
            out(Timings.line(query_type, by_type[query_type]))
        for persona in sorted(by_persona):
            out(Timings.line(f"all queries, {persona}", by_persona[persona]))
        surface_values = [v for values in by_type.values() for v in values]
        out(Timings.line(f"all queries ({surface})", surface_values))
        out(Timings.line("  CPU time of this process", timings.cpu_samples))
        if surface != "selector":
            everything.extend(surface_values)
    if everything:
        p95 = Timings.percentile(everything, 0.95)
        out("")
        out(Timings.line("OVERALL (page + API)", everything).replace("  OVERALL", "OVERALL", 1))
        verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
        out(f"p95 {p95:.1f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms.")


def _scratch_database_name() -> str:
    if connection.vendor == "sqlite":
        # A file, not the in-memory default of tests: the figures should be those of the
        # on-disk database the platform runs on.
        return str(settings.VAR_DIR / f"{SCRATCH_DATABASE}.sqlite3")
    return SCRATCH_DATABASE


def run(options, out: Callable[[str], None]) -> None:
    from klaster.accounts.models import User

    count = options["organisations"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = _scratch_database_name()
    setup_test_environment()
    # Production serves hashed static files after `collectstatic`; the scratch run has no
    # manifest, so pages name their static files plainly (the cost of a lookup either way).
    static_storage = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    static_storage.enable()
    started = time.perf_counter()
    old_config = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
    )
    try:
        out(
            f"Directory benchmark on {_database_description()} "
            f"(scratch database {connection.settings_dict['NAME']}, "
            f"migrated in {time.perf_counter() - started:.1f} s)"
        )
        started = time.perf_counter()
        report = build_demo_cluster(
            seed=options["seed"],
            composition=composition_scaled_to(count),
            with_logins=False,
        )
        if connection.vendor == "postgresql":
            # Autovacuum would analyse the new rows shortly after a bulk load; do it now so
            # the planner has statistics, as it would in production.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        out(
            f"Generated {sum(report.organisations_by_kind.values())} organisations "
            f"({report.smes} SMEs, {report.people} people) in {time.perf_counter() - started:.1f} s."
        )
        coordinator = User.objects.create_user(
            username="bench-koordynator",
            password=None,
            role=User.Role.COORDINATOR,
            is_staff=True,
        )
        out(
            f"Timing {options['requests']} requests per surface, half anonymous, half "
            "coordinator; query mix of free text (PL, PL without diacritics, EN), filters "
            "(kind, sector, competence, city, SME), combined, pages 1-3."
        )
        results = _measure(
            requests=options["requests"], seed=options["seed"], coordinator=coordinator, out=out
        )
        _report(results, out)
    finally:
        teardown_databases(old_config, verbosity=0)
        static_storage.disable()
        teardown_test_environment()
