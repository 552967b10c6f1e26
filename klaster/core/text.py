"""Text normalisation shared by search, matching and ranking (Polish and English)."""

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans(
    {"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "æ": "ae"}
)
_SPACES = re.compile(r"\s+")
# Most text here is ASCII and Polish letters; for those, folding is a character table, which
# is what makes thousands of search documents (the demo, imports) cheap. The rest decomposes.
_POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
_POLISH_FOLDS = str.maketrans(_POLISH_LETTERS, "acelnoszzacelnoszz")
_FAST_FOLDABLE = frozenset("".join(map(chr, range(32, 127))) + "\t\n" + _POLISH_LETTERS)


def fold(text: str) -> str:
    """Lower-case `text` and strip diacritics, so that "Łódź" and "lodz" compare equal.

    Examples
    --------
    >>> fold("  Łódź  Wrocław ")
    'lodz wroclaw'
    >>> fold("Zażółć\tgęślą jaźń"), fold("Müller-Øre")
    ('zazolc gesla jazn', 'muller-ore')
    """
    if _FAST_FOLDABLE.issuperset(text):
        return " ".join(text.translate(_POLISH_FOLDS).lower().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


# Function words carry no topic; listed folded (no diacritics), since tokens are folded first.
# fmt: off
ENGLISH_STOPWORDS = frozenset(
    """
    a about above across after again against all almost also although always am among an and
    another any are around as at be became because been before being below between both but
    by can could did do does doing done down during each either else enable enabling etc
    even ever every for from further had has have having he her here hers him his how
    however i if in including into is it its itself just least less like made main make many
    may me more most much must my new no nor not now of off often on once one only or other
    others our ours out over own per project projects same several shall she should since so
    some such than that the their theirs them then there these they this those through thus
    to too towards under until up upon us use used using very via was we well were what when
    where whether which while who whom whose why will with within without would yet you your
    """.split()  # noqa: SIM905 - a word list reads better as text
)
POLISH_STOPWORDS = frozenset(
    fold(
        """
        a aby albo ale ani bardzo beda bedzie bez bo byc byl byla bylo byly co czy dla
        do gdy gdzie go i ich ile im innych ja jak jakie jako je jego jej jesli jest
        jeszcze juz kazdy kiedy ktora ktore ktorego ktorej ktory ktorych ku lub ma maja
        mi miedzy mnie moze mozna na nad nam nas nich nie niej nim niz no o od oraz po
        pod ponad poprzez projekt projektu przed przez przy sa sie ta tak takie takze
        tam te tego tej ten to tu tych tylko tym u w we wraz wszystkie z za ze zeby
        """
    ).split()
)
# fmt: on
STOPWORDS = ENGLISH_STOPWORDS | POLISH_STOPWORDS

_WORD = re.compile(r"[a-z0-9]+")

# Longest suffix first; the stem must keep at least `_MIN_STEM` letters so short words survive.
_ENGLISH_SUFFIXES = (
    "ational", "ization", "fulness", "iveness", "ations", "ements", "ities", "ation", "ement",
    "ments", "ness", "ings", "ment", "ies", "ing", "ity", "ers", "ed", "es", "er", "ly", "s",
)  # fmt: skip
_POLISH_SUFFIXES = (
    "owania", "owanie", "owaniu", "ościami", "ościach", "owych", "owego", "owemu", "owej", "ości",
    "ność", "ego", "emu", "ami", "ach", "ymi", "imi", "owy", "owa", "owe", "ych", "ich",
    "ej", "ie", "ia", "om", "ow", "ów", "a", "e", "i", "o", "u", "y",
)  # fmt: skip
_POLISH_SUFFIXES = tuple(sorted({fold(s) for s in _POLISH_SUFFIXES}, key=len, reverse=True))
_MIN_STEM = 4
# Letters that only Polish writes; one of them in a text settles the language.
_POLISH_LETTERS = frozenset("ąćęłńóśźż")


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def stem(word: str, language: str = "en") -> str:
    """Cut the inflectional ending off a folded word ("en" or "pl"), conservatively.

    The stem is not a dictionary word: it only makes "networks" and "network", or "sieci" and
    "siecią" (folded "siecia"), meet on one index entry.

    Examples
    --------
    >>> stem("networks"), stem("organisations")
    ('network', 'organis')
    >>> stem("energetycznych", "pl"), stem("energetyczne", "pl")
    ('energetyczn', 'energetyczn')
    """
    if word.isdigit():
        return word
    return _strip_suffix(word, _POLISH_SUFFIXES if language == "pl" else _ENGLISH_SUFFIXES)


def detect_language(text: str) -> str:
    """ "pl" when `text` reads as Polish, else "en".

    Function words decide; when they tie (short texts), any Polish letter makes it Polish.

    Examples
    --------
    >>> detect_language("Sieć czujników dla rolnictwa"), detect_language("A sensor network")
    ('pl', 'en')
    """
    words = _WORD.findall(fold(text))
    polish = sum(w in POLISH_STOPWORDS and w not in ENGLISH_STOPWORDS for w in words)
    english = sum(w in ENGLISH_STOPWORDS and w not in POLISH_STOPWORDS for w in words)
    if polish != english:
        return "pl" if polish > english else "en"
    # No function words to go by (a title, keywords): Polish letters settle it.
    return "pl" if any(ch in _POLISH_LETTERS for ch in text.lower()) else "en"


def tokenize(text: str, language: str | None = None) -> list[str]:
    """Fold, split into words, drop function words and numbers-only tokens, and stem.

    The language is detected from the text unless given ("en" or "pl").

    Examples
    --------
    >>> tokenize("Smart energy networks for the cities of Łódź")
    ['smart', 'energy', 'network', 'citi', 'lodz']
    >>> tokenize("Inteligentne sieci energetyczne dla miast")
    ['inteligentn', 'siec', 'energetyczn', 'miast']
    """
    if not text:
        return []
    language = language or detect_language(text)
    tokens = []
    for word in _WORD.findall(fold(text)):
        if len(word) < 2 or word in STOPWORDS or word.isdigit():
            continue
        tokens.append(stem(word, language))
    return tokens
