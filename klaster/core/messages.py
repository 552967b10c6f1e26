"""Sentences for people, kept as a code and its values rather than as finished text.

The core never imports Django, so it cannot say things in the reader's language. It says them
in English (`str(message)`, for the command line and the JSON contracts), and keeps the code and
the values, so that the web layer can say the same sentence in Polish from its own catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    """One sentence: `code` names it, `text` is its English wording with `{value}` fields.

    Examples
    --------
    >>> note = message("past_projects", "{count} past project(s) with the coordinator", count=2)
    >>> str(note)
    '2 past project(s) with the coordinator'
    >>> Message.from_json(note.as_json()) == note
    True
    """

    code: str
    text: str
    values: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return self.text.format(**dict(self.values))

    def value(self, name: str, default: Any = None) -> Any:
        return dict(self.values).get(name, default)

    def as_json(self) -> dict[str, Any]:
        """A plain dict (code, text, values) to store or send as JSON."""
        return {"code": self.code, "text": self.text, "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(
            code=str(data["code"]),
            text=str(data.get("text", "")),
            values=tuple(sorted((data.get("values") or {}).items())),
        )


def message(code: str, text: str, **values: Any) -> Message:
    """A `Message` with its values given by name (kept sorted, so equal sentences compare equal)."""
    return Message(code, text, tuple(sorted(values.items())))
