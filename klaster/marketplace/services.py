"""Writes of the marketplace's profiles: create, edit, submit, review, archive, renew, expire.

The workflow: draft -> submitted -> (staff review) published, or on_hold when a criterion
scored 0 (the owner edits and submits again) -> expired (deadline passed, or no activity for
six months) or archived. Every write path (pages, API, import) goes through these functions,
which check who may do it and refuse with a message (`PermissionDenied`, `ValidationError`).
The owner of a profile is its organisation's member editors; cluster staff review, and may
also edit, archive and renew any profile and create one for an organisation they name.
"""

from __future__ import annotations

import datetime
import re
import secrets
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff, is_editor_of, is_member_editor
from klaster.core.dates import months_later
from klaster.core.text import fold
from klaster.marketplace import emails
from klaster.marketplace.models import (
    SCORE_MAX,
    SCORE_MIN,
    Profile,
    ProfileAttachment,
    ProfileReview,
)
from klaster.members.models import Organisation

PUBLISHED_MONTHS = RENEWED_MONTHS = 12
INACTIVE_MONTHS = 6
REMIND_BEFORE = datetime.timedelta(days=14)

TEXT_FIELDS = tuple(
    f"{name}_{language}"
    for name in ("title", "summary", "description", "advantages", "partner_sought")
    for language in ("pl", "en")
)
LIST_FIELDS = (
    "technology_keywords",
    "market_keywords",
    "nace_codes",
    "partner_kinds",
    "partner_sizes",
    "partnership_types",
    "languages",
)
EDITABLE_FIELDS = (
    "kind",
    *TEXT_FIELDS,
    "trl",
    "ipr_status",
    "ipr_comment",
    *LIST_FIELDS,
    "call",
    "deadline",
    "show_organisation",
)
# The values a list field may hold; free-text lists (keywords, NACE codes) are not here.
LIST_CHOICES = {
    "partner_kinds": Organisation.Kind.values,
    "partner_sizes": Profile.PartnerSize.values,
    "partnership_types": Profile.Partnership.values,
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# Statuses in which the owner may change a profile (a published one goes back to review).
EDITABLE_STATUSES = (Profile.Status.DRAFT, Profile.Status.ON_HOLD, Profile.Status.PUBLISHED)


# --- Who may do what ---------------------------------------------------------------------------


def is_owner(user, profile: Profile) -> bool:
    """A member editor of the profile's organisation."""
    return is_editor_of(user, profile.organisation_id)


def may_manage(user, profile: Profile) -> bool:
    """The owner or cluster staff: may edit, archive and renew the profile."""
    return is_owner(user, profile) or is_cluster_staff(user)


def _require_manager(user, profile: Profile) -> None:
    if not may_manage(user, profile):
        raise PermissionDenied(_("Only the profile's organisation or cluster staff may do this."))


# --- Texts and lists ---------------------------------------------------------------------------


def split_list(value) -> list[str]:
    """A list from a list or a comma- or semicolon-separated text; stripped, each once."""
    if value is None:
        return []
    items = re.split(r"[,;\n]", value) if isinstance(value, str) else [str(v) for v in value]
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def search_document_for(profile: Profile) -> str:
    """The folded text the public list searches: reference, texts and keywords."""
    parts = [profile.reference or "", *(getattr(profile, name) for name in TEXT_FIELDS)]
    parts += [*profile.technology_keywords, *profile.market_keywords, *profile.nace_codes]
    return fold(" ".join(part for part in parts if part))


def _apply(profile: Profile, data: dict) -> None:
    """Copy the editable fields present in `data` onto `profile` and check them."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name in LIST_FIELDS:
            value = split_list(value)
            if name == "languages":
                value = [code.lower() for code in value]
                if any(not _LANGUAGE_CODE.match(code) for code in value):
                    errors[name] = [_("Give languages as two-letter codes (pl, en, de).")]
            allowed = LIST_CHOICES.get(name)
            if allowed is not None and any(item not in allowed for item in value):
                errors[name] = [_("Choose among: %(choices)s.") % {"choices": ", ".join(allowed)}]
        elif name in TEXT_FIELDS or name == "ipr_comment":
            value = (value or "").strip()
        setattr(profile, name, value)
    if errors:
        raise ValidationError(errors)
    try:
        profile.full_clean(exclude=["organisation", "created_by", "reference"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    profile.search_document = search_document_for(profile)


# --- Profiles ----------------------------------------------------------------------------------


@transaction.atomic
def profile_create(*, user, data: dict) -> Profile:
    """A new draft of the user's organisation (staff name the organisation in
    `data["organisation"]`, an Organisation or its id)."""
    data = dict(data)
    organisation = data.pop("organisation", None)
    if is_member_editor(user):
        organisation_id = user.organisation_id
    elif is_cluster_staff(user) and organisation is not None:
        organisation_id = getattr(organisation, "pk", organisation)
    elif is_cluster_staff(user):
        raise ValidationError({"organisation": [_("Choose the organisation of the profile.")]})
    else:
        raise PermissionDenied(_("Only member editors publish profiles on the marketplace."))
    if not Organisation.objects.filter(pk=organisation_id).exists():
        raise ValidationError({"organisation": [_("No such organisation.")]})
    # By id: an import run at the shell has an operator who is no account (pk None).
    profile = Profile(organisation_id=organisation_id, created_by_id=user.pk)
    _apply(profile, data)
    profile.last_activity_at = timezone.now()
    profile.save()
    return profile


@transaction.atomic
def profile_update(*, user, profile: Profile, data: dict) -> Profile:
    """Change a draft, a held profile or a published one. The owner's change of a published
    profile sends it back to review; staff's changes keep the status."""
    _require_manager(user, profile)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status not in EDITABLE_STATUSES and not (
        is_cluster_staff(user) and profile.status == Profile.Status.SUBMITTED
    ):
        raise ValidationError(
            _("A profile that is %(status)s cannot be changed.")
            % {"status": profile.get_status_display().lower()}
        )
    _apply(profile, data)
    now = timezone.now()
    if profile.status == Profile.Status.PUBLISHED and not is_cluster_staff(user):
        profile.status = Profile.Status.SUBMITTED
        profile.submitted_at = now
    elif profile.status == Profile.Status.PUBLISHED and "deadline" in data and profile.deadline:
        # Staff moved the deadline of a published profile: it now ends then.
        profile.expires_at = end_of_day(profile.deadline)
        profile.renewal_reminded_at = None
    profile.last_activity_at = now
    profile.save()
    return profile


def _submission_problems(profile: Profile, today: datetime.date) -> list[str]:
    problems = []
    if not (profile.title_pl or profile.title_en):
        problems.append(_("Give a title in Polish or English."))
    if not (profile.summary_pl or profile.summary_en):
        problems.append(_("Give a summary in Polish or English."))
    if profile.kind not in Profile.Kind.values:
        problems.append(_("Choose the kind of profile."))
    if not (profile.technology_keywords or profile.market_keywords):
        problems.append(_("Give at least one technology or market keyword."))
    if profile.deadline and profile.deadline < today:
        problems.append(_("The deadline has passed; give a later one or none."))
    return problems


def _next_reference(profile: Profile, year: int) -> str:
    prefix = f"{Profile.REFERENCE_PREFIX[profile.kind]}-{year}-"
    taken = Profile.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    last = max(
        (int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()),
        default=0,
    )
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def profile_submit(*, user, profile: Profile, now: datetime.datetime | None = None) -> Profile:
    """Send a draft (or a held profile, once edited) to the staff's review; the first
    submission gives the profile its reference (TO-2026-0007)."""
    if not is_owner(user, profile):
        raise PermissionDenied(_("Only the profile's organisation may submit it."))
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status not in (Profile.Status.DRAFT, Profile.Status.ON_HOLD):
        raise ValidationError(
            _("Only a draft or a profile on hold can be submitted; this one is %(status)s.")
            % {"status": profile.get_status_display().lower()}
        )
    now = now or timezone.now()
    problems = _submission_problems(profile, timezone.localdate(now))
    if problems:
        raise ValidationError(problems)
    if not profile.reference:
        profile.reference = _next_reference(profile, now.year)
    profile.status = Profile.Status.SUBMITTED
    profile.submitted_at = profile.last_activity_at = now
    profile.search_document = search_document_for(profile)
    profile.save()
    return profile


def _scores(scores: dict) -> dict[str, int]:
    checked = {}
    for criterion in ProfileReview.CRITERIA:
        value = scores.get(criterion)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError(
                {
                    criterion: [
                        _("Score each criterion from %(low)s to %(high)s.")
                        % {"low": SCORE_MIN, "high": SCORE_MAX}
                    ]
                }
            )
        checked[criterion] = value
    return checked


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@transaction.atomic
def profile_review(
    *, user, profile: Profile, scores: dict, comment: str, now: datetime.datetime | None = None
) -> ProfileReview:
    """The staff's review of a submitted profile: four criteria scored 0-5. Any 0 holds the
    profile (the comment, then required, tells the owner why); otherwise it is published until
    its deadline or for twelve months."""
    if not is_cluster_staff(user):
        raise PermissionDenied(_("Only cluster staff review marketplace profiles."))
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Profile.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted profile can be reviewed."))
    checked = _scores(scores)
    comment = (comment or "").strip()
    publish = min(checked.values()) > 0
    if not publish and not comment:
        raise ValidationError(
            {"comment": [_("Say in the comment why the profile is held: its owner reads it.")]}
        )
    now = now or timezone.now()
    review = ProfileReview.objects.create(
        profile=profile, reviewer=user, comment=comment, published=publish, **checked
    )
    if publish:
        profile.status = Profile.Status.PUBLISHED
        profile.published_at = now
        profile.expires_at = (
            end_of_day(profile.deadline)
            if profile.deadline
            else months_later(now, PUBLISHED_MONTHS)
        )
        profile.renewal_reminded_at = None
    else:
        profile.status = Profile.Status.ON_HOLD
    profile.last_activity_at = now
    profile.save()
    return review


@transaction.atomic
def profile_archive(*, user, profile: Profile) -> Profile:
    """Take a profile off the marketplace for good (its owner or staff)."""
    _require_manager(user, profile)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status == Profile.Status.ARCHIVED:
        raise ValidationError(_("The profile is already archived."))
    profile.status = Profile.Status.ARCHIVED
    profile.save(update_fields=["status", "updated_at"])
    return profile


@transaction.atomic
def profile_renew(*, user, profile: Profile, now: datetime.datetime | None = None) -> Profile:
    """Keep a published profile (or bring back an expired one) for twelve more months from now.
    A deadline that has passed is dropped, or the profile would expire again at once."""
    _require_manager(user, profile)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status not in (Profile.Status.PUBLISHED, Profile.Status.EXPIRED):
        raise ValidationError(_("Only a published or expired profile can be renewed."))
    now = now or timezone.now()
    if profile.deadline and profile.deadline < timezone.localdate(now):
        profile.deadline = None
    profile.status = Profile.Status.PUBLISHED
    profile.expires_at = months_later(now, RENEWED_MONTHS)
    profile.last_activity_at = now
    profile.renewal_reminded_at = None
    profile.save()
    return profile


def profile_touch(profile: Profile, *, now: datetime.datetime) -> None:
    """Record activity on the profile (an interest, a message): it keeps it from expiring."""
    Profile.objects.filter(pk=profile.pk).update(last_activity_at=now)
    profile.last_activity_at = now


@transaction.atomic
def profiles_expire(*, now: datetime.datetime) -> dict[str, int]:
    """Expire published profiles whose end date (or deadline) passed or that saw no activity
    for six months; e-mail the owners of those expiring within 14 days, once per period.

    Returns the counts ``{"expired": n, "reminded": m}``.
    """
    published = Profile.objects.select_for_update().filter(status=Profile.Status.PUBLISHED)
    due = (
        Q(expires_at__lte=now)
        | Q(deadline__lt=timezone.localdate(now))
        | Q(last_activity_at__lte=months_later(now, -INACTIVE_MONTHS))
    )
    expired = published.filter(due).update(status=Profile.Status.EXPIRED, updated_at=now)
    soon = now + REMIND_BEFORE
    to_remind = list(
        published.filter(renewal_reminded_at__isnull=True)
        .filter(
            Q(expires_at__lte=soon) | Q(last_activity_at__lte=months_later(soon, -INACTIVE_MONTHS))
        )
        .select_related("organisation")
    )
    if to_remind:
        emails.send_on_commit(lambda: emails.renewal_reminders(to_remind, now=now))
        Profile.objects.filter(pk__in=[p.pk for p in to_remind]).update(renewal_reminded_at=now)
    return {"expired": expired, "reminded": len(to_remind)}


@transaction.atomic
def profile_attachment_add(*, user, profile: Profile, file, title: str = "") -> ProfileAttachment:
    """Attach a document to a profile its owner (or staff) may still change. The caller checks
    the file's type and size (`forms.AttachmentForm`)."""
    _require_manager(user, profile)
    if profile.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Attachments can be added while the profile can be changed."))
    # Uploaded files are served without a permission check: a name nobody can guess keeps the
    # attachments of drafts and held profiles private.
    file.name = f"{secrets.token_urlsafe(12)}-{PurePath(file.name).name}"
    return ProfileAttachment.objects.create(profile=profile, file=file, title=(title or "").strip())
