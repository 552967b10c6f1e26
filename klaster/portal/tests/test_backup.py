"""`klaster backup` and `klaster restore`: everything comes back, or nothing is touched."""

import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import load_backend

from klaster.members.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from klaster.portal import backup

# Committed rows: pg_dump and SQLite's backup API see only what other connections would see.
pytestmark = pytest.mark.django_db(transaction=True)

TARGET = "restore_target"
SAMPLE_ROWS = 3


@pytest.fixture
def cluster(settings, tmp_path, coordinator, editor_a):
    """Five organisations (one an editor's), people, memberships, users, an uploaded logo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    organisations = OrganisationFactory.create_batch(4)
    for organisation in organisations:
        PersonFactory(organisation=organisation)
        MembershipFactory(organisation=organisation)
    organisations[0].logo.save("logo.png", ContentFile(b"\x89PNG logo bytes"))
    return organisations


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database of the same engine (no tables), reachable as TARGET."""
    default = connections["default"].settings_dict
    config = {**default, "TEST": {**default.get("TEST", {})}}
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        import psycopg

        config["NAME"] = f"{default['NAME']}_restore"
        server = psycopg.connect(
            dbname=default["NAME"],
            host=default.get("HOST") or None,
            port=default.get("PORT") or None,
            user=default.get("USER") or None,
            password=default.get("PASSWORD") or None,
            autocommit=True,
        )
        server.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        server.execute(f'CREATE DATABASE "{config["NAME"]}"')
    # A connection made here, not declared in DATABASES: the test database set-up skips it.
    connections[TARGET] = load_backend(config["ENGINE"]).DatabaseWrapper(config, TARGET)
    yield TARGET
    connections[TARGET].close()
    del connections[TARGET]
    if vendor != "sqlite":
        server.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        server.close()


def _sample(using: str, table: str) -> list[tuple]:
    connection = connections[using]
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        order = "id" if "id" in columns else columns[0]
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT * FROM {quote(table)} ORDER BY {quote(order)} LIMIT {SAMPLE_ROWS}"  # noqa: S608
        )
        return cursor.fetchall()


def test_restore_into_an_empty_database_brings_back_every_table_and_the_media(
    cluster, empty_database, tmp_path, settings
):
    archive = tmp_path / "klaster.tar.gz"
    call_command("backup", str(archive))
    restored_media = tmp_path / "restored-media"

    backup.backup_restore(archive=archive, using=empty_database, media_root=restored_media)

    before, after = backup.table_counts("default"), backup.table_counts(empty_database)
    assert after == before
    assert before["members_organisation"] == 5 and before["members_person"] == 4
    for table in before:
        assert _sample(empty_database, table) == _sample("default", table), table
    logo = cluster[0].logo.name
    assert (restored_media / logo).read_bytes() == b"\x89PNG logo bytes"


def test_archive_holds_a_manifest_with_engine_migrations_and_counts(cluster, tmp_path):
    manifest = backup.backup_create(out=tmp_path / "klaster.tar.gz")

    assert manifest["engine"] == connections["default"].vendor
    assert ["admin", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["members_organisation"] == 5
    assert manifest["media_files"] == 1
    with tarfile.open(tmp_path / "klaster.tar.gz") as archive:
        names = archive.getnames()
    assert "manifest.json" in names and any(n.startswith("media/logos/") for n in names)


def test_restore_refuses_a_database_that_holds_data_unless_forced(cluster, tmp_path):
    archive = tmp_path / "klaster.tar.gz"
    backup.backup_create(out=archive)
    OrganisationFactory(name="Dodana po kopii sp. z o.o.")
    counts = backup.table_counts("default")

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))

    assert backup.table_counts("default") == counts
    call_command("restore", str(archive), "--force")
    assert backup.table_counts("default")["members_organisation"] == 5


@pytest.mark.parametrize("damage", ["not an archive", "cut short", "someone else's tar"])
def test_damaged_archive_is_refused_and_leaves_the_target_untouched(
    cluster, empty_database, tmp_path, damage
):
    good = tmp_path / "klaster.tar.gz"
    backup.backup_create(out=good)
    bad = tmp_path / "bad.tar.gz"
    if damage == "not an archive":
        bad.write_bytes(b"PK\x03\x04 a zip, or anything else")
    elif damage == "cut short":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    else:
        (tmp_path / "notes.txt").write_text("hello")
        with tarfile.open(bad, "w:gz") as archive:
            archive.add(tmp_path / "notes.txt", arcname="notes.txt")
    restored_media = tmp_path / "restored-media"

    with pytest.raises(backup.BackupError, match="not a Klaster backup|nie jest kopią"):
        backup.backup_restore(archive=bad, using=empty_database, media_root=restored_media)

    assert backup.table_counts(empty_database) == {}
    assert not restored_media.exists()


def test_a_failing_database_restore_puts_the_media_back(
    cluster, empty_database, tmp_path, monkeypatch, settings
):
    archive = tmp_path / "klaster.tar.gz"
    backup.backup_create(out=archive)
    restored_media = tmp_path / "restored-media"
    (restored_media / "kept").mkdir(parents=True)
    (restored_media / "kept" / "file.txt").write_text("before")

    def broken(*args, **kwargs):
        raise backup.BackupError("disk full")

    monkeypatch.setattr(backup, "_restore_database", broken)
    with pytest.raises(backup.BackupError, match="disk full"):
        backup.backup_restore(
            archive=archive, using=empty_database, media_root=restored_media, force=True
        )

    assert sorted(p.name for p in restored_media.rglob("*")) == ["file.txt", "kept"]
