"""On PostgreSQL, a trigram index makes the directory's word search (LIKE '%word%') indexed.

SQLite has no such index and scans, which is fast enough at a cluster's size. Creating the
extension needs rights a managed database may not grant: then the index is skipped, with a
warning, and search still works by scanning.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS org_search_document_trgm ON members_organisation "
                "USING gin (search_document gin_trgm_ops)"
            )
    except Exception as error:  # no rights to create the extension
        logger.warning("Directory search index not created (search will scan): %s", error)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_search_document_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_index_published_name")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
