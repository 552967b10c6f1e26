"""Which function runs which kind of background job.

A handler takes the Job and a `progress(done, total, message)` callable and returns a JSON-able
result dict; raising an exception marks the job failed with its message.
"""

from collections.abc import Callable
from typing import Any

Progress = Callable[[int, int, str], None]
Handler = Callable[[Any, Progress], dict]

_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No handler registered for background jobs of kind {kind!r}") from None
