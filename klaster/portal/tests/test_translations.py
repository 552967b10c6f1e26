"""The Polish catalogue is complete, compiled, and used by default; English is one click away.

The .po file is read with a small parser from the standard library (no polib at run time) and
the .mo file with `gettext.GNUTranslations`, so a stale .mo (a .po edited but not compiled)
fails here rather than in front of a member.
"""

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "pl" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
POLISH_PLURAL_FORMS = (
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
# Labels the browser journeys look for; they must not drift.
FIXED_LABELS = {
    "Username": "Nazwa użytkownika",
    "Password": "Hasło",
    "Sign in": "Zaloguj się",
    "My organisation": "Moja organizacja",
    "Competences and technologies": "Kompetencje i technologie",
    "description (Polish)": "opis (po polsku)",
    "Save": "Zapisz",
    "Search": "Szukaj",
}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (the header included, as the entry with an empty msgid)."""
    entries: list[Entry] = []
    current = Entry()
    started = False
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            started = True
            continue
        if line.startswith("#,"):
            if started and target and target[0].startswith("msgstr"):
                finish()
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        elif keyword in ("msgctxt", "msgid") and target and target[0].startswith("msgstr"):
            finish()
        if keyword is not None:
            started = True
            current.line = current.line or number
            if keyword.startswith("msgstr["):
                target = ("msgstr_plural", int(keyword[len("msgstr[") : -1]))
                current.msgstr_plural[target[1]] = ""
            else:
                target = (keyword, None)
                setattr(current, keyword, "")
        text = ast.literal_eval(rest)
        assert target is not None, f"{path}:{number}: a string outside an entry"
        name, index = target
        if name == "msgstr_plural":
            current.msgstr_plural[index] += text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [entry for entry in po_entries if entry.msgid and not entry.obsolete]


def test_header_declares_polish_plural_forms(po_entries):
    header = next(entry for entry in po_entries if entry.msgid == "")
    fields = dict(line.split(": ", 1) for line in header.msgstr.splitlines() if ": " in line)
    assert fields["Language"] == "pl"
    assert fields["Plural-Forms"] == POLISH_PLURAL_FORMS
    assert "charset=UTF-8" in fields["Content-Type"]


def test_every_entry_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 500
    untranslated = [e.msgid for e in messages if not all(t.strip() for t in e.translations)]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    wrong_plurals = [e.msgid for e in messages if e.msgid_plural and len(e.msgstr_plural) != 3]
    assert wrong_plurals == []


def test_placeholders_are_kept(messages):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%%|<[^>]+>")

    def found(text):
        return sorted(placeholder.findall(text))

    broken = []
    for entry in messages:
        if entry.msgid_plural is None:
            if found(entry.msgid) != found(entry.msgstr):
                broken.append(entry.msgid)
        elif any(found(entry.msgid_plural) != found(t) for t in entry.translations[1:]):
            broken.append(entry.msgid)
    assert broken == []


def test_labels_used_by_the_browser_journeys(messages):
    by_msgid = {e.msgid: e.msgstr for e in messages if e.msgid_plural is None}
    assert {msgid: by_msgid.get(msgid) for msgid in FIXED_LABELS} == FIXED_LABELS


def test_compiled_catalogue_matches_the_po_file(messages):
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        if entry.msgid_plural is None:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if catalogue.gettext(key) != entry.msgstr:
                stale.append(entry.msgid)
        else:
            for n, form in ((1, 0), (3, 1), (5, 2), (22, 1), (112, 2)):
                if (
                    catalogue.ngettext(entry.msgid, entry.msgid_plural, n)
                    != entry.msgstr_plural[form]
                ):
                    stale.append(entry.msgid)
                    break
    assert stale == [], "run compilemessages: the .mo file is older than the .po file"


@pytest.mark.django_db
def test_pages_are_polish_by_default(client):
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert '<html lang="pl">' in html
    assert "Katalog" in html
    assert "Zaloguj się" in html
    assert "Directory" not in html

    login = client.get("/accounts/login/").content.decode()
    assert "Nazwa użytkownika" in login
    assert "Hasło" in login

    directory = client.get("/members/").content.decode()
    assert "Katalog członków" in directory
    assert "Szukaj" in directory


@pytest.mark.django_db
def test_english_on_request(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Directory" in html
    assert "Sign in" in html
    assert "Zaloguj się" not in html

    directory = client.get("/members/").content.decode()
    assert "Member directory" in directory


@pytest.mark.django_db
def test_member_pages_in_polish(client_for, editor_a, organisation_a):
    client = client_for(editor_a)
    html = client.get("/").content.decode()
    assert "Moja organizacja" in html
    assert "Wyloguj się" in html

    edit = client.get(f"/members/{organisation_a.pk}/edit/")
    assert edit.status_code == 200
    form = edit.content.decode()
    assert "Opis (po polsku)" in form
    assert "Kompetencje i technologie" in form
    assert "Zapisz" in form
