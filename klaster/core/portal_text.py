"""Texts of the Funding & Tenders portal made readable: repaired encoding, paragraphs back.

The portal's topic texts arrive as HTML stripped of its tags, so paragraphs run into each other
("...public finances.The programme...", "Scope:Size of...") and headings stick to what follows.
Some were also decoded twice, so that a dash reads "â€“" and a quote "â€™" (UTF-8 bytes read as
Windows-1252). `tidy_portal_text` undoes both, as far as it can be done without guessing.
"""

from __future__ import annotations

import re

# Characters that Windows-1252 shows for the bytes 0x80-0x9F (its own specials), so that a
# UTF-8 continuation byte read as Windows-1252 is one of these or U+0080-U+00BF.
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONTINUATION = "[\u0080-\u00bf" + re.escape(_CP1252_SPECIALS) + "]"
# A UTF-8 lead byte read as Latin-1 followed by as many continuation bytes as it announces.
_DOUBLE_DECODED = re.compile(
    f"[\u00c2-\u00df]{_CONTINUATION}"
    f"|[\u00e0-\u00ef]{_CONTINUATION}{{2}}"
    f"|[\u00f0-\u00f4]{_CONTINUATION}{{3}}"
)
# Headings of the portal's topic pages, which the stripped HTML glues to their text.
_HEADINGS = (
    "Expected Outcome:",
    "Expected Impact:",
    "Objective:",
    "Scope:",
    "General conditions",
    "Specific conditions",
)
_HEADING = re.compile("(" + "|".join(re.escape(h) for h in _HEADINGS) + r")\s*")
# A sentence that ends right where the next begins ("finances.The", "2026.Resubmission"):
# a word of two lower-case letters or digits at least (so never "Ph.D" or "e.g.A"), a full
# stop, and a capitalised word.
_GLUED_SENTENCE = re.compile(r"(?<=(?:[a-z]{2}|\d{2}|[a-z\d]\))[.!?])(?=[A-Z][a-z])")
# A numbered heading glued to the text before it ("document.2. Eligible countries").
_GLUED_NUMBER = re.compile(r"(?<=[^\s\d])\s*(?=\d{1,2}\.\s?[A-Z])")
_GLUED_COLON = re.compile(r":(?=[A-Z][a-z])")
# A heading glued to its text ("2. Eligible CountriesThe conditions", "SecurityApplications
# involving"): the first place where a lower-case word runs into a capitalised one, early in a
# paragraph, into a whole word. Only at a paragraph's start: elsewhere brand names have the same
# shape (NextGenerationEU), and `_is_glued_heading` still rules out names there. The word after
# the glue goes on on the same line, so that a second tidying finds nothing more to split.
_GLUED_HEADING = re.compile(
    r"^((?:\d{1,2}\.\s?[A-Z][^\n.]{0,100}?|[A-Z][^\n.:;]{0,100}?)[a-z]{2}\)?)"
    r"(?=([A-Z][a-z]+)[ \t,.:;’'‑-])"
)
_NUMBERED = re.compile(r"^\d{1,2}\.\s?")
_LEFTOVER_TAG = re.compile(r'^\s*"?>')


def _as_bytes(text: str) -> bytes:
    """The bytes `text` was decoded from as Windows-1252 (Latin-1 where 1252 has a gap)."""
    out = bytearray()
    for char in text:
        if char in _CP1252_SPECIALS:
            out += char.encode("cp1252")
        else:
            out.append(ord(char))  # U+0080-U+00FF: the byte itself
    return bytes(out)


def repair_double_decoding(text: str) -> str:
    """Turn UTF-8 read as Windows-1252 back into what it said; leave everything else alone.

    Examples
    --------
    >>> repair_double_decoding("Energy renovation solutions â€“ Boosting")
    'Energy renovation solutions – Boosting'
    >>> repair_double_decoding("beneficiariesâ€™ costs, â€œquotedâ€\\x9d, Łódź, café")
    'beneficiaries’ costs, “quoted”, Łódź, café'
    """

    def repaired(match: re.Match) -> str:
        try:
            return _as_bytes(match.group()).decode("utf-8")
        except UnicodeDecodeError:
            return match.group()

    return _DOUBLE_DECODED.sub(repaired, text)


def _is_glued_heading(heading: str, next_word: str, squeezed_text: str) -> bool:
    """Whether `heading` ran into `next_word` because a tag was stripped, not as a name does.

    `squeezed_text` is the whole text with its whitespace left out, so that a second tidying
    decides as the first.
    """
    last_word = re.search(r"[^\W\d_]+\)?$", heading).group().rstrip(")")
    if not last_word[:1].isupper():
        return True
    # Names run a capitalised word into another ("HealthCare", "SoilWise"). Such a name is
    # written the same way elsewhere in the text ("a European HealthCare Incubator Network"),
    # where a heading glued twice is glued to the same words both times; or it ends a run of
    # lower-case words ("the work done by the SoilWise project"), where headings are title case.
    if squeezed_text.count(last_word + next_word) > squeezed_text.count(
        re.sub(r"\s", "", heading) + next_word
    ):
        return False
    words = [w for w in _NUMBERED.sub("", heading).split() if w[:1].isalpha()]
    return 2 * sum(w[:1].isupper() for w in words) >= len(words)


def _split_glued_headings(paragraph: str, squeezed_text: str) -> str:
    """`paragraph` with the headings glued to its start each on a line of its own."""
    lines = []
    while match := _GLUED_HEADING.match(paragraph):
        if not _is_glued_heading(match.group(1), match.group(2), squeezed_text):
            break
        lines.append(match.group(1))
        paragraph = paragraph[match.end() :]
    return "\n".join([*lines, paragraph])


def tidy_portal_text(text: str) -> str:
    """A portal topic text with its encoding repaired and its paragraphs and headings apart.

    Paragraphs are separated by a blank line; a heading stands on its own line above its text.

    Examples
    --------
    >>> print(tidy_portal_text("Objective:The programme helps.It funds pilots.Scope:Size: EUR 1."))
    Objective:
    The programme helps.
    <BLANKLINE>
    It funds pilots.
    <BLANKLINE>
    Scope:
    Size: EUR 1.
    """
    text = repair_double_decoding(text or "")
    text = _LEFTOVER_TAG.sub("", text)
    text = _HEADING.sub(lambda m: "\n\n" + m.group(1) + "\n", text)
    text = _GLUED_SENTENCE.sub("\n\n", text)
    text = _GLUED_NUMBER.sub("\n\n", text)
    text = _GLUED_COLON.sub(": ", text)
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n{2,}", text)]
    squeezed_text = re.sub(r"\s", "", text)
    paragraphs = [_split_glued_headings(p, squeezed_text) for p in paragraphs]
    return "\n\n".join(p for p in paragraphs if p)


# An identifier of the work programme: capitals and digits joined by dashes (or dots), with a
# digit somewhere, e.g. HORIZON-CL5-2024-D3-01-02 or ERC-2026-ADG.
_IDENTIFIER = re.compile(r"[A-Z0-9]+(?:[-_./][A-Z0-9]+)+")
_TITLE_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "towards",
        "via",
        "under",
        "-",
        "–",
        "—",
    ]
)


def _is_identifier(word: str) -> bool:
    return bool(_IDENTIFIER.fullmatch(word)) and any(c.isdigit() for c in word)


def call_keywords(
    keywords: str, *, identifiers: tuple[str, ...] = (), title: str = ""
) -> tuple[str, ...]:
    """The real keywords of a portal topic: its keywords field without the topic and call
    identifiers the portal puts there (often twice), each keyword once; when nothing else is
    left, the words of its `title`.

    Examples
    --------
    >>> call_keywords("ERC-2026-ADG, ERC-2026-ADG", identifiers=("ERC-2026-ADG",),
    ...               title="ERC Advanced Grants")
    ('ERC', 'Advanced', 'Grants')
    >>> call_keywords("DIGITAL-2026-AI-DATA-10-COMPLIANCE, DIGITAL-2026-AI-DATA-10, "
    ...               "Artificial intelligence, artificial intelligence, Data")
    ('Artificial intelligence', 'Data')
    >>> call_keywords("odnawialne źródła energii, magazynowanie energii")
    ('odnawialne źródła energii', 'magazynowanie energii')
    """
    dropped = {i.strip().casefold() for i in identifiers if i.strip()}
    kept: dict[str, str] = {}
    for part in re.split(r"[,;]", keywords or ""):
        keyword = " ".join(part.split())
        if not keyword or keyword.casefold() in dropped or _is_identifier(keyword):
            continue
        kept.setdefault(keyword.casefold(), keyword)
    if kept:
        return tuple(kept.values())
    words: dict[str, str] = {}
    for word in (title or "").split():
        word = word.strip(".,:;()[]\"'“”")
        if word and word.casefold() not in _TITLE_STOPWORDS and not _is_identifier(word):
            words.setdefault(
                word.casefold(), word.title() if word.isupper() and len(word) > 3 else word
            )
    return tuple(words.values())
