"""Storing a CORDIS download: all rows or none, and only what changed.

Reading (and every format error) happens before the first write. Writing compares the checksum
of each source record with the stored one, so a second import of the same files writes nothing
and reports it; a newer release rewrites only the records that changed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from klaster.core import cordis_details
from klaster.jobs.registry import Progress
from klaster.trackrecord.models import (
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
    CordisTopic,
    FieldOfScience,
)

BATCH = 2000
UPDATE_BATCH = 500
ENTITIES = ("projects", "organisations", "participations", "topics", "fields_of_science")
# Called when the summary is written, so that it speaks the language active then.
ENTITY_LABELS = {
    "projects": lambda: _("EU projects"),
    "organisations": lambda: _("organisations"),
    "participations": lambda: _("participations"),
    "topics": lambda: _("topics"),
    "fields_of_science": lambda: _("fields of science"),
}


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


@dataclass
class ImportResult:
    counts: dict[str, ImportCounts] = field(
        default_factory=lambda: {name: ImportCounts() for name in ENTITIES}
    )
    seconds: float = 0.0
    import_id: int | None = None

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.counts.values())

    def summary(self) -> str:
        """What the import did, in the active language (the page's, or the cluster's default)."""
        return import_summary(self.as_counts_dict())

    def as_counts_dict(self) -> dict:
        return {
            "counts": {name: c.as_dict() for name, c in self.counts.items()},
            "changed": self.changed,
            "seconds": round(self.seconds, 2),
        }

    def as_dict(self) -> dict:
        return {**self.as_counts_dict(), "summary": self.summary(), "import_id": self.import_id}


def import_summary(result: dict) -> str:
    """What an import did (`ImportResult.as_dict()`), in the active language: said again when a
    page shows a finished job, so each reader reads it in their own language."""
    parts = []
    for name in ENTITIES:
        c = result.get("counts", {}).get(name, {})
        part = _("%(records)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged") % {
            "records": ENTITY_LABELS[name](),
            "created": c.get("created", 0),
            "updated": c.get("updated", 0),
            "unchanged": c.get("unchanged", 0),
        }
        if c.get("removed"):
            part += _(", %(removed)d removed") % {"removed": c["removed"]}
        parts.append(part)
    head = (
        _("Imported.")
        if result.get("changed")
        else _("Nothing changed: the database already holds these records.")
    )
    seconds = number_format(result.get("seconds", 0.0), 1)
    return head + " " + "; ".join(parts) + f" ({seconds} s)"


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


class _Writer:
    def __init__(self, total: int, progress: Progress | None):
        self.done, self.total, self.progress = 0, max(total, 1), progress

    def step(self, n: int, message: str) -> None:
        self.done += n
        if self.progress:
            self.progress(min(self.done, self.total), self.total, message)


def _sync_lookup(model, rows: dict[str, dict], attrs: tuple[str, ...], counts: ImportCounts):
    """Topics and fields of science: small tables keyed by code."""
    existing = {obj.code: obj for obj in model.objects.all()}
    new, changed = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            new.append(model(code=code, **values))
        elif any(getattr(obj, a) != values[a] for a in attrs):
            for a in attrs:
                setattr(obj, a, values[a])
            changed.append(obj)
        else:
            counts.unchanged += 1
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, list(attrs), batch_size=UPDATE_BATCH)
    counts.created += len(new)
    counts.updated += len(changed)
    return dict(model.objects.values_list("code", "pk"))


PROJECT_FIELDS = (
    "programme", "acronym", "title", "objective", "keywords", "status", "funding_scheme", "call",
    "programme_parts", "start_date", "end_date", "total_cost", "ec_max_contribution", "checksum",
)  # fmt: skip
ORGANISATION_FIELDS = (
    "name", "short_name", "vat_number", "activity_type", "sme", "street", "postcode", "city",
    "country", "nuts_code", "url", "checksum",
)  # fmt: skip
PARTICIPATION_FIELDS = ("order", "ec_contribution", "country", "activity_type", "checksum")


def _project(row: dict, pk: int | None = None) -> CordisProject:
    values = {name: row[name] for name in PROJECT_FIELDS}
    values["total_cost"] = _money(row["total_cost"])
    values["ec_max_contribution"] = _money(row["ec_max_contribution"])
    return CordisProject(pk=pk, project_id=row["project_id"], **values)


def _store_projects(records, result: ImportResult, writer: _Writer, topic_pks, field_pks):
    counts = result.counts["projects"]
    rows = {row["project_id"]: row for row in records.projects}
    existing = {
        project_id: (pk, digest)
        for project_id, pk, digest in CordisProject.objects.values_list(
            "project_id", "pk", "checksum"
        )
    }
    new, changed = [], []
    for project_id, row in rows.items():
        known = existing.get(project_id)
        if known is None:
            new.append(_project(row))
        elif known[1] != row["checksum"]:
            changed.append(_project(row, pk=known[0]))
        else:
            counts.unchanged += 1
    for chunk in _chunks(new, BATCH):
        CordisProject.objects.bulk_create(chunk)
        writer.step(len(chunk), _("EU projects"))
    for chunk in _chunks(changed, UPDATE_BATCH):
        CordisProject.objects.bulk_update(chunk, list(PROJECT_FIELDS))
        writer.step(len(chunk), _("EU projects (updated)"))
    counts.created, counts.updated = len(new), len(changed)

    touched = {p.project_id for p in new} | {p.project_id for p in changed}
    project_pks = dict(CordisProject.objects.values_list("project_id", "pk"))
    if touched:
        # Topics and fields of a rewritten project are replaced as a whole.
        TopicLink = CordisProject.topics.through
        FieldLink = CordisProject.fields_of_science.through
        changed_pks = [p.pk for p in changed]
        for chunk in _chunks(changed_pks, UPDATE_BATCH):
            TopicLink.objects.filter(cordisproject_id__in=chunk).delete()
            FieldLink.objects.filter(cordisproject_id__in=chunk).delete()
        topic_links, field_links = [], []
        for project_id in touched:
            pk, row = project_pks[project_id], rows[project_id]
            topic_links += [
                TopicLink(cordisproject_id=pk, cordistopic_id=topic_pks[c])
                for c in row["topic_codes"]
            ]
            field_links += [
                FieldLink(cordisproject_id=pk, fieldofscience_id=field_pks[c])
                for c in row["field_codes"]
            ]
        TopicLink.objects.bulk_create(topic_links, batch_size=BATCH)
        FieldLink.objects.bulk_create(field_links, batch_size=BATCH)
    return project_pks


def _organisation(row: dict, pk: int | None = None) -> CordisOrganisation:
    values = {name: row[name] for name in ORGANISATION_FIELDS}
    return CordisOrganisation(pk=pk, pic=row["pic"], **values)


def _store_organisations(records, result: ImportResult, writer: _Writer):
    counts = result.counts["organisations"]
    existing = {
        pic: (pk, digest, name)
        for pic, pk, digest, name in CordisOrganisation.objects.values_list(
            "pic", "pk", "checksum", "name"
        )
    }
    new, changed = [], []
    for row in records.organisations:
        known = existing.get(row["pic"])
        if known is None:
            new.append(_organisation(row))
        elif known[1] == row["checksum"] or (row["thin"] and known[2]):
            counts.unchanged += 1
        else:
            changed.append(_organisation(row, pk=known[0]))
    for chunk in _chunks(new, BATCH):
        CordisOrganisation.objects.bulk_create(chunk)
        writer.step(len(chunk), _("organisations"))
    for chunk in _chunks(changed, UPDATE_BATCH):
        CordisOrganisation.objects.bulk_update(chunk, list(ORGANISATION_FIELDS))
        writer.step(len(chunk), _("organisations (updated)"))
    counts.created, counts.updated = len(new), len(changed)
    return dict(CordisOrganisation.objects.values_list("pic", "pk"))


def _participation(row: dict, project_pk: int, organisation_pk: int, pk=None):
    return CordisParticipation(
        pk=pk,
        project_id=project_pk,
        cordis_organisation_id=organisation_pk,
        role=row["role"],
        order=row["order"],
        ec_contribution=_money(row["ec_contribution"]),
        country=row["country"],
        activity_type=row["activity_type"],
        checksum=row["checksum"],
    )


def _store_participations(records, result, writer, project_pks, organisation_pks):
    counts = result.counts["participations"]
    existing = {
        (project, organisation, role): (pk, digest)
        for pk, project, organisation, role, digest in CordisParticipation.objects.values_list(
            "pk", "project_id", "cordis_organisation_id", "role", "checksum"
        )
    }
    seen = set()
    new, changed = [], []
    for row in records.participations:
        project_pk, organisation_pk = project_pks[row["project_id"]], organisation_pks[row["pic"]]
        key = (project_pk, organisation_pk, row["role"])
        seen.add(key)
        known = existing.get(key)
        if known is None:
            new.append(_participation(row, project_pk, organisation_pk))
        elif known[1] != row["checksum"]:
            changed.append(_participation(row, project_pk, organisation_pk, pk=known[0]))
        else:
            counts.unchanged += 1
    for chunk in _chunks(new, BATCH):
        CordisParticipation.objects.bulk_create(chunk)
        writer.step(len(chunk), _("participations"))
    for chunk in _chunks(changed, UPDATE_BATCH):
        CordisParticipation.objects.bulk_update(chunk, list(PARTICIPATION_FIELDS))
        writer.step(len(chunk), _("participations (updated)"))
    # A newer release may drop a partner from a project it lists: drop it here too. Projects
    # absent from these files (another programme's file) keep their participations.
    in_files = {project_pks[row["project_id"]] for row in records.projects}
    stale = [
        pk for key, (pk, _digest) in existing.items() if key[0] in in_files and key not in seen
    ]
    for chunk in _chunks(stale, UPDATE_BATCH):
        CordisParticipation.objects.filter(pk__in=chunk).delete()
    counts.created, counts.updated, counts.removed = len(new), len(changed), len(stale)


def cordis_store(
    *,
    data: cordis_details.TrackRecordData,
    sources: Iterable[str],
    files_checksum: str,
    user=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Write what was read, in one transaction; returns what was created, updated, unchanged."""
    started = time.perf_counter()
    records = cordis_details.stored_records(data)
    result = ImportResult()
    writer = _Writer(
        len(records.projects) + len(records.organisations) + len(records.participations), progress
    )
    with transaction.atomic():
        topic_pks = _sync_lookup(
            CordisTopic,
            {code: {"title": title[:500]} for code, title in records.topics.items()},
            ("title",),
            result.counts["topics"],
        )
        field_pks = _sync_lookup(
            FieldOfScience,
            {
                code: {"path": f.path[:500], "title": f.title[:200]}
                for code, f in records.fields.items()
            },
            ("path", "title"),
            result.counts["fields_of_science"],
        )
        project_pks = _store_projects(records, result, writer, topic_pks, field_pks)
        writer.done = len(records.projects)
        organisation_pks = _store_organisations(records, result, writer)
        writer.done = len(records.projects) + len(records.organisations)
        _store_participations(records, result, writer, project_pks, organisation_pks)
        result.seconds = time.perf_counter() - started
        run = CordisImport.objects.create(
            sources="\n".join(sources),
            files_checksum=files_checksum,
            counts={name: c.as_dict() for name, c in result.counts.items()},
            changed=result.changed,
            seconds=result.seconds,
            created_by=user if getattr(user, "pk", None) else None,
        )
        result.import_id = run.pk
    if progress:
        progress(writer.total, writer.total, result.summary())
    return result


def cordis_import_files(
    *,
    cordis_path: str | Path | None,
    h2020_path: str | Path | None = None,
    h2020_programme_parts: str | Path | None = None,
    user=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read the files (all format errors surface here, before any write), then store them."""
    if progress:
        progress(0, 1, _("Reading the CORDIS files"))
    data = cordis_details.read_track_record(cordis_path, h2020_path, h2020_programme_parts)
    sources = [str(p) for p in (cordis_path, h2020_path) if p is not None]
    from klaster.core.cordis_files import files_checksum

    return cordis_store(
        data=data,
        sources=sources,
        files_checksum=files_checksum(cordis_path, h2020_path),
        user=user,
        progress=progress,
    )
