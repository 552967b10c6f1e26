"""Which function runs which kind of background job, and how that kind is told to a reader.

A handler takes the Job and a `progress(done, total, message)` callable and returns a JSON-able
result dict; raising an exception marks the job failed with its message.

A job speaks the language of whoever started it (see `services.job_run`). A kind that many
people follow at once, such as the shared partner index build, also registers `JobWords`, so
that each reader gets its title, step and summary in their own language.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int, str], None]
Handler = Callable[[Any, Progress], dict]


@dataclass(frozen=True)
class JobWords:
    """A kind of job in the reader's words: lazy translations, said when a page shows them."""

    title: Any = None
    steps: Mapping[int, Any] = field(default_factory=dict)  # progress `done` -> the step
    summary: Callable[[dict], str] | None = None  # the job's result -> its summary


_HANDLERS: dict[str, Handler] = {}
_WORDS: dict[str, JobWords] = {}


def job_handler(kind: str, *, words: JobWords | None = None) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        if words is not None:
            _WORDS[kind] = words
        return function

    return register


def words_for(kind: str) -> JobWords | None:
    return _WORDS.get(kind)


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No handler registered for background jobs of kind {kind!r}") from None
