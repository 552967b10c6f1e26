"""Ideas written in Polish, read in the English of the CORDIS texts the partner index is built on.

A member may describe an idea in Polish; every text of the index is English, so Polish words
would match almost nothing. `PolishReader.english_query` turns a Polish idea into an English
query before it reaches the index: each word is lemmatised (simplemma's Polish dictionary, which
ships inside its wheel: nothing is downloaded at run time), the longest phrases of the bilingual
glossary (`glossary_pl_en.tsv`, kept as data) are replaced by their English terms, Polish function
words are dropped and any other word is kept (folded: acronyms and international terms such as
"LiDAR" or "blockchain" match the English texts as they are). An English idea comes back as the
very same object, so it scores exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from klaster.core.partners.features import PartnerQuery
from klaster.core.text import POLISH_STOPWORDS, detect_language, fold, stem

GLOSSARY_PATH = Path(__file__).with_name("glossary_pl_en.tsv")
_WORDS = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_SENTENCE_END = frozenset(".!?")


def simplemma_polish() -> Callable[[str], str]:
    """simplemma's Polish lemmatiser (its dictionary loads on the first word, about 6 s)."""
    import simplemma

    return lambda word: simplemma.lemmatize(word, lang="pl")


@dataclass(frozen=True)
class Glossary:
    """Polish phrases (as lookup keys) and their English terms; `longest` words in a phrase."""

    terms: dict[tuple[str, ...], str]
    longest: int
    # One-word entries written capitalised ("Europa", "Bałtyk"): names, that may translate a
    # capitalised word inside a sentence, where other one-word entries may not ("Łodzi" is the
    # city, not a form of "łódź", a boat).
    names: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, lines: Iterable[str], key: Callable[[str], str]) -> Glossary:
        """A glossary from tab-separated `polish<TAB>english` lines ('#' starts a comment line).

        Every Polish word is turned into a key by `key` (the same function that reads ideas), so
        an entry written in its dictionary form matches any inflected form. When two entries
        share a key, the first one wins.

        Examples
        --------
        >>> g = Glossary.parse(["# demo", "magazyn energii\\tenergy storage"], key=str.lower)
        >>> g.terms[("magazyn", "energii")], g.longest
        ('energy storage', 2)
        """
        terms: dict[tuple[str, ...], str] = {}
        names: set[str] = set()
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            polish, separator, english = line.rstrip("\n").partition("\t")
            if not separator or not polish.strip() or not english.strip():
                raise ValueError(f"glossary line {number}: expected 'polish<TAB>english'")
            words = _WORDS.findall(polish)
            phrase = tuple(key(word) for word in words)
            terms.setdefault(phrase, english.strip())
            if len(words) == 1 and words[0][0].isupper():
                names.add(phrase[0])
        return cls(terms, max((len(p) for p in terms), default=0), frozenset(names))


class PolishReader:
    """Turns Polish idea texts into English query texts; see the module docstring.

    `lemmatise` maps a Polish word to its dictionary form (None: words are only folded);
    `glossary` is read through the same keys (None: no translation, words kept as written).
    """

    def __init__(
        self,
        *,
        glossary_lines: Iterable[str] | None,
        lemmatise: Callable[[str], str] | None,
    ):
        self._lemmatise = cache(lemmatise) if lemmatise else None
        self._glossary_lines = list(glossary_lines) if glossary_lines is not None else None

    @cached_property
    def glossary(self) -> Glossary | None:
        # Parsed on first use: keys need the lemmatiser, whose dictionary takes seconds to load.
        if self._glossary_lines is None:
            return None
        return Glossary.parse(self._glossary_lines, self.key)

    @classmethod
    def default(cls, *, glossary: bool = True, lemmas: bool = True) -> PolishReader:
        """The reader the engine uses: the project's glossary and simplemma's Polish lemmas.

        `glossary=False` or `lemmas=False` leave a part out (to measure what each brings).
        """
        if glossary and lemmas:
            return default_reader()
        lines = GLOSSARY_PATH.read_text(encoding="utf-8").splitlines() if glossary else None
        return cls(glossary_lines=lines, lemmatise=simplemma_polish() if lemmas else None)

    def key(self, word: str) -> str:
        """The lookup key of a word: its lemma, folded; without a lemmatiser, its folded stem."""
        if self._lemmatise:
            return fold(self._lemmatise(word.lower()))
        return stem(fold(word), "pl")

    def english_text(self, text: str) -> str:
        """A Polish `text` in English terms: glossary phrases translated (longest first), Polish
        function words dropped, other words kept folded (without diacritics, so the result reads
        as English to `detect_language`)."""
        matches = list(_WORDS.finditer(text))
        words = [match.group() for match in matches]
        keys = [self.key(word) for word in words]
        # A capitalised word inside a sentence is most likely a name.
        named, previous_end = [], None
        for match in matches:
            inside = previous_end is not None and not _SENTENCE_END & set(
                text[previous_end : match.start()]
            )
            named.append(inside and match.group()[0].isupper())
            previous_end = match.end()
        longest = self.glossary.longest if self.glossary else 0
        out: list[str] = []
        at = 0
        while at < len(words):
            for size in range(min(longest, len(words) - at), 0, -1):
                english = self.glossary.terms.get(tuple(keys[at : at + size]))
                if size == 1 and named[at] and keys[at] not in self.glossary.names:
                    english = None
                if english is not None:
                    out.append(english)
                    at += size
                    break
            else:
                word = fold(words[at])
                if word not in POLISH_STOPWORDS:
                    out.append(word)
                at += 1
        return " ".join(out)

    def english_query(self, query: PartnerQuery) -> PartnerQuery:
        """`query` with its texts in English when they are written in Polish, else `query` itself.

        The language is told once from the title and objective, as the index does for projects.
        """
        if detect_language(" ".join((query.title, query.objective))) != "pl":
            return query
        return replace(
            query,
            title=self.english_text(query.title),
            objective=self.english_text(query.objective),
            keywords=tuple(self.english_text(k) for k in query.keywords),
        )


class AsWritten:
    """A reader that leaves every idea as written: how the engine read Polish before it had
    a `PolishReader` (to measure what reading brings)."""

    def english_query(self, query: PartnerQuery) -> PartnerQuery:
        return query


@cache
def default_reader() -> PolishReader:
    """The engine's reader, built once per process (simplemma itself loads on the first word)."""
    return PolishReader(
        glossary_lines=GLOSSARY_PATH.read_text(encoding="utf-8").splitlines(),
        lemmatise=simplemma_polish(),
    )
