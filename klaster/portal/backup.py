"""Backups of a Klaster installation: the database and the uploaded media in one archive.

`backup_create` writes a `.tar.gz` holding `manifest.json` (format version, database engine,
applied migrations, time of creation, row count of every table), the database dump and
`media/`. SQLite is copied with its online backup API (consistent while the site runs);
PostgreSQL with `pg_dump --format=custom`, restored with `pg_restore`.

`backup_restore` checks the whole archive before it writes anything, refuses a database that
already holds data unless forced, and is all-or-nothing: the database is replaced in one
transaction, and the previous media folder is put back if that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "klaster-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows people enter: a database with none of these is empty, whatever `migrate` put in it.
DATA_TABLES = ("accounts_user", "members_organisation")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the person running it."""


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMPS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def table_counts(using: str = "default") -> dict[str, int]:
    """Rows in every table of the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def migrations_pending(*, using: str = "default") -> bool:
    executor = MigrationExecutor(connections[using])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _applied_migrations(using: str) -> list[list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return sorted([app, name] for app, name in applied)


def _postgres_arguments(using: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore; the password goes in the environment, so
    it never shows in the process list."""
    config = connections[using].settings_dict
    arguments = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        arguments += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        arguments += ["--port", str(config["PORT"])]
    if config.get("USER"):
        arguments += ["--username", str(config["USER"])]
    environment = {**os.environ}
    if config.get("PASSWORD"):
        environment["PGPASSWORD"] = str(config["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            _("%(program)s is not installed (PostgreSQL client tools).") % {"program": command[0]}
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": (error.stderr or "").strip()[-2000:]}
        ) from None


def _dump_database(using: str, engine: str, target: Path) -> None:
    if engine == "sqlite":
        # The online backup API copies a consistent state page by page while the site runs.
        connection = connections[using]
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        arguments, environment = _postgres_arguments(using)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *arguments],
            environment,
        )


def backup_create(*, out: Path, using: str = "default", media_root: Path | None = None) -> dict:
    """Write the archive `out` (replaced only once complete) and return its manifest."""
    out = Path(out)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = _engine(using)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".klaster-backup-", dir=out.parent) as scratch:
        dump = Path(scratch) / DUMPS[engine]
        _dump_database(using, engine, dump)
        media_files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine": engine,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "migrations": _applied_migrations(using),
            "tables": table_counts(using),
            "media_files": len(media_files),
        }
        (Path(scratch) / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        partial = Path(scratch) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(scratch) / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=DUMPS[engine])
            for path in media_files:
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        os.replace(partial, out)
    return manifest


def _unpack(archive_path: Path, into: Path) -> dict:
    """Extract and check the archive: a readable tar.gz of ours, every file complete."""
    not_ours = _("%(file)s is not a Klaster backup (or it is damaged): %(error)s")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive.getmembers():
                path = PurePosixPath(member.name)
                allowed = member.name in (MANIFEST, *DUMPS.values()) or path.parts[0] == MEDIA
                if not (member.isfile() or member.isdir()) or not allowed:
                    raise BackupError(
                        not_ours
                        % {
                            "file": archive_path,
                            "error": _("unexpected entry %(name)s") % {"name": member.name},
                        }
                    )
            # The "data" filter refuses absolute paths, "..", links and device files.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(not_ours % {"file": archive_path, "error": error}) from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(not_ours % {"file": archive_path, "error": error}) from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("%(file)s is a backup of an unknown format (%(format)s %(version)s).")
            % {
                "file": archive_path,
                "format": manifest.get("format"),
                "version": manifest.get("format_version"),
            }
        )
    if manifest.get("engine") not in DUMPS or not (into / DUMPS[manifest["engine"]]).is_file():
        raise BackupError(not_ours % {"file": archive_path, "error": _("no database dump")})
    return manifest


def _check_dump(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        try:
            with sqlite3.connect(f"file:{dump}?mode=ro", uri=True) as database:
                result = database.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
        if result != "ok":
            raise BackupError(
                _("The database in the backup is damaged: %(error)s") % {"error": result}
            )
    else:
        _run(["pg_restore", "--list", str(dump)], {**os.environ})


def database_holds_data(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table in DATA_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def _restore_database(using: str, engine: str, dump: Path) -> None:
    connection = connections[using]
    if engine == "sqlite":
        # Page by page into the live database, in one step: one write transaction, so the
        # database is either the old one or the backup's, never a mixture.
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as error:
            raise BackupError(
                _("The database could not be restored: %(error)s") % {"error": error}
            ) from None
        finally:
            source.close()
            connection.close()
    else:
        connection.close()
        arguments, environment = _postgres_arguments(using)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(dump),
            ],
            environment,
        )


def backup_restore(
    *, archive: Path, using: str = "default", media_root: Path | None = None, force: bool = False
) -> dict:
    """Replace the database and the media folder with the archive's; return its manifest."""
    archive = Path(archive)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not archive.is_file():
        raise BackupError(_("There is no file %(file)s.") % {"file": archive})
    engine = _engine(using)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".klaster-restore-", dir=media_root.parent) as scratch:
        unpacked = Path(scratch) / "unpacked"
        manifest = _unpack(archive, unpacked)
        if manifest["engine"] != engine:
            raise BackupError(
                _("The backup is of a %(backup)s database; this installation uses %(current)s.")
                % {"backup": manifest["engine"], "current": engine}
            )
        dump = unpacked / DUMPS[engine]
        _check_dump(engine, dump)
        known = {
            f"{app}.{name}"
            for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        }
        unknown = sorted(
            f"{app}.{name}" for app, name in manifest["migrations"] if f"{app}.{name}" not in known
        )
        if unknown and not force:
            raise BackupError(
                _(
                    "The backup comes from a newer Klaster (migrations this one lacks: %(names)s); "
                    "update Klaster first, or restore anyway with --force."
                )
                % {"names": ", ".join(unknown[:5])}
            )
        if not force and (database_holds_data(using) or any(media_root.glob("*"))):
            raise BackupError(
                _(
                    "The database or the media folder already holds data; restore over it with --force."
                )
            )

        # Media first, the old folder kept aside: if the database then fails, it goes back.
        restored_media = unpacked / MEDIA
        restored_media.mkdir(exist_ok=True)
        previous = Path(scratch) / "previous-media"
        had_media = media_root.exists()
        if had_media:
            os.replace(media_root, previous)
        os.replace(restored_media, media_root)
        try:
            _restore_database(using, engine, dump)
        except BaseException:
            shutil.rmtree(media_root, ignore_errors=True)
            if had_media:
                os.replace(previous, media_root)
            raise
    # Cached figures were computed from the replaced data.
    cache.clear()
    return manifest
