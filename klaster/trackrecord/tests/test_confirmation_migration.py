"""Entries recorded before confirmations existed stay public: the data migration confirms them,
and both migrations run backwards."""

import datetime

BEFORE = [("trackrecord", "0001_cordis_track_record_and_cooperation")]
AFTER = [("trackrecord", "0003_existing_cooperation_confirmed")]


def test_existing_public_entries_stay_confirmed_after_the_migration(migrate_to):
    old_apps = migrate_to(BEFORE)
    Organisation = old_apps.get_model("members", "Organisation")
    Cooperation = old_apps.get_model("trackrecord", "Cooperation")
    a = Organisation.objects.create(name="A", kind="ngo")
    b = Organisation.objects.create(name="B", kind="ngo")
    Cooperation.objects.create(
        kind="agreement", date=datetime.date(2024, 1, 1), organisation_a=a, organisation_b=b,
        visibility="public",
    )  # fmt: skip

    new_apps = migrate_to(AFTER)
    entry = new_apps.get_model("trackrecord", "Cooperation").objects.get()
    assert entry.confirmation == "confirmed"
    assert entry.confirmed_at is not None

    migrate_to(BEFORE)  # reversible
    migrate_to(AFTER)
