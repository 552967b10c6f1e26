"""The five sectors of the cluster, built in (staff may add more)."""

from django.db import migrations

BUILTIN_SECTORS = [
    ("ict", "ICT", "ICT"),
    ("energy", "Energetyka", "Energy"),
    ("space", "Technologie kosmiczne", "Space"),
    ("ecology", "Ekologia i ochrona środowiska", "Ecology and environment"),
    ("renewable-energy", "Odnawialne źródła energii", "Renewable energy"),
]

DEFAULT_TIERS = [
    ("Podstawowa / Basic", "1200.00"),
    ("Standard", "2400.00"),
    ("Partner strategiczny / Strategic partner", "6000.00"),
]


def add_builtins(apps, schema_editor):
    Sector = apps.get_model("members", "Sector")
    for code, name_pl, name_en in BUILTIN_SECTORS:
        Sector.objects.update_or_create(
            code=code, defaults={"name_pl": name_pl, "name_en": name_en, "is_builtin": True}
        )
    MembershipTier = apps.get_model("members", "MembershipTier")
    for name, fee in DEFAULT_TIERS:
        MembershipTier.objects.get_or_create(name=name, defaults={"annual_fee": fee})


def remove_builtins(apps, schema_editor):
    apps.get_model("members", "Sector").objects.filter(
        code__in=[code for code, _pl, _en in BUILTIN_SECTORS]
    ).delete()
    apps.get_model("members", "MembershipTier").objects.filter(
        name__in=[name for name, _fee in DEFAULT_TIERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial_registry")]

    operations = [migrations.RunPython(add_builtins, remove_builtins)]
