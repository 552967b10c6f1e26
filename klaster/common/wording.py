"""The core's sentences (`klaster.core.messages.Message`) in the reader's language.

The core words them in English; here each code has its translatable wording, so that a Polish
page says them in Polish. Values that are themselves words (a rule's label, a kind of
organisation, a signal) are translated too; names, countries and numbers are kept as they are.
Stored sentences may also be plain strings (older records): those are translated when the
catalogue knows them and shown as they are otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext

from klaster.core.messages import Message

# code -> wording, or (singular, plural, the value that counts) for sentences with a number.
WORDING: dict[str, Any] = {
    # Eligibility check (klaster.core.consortium.rules).
    "min_entities": (
        "at least %(minimum)s independent legal entity (has %(count)s)",
        "at least %(minimum)s independent legal entities (has %(count)s)",
        "minimum",
    ),
    "max_entities": (
        "at most %(maximum)s legal entity (has %(count)s)",
        "at most %(maximum)s legal entities (has %(count)s)",
        "maximum",
    ),
    "max_entities_because": (
        "at most %(maximum)s legal entity: %(reason)s (has %(count)s)",
        "at most %(maximum)s legal entities: %(reason)s (has %(count)s)",
        "maximum",
    ),
    "all_from": "every legal entity established in %(label)s (also has %(countries)s)",
    "distinct_countries": (
        "legal entities from at least %(minimum)s different %(label)s (has %(count)s%(listed)s)"
    ),
    "at_least_from": (
        "at least %(minimum)s legal entity from the %(label)s (has %(count)s)",
        "at least %(minimum)s legal entities from the %(label)s (has %(count)s)",
        "minimum",
    ),
    "at_least_of_type": "at least %(minimum)s: %(label)s (%(kinds)s; has %(count)s)",
    # The builder's notes and unmet preferences (klaster.core.consortium.selection).
    "size_lowered": "size lowered to %(size)s: %(reason)s",
    "size_raised": "size raised to %(size)s to keep every pinned partner",
    "per_country_not_met": (
        "preference not met: at most %(maximum)s partner(s) per country (%(over)s)"
    ),
    "sme_not_met": "preference not met: include an SME (no SME among the candidates fits)",
    "role_not_covered": "required role not covered: %(role)s",
    # Why a partner was chosen.
    "coordinator": "coordinator of the idea",
    "pinned": "pinned by you",
    "fit": "fit %(fit)s with the idea (rank %(rank)s of %(candidates)s candidates)",
    "covers_role": "covers the required role: %(role)s",
    "projects_with_coordinator": (
        "%(count)s past project with the coordinator",
        "%(count)s past projects with the coordinator",
        "count",
    ),
    "worked_with_chosen": (
        "has worked before with %(count)s other chosen partner",
        "has worked before with %(count)s other chosen partners",
        "count",
    ),
    "cluster_member": "cluster member",
    "partner_cluster_member": "member of the partner cluster %(cluster)s (%(country)s, %(partnership)s)",
    "sme": "SME",
    "sme_asked": "SME (you asked to include one)",
    "adds_country": "the only partner from %(country)s: adds a country",
    "counts_as": "counts as the %(label)s the rules ask for",
    "only_kind": "the only %(kind)s",
    # The partner engine's evidence (klaster.core.partners.explanations).
    "similar_projects": "similar past projects: %(titles)s",
    "name_matches": "its name speaks of %(words)s",
    "work_programme": (
        "%(count)s past project in %(kind)s %(key)s",
        "%(count)s past projects in %(kind)s %(key)s",
        "count",
    ),
    "projects_with_coordinator_engine": (
        "%(count)s project with the coordinator",
        "%(count)s projects with the coordinator",
        "count",
    ),
    "led_by_coordinator": (
        "%(count)s of them led by the coordinator",
        "%(count)s of them led by the coordinator",
        "count",
    ),
    "linked_via": (
        "linked to the coordinator via %(count)s partner",
        "linked to the coordinator via %(count)s partners",
        "count",
    ),
    "team_mates": (
        "worked with %(count)s organisation that similar projects bring",
        "worked with %(count)s organisations that similar projects bring",
        "count",
    ),
    "mostly_for": "mostly recommended for: %(signal)s",
    # Why a marketplace profile matches (klaster.core.marketplace.matcher).
    "shared_keywords": "shared keywords: %(keywords)s",
    "worked_together": (
        "worked together in %(count)s past project",
        "worked together in %(count)s past projects",
        "count",
    ),
    "trl_fits": "the offer is at TRL %(offer_trl)s, the request wants TRL %(wanted_trl)s",
    "partnership_types": "both consider: %(types)s",
}
# Values that are words of the product (rule labels, kinds, signals), not names or numbers.
TRANSLATED_VALUES = frozenset({"label", "kind", "signal", "reason", "role", "partnership"})


# The kinds of consortium role (value -> translatable label). The consortia app owns them and
# tells this module when it is ready (`register_role_kinds`): wording sits below every domain app.
ROLE_KINDS: dict[str, Any] = {}


def register_role_kinds(choices: Iterable[tuple[str, Any]]) -> None:
    """Make `role_words` know these kinds of role, given as (value, label) choices."""
    ROLE_KINDS.update(choices)


def role_words(label: str) -> str:
    """A consortium role in the reader's words. Roles are kept as the builder reads them, a kind
    and a field ("end user in energy"); the kind is a choice of the product, translated, and the
    field is the member's own words, kept: "Użytkownik końcowy – energy". Other roles (a kind of
    organisation, "coordinator") go through the catalogue."""
    kind, _, field = label.partition(" in ")
    if kind in ROLE_KINDS:
        words = str(ROLE_KINDS[kind])
        return f"{words} – {field}" if field else words
    return gettext(label)


def _localised(name: str, value: Any) -> Any:
    if name == "role" and isinstance(value, str) and value:
        return role_words(value)
    if name in TRANSLATED_VALUES and isinstance(value, str) and value:
        return gettext(value)
    if isinstance(value, float):  # "0,96" in Polish, "0.96" in English
        return number_format(value, 2)
    return value


def say(sentence: Message | dict | str) -> str:
    """`sentence` in the active language: a core message, its stored JSON form, or a string."""
    if isinstance(sentence, str):  # a role, or a sentence stored as text by older versions
        return role_words(sentence) if sentence else sentence
    if isinstance(sentence, dict):
        sentence = Message.from_json(sentence)
    wording = WORDING.get(sentence.code)
    if wording is None:
        return str(sentence)
    values = {name: _localised(name, value) for name, value in sentence.values}
    try:
        if isinstance(wording, tuple):
            singular, plural, counted = wording
            return ngettext(singular, plural, int(values.get(counted) or 0)) % values
        return gettext(wording) % values
    except (KeyError, TypeError, ValueError):
        # A stored sentence from an older wording: its English text still says it right.
        return str(sentence)


# CORDIS's kinds of organisation (activity types), as its data codes them. Translated with the
# context "CORDIS activity type" (and roles with "CORDIS role"): the same English words name
# other things elsewhere in the catalogue.
ACTIVITY_TYPES: dict[str, str] = {
    "HES": gettext_noop("higher or secondary education"),  # pgettext, see above
    "PRC": gettext_noop("private company"),
    "REC": gettext_noop("research organisation"),
    "PUB": gettext_noop("public body"),
    "OTH": gettext_noop("other"),
}

# CORDIS's roles of a participant in a project.
CORDIS_ROLES: dict[str, str] = {
    "coordinator": gettext_noop("coordinator"),
    "participant": gettext_noop("participant"),
    "partner": gettext_noop("partner"),
    "thirdParty": gettext_noop("third party"),
    "associatedPartner": gettext_noop("associated partner"),
    "internationalPartner": gettext_noop("international partner"),
}

# A cluster member without a PIC takes part in proposals under this made-up identifier; it is
# no PIC and means nothing to a reader.
SYNTHETIC_PIC_PREFIX = "member-"


def activity_words(code: str) -> str:
    """A CORDIS activity type (HES, PRC, ...) in the reader's words; unknown codes as they are."""
    code = (code or "").strip()
    words = ACTIVITY_TYPES.get(code.upper())
    return pgettext("CORDIS activity type", words) if words else code


def cordis_role_words(role: str) -> str:
    """A CORDIS participant role ("participant", "thirdParty") in the reader's words."""
    words = CORDIS_ROLES.get((role or "").strip())
    return pgettext("CORDIS role", words) if words else role


def shown_pic(pic: str) -> str:
    """The PIC to show, or "" for a member's made-up identifier (``member-274``)."""
    return "" if not pic or pic.startswith(SYNTHETIC_PIC_PREFIX) else pic


def rule_set_words(name: str) -> str:
    """A rule set's title (``horizon-ria`` -> "Horizon Europe Research and Innovation Action
    (RIA)") in the reader's language; the name itself when no such set ships."""
    from klaster.core.consortium.rules import RuleSetError, load_rule_set

    try:
        return gettext(load_rule_set(name).title)
    except (RuleSetError, OSError, ValueError):
        return name
