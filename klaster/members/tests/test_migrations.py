"""The data migration that clears shared identifiers before they become unique."""

BEFORE = [("members", "0004_search_trigram_index_postgresql")]
AFTER = [("members", "0006_unique_organisation_identifiers")]


def test_migration_keeps_a_shared_krs_on_the_oldest_organisation_and_logs_the_others(migrate_to):
    old_apps = migrate_to(BEFORE)
    Organisation = old_apps.get_model("members", "Organisation")
    oldest = Organisation.objects.create(name="Pierwsza", kind="ngo", krs="0000111111")
    copy = Organisation.objects.create(name="Druga", kind="ngo", krs="0000111111", nip="")
    alone = Organisation.objects.create(name="Trzecia", kind="ngo", krs="0000222222")

    new_apps = migrate_to(AFTER)
    Organisation = new_apps.get_model("members", "Organisation")
    krs = dict(Organisation.objects.values_list("pk", "krs"))
    assert krs == {oldest.pk: "0000111111", copy.pk: "", alone.pk: "0000222222"}
    LogEntry = new_apps.get_model("auditlog", "LogEntry")
    entry = LogEntry.objects.get(object_pk=str(copy.pk))
    assert entry.changes == {"krs": ["0000111111", ""]}
    assert entry.additional_data["organisation_id"] == copy.pk
    assert f"#{oldest.pk}" in entry.additional_data["reason"]
