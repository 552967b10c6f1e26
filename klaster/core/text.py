"""Text normalisation shared by search, matching and ranking (Polish and English)."""

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "æ": "ae"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case `text` and strip diacritics, so that "Łódź" and "lodz" compare equal.

    Examples
    --------
    >>> fold("  Łódź  Wrocław ")
    'lodz wroclaw'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
