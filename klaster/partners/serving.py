"""The partner engine over the database's track record: the one owner of building, keeping
and finding it.

The find-partners page, its API and the consortium builder all ask `engine_get()`, a pure read:
the engine from memory when it was built for the data as it is now, else from disk (a build made
by the background worker or by `klaster partners_index`), else the state of its build. Only
`klaster.partners.services.engine_build_start` starts a build.

"The data as it is now" is a fingerprint of the CORDIS tables: row counts, highest keys and the
latest CORDIS import that changed anything. An import, `klaster demo` or any added row changes
it, so the engine is rebuilt on next use; the cluster registry and the cooperation log are not
part of it (the engine reads public CORDIS data only).
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from klaster.core.partners.engine import build_recommender
from klaster.core.partners.ranker import PartnerRecommender, RankerSettings, cache_key
from klaster.core.records import OrganisationRecord, Participation, Project, ProjectHistory
from klaster.jobs.models import Job
from klaster.jobs.registry import JobKind
from klaster.jobs.selectors import job_with_progress
from klaster.trackrecord.models import (
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)

logger = logging.getLogger(__name__)

# The build's kind of job, under the name the partner code and its tests use.
BUILD_JOB = JobKind.PARTNER_INDEX_BUILD
# A build that has not finished after this long is taken for a dead worker: another may start.
BUILD_JOB_STALE_AFTER = timedelta(hours=3)
# Tests swap in a lighter fitting of the same ranker; production uses the engine's defaults.
RANKER_SETTINGS: dict = {}

Progress = Callable[[int, int, str], None]
BUILD_STEPS = 4
# What each step of a build is called, by the progress it reports. The build is shared by
# everyone who searches meanwhile, so each reader gets the step in their own words.
BUILD_TITLE = gettext_lazy("Building the partner index")
BUILD_STEP_WORDS = {
    0: gettext_lazy("Reading the track record"),
    1: gettext_lazy("Fitting the ranker on the track record"),
    3: gettext_lazy("Saving the partner index"),
    BUILD_STEPS: gettext_lazy("The partner index is ready"),
}
NO_PROJECTS = "No EU projects with texts in the track record: import CORDIS first."

_lock = threading.Lock()
# The one recommender this process holds: {"key": ..., "recommender": ..., "meta": {...}}.
_loaded: dict = {}
FINGERPRINT_SECONDS = 10.0
_fingerprint_seen: dict = {}


# --- Reading the track record ------------------------------------------------------------------


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _number(value) -> float | None:
    return None if value is None else float(value)


def history_from_database() -> ProjectHistory:
    """The CORDIS track record in the database as core records (a handful of queries).

    Topics keep the order they were imported in (the first is the project's main topic);
    Horizon 2020 projects carry no texts, as in the source.
    """
    topic_link = CordisProject.topics.through
    field_link = CordisProject.fields_of_science.through
    topics: dict[int, list[str]] = defaultdict(list)
    topic_titles: dict[int, list[str]] = defaultdict(list)
    for project_pk, code, title in topic_link.objects.order_by("pk").values_list(
        "cordisproject_id", "cordistopic__code", "cordistopic__title"
    ):
        topics[project_pk].append(code)
        if title:
            topic_titles[project_pk].append(title)
    fields: dict[int, list[str]] = defaultdict(list)
    for project_pk, path, title in field_link.objects.order_by("pk").values_list(
        "cordisproject_id", "fieldofscience__path", "fieldofscience__title"
    ):
        if path or title:
            fields[project_pk].append(path or title)

    project_ids: dict[int, str] = {}
    projects = []
    for row in CordisProject.objects.order_by("project_id").values_list(
        "pk", "project_id", "title", "acronym", "objective", "keywords", "call",
        "funding_scheme", "programme", "programme_parts", "status", "start_date", "end_date",
        "total_cost", "ec_max_contribution",
    ):  # fmt: skip
        (pk, project_id, title, acronym, objective, keywords, call, scheme, programme, parts,
         status, start, end, total_cost, ec_max) = row  # fmt: skip
        project_ids[pk] = project_id
        projects.append(
            Project(
                id=project_id,
                title=title,
                acronym=acronym,
                objective=objective,
                keywords=_split_list(keywords),
                topics=tuple(topics.get(pk, ())),
                topic_titles=tuple(topic_titles.get(pk, ())),
                call=call,
                funding_scheme=scheme,
                programme=programme,
                programme_parts=_split_list(parts),
                fields_of_science=tuple(fields.get(pk, ())),
                status=status,
                start_date=start,
                end_date=end,
                total_cost=_number(total_cost),
                ec_max_contribution=_number(ec_max),
            )
        )

    pics: dict[int, str] = {}
    sme_of: dict[int, bool | None] = {}
    organisations = []
    for pk, pic, name, short_name, vat, country, nuts, city, activity_type, sme, url in (
        CordisOrganisation.objects.order_by("pic").values_list(
            "pk", "pic", "name", "short_name", "vat_number", "country", "nuts_code", "city",
            "activity_type", "sme", "url",
        )
    ):  # fmt: skip
        pics[pk], sme_of[pk] = pic, sme
        organisations.append(
            OrganisationRecord(
                organisation_id=pic,
                name=name,
                short_name=short_name,
                vat_number=vat,
                country=country,
                nuts_code=nuts,
                city=city,
                activity_type=activity_type,
                sme=sme,
                url=url,
            )
        )

    participations = tuple(
        Participation(
            project_id=project_ids[project_pk],
            organisation_id=pics[organisation_pk],
            role=role,
            order=order,
            ec_contribution=_number(contribution),
            country=country,
            activity_type=activity_type,
            sme=sme_of[organisation_pk],
        )
        for project_pk, organisation_pk, role, order, contribution, country, activity_type in (
            CordisParticipation.objects.order_by("pk").values_list(
                "project_id", "cordis_organisation_id", "role", "order", "ec_contribution",
                "country", "activity_type",
            )
        )
    )  # fmt: skip
    return ProjectHistory(
        projects=tuple(projects),
        participations=participations,
        organisations=tuple(organisations),
        sources=("database",),
    )


def track_record_fingerprint() -> str:
    """A short key that changes whenever the CORDIS tables change (a few aggregate queries).

    Counting a full track record takes a tenth of a second, so a process reuses the answer for
    `FINGERPRINT_SECONDS`: an import is noticed that much later, every page stays fast.
    """
    checked_at, fingerprint = _fingerprint_seen.get("at", 0.0), _fingerprint_seen.get("value")
    if fingerprint is not None and time.monotonic() - checked_at < FINGERPRINT_SECONDS:
        return fingerprint
    fingerprint = _fingerprint_now()
    _fingerprint_seen.update(at=time.monotonic(), value=fingerprint)
    return fingerprint


def _fingerprint_now() -> str:
    parts = [
        model.objects.aggregate(n=Count("pk"), m=Max("pk"))
        for model in (
            CordisProject,
            CordisOrganisation,
            CordisParticipation,
            CordisProject.topics.through,
            CordisProject.fields_of_science.through,
        )
    ]
    # Imports rewrite changed rows in place; the import that did so marks the change.
    parts.append(CordisImport.objects.filter(changed=True).aggregate(m=Max("pk")))
    return hashlib.blake2b(repr(parts).encode(), digest_size=10).hexdigest()


# --- Where built engines live --------------------------------------------------------------------


def _settings() -> RankerSettings:
    return RankerSettings(**RANKER_SETTINGS)


def cache_dir() -> Path:
    """The one folder of built partner engines and fitted rankers (pages, commands, benches)."""
    return Path(settings.VAR_DIR) / "partners"


def data_checksum(fingerprint: str) -> str:
    """The checksum under which an engine of the database's track record is fitted and kept."""
    return f"db-{fingerprint}"


def _key(fingerprint: str, ranker_settings: RankerSettings) -> str:
    # The key of the fitted ranker too: an engine file and its ranker are named alike.
    return cache_key(data_checksum(fingerprint), ranker_settings)


def _paths(key: str) -> tuple[Path, Path]:
    folder = cache_dir()
    return folder / f"serving-{key}.pickle", folder / f"serving-{key}.json"


def _remember(key: str, recommender: PartnerRecommender, meta: dict) -> None:
    with _lock:
        _loaded.clear()  # one engine in memory: the full index is large
        _loaded.update(key=key, recommender=recommender, meta=meta)


def _read_meta(key: str) -> dict | None:
    if _loaded.get("key") == key:
        return _loaded["meta"]
    try:
        return json.loads(_paths(key)[1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _load(key: str) -> PartnerRecommender | None:
    if _loaded.get("key") == key:
        return _loaded["recommender"]
    engine_path, meta_path = _paths(key)
    if not (engine_path.exists() and meta_path.exists()):
        return None
    with _lock:
        if _loaded.get("key") == key:  # another thread loaded it meanwhile
            return _loaded["recommender"]
        try:
            with open(engine_path, "rb") as stream:
                recommender = pickle.load(stream)  # written by this application only
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError):
            logger.warning("Unreadable partner engine %s: it will be rebuilt", engine_path)
            return None
        _loaded.clear()
        _loaded.update(key=key, recommender=recommender, meta=meta)
    return recommender


def _store(key: str, recommender: PartnerRecommender, meta: dict) -> None:
    engine_path, meta_path = _paths(key)
    engine_path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and moved into place, so a reader never sees half a file.
    partial = engine_path.with_suffix(".tmp")
    with open(partial, "wb") as stream:
        pickle.dump(recommender, stream, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(engine_path)
    partial_meta = meta_path.with_suffix(".tmp")
    partial_meta.write_text(json.dumps(meta), encoding="utf-8")
    partial_meta.replace(meta_path)
    for old in engine_path.parent.glob("serving-*"):
        if old.stem != engine_path.stem:  # engines of older data are never used again
            old.unlink(missing_ok=True)


# --- Building ------------------------------------------------------------------------------------


def build_recommender_now(
    *, progress: Progress | None = None, log: Callable[[str], None] | None = None
) -> PartnerRecommender:
    """Build the engine over the database's track record, keep it in memory and on disk.

    `progress` hears each step in the reader's words; `log`, if given, also the fitting's
    technical lines (replayed windows, training rows), which operators want and pages do not.

    The fitted ranker is cached by the track record's fingerprint too, so a rebuild of the same
    data (a restart after the engine's file was lost) only re-indexes.
    """
    report = progress or (lambda done, total, message: None)
    ranker_settings = _settings()
    fingerprint = _fingerprint_now()  # the data about to be read, not a remembered answer
    _fingerprint_seen.update(at=time.monotonic(), value=fingerprint)
    key = _key(fingerprint, ranker_settings)
    started = time.perf_counter()
    report(0, BUILD_STEPS, str(BUILD_STEP_WORDS[0]))
    history = history_from_database()
    if not any(p.has_text for p in history.projects):
        raise ValueError(NO_PROJECTS)
    read_seconds = time.perf_counter() - started
    fitting = str(BUILD_STEP_WORDS[1])
    report(1, BUILD_STEPS, fitting)

    def fitting_line(line: str) -> None:
        report(1, BUILD_STEPS, fitting)  # the page only needs to see the work go on
        if log:
            log(line)

    recommender, timings = build_recommender(
        history,
        data_checksum=data_checksum(fingerprint),
        cache_dir=cache_dir(),
        settings=ranker_settings,
        log=fitting_line,
    )
    report(3, BUILD_STEPS, str(BUILD_STEP_WORDS[3]))
    meta = {
        "built_at": timezone.now().isoformat(),
        "fingerprint": fingerprint,
        "projects": len(history.projects),
        "organisations": recommender.index.size,
        "read_seconds": round(read_seconds, 2),
        "ranker_seconds": round(timings.ranker_seconds, 2),
        "ranker_from_cache": timings.ranker_from_cache,
        "index_seconds": round(timings.index_seconds, 2),
    }
    _store(key, recommender, meta)
    meta["seconds"] = round(time.perf_counter() - started, 2)
    _paths(key)[1].write_text(json.dumps(meta), encoding="utf-8")
    _remember(key, recommender, meta)
    report(BUILD_STEPS, BUILD_STEPS, str(BUILD_STEP_WORDS[BUILD_STEPS]))
    return recommender


def running_build() -> Job | None:
    """The build of the partner index that is queued or running (one not finished after
    `BUILD_JOB_STALE_AFTER` is taken for a dead worker's), or None."""
    return (
        Job.objects.filter(
            kind=BUILD_JOB,
            status__in=(Job.Status.QUEUED, Job.Status.RUNNING),
            created_at__gte=timezone.now() - BUILD_JOB_STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def _latest_build() -> Job | None:
    return Job.objects.filter(kind=BUILD_JOB).order_by("-created_at", "-pk").first()


class EngineState(StrEnum):
    READY = "ready"
    BUILDING = "building"  # a build is queued or running: follow its job
    FAILED = "failed"  # the last build for this data failed; staff may start another
    MISSING = "missing"  # nothing built for this data and no build under way
    NO_DATA = "no-data"  # no EU project in the track record: nothing to build from


@dataclass(frozen=True)
class Engine:
    """What `engine_get` found: the partner engine, or why there is none and the build to follow."""

    state: EngineState
    recommender: PartnerRecommender | None = None
    job: Job | None = None  # the build job, with its live progress
    projects: int = 0
    organisations: int = 0
    built_at: datetime | None = None
    meta: dict = field(default_factory=dict)  # figures of the build (sizes, seconds)
    fingerprint: str = ""

    @property
    def ready(self) -> bool:
        return self.state == EngineState.READY


def engine_get() -> Engine:
    """The partner engine for the track record as it is now, or its state: a pure read.

    Answers from memory, else from disk (a build made by the background worker or by
    `klaster partners_index`). It never starts a build: `services.engine_build_start` does.
    """
    fingerprint = track_record_fingerprint()
    key = _key(fingerprint, _settings())
    recommender = _load(key)
    if recommender is not None:
        meta = _read_meta(key) or {}
        built_at = meta.get("built_at")
        return Engine(
            state=EngineState.READY,
            recommender=recommender,
            projects=meta.get("projects", 0),
            organisations=meta.get("organisations", recommender.index.size),
            built_at=datetime.fromisoformat(built_at) if built_at else None,
            meta=meta,
            fingerprint=fingerprint,
        )
    projects = CordisProject.objects.count()
    counts = {
        "projects": projects,
        "organisations": CordisOrganisation.objects.count() if projects else 0,
        "fingerprint": fingerprint,
    }
    if not projects:
        return Engine(state=EngineState.NO_DATA, **counts)
    job = running_build()
    if job is not None:
        return Engine(state=EngineState.BUILDING, job=_with_progress(job), **counts)
    latest = _latest_build()
    if (
        latest is not None
        and latest.status == Job.Status.FAILED
        and latest.parameters.get("fingerprint") == fingerprint
    ):
        # Not retried on every request: the same data would fail the same way.
        return Engine(state=EngineState.FAILED, job=_with_progress(latest), **counts)
    return Engine(state=EngineState.MISSING, **counts)


def _with_progress(job: Job) -> Job:
    return job_with_progress(job_id=job.pk)
