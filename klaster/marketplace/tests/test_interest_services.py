"""Expressions of interest and their threads, through the services, with the personas.

organisation_a (editor_a) publishes the profile; editor_b's organisation_b is interested;
organisation_c's editor is the outsider of every thread."""

import contextlib
import datetime
import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from klaster.accounts.models import User
from klaster.marketplace import services_interest as services
from klaster.marketplace.models import Interest, InterestMessage, Profile
from klaster.marketplace.services_interest import Visitor
from klaster.marketplace.tests.factories import ProfileFactory
from klaster.members.models import Membership
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from klaster.trackrecord.models import Cooperation
from klaster.trackrecord.services import cooperation_confirm

NOW = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)
_references = itertools.count(1)


def make_profile(organisation, **fields) -> Profile:
    """A published profile of `organisation`."""
    values = {
        "status": Profile.Status.PUBLISHED,
        "reference": f"TO-2026-{next(_references):04d}",
        "published_at": NOW - datetime.timedelta(days=30),
        **fields,
    }
    return ProfileFactory(organisation=organisation, **values)


def visitor(profile, *, email="jan@example.com", address="198.51.100.7", **changes) -> Visitor:
    """A visitor who opened the form ten seconds before NOW."""
    values = {
        "name": "Jan Nowak",
        "email": email,
        "organisation": "Uniwersytet Testowy",
        "consent": True,
        "client_address": address,
        "form_token": services.interest_form_token(
            profile=profile, now=NOW - datetime.timedelta(seconds=10)
        ),
        **changes,
    }
    return Visitor(**values)


@pytest.fixture
def member_interest(profile, editor_b):
    return services.interest_express(
        profile=profile, user=editor_b, message="Chcemy licencji.", now=NOW
    )


@pytest.fixture
def visitor_interest(profile):
    return services.interest_express(
        profile=profile, visitor=visitor(profile), message="Interesuje nas to.", now=NOW
    )


@contextlib.contextmanager
def refused(code: str):
    """The block raises a ValidationError with `code` (messages are translated; codes are not)."""
    with pytest.raises(ValidationError) as refusal:
        yield
    assert refusal.value.code == code, refusal.value


def express_and_send(django_capture_on_commit_callbacks, **kwargs) -> Interest:
    with django_capture_on_commit_callbacks(execute=True):
        return services.interest_express(now=NOW, **kwargs)


# --- Expressing interest ------------------------------------------------------------------------


def test_member_expresses_interest_for_their_organisation(
    profile, editor_a, editor_b, django_capture_on_commit_callbacks
):
    interest = express_and_send(
        django_capture_on_commit_callbacks, profile=profile, user=editor_b, message="Licencja?"
    )

    assert interest.status == Interest.Status.NEW
    assert (interest.user, interest.organisation) == (editor_b, editor_b.organisation)
    assert len(interest.access_token) >= 40
    first = interest.messages.get()
    assert (first.body, first.from_owner, first.author) == ("Licencja?", False, editor_b)
    profile.refresh_from_db()
    assert profile.last_activity_at == NOW
    # The owner side hears of it; the member gets no private link (they sign in).
    assert [m.to for m in mail.outbox] == [[editor_a.email]]
    assert "Licencja?" in mail.outbox[0].body
    assert f"/marketplace/interests/{interest.pk}/" in mail.outbox[0].body


def test_member_cannot_express_interest_in_own_organisations_profile(profile, editor_a):
    with pytest.raises(PermissionDenied):
        services.interest_express(profile=profile, user=editor_a, message="Hej", now=NOW)
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    "status", [Profile.Status.DRAFT, Profile.Status.SUBMITTED, Profile.Status.EXPIRED]
)
def test_interest_only_in_a_published_profile(organisation_a, editor_b, status):
    profile = make_profile(organisation_a, status=status)
    with refused("not_published"):
        services.interest_express(profile=profile, user=editor_b, message="Hej", now=NOW)


def test_an_empty_message_is_refused(profile, editor_b):
    with refused("message_empty"):
        services.interest_express(profile=profile, user=editor_b, message="   ", now=NOW)


def test_second_open_interest_in_the_same_profile_is_refused(profile, editor_b, member_interest):
    colleague = UserFactory(role=User.Role.MEMBER_EDITOR, organisation=editor_b.organisation)
    with refused("already_expressed"):
        services.interest_express(profile=profile, user=colleague, message="My też", now=NOW)


def test_open_interests_per_user_are_limited(settings, organisation_a, editor_a, editor_b):
    settings.MARKETPLACE_OPEN_INTERESTS_LIMIT = 2
    profiles = [make_profile(organisation_a) for _ in range(3)]
    first, _second = (
        services.interest_express(profile=p, user=editor_b, message="Hej", now=NOW)
        for p in profiles[:2]
    )
    with refused("open_limit"):
        services.interest_express(profile=profiles[2], user=editor_b, message="Hej", now=NOW)

    # Withdrawing one frees its place.
    services.interest_status_set(
        user=editor_b,
        interest=first,
        status=Interest.Status.CLOSED,
        closed_reason=Interest.ClosedReason.WITHDRAWN,
    )
    services.interest_express(profile=profiles[2], user=editor_b, message="Hej", now=NOW)
    assert Interest.objects.filter(user=editor_b).count() == 3


def test_signed_agreements_do_not_count_against_the_limit(
    settings, organisation_a, editor_a, editor_b
):
    settings.MARKETPLACE_OPEN_INTERESTS_LIMIT = 1
    first = services.interest_express(
        profile=make_profile(organisation_a), user=editor_b, message="Hej", now=NOW
    )
    services.interest_status_set(
        user=editor_a, interest=first, status=Interest.Status.AGREEMENT_SIGNED
    )
    services.interest_express(
        profile=make_profile(organisation_a), user=editor_b, message="Hej", now=NOW
    )


# --- Visitors -----------------------------------------------------------------------------------


def test_visitor_expresses_interest_with_consent_and_gets_a_private_link(
    profile, editor_a, django_capture_on_commit_callbacks
):
    interest = express_and_send(
        django_capture_on_commit_callbacks,
        profile=profile,
        visitor=visitor(profile, email=" Jan@Example.com "),
        message="Czy jest licencja?",
    )

    assert interest.user is None and interest.organisation is None
    assert (interest.visitor_name, interest.visitor_email) == ("Jan Nowak", "Jan@Example.com")
    assert interest.visitor_consent_at == NOW
    assert interest.messages.get().author is None
    to_visitor = next(m for m in mail.outbox if m.to == ["Jan@Example.com"])
    assert f"/marketplace/interests/t/{interest.access_token}/" in to_visitor.body
    to_owner = next(m for m in mail.outbox if m.to == [editor_a.email])
    assert interest.access_token not in to_owner.body
    assert "Jan Nowak" in to_owner.body


def test_visitor_without_consent_is_refused(profile):
    with refused("consent"):
        services.interest_express(
            profile=profile, visitor=visitor(profile, consent=False), message="Hej", now=NOW
        )
    assert not Interest.objects.exists()


def test_visitor_filling_the_honeypot_is_refused(profile):
    with pytest.raises(ValidationError) as refusal:
        services.interest_express(
            profile=profile,
            visitor=visitor(profile, honeypot="http://spam.example"),
            message="Buy now",
            now=NOW,
        )
    assert refusal.value.code == "honeypot"
    assert not Interest.objects.exists()


def test_visitor_sending_the_form_within_three_seconds_is_refused(profile):
    token = services.interest_form_token(profile=profile, now=NOW - datetime.timedelta(seconds=2))
    with pytest.raises(ValidationError) as refusal:
        services.interest_express(
            profile=profile, visitor=visitor(profile, form_token=token), message="Hej", now=NOW
        )
    assert refusal.value.code == "too_fast"
    # Three seconds later the same form goes through.
    services.interest_express(
        profile=profile,
        visitor=visitor(profile, form_token=token),
        message="Hej",
        now=NOW + datetime.timedelta(seconds=1),
    )


@pytest.mark.parametrize("token", ["", "forged", "a:b:c"])
def test_visitor_with_a_forged_form_token_is_refused(profile, token):
    with pytest.raises(ValidationError) as refusal:
        services.interest_express(
            profile=profile, visitor=visitor(profile, form_token=token), message="Hej", now=NOW
        )
    assert refusal.value.code == "form_token"


def test_form_token_of_another_profile_is_refused(profile, organisation_a):
    other = make_profile(organisation_a)
    with pytest.raises(ValidationError) as refusal:
        services.interest_express(
            profile=profile,
            visitor=visitor(profile, form_token=visitor(other).form_token),
            message="Hej",
            now=NOW,
        )
    assert refusal.value.code == "form_token"


def test_visitors_are_rate_limited_per_client_address(settings, organisation_a, editor_a):
    settings.MARKETPLACE_VISITOR_INTERESTS_PER_HOUR = 2
    profiles = [make_profile(organisation_a) for _ in range(4)]
    for number, p in enumerate(profiles[:2]):
        services.interest_express(
            profile=p, visitor=visitor(p, email=f"v{number}@example.com"), message="Hej", now=NOW
        )
    with pytest.raises(ValidationError) as refusal:
        services.interest_express(
            profile=profiles[2],
            visitor=visitor(profiles[2], email="v9@example.com"),
            message="Hej",
            now=NOW,
        )
    assert refusal.value.code == "rate_limited"
    # Another address is not affected.
    services.interest_express(
        profile=profiles[3],
        visitor=visitor(profiles[3], email="v9@example.com", address="203.0.113.5"),
        message="Hej",
        now=NOW,
    )
    assert Interest.objects.count() == 3


def test_open_interests_per_visitor_email_are_limited(settings, organisation_a, editor_a):
    settings.MARKETPLACE_OPEN_INTERESTS_LIMIT = 1
    first, second = make_profile(organisation_a), make_profile(organisation_a)
    services.interest_express(
        profile=first, visitor=visitor(first, email="jan@example.com"), message="Hej", now=NOW
    )
    with refused("open_limit"):
        services.interest_express(
            profile=second,
            visitor=visitor(second, email="JAN@example.com", address="203.0.113.9"),
            message="Hej",
            now=NOW,
        )


# --- Threads ------------------------------------------------------------------------------------


def test_both_sides_write_and_the_other_side_is_emailed(
    member_interest, editor_a, editor_b, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.interest_message_add(
            interest=member_interest, body="Zapraszamy na spotkanie.", user=editor_a
        )
        reply = services.interest_message_add(
            interest=member_interest, body="Dziękujemy.", user=editor_b
        )

    assert (answer.from_owner, answer.author) == (True, editor_a)
    assert (reply.from_owner, reply.author) == (False, editor_b)
    assert [m.to for m in mail.outbox] == [[editor_b.email], [editor_a.email]]


def test_owner_stays_anonymous_in_emails_to_the_interested_side(
    member_interest, editor_a, editor_b, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_message_add(interest=member_interest, body="Dzień dobry", user=editor_a)
    assert editor_a.organisation.name not in mail.outbox[0].body


def test_outsider_cannot_write_in_a_thread(member_interest, editor_c, coordinator, investor):
    for outsider in (editor_c, coordinator, investor):
        with pytest.raises(PermissionDenied):
            services.interest_message_add(interest=member_interest, body="Hej", user=outsider)
    assert member_interest.messages.count() == 1


def test_visitor_writes_with_the_private_link_only(
    visitor_interest, editor_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.interest_message_add(
            interest=visitor_interest, body="Kiedy?", token=visitor_interest.access_token
        )
    assert (message.author, message.from_owner) == (None, False)
    assert mail.outbox[0].to == [editor_a.email]

    for token in (None, "", visitor_interest.access_token[:-1] + "x"):
        with pytest.raises(PermissionDenied):
            services.interest_message_add(interest=visitor_interest, body="Hej", token=token)


def test_a_member_thread_does_not_open_with_its_token(member_interest):
    with pytest.raises(PermissionDenied):
        services.interest_message_add(
            interest=member_interest, body="Hej", token=member_interest.access_token
        )


def test_nobody_writes_in_a_closed_thread(member_interest, editor_a):
    services.interest_status_set(
        user=editor_a,
        interest=member_interest,
        status=Interest.Status.CLOSED,
        closed_reason=Interest.ClosedReason.NO_FIT,
    )
    with refused("closed"):
        services.interest_message_add(interest=member_interest, body="Hej", user=editor_a)


# --- Status -------------------------------------------------------------------------------------


def test_owner_moves_the_status_forward(
    member_interest, editor_a, editor_b, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    for status in ("contacted", "meeting_held", "negotiation", "agreement_signed"):
        with django_capture_on_commit_callbacks(execute=True):
            services.interest_status_set(user=editor_a, interest=member_interest, status=status)
        member_interest.refresh_from_db()
        assert member_interest.status == status
    assert len(mail.outbox) == 4 and all(m.to == [editor_b.email] for m in mail.outbox)


def test_owner_may_skip_steps_but_not_go_back(member_interest, editor_a):
    services.interest_status_set(user=editor_a, interest=member_interest, status="negotiation")
    for status in ("new", "contacted", "negotiation", "bogus"):
        with refused("not_forward"):
            services.interest_status_set(user=editor_a, interest=member_interest, status=status)
    member_interest.refresh_from_db()
    assert member_interest.status == "negotiation"


def test_closing_needs_a_reason_and_ends_the_interest(member_interest, editor_a):
    with refused("reason_needed"):
        services.interest_status_set(user=editor_a, interest=member_interest, status="closed")
    services.interest_status_set(
        user=editor_a, interest=member_interest, status="closed", closed_reason="no_answer"
    )
    member_interest.refresh_from_db()
    assert (member_interest.status, member_interest.closed_reason) == ("closed", "no_answer")
    for status in ("contacted", "agreement_signed"):
        with refused("settled"):
            services.interest_status_set(user=editor_a, interest=member_interest, status=status)


def test_a_signed_agreement_is_final(member_interest, editor_a):
    services.interest_status_set(user=editor_a, interest=member_interest, status="agreement_signed")
    with refused("settled"):
        services.interest_status_set(
            user=editor_a, interest=member_interest, status="closed", closed_reason="other"
        )


def test_interested_side_may_withdraw_but_not_move_the_status(member_interest, editor_b):
    with pytest.raises(PermissionDenied):
        services.interest_status_set(user=editor_b, interest=member_interest, status="contacted")
    with pytest.raises(PermissionDenied):
        services.interest_status_set(
            user=editor_b, interest=member_interest, status="closed", closed_reason="no_fit"
        )
    services.interest_status_set(
        user=editor_b, interest=member_interest, status="closed", closed_reason="withdrawn"
    )


def test_visitor_withdraws_with_the_private_link(visitor_interest):
    with pytest.raises(PermissionDenied):
        services.interest_status_set(
            user=None, interest=visitor_interest, status="closed", closed_reason="withdrawn"
        )
    services.interest_status_set(
        user=None,
        interest=visitor_interest,
        status="closed",
        closed_reason="withdrawn",
        token=visitor_interest.access_token,
    )
    visitor_interest.refresh_from_db()
    assert visitor_interest.status == "closed"


def test_outsider_cannot_change_the_status(member_interest, editor_c, coordinator):
    for outsider in (editor_c, coordinator):
        with pytest.raises(PermissionDenied):
            services.interest_status_set(
                user=outsider, interest=member_interest, status="contacted"
            )


# --- Agreement -> cooperation log ---------------------------------------------------------------


def signed(interest, owner) -> Interest:
    services.interest_status_set(user=owner, interest=interest, status="agreement_signed")
    interest.refresh_from_db()
    return interest


def test_agreement_becomes_a_cooperation_entry_pending_the_partners_confirmation(
    member_interest, editor_a, organisation_a, organisation_b
):
    interest = signed(member_interest, editor_a)
    cooperation = services.interest_agreement_record(user=editor_a, interest=interest)

    assert cooperation.kind == Cooperation.Kind.AGREEMENT
    assert (cooperation.organisation_a, cooperation.organisation_b) == (
        organisation_a,
        organisation_b,
    )
    assert cooperation.visibility == Cooperation.Visibility.PUBLIC
    assert cooperation.confirmation == Cooperation.Confirmation.PENDING
    assert cooperation.awaiting_organisation == organisation_b
    assert cooperation.recorded_by == editor_a
    assert interest.profile.reference in cooperation.notes
    interest.refresh_from_db()
    assert interest.cooperation == cooperation
    with refused("already_recorded"):
        services.interest_agreement_record(user=editor_a, interest=interest)
    assert Cooperation.objects.count() == 1


def test_the_interested_side_may_record_it_and_the_owner_confirms(
    member_interest, editor_a, editor_b, organisation_a
):
    interest = signed(member_interest, editor_a)
    cooperation = services.interest_agreement_record(user=editor_b, interest=interest)
    assert cooperation.awaiting_organisation == organisation_a

    cooperation_confirm(user=editor_a, cooperation=cooperation, accept=True)
    cooperation.refresh_from_db()
    assert cooperation.is_public


def test_agreement_is_recorded_only_once_signed(member_interest, editor_a):
    with refused("not_signed"):
        services.interest_agreement_record(user=editor_a, interest=member_interest)
    assert not Cooperation.objects.exists()


def test_visitors_agreement_cannot_enter_the_cooperation_log(visitor_interest, editor_a):
    interest = signed(visitor_interest, editor_a)
    with refused("visitor_agreement"):
        services.interest_agreement_record(user=editor_a, interest=interest)
    assert not Cooperation.objects.exists()


def test_outsider_cannot_record_the_agreement(member_interest, editor_a, editor_c):
    interest = signed(member_interest, editor_a)
    with pytest.raises(PermissionDenied):
        services.interest_agreement_record(user=editor_c, interest=interest)
    assert not Cooperation.objects.exists()


# --- Nothing half-written -----------------------------------------------------------------------


def test_nothing_is_written_when_the_first_message_fails(profile, editor_b, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(InterestMessage.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.interest_express(profile=profile, user=editor_b, message="Hej", now=NOW)
    assert not Interest.objects.exists()
    profile.refresh_from_db()
    assert profile.last_activity_at is None


def test_a_refused_cooperation_entry_leaves_the_interest_unchanged(
    profile, editor_a, django_capture_on_commit_callbacks
):
    # A candidate (membership not accepted) may not make public claims in the cluster's name.
    candidate = OrganisationFactory(name="Delta Kandydat sp. z o.o.")
    MembershipFactory(organisation=candidate, status=Membership.Status.CANDIDATE)
    candidate_editor = UserFactory(role=User.Role.MEMBER_EDITOR, organisation=candidate)
    interest = signed(
        services.interest_express(profile=profile, user=candidate_editor, message="Hej", now=NOW),
        editor_a,
    )
    with pytest.raises(PermissionDenied):
        services.interest_agreement_record(user=candidate_editor, interest=interest)
    interest.refresh_from_db()
    assert interest.cooperation is None
    assert not Cooperation.objects.exists()


def test_form_token_is_issued_now_by_default(profile):
    token = services.interest_form_token(profile=profile)
    refusal = None
    try:
        services.interest_express(
            profile=profile,
            visitor=visitor(profile, form_token=token),
            message="Hej",
            now=timezone.now(),
        )
    except ValidationError as error:
        refusal = error
    assert refusal is not None and refusal.code == "too_fast"
