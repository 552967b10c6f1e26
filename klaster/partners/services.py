"""Writes of partner search: starting a build of the partner engine (the only place that does)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from klaster.jobs.services import job_create, job_enqueue
from klaster.partners import serving
from klaster.partners.serving import Engine, EngineState


def engine_build_start(*, user=None, retry_failed: bool = False) -> Engine:
    """Start a background build of the partner engine when one is needed; the engine's state after.

    Nothing starts when the engine is ready, a build is under way (never two at a time) or there
    are no EU projects to build from. A build that failed for the same data is started again
    only with `retry_failed` (staff asking for it): a reader's request would fail the same way.
    """
    engine = serving.engine_get()
    wanted = engine.state == EngineState.MISSING or (
        retry_failed and engine.state == EngineState.FAILED
    )
    if not wanted:
        return engine
    # The lock spans web processes (file cache or Redis), the query covers the worker's jobs.
    lock = f"{serving.BUILD_JOB}:starting"
    for _attempt in range(50):
        if cache.add(lock, 1, timeout=30):
            break
        time.sleep(0.1)
    try:
        with transaction.atomic():
            if serving.running_build() is None:
                job = job_create(
                    kind=serving.BUILD_JOB,
                    title=str(serving.BUILD_TITLE),
                    parameters={"fingerprint": engine.fingerprint},
                    user=user if getattr(user, "pk", None) else None,
                )
                job_enqueue(job=job)
    finally:
        cache.delete(lock)
    return serving.engine_get()
