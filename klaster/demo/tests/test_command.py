"""`klaster demo` prints its report in English, whatever the site's language."""

import io
from types import SimpleNamespace

from django.utils import translation

from klaster.demo.management.commands.demo import Command as DemoCommand
from klaster.demo.services import DemoSummary
from klaster.demo.trackrecord import DemoCordisReport

# As a worker writes it: counts per record type and what the linking step did.
IMPORT_RESULT = {
    "counts": {"projects": {"created": 2, "updated": 0, "unchanged": 5, "removed": 0}},
    "changed": True,
    "seconds": 1.25,
    "linking": {"linked": 3, "by_pic": 1, "by_vat": 1, "by_name_city": 1, "pending": 2},
}


def test_demo_command_reports_in_english_whatever_the_site_language():
    out = io.StringIO()
    command = DemoCommand(stdout=out)
    report = SimpleNamespace(
        organisations_by_kind={"enterprise": 3}, seconds=1.0, created_organisations=3, smes=2,
        people=4, fees_created=1, memberships_by_status={"active": 3}, logins=[],
    )  # fmt: skip
    cordis = DemoCordisReport(
        import_result=IMPORT_RESULT, created_organisations=1, region_organisations=2, by_slot={}
    )
    events = SimpleNamespace(participants=1, requests=1, meetings=1)
    summary = DemoSummary(
        cluster=report, cordis=cordis, cooperation_entries=0, events=events,
        calls=SimpleNamespace(created=0), partner_clusters=0, partner_organisations=0, ideas=0,
        ideas_editor="redaktor-a",
        marketplace=SimpleNamespace(
            profiles=72, profiles_by_status={"draft": 6, "published": 66}, interests=8
        ),
    )  # fmt: skip

    with translation.override("pl"):
        command._report(summary)

    text = out.getvalue()
    assert "Enterprise" in text and "Active: 3" in text
    assert "Imported." in text and "Linked" not in text
    assert "Marketplace (demo): 72 profiles (draft: 6, published: 66), 8 expressions" in text
    assert "Przedsiębiorstwo" not in text and "Zaimportowano" not in text
