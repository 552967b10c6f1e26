"""The task worker runs the marketplace's upkeep by itself: no cron entry is needed."""

import datetime

from huey.contrib.djhuey import HUEY

from klaster.marketplace import tasks
from klaster.marketplace.models import Profile
from klaster.marketplace.tests.factories import ProfileFactory


def _due(moment: datetime.datetime) -> set[str]:
    return {task.name for task in HUEY.read_periodic(moment)}


EXPIRE, ALERTS, DIGEST = (
    task.func.__name__
    for task in (tasks.profiles_expire_task, tasks.alerts_send_task, tasks.digests_send_task)
)


def test_expiry_is_due_daily_alerts_hourly_and_the_digest_daily():
    night = datetime.datetime(2026, 12, 7, 3, 17)
    morning = datetime.datetime(2026, 12, 7, 7, 41)
    any_hour = datetime.datetime(2026, 12, 7, 15, 23)

    assert EXPIRE in _due(night) and EXPIRE not in _due(morning)
    assert DIGEST in _due(morning) and DIGEST not in _due(night)
    assert ALERTS in _due(any_hour) and ALERTS in _due(night.replace(minute=23))
    assert ALERTS not in _due(night)


def test_the_expiry_task_expires_a_profile_past_its_deadline(db):
    profile = ProfileFactory(status=Profile.Status.PUBLISHED, deadline=datetime.date(2020, 1, 31))

    counts = tasks.profiles_expire_task.call_local()

    profile.refresh_from_db()
    assert counts["expired"] == 1 and profile.status == Profile.Status.EXPIRED
