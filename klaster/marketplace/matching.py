"""Matches of marketplace profiles, served from the database: reads only.

The core's `MarketplaceMatcher` ranks counterpart profiles, member organisations, CORDIS
organisations (verified track record) and open funding calls on the partner engine's index.
This module turns the database into the matcher's records (published profiles, active members
with their competences, open calls), keeps one matcher per process for the data as it is, and
shows each match to a viewer with what that viewer may see:

- anyone sees, for a published profile, the counterpart profiles (offer <-> request), never the
  organisation behind one that keeps it hidden, nor the past projects that would name it;
- the profile's owner and cluster staff also see members, CORDIS organisations and calls, and
  the matches of a profile in any status (a draft is matched before it is submitted).

The partner engine comes from `klaster.partners.serving.engine_get()`, a pure read: when it is
not ready the matches say so (`ProfileMatches.engine`), and the view starts its build through
`klaster.partners.services.engine_build_start`, as the find-partners page does.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import get_language

from klaster.calls.models import Call
from klaster.common.roles import can_create_idea, is_cluster_staff, is_editor_of
from klaster.common.wording import say
from klaster.core.marketplace import (
    OFFER_KINDS,
    CallText,
    MarketplaceMatcher,
    Match,
    MemberText,
    PastProject,
    ProfileText,
)
from klaster.core.messages import Message
from klaster.marketplace.models import Profile
from klaster.marketplace.selectors import may_see_everything, profile_texts, shows_organisation
from klaster.members.models import Membership, Organisation
from klaster.members.permissions import organisations_visible_to
from klaster.partners.selectors import calls_for_ideas
from klaster.partners.serving import Engine
from klaster.trackrecord.models import CordisOrganisation

MATCHES_SHOWN = 6
# Ranked before what the viewer may not see is left out, so that enough remain to show.
RANKED_BEFORE_VISIBILITY = 30
# A profile's matches are kept this long: the same page asked again (htmx polling, a reload)
# costs nothing, and a new profile or member is seen soon after.
CACHE_SECONDS = 300
# Profiles that are still worth matching for their owner (not archived, not expired).
LIVE_STATUSES = (
    Profile.Status.DRAFT,
    Profile.Status.SUBMITTED,
    Profile.Status.ON_HOLD,
    Profile.Status.PUBLISHED,
)
# Reasons that speak of the candidate's own past projects: they would name an organisation
# that keeps itself hidden.
IDENTIFYING_REASONS = frozenset({"similar_projects", "worked_together"})
FIND_PARTNERS_LIMITS = {"title": 600, "objective": 20000, "keywords": 1000}

_lock = threading.Lock()
# The one matcher this process holds: {"key": ..., "matcher": ...}.
_loaded: dict = {}


# --- Records for the matcher --------------------------------------------------------------------


def _joined(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _in_english_first(profile: Profile, name: str) -> str:
    # The partner engine reads English; a Polish text is read into English by its reader.
    return getattr(profile, f"{name}_en") or getattr(profile, f"{name}_pl")


def profile_record(profile: Profile, *, pic: str | None) -> ProfileText:
    """`profile` as the matcher reads it; `pic` is its organisation's CORDIS id, if any."""
    return ProfileText(
        id=profile.pk,
        kind=profile.kind,
        title=_in_english_first(profile, "title"),
        text=_joined(
            *(
                _in_english_first(profile, name)
                for name in ("summary", "description", "advantages", "partner_sought")
            )
        ),
        keywords=tuple(profile.keywords),
        trl=profile.trl,
        partnership_types=tuple(profile.partnership_types),
        organisation_pic=pic or None,
        organisation_id=profile.organisation_id,
    )


def cordis_pics(organisation_ids: Iterable[int]) -> dict[int, str]:
    """Organisation id -> the PIC under which it appears in CORDIS (the most active linked
    record, else its own PIC); organisations without one are left out."""
    ids = set(organisation_ids)
    pics: dict[int, str] = {}
    linked = (
        CordisOrganisation.objects.filter(organisation_id__in=ids)
        .annotate(n=Count("participations"))
        .order_by("organisation_id", "-n", "pic")
        .values_list("organisation_id", "pic")
    )
    for organisation_id, pic in linked:
        pics.setdefault(organisation_id, pic)
    for organisation_id, pic in (
        Organisation.objects.filter(pk__in=ids - set(pics))
        .exclude(Q(pic=None) | Q(pic=""))
        .values_list("pk", "pic")
    ):
        pics[organisation_id] = pic
    return pics


def _active_members():
    return Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)


def member_record(organisation: Organisation, *, pic: str | None) -> MemberText:
    """A member as the matcher reads it: its competences (tags and free text) and description.
    Competences must be prefetched."""
    tags = tuple(c.name for c in organisation.competences.all())
    return MemberText(
        id=organisation.pk,
        name=organisation.name,
        competences=_joined(
            ", ".join(tags),
            organisation.competences_text,
            organisation.description_en or organisation.description_pl,
        ),
        keywords=tags,
        organisation_pic=pic or None,
    )


def _call_record(call: Call) -> CallText:
    return CallText(
        id=call.pk,
        title=call.title,
        text=call.description,
        keywords=call.keyword_list,
        deadline=call.deadline,
    )


def _records(today: datetime.date):
    profiles = list(Profile.objects.filter(status=Profile.Status.PUBLISHED).order_by("pk"))
    members = list(_active_members().prefetch_related("competences").order_by("pk"))
    pics = cordis_pics({p.organisation_id for p in profiles} | {m.pk for m in members})
    calls = calls_for_ideas(today=today).only("pk", "title", "description", "keywords", "deadline")
    return (
        [profile_record(p, pic=pics.get(p.organisation_id)) for p in profiles],
        [member_record(m, pic=pics.get(m.pk)) for m in members],
        [_call_record(c) for c in calls.order_by("pk")],
    )


def data_key(today: datetime.date) -> str:
    """A short key that changes whenever what the matcher reads changes (three aggregates)."""
    parts = [
        today.isoformat(),
        Profile.objects.filter(status=Profile.Status.PUBLISHED).aggregate(
            n=Count("pk"), m=Max("updated_at"), s=Max("published_at")
        ),
        _active_members().aggregate(n=Count("pk"), m=Max("updated_at")),
        Call.objects.aggregate(n=Count("pk"), m=Max("updated_at")),
    ]
    return hashlib.blake2b(repr(parts).encode(), digest_size=10).hexdigest()


def matcher_get(engine: Engine, *, today: datetime.date) -> tuple[MarketplaceMatcher, str]:
    """The matcher over a ready `engine` and the data as it is now, and its key; built once per
    process and data (its records are vectorised when it is built)."""
    key = f"{engine.fingerprint}:{data_key(today)}"
    if _loaded.get("key") == key:
        return _loaded["matcher"], key
    with _lock:
        if _loaded.get("key") != key:
            profiles, members, calls = _records(today)
            matcher = MarketplaceMatcher(engine.recommender, profiles, members=members, calls=calls)
            _loaded.clear()  # one matcher in memory: it holds every profile's vectors
            _loaded.update(key=key, matcher=matcher)
        return _loaded["matcher"], key


# --- What a viewer is shown ---------------------------------------------------------------------


@dataclass
class MatchShown:
    """One match as a page shows it."""

    id: object
    title: str
    url: str
    score: float
    reasons: list[str]
    similar_projects: tuple[PastProject, ...] = ()
    label: str = ""  # the kind of profile, the organisation's country, the call's identifier
    note: str = ""  # a reference, a deadline
    member_url: str = ""  # a CORDIS organisation that is a cluster member the viewer may see
    start_consortium_url: str = ""  # for an open call, when the viewer may start one


@dataclass
class ProfileMatches:
    """What the matches section of a profile shows: the engine's state, then each kind of match."""

    engine: Engine
    full: bool = False  # the owner or staff: members, CORDIS organisations and calls too
    profiles: list[MatchShown] = field(default_factory=list)
    members: list[MatchShown] = field(default_factory=list)
    organisations: list[MatchShown] = field(default_factory=list)
    calls: list[MatchShown] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.engine.ready

    @property
    def found(self) -> bool:
        return bool(self.profiles or self.members or self.organisations or self.calls)


def _partnership_words(sentence: Message) -> Message:
    labels = dict(Profile.Partnership.choices)
    types = sentence.value("types", "")
    words = ", ".join(str(labels.get(t.strip(), t.strip())) for t in types.split(","))
    values = tuple((name, words if name == "types" else v) for name, v in sentence.values)
    return Message(sentence.code, sentence.text, values)


def reasons_worded(reasons: Iterable[Message], *, hide_identity: bool = False) -> list[str]:
    """The reasons of a match in the active language; with `hide_identity`, without those that
    would name the candidate's organisation."""
    worded = []
    for reason in reasons:
        if hide_identity and reason.code in IDENTIFYING_REASONS:
            continue
        if reason.code == "partnership_types":
            reason = _partnership_words(reason)
        worded.append(say(reason))
    return worded


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "pl"


def _profiles_shown(matches: list[Match], *, viewer, limit: int) -> list[MatchShown]:
    found = Profile.objects.filter(
        pk__in=[m.id for m in matches], status=Profile.Status.PUBLISHED
    ).select_related("organisation")
    by_pk = {p.pk: p for p in found}
    language = _language()
    shown = []
    for match in matches:
        profile = by_pk.get(match.id)
        if profile is None:  # unpublished since the matcher was built
            continue
        hidden = not shows_organisation(profile, viewer=viewer)
        shown.append(
            MatchShown(
                id=profile.pk,
                title=profile_texts(profile, language)["title"] or profile.reference or "",
                url=reverse("marketplace:detail", args=[profile.pk]),
                score=match.score,
                reasons=reasons_worded(match.reasons, hide_identity=hidden),
                similar_projects=() if hidden else match.similar_projects,
                label=profile.get_kind_display(),
                note=profile.organisation.name if not hidden else (profile.reference or ""),
            )
        )
    return shown[:limit]


def _members_shown(matches: list[Match], *, viewer, limit: int) -> list[MatchShown]:
    visible = organisations_visible_to(
        viewer, _active_members().filter(pk__in=[m.id for m in matches])
    )
    names = dict(visible.values_list("pk", "name"))
    return [
        MatchShown(
            id=match.id,
            title=names[match.id],
            url=reverse("members:detail", args=[match.id]),
            score=match.score,
            reasons=reasons_worded(match.reasons),
            similar_projects=match.similar_projects,
        )
        for match in matches
        if match.id in names
    ][:limit]


def _organisations_shown(matches: list[Match], *, viewer, limit: int) -> list[MatchShown]:
    rows = CordisOrganisation.objects.filter(pic__in=[m.id for m in matches]).values_list(
        "pic", "name", "country", "organisation_id"
    )
    facts = {pic: (name, country, organisation_id) for pic, name, country, organisation_id in rows}
    members = set(
        organisations_visible_to(
            viewer,
            _active_members().filter(pk__in=[f[2] for f in facts.values() if f[2]]),
        ).values_list("pk", flat=True)
    )
    shown = []
    for match in matches[:limit]:
        name, country, organisation_id = facts.get(match.id, ("", "", None))
        shown.append(
            MatchShown(
                id=match.id,
                title=name or f"PIC {match.id}",
                url=reverse("trackrecord:cordis_organisation", args=[match.id]),
                score=match.score,
                reasons=reasons_worded(match.reasons),
                similar_projects=match.similar_projects,
                label=country,
                member_url=(
                    reverse("members:detail", args=[organisation_id])
                    if organisation_id in members
                    else ""
                ),
            )
        )
    return shown


def _calls_shown(matches: list[Match], *, viewer, limit: int) -> list[MatchShown]:
    calls = Call.objects.in_bulk([m.id for m in matches])
    may_start = can_create_idea(viewer)
    shown = []
    for match in matches:
        call = calls.get(match.id)
        if call is None:
            continue
        shown.append(
            MatchShown(
                id=call.pk,
                title=call.title,
                url=reverse("calls:detail", args=[call.pk]),
                score=match.score,
                reasons=reasons_worded(match.reasons),
                similar_projects=match.similar_projects,
                label=call.identifier,
                note=call.deadline.isoformat() if call.deadline else "",
                start_consortium_url=(
                    reverse("consortia:new_for_call", args=[call.pk]) if may_start else ""
                ),
            )
        )
    return shown[:limit]


# --- Matches of a profile -----------------------------------------------------------------------


def counterparts(matcher: MarketplaceMatcher, record: ProfileText, *, k: int) -> list[Match]:
    """The counterpart profiles of `record`: requests for an offer, offers for a request."""
    if record.kind in OFFER_KINDS:
        return matcher.requests_for_offer(record, k=k)
    return matcher.offers_for_request(record, k=k)


def _raw_matches(
    matcher: MarketplaceMatcher, key: str, profile: Profile, *, full: bool, today: datetime.date
) -> dict[str, list[Match]]:
    stamp = profile.updated_at.timestamp() if profile.updated_at else 0
    cache_key = f"marketplace:matches:{key}:{profile.pk}:{stamp}:{int(full)}"
    found = cache.get(cache_key)
    if found is not None:
        return found
    record = profile_record(
        profile, pic=cordis_pics([profile.organisation_id]).get(profile.organisation_id)
    )
    k = RANKED_BEFORE_VISIBILITY
    found = {"profiles": counterparts(matcher, record, k=k)}
    if full:
        found["members"] = matcher.members_for_profile(record, k=k)
        found["organisations"] = matcher.organisations_for_profile(record, k=MATCHES_SHOWN)
        found["calls"] = matcher.calls_for_profile(record, today=today, k=MATCHES_SHOWN)
    cache.set(cache_key, found, CACHE_SECONDS)
    return found


def profile_matches(
    *, user, profile: Profile, engine: Engine, today: datetime.date, limit: int = MATCHES_SHOWN
) -> ProfileMatches:
    """The matches of `profile` that `user` may see (the caller has checked that `user` may see
    the profile: `selectors.profile_for_viewer`). An engine that is not ready gives matches
    that say so.

    Anyone sees the counterpart profiles of a published profile; its owner and staff see the
    matches of a profile in any status, members, CORDIS organisations and open calls too.
    """
    full = may_see_everything(user, profile)
    result = ProfileMatches(engine=engine, full=full)
    if not engine.ready or not (full or profile.status == Profile.Status.PUBLISHED):
        return result
    matcher, key = matcher_get(engine, today=today)
    found = _raw_matches(matcher, key, profile, full=full, today=today)
    result.profiles = _profiles_shown(found["profiles"], viewer=user, limit=limit)
    if full:
        result.members = _members_shown(found["members"], viewer=user, limit=limit)
        result.organisations = _organisations_shown(
            found["organisations"], viewer=user, limit=limit
        )
        result.calls = _calls_shown(found["calls"], viewer=user, limit=limit)
    return result


def find_partners_texts(profile: Profile) -> dict[str, str]:
    """What the find-partners form is given from a profile: its title, its texts as the
    objective and its keywords (the profile's funding call, when it has one, as the call)."""
    language = _language()
    texts = profile_texts(profile, language)
    given = {
        "title": texts["title"],
        "objective": _joined(
            texts["summary"], texts["description"], texts["advantages"], texts["partner_sought"]
        ),
        "keywords": ", ".join(profile.keywords),
    }
    given = {name: value[: FIND_PARTNERS_LIMITS[name]] for name, value in given.items() if value}
    if profile.call_id:
        given["call"] = str(profile.call_id)
    return given


def consortium_texts(profile: Profile) -> dict[str, str]:
    """What the consortium builder is given when a consortium starts from a profile's matching
    call: the profile's title, summary and keywords (the builder cuts them to its fields)."""
    texts = profile_texts(profile, _language())
    given = {
        "title": texts["title"],
        "summary": texts["summary"],
        "keywords": ", ".join(profile.keywords),
    }
    return {name: value for name, value in given.items() if value}


# --- Matches for a member -----------------------------------------------------------------------


@dataclass
class ProfileWithMatches:
    profile: Profile
    title: str  # in the reader's language
    matches: list[MatchShown]


@dataclass
class OrganisationMatches:
    """'Matches for you': each live profile of the organisation with its best counterparts, and
    the published requests that the organisation's competences could answer."""

    engine: Engine
    organisation: Organisation
    profiles: list[ProfileWithMatches] = field(default_factory=list)
    answers: list[MatchShown] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.engine.ready

    @property
    def found(self) -> bool:
        return bool(self.answers or any(p.matches for p in self.profiles))


def may_see_matches_of(user, organisation_id: int) -> bool:
    """An organisation's matches are for its member editors and cluster staff."""
    return is_editor_of(user, organisation_id) or is_cluster_staff(user)


def answers_for_member(
    matcher: MarketplaceMatcher, organisation: Organisation, *, pic: str | None, k: int
) -> list[Match]:
    """Published requests that the member's competences answer: its competences read as a
    technology offer and as a business offer, the best of both, each request once."""
    member = member_record(organisation, pic=pic)
    if not (member.competences or member.keywords):
        return []
    best: dict[object, Match] = {}
    for kind in sorted(OFFER_KINDS):
        offer = ProfileText(
            id=f"member-{organisation.pk}",  # never a profile's id (an integer)
            kind=kind,
            title=member.name,
            text=member.competences,
            keywords=member.keywords,
            organisation_pic=member.organisation_pic,
            organisation_id=organisation.pk,
        )
        for match in matcher.requests_for_offer(offer, k=k):
            if match.id not in best or match.score > best[match.id].score:
                best[match.id] = match
    return sorted(best.values(), key=lambda m: (-m.score, str(m.id)))


def organisation_matches(
    *,
    user,
    organisation: Organisation,
    engine: Engine,
    today: datetime.date,
    limit: int = 3,
    published_since: datetime.datetime | None = None,
) -> OrganisationMatches:
    """'Matches for you' of `organisation` as `user` sees them (empty for anyone but its
    editors and staff). With `published_since`, only counterparts published since then (the
    weekly digest's "this week")."""
    result = OrganisationMatches(engine=engine, organisation=organisation)
    if not may_see_matches_of(user, organisation.pk) or not engine.ready:
        return result
    matcher, key = matcher_get(engine, today=today)
    fresh = None
    if published_since is not None:
        fresh = set(
            Profile.objects.filter(
                status=Profile.Status.PUBLISHED, published_at__gt=published_since
            ).values_list("pk", flat=True)
        )
    own = Profile.objects.filter(organisation=organisation, status__in=LIVE_STATUSES).order_by(
        "-updated_at", "-pk"
    )
    for profile in own:
        found = _raw_matches(matcher, key, profile, full=False, today=today)["profiles"]
        if fresh is not None:
            found = [m for m in found if m.id in fresh]
        title = profile_texts(profile, _language())["title"] or profile.reference or ""
        result.profiles.append(
            ProfileWithMatches(profile, title, _profiles_shown(found, viewer=user, limit=limit))
        )
    pic = cordis_pics([organisation.pk]).get(organisation.pk)
    answers = answers_for_member(matcher, organisation, pic=pic, k=RANKED_BEFORE_VISIBILITY)
    if fresh is not None:
        answers = [m for m in answers if m.id in fresh]
    result.answers = _profiles_shown(answers, viewer=user, limit=MATCHES_SHOWN)
    return result
