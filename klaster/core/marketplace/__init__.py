"""Matching of marketplace profiles (offers and requests), on the partner engine's index.

Re-exports `klaster.core.marketplace.matcher`: the records the matcher reads (`ProfileText`,
`MemberText`, `CallText`), what it answers (`Match`, with `PastProject` evidence) and
`MarketplaceMatcher` itself.
"""

from klaster.core.marketplace.matcher import (
    COUNTERPARTS,
    KINDS,
    OFFER_KINDS,
    REASON_CODES,
    REQUEST_KINDS,
    CallText,
    MarketplaceMatcher,
    Match,
    MatchWeights,
    MemberText,
    PastProject,
    ProfileText,
)

__all__ = [
    "COUNTERPARTS",
    "KINDS",
    "OFFER_KINDS",
    "REASON_CODES",
    "REQUEST_KINDS",
    "CallText",
    "MarketplaceMatcher",
    "Match",
    "MatchWeights",
    "MemberText",
    "PastProject",
    "ProfileText",
]
