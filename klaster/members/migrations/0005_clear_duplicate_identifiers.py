"""Clear identifiers that two or more organisations share, before 0006 makes them unique.

Earlier versions let the pages and the demo store the same NIP, REGON or KRS twice (the demo
drew KRS numbers at random); such a registry exported a file that its own import refused. The
oldest organisation (by creation, then id) keeps the number; on every other one the field is
cleared and the change is written to its audit history with the reason, so staff can see what
happened and correct the record.

The reverse is a no-op: which organisation really owns a cleared number cannot be known, and
the schema migration that follows is what needs undoing.
"""

from django.db import migrations
from django.db.models import Count

COLUMNS = ("nip", "regon", "krs")
REASON = "duplicate identifier cleared by migration members.0005 (kept by organisation #{keeper})"


def clear_duplicates(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = None
    for column in COLUMNS:
        shared = (
            Organisation.objects.exclude(**{column: ""})
            .values(column)
            .annotate(holders=Count("pk"))
            .filter(holders__gt=1)
            .values_list(column, flat=True)
        )
        for value in list(shared):
            keeper, *others = Organisation.objects.filter(**{column: value}).order_by(
                "created_at", "pk"
            )
            for organisation in others:
                Organisation.objects.filter(pk=organisation.pk).update(**{column: ""})
                if content_type is None:
                    content_type, _created = ContentType.objects.get_or_create(
                        app_label="members", model="organisation"
                    )
                reason = REASON.format(keeper=keeper.pk)
                LogEntry.objects.create(
                    content_type=content_type,
                    object_pk=str(organisation.pk),
                    object_id=organisation.pk,
                    object_repr=organisation.name[:200],
                    action=1,  # auditlog's UPDATE
                    changes={column: [value, ""]},
                    changes_text=f"{column}: {value} -> '' ({reason})",
                    additional_data={
                        "organisation_id": organisation.pk,
                        "partner_id": None,
                        "reason": reason,
                    },
                )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_search_trigram_index_postgresql"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(clear_duplicates, migrations.RunPython.noop, elidable=False),
    ]
