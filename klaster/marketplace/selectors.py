"""Reads of the marketplace: what each viewer may see of the profiles.

Anyone (signed in or not) sees published profiles; a profile's owner (its organisation's
member editors) and cluster staff see it in every status, with its reviews. The organisation
behind a published profile is hidden unless the owner opted in (`show_organisation`).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from klaster.common.roles import is_cluster_staff, is_editor_of, is_member_editor
from klaster.core.limits import MAX_ROW_ID
from klaster.core.text import fold
from klaster.marketplace.models import TRL_WORDS, Profile, ProfileReview
from klaster.members.models import Organisation

FILTER_NAMES = ("q", "kind", "trl_min", "trl_max", "partnership", "keyword", "language")
TEXT_NAMES = ("title", "summary", "description", "advantages", "partner_sought")


def _json_item(value: str) -> str:
    # A JSON list holds its strings in quotes: searching for the quoted value matches the
    # whole item ("en" does not match "energy") on SQLite and PostgreSQL alike.
    return f'"{value}"'


def profiles_published(*, filters: dict, user=None) -> QuerySet[Profile]:
    """Published profiles matching `filters`, newest first (the caller paginates).

    `filters` (each optional, as the list's form cleans them): ``q`` words all found in the
    texts, keywords or reference; ``kind``; ``trl_min``/``trl_max`` (a profile without a TRL
    fails a TRL filter); ``partnership`` (a `Profile.Partnership` value); ``keyword`` (found
    among the keywords); ``language`` (ISO 639-1). `user` is accepted for symmetry with the
    other selectors: everybody sees the same published profiles.
    """
    profiles = Profile.objects.filter(status=Profile.Status.PUBLISHED).select_related(
        "organisation"
    )
    for word in fold(filters.get("q") or "").split():
        profiles = profiles.filter(search_document__contains=word)
    if filters.get("kind"):
        profiles = profiles.filter(kind=filters["kind"])
    if filters.get("trl_min") is not None:
        profiles = profiles.filter(trl__gte=filters["trl_min"])
    if filters.get("trl_max") is not None:
        profiles = profiles.filter(trl__lte=filters["trl_max"])
    if filters.get("partnership"):
        profiles = profiles.filter(partnership_types__icontains=_json_item(filters["partnership"]))
    if filters.get("language"):
        profiles = profiles.filter(languages__icontains=_json_item(filters["language"].lower()))
    keyword = fold(filters.get("keyword") or "")
    if keyword:
        profiles = profiles.filter(search_document__contains=keyword)
    return profiles.order_by("-published_at", "-id")


def may_see_everything(user, profile: Profile) -> bool:
    """The owner and cluster staff: every status, reviews, the organisation."""
    return is_editor_of(user, profile.organisation_id) or is_cluster_staff(user)


def profile_for_viewer(*, user, pk: int) -> Profile:
    """The profile `pk` as `user` may see it, or 404: others than its owner and staff see only
    a published profile. Reviews and attachments come prefetched."""
    if not 1 <= pk <= MAX_ROW_ID:  # names no row; the database driver would overflow on it
        raise Http404
    profile = (
        Profile.objects.select_related("organisation", "call")
        .prefetch_related(
            "attachments",
            Prefetch("reviews", queryset=ProfileReview.objects.select_related("reviewer")),
        )
        .filter(pk=pk)
        .first()
    )
    if profile is None:
        raise Http404
    if profile.status != Profile.Status.PUBLISHED and not may_see_everything(user, profile):
        raise Http404
    return profile


def profiles_of_organisation(*, user) -> QuerySet[Profile]:
    """'My profiles': every profile of the user's organisation, in every status, with the
    latest review (its comment is shown when a profile is on hold). None for non-editors."""
    if not is_member_editor(user):
        return Profile.objects.none()
    return (
        Profile.objects.filter(organisation_id=user.organisation_id)
        .prefetch_related("reviews")
        .order_by("-updated_at", "-id")
    )


def profiles_to_review(*, user) -> QuerySet[Profile]:
    """The staff's review queue: submitted profiles, the longest waiting first."""
    if not is_cluster_staff(user):
        return Profile.objects.none()
    return (
        Profile.objects.filter(status=Profile.Status.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "id")
    )


def latest_review(profile: Profile) -> ProfileReview | None:
    """The latest review, from the prefetched reviews (newest first by the model's order)."""
    reviews = list(profile.reviews.all())
    return reviews[0] if reviews else None


def trl_words(level: int | None, language: str) -> str:
    """The words of a technology readiness level in `language` ("pl" or "en")."""
    if level is None or level not in TRL_WORDS:
        return ""
    return TRL_WORDS[level].get(language) or TRL_WORDS[level]["en"]


def profile_public_dict(profile: Profile, *, viewer) -> dict:
    """What `viewer` may be shown of `profile`: the texts and facts of a published profile,
    the organisation only when the owner opted in or the viewer is the owner or staff."""
    data = {
        "id": profile.pk,
        "reference": profile.reference,
        "kind": profile.kind,
        "status": profile.status,
        **{
            f"{name}_{language}": getattr(profile, f"{name}_{language}")
            for name in TEXT_NAMES
            for language in ("pl", "en")
        },
        "trl": profile.trl,
        "ipr_status": profile.ipr_status,
        "ipr_comment": profile.ipr_comment,
        "technology_keywords": list(profile.technology_keywords),
        "market_keywords": list(profile.market_keywords),
        "nace_codes": list(profile.nace_codes),
        "partner_kinds": list(profile.partner_kinds),
        "partner_sizes": list(profile.partner_sizes),
        "partnership_types": list(profile.partnership_types),
        "languages": list(profile.languages),
        "call_id": profile.call_id,
        "deadline": profile.deadline,
        "published_at": profile.published_at,
        "expires_at": profile.expires_at,
        "is_demo": profile.is_demo,
        "organisation_id": None,
        "organisation_name": None,
    }
    if shows_organisation(profile, viewer=viewer):
        data["organisation_id"] = profile.organisation_id
        data["organisation_name"] = profile.organisation.name
    return data


def shows_organisation(profile: Profile, *, viewer) -> bool:
    """Whether `viewer` may learn which organisation stands behind `profile`."""
    return profile.show_organisation or may_see_everything(viewer, profile)


def profile_texts(profile: Profile, language: str) -> dict[str, str]:
    """Each text of the profile in `language` ("pl" or "en"), the other language when empty."""
    other = "pl" if language == "en" else "en"
    return {
        name: getattr(profile, f"{name}_{language}") or getattr(profile, f"{name}_{other}")
        for name in TEXT_NAMES
    }


def profile_labels(profile: Profile) -> dict[str, list[str]]:
    """The readable names of the profile's partnership types and partner kinds and sizes."""

    def labels(values, choices) -> list[str]:
        names = dict(choices)
        return [str(names.get(value, value)) for value in values]

    return {
        "partnership": labels(profile.partnership_types, Profile.Partnership.choices),
        "partner_kinds": labels(profile.partner_kinds, Organisation.Kind.choices),
        "partner_sizes": labels(profile.partner_sizes, Profile.PartnerSize.choices),
    }
