"""For tests of work that must not hold a transaction while it computes (a schedule, a
consortium): run it in another thread and hold it at its `before_write` hook while the test
writes meanwhile, as another person would."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, connections

WAIT_SECONDS = 120  # a test that waits this long has failed


@dataclass
class HeldRun:
    """What the run in the other thread did: whether a transaction was open at each call of
    its hook, and its result or the error it raised."""

    in_transaction: list[bool] = field(default_factory=list)
    result: object = None
    error: BaseException | None = None
    thread: threading.Thread | None = None

    @property
    def waiting(self) -> bool:
        """Still held (or still running): it has not returned."""
        return self.thread is not None and self.thread.is_alive()


@contextmanager
def held_before_write(run: Callable[..., object]) -> Iterator[HeldRun]:
    """Start `run(before_write=hook)` in another thread and enter the block once it reaches
    the hook for the first time; it stays held there until the block ends, then finishes.

    Later calls of the hook (a run that starts again) pass straight through.
    """
    held = HeldRun()
    reached, release = threading.Event(), threading.Event()

    def hook() -> None:
        held.in_transaction.append(connection.in_atomic_block)
        if len(held.in_transaction) == 1:
            reached.set()
            if not release.wait(WAIT_SECONDS):
                raise TimeoutError("the test never let the run go on")

    def work() -> None:
        try:
            held.result = run(before_write=hook)
        except BaseException as error:  # handed to the test's thread
            held.error = error
        finally:
            reached.set()
            connections.close_all()

    held.thread = threading.Thread(target=work)
    held.thread.start()
    try:
        if not reached.wait(WAIT_SECONDS):
            raise TimeoutError("the run never reached its hook")
        if held.error is not None:
            raise held.error
        yield held
    finally:
        release.set()
        held.thread.join(WAIT_SECONDS)
    if held.error is not None:
        raise held.error
