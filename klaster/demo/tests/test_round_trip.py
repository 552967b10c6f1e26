"""The whole demo registry goes through the members export and import unchanged."""

import datetime

import pytest

from klaster.demo.loading import build_demo_cluster
from klaster.members import exports, imports
from klaster.members.models import Organisation
from klaster.members.selectors import DirectoryFilters

pytestmark = pytest.mark.django_db


def test_the_demo_registry_exports_and_imports_back_unchanged(coordinator):
    """The whole demo (its default seed once drew one KRS twice); CSV only, as it takes seconds
    (XLSX round trips are checked on a small registry in klaster/members/tests)."""
    build_demo_cluster(today=datetime.date(2026, 5, 15), with_logins=False)
    exported = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format="csv"
    )

    report = imports.import_check(
        data=exported.content, filename=exported.filename, kind="organisations", editor=coordinator
    )

    assert report.ok, report.errors[:5]
    assert (report.creates, report.updates) == (0, 0)
    assert report.unchanged == Organisation.objects.count()
