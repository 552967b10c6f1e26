"""Uploaded files wait for their job in the database: any worker reads them, only their owner
reaches them, and they are gone after a day or once the job is done."""

import datetime

import pytest
from django.utils import timezone

from klaster.jobs.models import Upload
from klaster.jobs.services import upload_as_file, upload_drop, upload_get, upload_keep
from klaster.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_upload_is_kept_whole_for_its_owner_only():
    owner, other = UserFactory(), UserFactory()
    kept = upload_keep(owner=owner, kind="organisations", filename="../x/członkowie.csv",
                       chunks=[b"name\n", b"Alfa\n"])  # fmt: skip
    assert kept.filename == "członkowie.csv" and kept.size == 10  # no folders from the client
    found = upload_get(token=kept.token, owner=owner)
    assert "data" in found.get_deferred_fields()  # naming an upload does not fetch its bytes
    assert found.read() == b"name\nAlfa\n"
    for token, who in ((kept.token, other), (kept.token, None), ("made-up", owner), ("", owner)):
        with pytest.raises(LookupError):
            upload_get(token=token, owner=who)
    upload_drop(token=kept.token)
    with pytest.raises(LookupError):
        upload_get(token=kept.token, owner=owner)


def test_uploads_expire_after_a_day_and_are_cleared_by_the_next_one():
    owner = UserFactory()
    old = upload_keep(owner=owner, kind="calls:national", filename="a.csv", chunks=[b"x"])
    Upload.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(LookupError):
        upload_get(token=old.token, owner=owner)
    upload_keep(owner=owner, kind="calls:national", filename="b.csv", chunks=[b"y"])
    assert list(Upload.objects.values_list("filename", flat=True)) == ["b.csv"]


def test_a_reader_that_needs_a_path_gets_a_file_that_goes_away():
    kept = upload_keep(owner=UserFactory(), kind="cordis:cordis", filename="h.zip", chunks=[b"PK"])
    with upload_as_file(kept) as path:
        assert path.name == "h.zip" and path.read_bytes() == b"PK"
    assert not path.exists()
