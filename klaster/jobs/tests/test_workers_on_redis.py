"""Scaling out: the same job code queued on Redis and run by a worker, as on another machine.

Needs a Redis server (REDIS_TEST_URL, default 127.0.0.1:6379 database 15); scripts/test.sh
starts one when it is installed but not running.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest
from huey import RedisHuey

from klaster.jobs.models import Job
from klaster.jobs.registry import job_handler
from klaster.jobs.services import job_create
from klaster.jobs.tasks import run_job_task

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")

progress_seen: list[tuple[int, int, str]] = []


@job_handler("test.count-to-three")
def count_to_three(job, progress):
    for step in range(1, 4):
        progress(step, 3, f"step {step}")
        progress_seen.append((step, 3, f"step {step}"))
    return {"counted": job.parameters["up_to"]}


@pytest.fixture
def redis_queue():
    queue = RedisHuey(f"klaster-test-{uuid.uuid4().hex}", url=REDIS_TEST_URL, results=True)
    yield queue
    queue.flush()


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_on_redis_is_run_by_a_worker_with_progress(redis_queue):
    job = job_create(kind="test.count-to-three", title="Count", parameters={"up_to": 3})
    # The web process enqueues the very task the platform uses...
    remote_task = redis_queue.task(name="run_job_task")(run_job_task.func)
    remote_task(job.pk)
    assert redis_queue.pending_count() == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    # ...and a worker, anywhere that reaches Redis and the database, takes it and runs it.
    queued = redis_queue.dequeue()
    redis_queue.execute(queued)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 3}
    assert (job.done, job.total, job.message) == (3, 3, "step 3")
    assert redis_queue.pending_count() == 0


def test_with_redis_url_the_queue_and_cache_move_to_redis():
    code = (
        "import django, json; django.setup();"
        "from django.conf import settings; from huey.contrib.djhuey import HUEY;"
        "print(json.dumps([type(HUEY).__name__, settings.CACHES['default']['BACKEND']]))"
    )
    env = {
        **os.environ,
        "REDIS_URL": REDIS_TEST_URL,
        "DJANGO_SETTINGS_MODULE": "klaster.web.settings",
    }
    env.pop("KLASTER_TESTING", None)
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    huey_class, cache_backend = json.loads(output.strip().splitlines()[-1])
    assert huey_class == "RedisHuey"
    assert cache_backend == "django.core.cache.backends.redis.RedisCache"
