"""Values as people type them in spreadsheets, turned into what the forms expect."""

import datetime

from django.utils import translation

from klaster.core.text import fold

_TRUE_WORDS = {"1", "true", "yes", "y", "tak", "t", "prawda", "x"}
_FALSE_WORDS = {"", "0", "false", "no", "n", "nie", "falsz"}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


def boolean(text: str) -> bool | None:
    """Yes or no in Polish or English (an empty cell is no); None if the text is neither."""
    word = fold(text)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def date_text(text: str) -> str:
    """ISO date for the forms when the text is a date in a common Polish or ISO form; anything
    else as typed, for the form to reject with its own message."""
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), date_format).date().isoformat()
        except ValueError:
            continue
    return text


def choice_lookup(choices) -> dict[str, str]:
    """Codes and labels (Polish and English) of a choice list, folded -> code."""
    lookup = {}
    for code, label in choices:
        lookup[fold(code)] = code
        for language in ("pl", "en"):
            with translation.override(language):
                lookup.setdefault(fold(str(label)), code)
    return lookup
