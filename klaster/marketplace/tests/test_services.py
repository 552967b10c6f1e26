"""The profile workflow: draft -> submitted -> review (published or on hold) -> expired or
archived, with every refusal, and expiry, renewal and the renewal reminder at injected times."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from klaster.accounts.models import User
from klaster.marketplace import selectors, services
from klaster.marketplace.models import Profile, ProfileReview
from klaster.marketplace.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

GOOD = {"innovation": 4, "clarity": 3, "expectations": 5, "language": 2}
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def draft_of(organisation, **fields):
    return ProfileFactory(organisation=organisation, **fields)


def published(profile, coordinator, now=NOW):
    """Submit and publish `profile` through the services (its owner submits)."""
    owner = User.objects.get(organisation=profile.organisation)
    services.profile_submit(user=owner, profile=profile, now=now)
    services.profile_review(user=coordinator, profile=profile, scores=GOOD, comment="", now=now)
    profile.refresh_from_db()
    return profile


# --- Creating and editing ----------------------------------------------------------------------


def test_member_editor_creates_a_draft_of_their_own_organisation(editor_a, organisation_b):
    profile = services.profile_create(
        user=editor_a,
        data={
            "kind": Profile.Kind.TECHNOLOGY_REQUEST,
            "title_pl": "Szukamy czujników wilgotności",
            "technology_keywords": "czujniki, IoT ,czujniki",
            "partnership_types": ["technical_cooperation"],
        },
    )
    assert profile.organisation == editor_a.organisation
    assert profile.status == Profile.Status.DRAFT
    assert profile.reference is None
    assert profile.technology_keywords == ["czujniki", "IoT"]
    assert "czujnikow wilgotnosci" in profile.search_document


def test_investor_and_anonymous_cannot_create_a_profile(investor):
    with pytest.raises(PermissionDenied):
        services.profile_create(user=investor, data={"kind": Profile.Kind.BUSINESS_OFFER})


def test_staff_creates_a_profile_only_for_a_named_organisation(coordinator, organisation_b):
    with pytest.raises(ValidationError):
        services.profile_create(user=coordinator, data={"kind": Profile.Kind.BUSINESS_OFFER})
    profile = services.profile_create(
        user=coordinator, data={"kind": Profile.Kind.BUSINESS_OFFER, "organisation": organisation_b}
    )
    assert profile.organisation == organisation_b


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"trl": 10}, "trl"),
        ({"trl": 0}, "trl"),
        ({"partnership_types": ["barter"]}, "partnership_types"),
        ({"partner_sizes": ["huge"]}, "partner_sizes"),
        ({"languages": ["polish"]}, "languages"),
        ({"ipr_status": "stolen"}, "ipr_status"),
    ],
)
def test_profile_refuses_values_outside_their_choices(editor_a, data, field):
    with pytest.raises(ValidationError) as refused:
        services.profile_create(user=editor_a, data={"kind": Profile.Kind.TECHNOLOGY_OFFER, **data})
    assert field in refused.value.message_dict
    assert not Profile.objects.exists()


def test_unknown_fields_are_refused(editor_a):
    with pytest.raises(ValidationError, match="status"):
        services.profile_create(
            user=editor_a, data={"kind": "technology_offer", "status": "published"}
        )


def test_other_organisation_cannot_edit_archive_or_renew(editor_a, editor_b):
    profile = draft_of(editor_a.organisation)
    for step in (services.profile_archive, services.profile_renew):
        with pytest.raises(PermissionDenied):
            step(user=editor_b, profile=profile)
    with pytest.raises(PermissionDenied):
        services.profile_update(user=editor_b, profile=profile, data={"title_pl": "Cudze"})
    with pytest.raises(PermissionDenied):
        services.profile_submit(user=editor_b, profile=profile)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.DRAFT and profile.title_pl != "Cudze"


def test_owner_edit_of_a_published_profile_sends_it_back_to_review(editor_a, coordinator):
    profile = published(draft_of(editor_a.organisation), coordinator)
    services.profile_update(user=editor_a, profile=profile, data={"title_en": "Better title"})
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED
    assert profile.title_en == "Better title"


def test_staff_edit_of_a_published_profile_keeps_it_published(editor_a, coordinator):
    profile = published(draft_of(editor_a.organisation), coordinator)
    services.profile_update(user=coordinator, profile=profile, data={"title_en": "Typo fixed"})
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED


@pytest.mark.parametrize(
    "status", [Profile.Status.SUBMITTED, Profile.Status.EXPIRED, Profile.Status.ARCHIVED]
)
def test_owner_cannot_edit_a_profile_under_review_expired_or_archived(editor_a, status):
    profile = draft_of(editor_a.organisation, status=status)
    with pytest.raises(ValidationError):
        services.profile_update(user=editor_a, profile=profile, data={"title_pl": "Nowy"})


# --- Submitting --------------------------------------------------------------------------------


def test_submit_gives_a_reference_numbered_per_kind_and_year(editor_a):
    first = draft_of(editor_a.organisation)
    second = draft_of(editor_a.organisation)
    request = draft_of(editor_a.organisation, kind=Profile.Kind.RD_PARTNER_REQUEST)
    for profile in (first, second, request):
        services.profile_submit(user=editor_a, profile=profile, now=NOW)
    assert [p.reference for p in Profile.objects.order_by("id")] == [
        "TO-2026-0001",
        "TO-2026-0002",
        "RD-2026-0001",
    ]
    first.refresh_from_db()
    assert first.status == Profile.Status.SUBMITTED and first.submitted_at == NOW


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title_pl": "", "title_en": ""}, "title"),
        ({"summary_pl": "", "summary_en": ""}, "summary"),
        ({"technology_keywords": [], "market_keywords": []}, "keyword"),
        ({"deadline": datetime.date(2026, 3, 1)}, "deadline"),
    ],
)
def test_submit_refuses_an_incomplete_profile(editor_a, fields, message):
    profile = draft_of(editor_a.organisation, **fields)
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.profile_submit(user=editor_a, profile=profile, now=NOW)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.DRAFT and profile.reference is None


def test_title_and_summary_in_english_only_are_enough(editor_a):
    profile = draft_of(editor_a.organisation, title_pl="", summary_pl="")
    services.profile_submit(user=editor_a, profile=profile, now=NOW)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED


def test_staff_cannot_submit_in_a_members_name(coordinator, editor_a):
    profile = draft_of(editor_a.organisation)
    with pytest.raises(PermissionDenied):
        services.profile_submit(user=coordinator, profile=profile)


@pytest.mark.parametrize(
    "status", [Profile.Status.SUBMITTED, Profile.Status.PUBLISHED, Profile.Status.ARCHIVED]
)
def test_only_a_draft_or_held_profile_can_be_submitted(editor_a, status):
    profile = draft_of(editor_a.organisation, status=status)
    with pytest.raises(ValidationError):
        services.profile_submit(user=editor_a, profile=profile)


# --- Reviewing ---------------------------------------------------------------------------------


def test_review_with_no_zero_publishes_until_the_deadline(editor_a, coordinator):
    profile = draft_of(editor_a.organisation, deadline=datetime.date(2026, 9, 30))
    services.profile_submit(user=editor_a, profile=profile, now=NOW)
    review = services.profile_review(
        user=coordinator, profile=profile, scores=GOOD, comment="", now=NOW
    )
    profile.refresh_from_db()
    assert review.published and review.reviewer == coordinator
    assert (review.innovation, review.clarity, review.expectations, review.language) == (4, 3, 5, 2)
    assert profile.status == Profile.Status.PUBLISHED and profile.published_at == NOW
    assert timezone.localdate(profile.expires_at) == datetime.date(2026, 9, 30)


def test_review_without_deadline_publishes_for_twelve_months(editor_a, coordinator):
    profile = published(draft_of(editor_a.organisation), coordinator)
    assert profile.expires_at == datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)


def test_a_zero_holds_the_profile_with_the_comment_for_its_owner(editor_a, coordinator):
    profile = draft_of(editor_a.organisation)
    services.profile_submit(user=editor_a, profile=profile, now=NOW)
    services.profile_review(
        user=coordinator,
        profile=profile,
        scores={**GOOD, "clarity": 0},
        comment="Opis nie mówi, czego szukacie.",
    )
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ON_HOLD and profile.published_at is None
    assert selectors.latest_review(profile).comment == "Opis nie mówi, czego szukacie."
    # The owner edits and submits again; the reference stays.
    reference = profile.reference
    services.profile_update(
        user=editor_a, profile=profile, data={"partner_sought_pl": "Integrator"}
    )
    services.profile_submit(user=editor_a, profile=profile)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED and profile.reference == reference


def test_holding_requires_a_comment(editor_a, coordinator):
    profile = draft_of(editor_a.organisation)
    services.profile_submit(user=editor_a, profile=profile)
    with pytest.raises(ValidationError, match="comment"):
        services.profile_review(
            user=coordinator, profile=profile, scores={**GOOD, "language": 0}, comment=" "
        )
    assert not ProfileReview.objects.exists()


@pytest.mark.parametrize(
    "scores",
    [{**GOOD, "clarity": 6}, {**GOOD, "clarity": -1}, {"innovation": 3}, {**GOOD, "language": "x"}],
)
def test_review_refuses_scores_outside_zero_to_five(editor_a, coordinator, scores):
    profile = draft_of(editor_a.organisation)
    services.profile_submit(user=editor_a, profile=profile)
    with pytest.raises(ValidationError):
        services.profile_review(user=coordinator, profile=profile, scores=scores, comment="x")
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED


def test_only_staff_review(editor_a, editor_b, investor):
    profile = draft_of(editor_a.organisation)
    services.profile_submit(user=editor_a, profile=profile)
    for user in (editor_a, editor_b, investor):
        with pytest.raises(PermissionDenied):
            services.profile_review(user=user, profile=profile, scores=GOOD, comment="")


def test_only_a_submitted_profile_is_reviewed(editor_a, coordinator):
    profile = draft_of(editor_a.organisation)
    with pytest.raises(ValidationError):
        services.profile_review(user=coordinator, profile=profile, scores=GOOD, comment="")


# --- Archiving, renewing, expiring -------------------------------------------------------------


def test_owner_archives_and_an_archived_profile_stays_archived(editor_a):
    profile = draft_of(editor_a.organisation)
    services.profile_archive(user=editor_a, profile=profile)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ARCHIVED
    with pytest.raises(ValidationError):
        services.profile_archive(user=editor_a, profile=profile)
    with pytest.raises(ValidationError):
        services.profile_renew(user=editor_a, profile=profile)


def test_deadline_passed_expires_the_profile(editor_a, coordinator):
    profile = published(
        draft_of(editor_a.organisation, deadline=datetime.date(2026, 4, 30)), coordinator
    )
    assert services.profiles_expire(now=NOW + datetime.timedelta(days=30))["expired"] == 0
    counts = services.profiles_expire(now=datetime.datetime(2026, 5, 1, 8, tzinfo=datetime.UTC))
    profile.refresh_from_db()
    assert counts["expired"] == 1 and profile.status == Profile.Status.EXPIRED


def test_six_months_without_activity_expire_the_profile_and_activity_keeps_it(
    editor_a, coordinator
):
    quiet = published(draft_of(editor_a.organisation), coordinator)
    busy = published(draft_of(editor_a.organisation), coordinator)
    services.profile_touch(busy, now=NOW + datetime.timedelta(days=100))
    counts = services.profiles_expire(now=NOW + datetime.timedelta(days=185))
    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert counts["expired"] == 1
    assert quiet.status == Profile.Status.EXPIRED and busy.status == Profile.Status.PUBLISHED


def test_renewal_reminder_is_sent_once_fourteen_days_before(
    editor_a, coordinator, django_capture_on_commit_callbacks
):
    profile = published(
        draft_of(editor_a.organisation, deadline=datetime.date(2026, 4, 30)), coordinator
    )
    before = datetime.datetime(2026, 4, 10, 8, tzinfo=datetime.UTC)  # 20 days before
    within = datetime.datetime(2026, 4, 20, 8, tzinfo=datetime.UTC)  # 10 days before
    with django_capture_on_commit_callbacks(execute=True):
        assert services.profiles_expire(now=before)["reminded"] == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.profiles_expire(now=within)["reminded"] == 1
        assert services.profiles_expire(now=within + datetime.timedelta(days=1))["reminded"] == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [editor_a.email]
    assert profile.reference in mail.outbox[0].subject
    assert f"/marketplace/{profile.pk}/" in mail.outbox[0].body


def test_renewal_extends_twelve_months_and_rearms_the_reminder(editor_a, coordinator):
    profile = published(
        draft_of(editor_a.organisation, deadline=datetime.date(2026, 4, 30)), coordinator
    )
    services.profiles_expire(now=datetime.datetime(2026, 4, 20, tzinfo=datetime.UTC))
    later = datetime.datetime(2026, 5, 3, 9, tzinfo=datetime.UTC)
    services.profiles_expire(now=later)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.EXPIRED and profile.renewal_reminded_at is not None
    services.profile_renew(user=editor_a, profile=profile, now=later)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED
    assert profile.expires_at == datetime.datetime(2027, 5, 3, 9, tzinfo=datetime.UTC)
    assert profile.deadline is None and profile.renewal_reminded_at is None
    assert services.profiles_expire(now=later + datetime.timedelta(days=30))["expired"] == 0


@pytest.mark.parametrize(
    "status", [Profile.Status.DRAFT, Profile.Status.SUBMITTED, Profile.Status.ON_HOLD]
)
def test_renewal_refused_before_publication(editor_a, status):
    profile = draft_of(editor_a.organisation, status=status)
    with pytest.raises(ValidationError):
        services.profile_renew(user=editor_a, profile=profile)


def test_expire_command_reports_counts(editor_a, coordinator, capsys):
    published(draft_of(editor_a.organisation, deadline=datetime.date(2026, 4, 30)), coordinator)
    call_command("marketplace", "expire", "--now", "2026-05-02T00:00:00+00:00")
    assert "profiles expired: 1" in capsys.readouterr().out


def test_reminder_before_six_months_without_activity(editor_a, coordinator):
    profile = published(draft_of(editor_a.organisation), coordinator)
    assert services.profiles_expire(now=NOW + datetime.timedelta(days=150))["reminded"] == 0
    assert services.profiles_expire(now=NOW + datetime.timedelta(days=175))["reminded"] == 1
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED and profile.renewal_reminded_at is not None


def test_staff_moving_the_deadline_of_a_published_profile_moves_its_end(editor_a, coordinator):
    profile = published(draft_of(editor_a.organisation), coordinator)
    services.profile_update(
        user=coordinator, profile=profile, data={"deadline": datetime.date(2026, 6, 30)}
    )
    profile.refresh_from_db()
    assert timezone.localdate(profile.expires_at) == datetime.date(2026, 6, 30)
