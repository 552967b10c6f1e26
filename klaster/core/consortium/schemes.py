"""Which eligibility rule set applies to a funding topic or a CORDIS funding scheme."""

from __future__ import annotations

# Consortium sizes (coordinator included) to propose when the user does not say.
DEFAULT_SIZES = {
    "horizon-ria": 6,
    "horizon-ia": 6,
    "horizon-csa": 5,
    "eic-pathfinder": 4,
    "msca-dn": 6,
    "erc": 1,
    "digital-europe": 4,
    "life": 3,
    "pl-rd-consortium": 3,
}


def rule_set_for(
    *, programme: str = "", action_type: str = "", types_of_action: str = "", identifier: str = ""
) -> str | None:
    """The rule-set name for a topic (Funding & Tenders fields) or a CORDIS funding scheme.

    None when no shipped rule set fits (prizes, procurement, defence, ...).

    Examples
    --------
    >>> rule_set_for(programme="Horizon Europe", action_type="RIA")
    'horizon-ria'
    >>> rule_set_for(identifier="HORIZON-ERC-2026-STG")
    'erc'
    """
    text = " ".join((action_type, types_of_action, identifier)).upper()
    programme = programme.strip().lower()
    if programme == "digital europe" or "DIGITAL-" in text:
        return "digital-europe"
    if programme == "life" or text.startswith("LIFE"):
        return "life"
    words = set(text.replace("-", " ").split())
    if "ERC" in words:
        # Synergy grants have two to four hosts: not the single-host rule.
        return None if "SYG" in words else "erc"
    if "EIC" in text and "PATHFINDER" in text:
        return "eic-pathfinder"
    if "MSCA" in words and ("DN" in words or "DOCTORAL NETWORK" in text):
        return "msca-dn"
    if programme in ("horizon europe", "") or "HORIZON" in words:
        if "RIA" in words:
            return "horizon-ria"
        if "IA" in words:
            return "horizon-ia"
        if "CSA" in words:
            return "horizon-csa"
    return None
