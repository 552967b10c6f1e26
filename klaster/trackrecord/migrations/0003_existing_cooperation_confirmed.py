from django.db import migrations
from django.db.models import F


def confirm_existing(apps, schema_editor):
    # Entries recorded before confirmations existed were all checked the old way: they stay
    # confirmed, dated from when they were recorded, so nothing public disappears.
    Cooperation = apps.get_model("trackrecord", "Cooperation")
    Cooperation.objects.filter(confirmed_at__isnull=True).update(
        confirmation="confirmed", confirmed_at=F("created_at")
    )


def unconfirm_existing(apps, schema_editor):
    Cooperation = apps.get_model("trackrecord", "Cooperation")
    Cooperation.objects.filter(confirmed_by__isnull=True).update(confirmed_at=None)


class Migration(migrations.Migration):
    dependencies = [("trackrecord", "0002_cooperation_confirmation")]

    operations = [migrations.RunPython(confirm_existing, unconfirm_existing)]
