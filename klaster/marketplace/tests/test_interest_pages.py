"""The pages of expressions of interest with the personas: who sees which thread, who may write,
the visitor's form and private link."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from klaster.accounts.models import User
from klaster.marketplace import services_interest as services
from klaster.marketplace.models import Interest, Profile
from klaster.marketplace.tests.test_interest_services import make_profile
from klaster.members.tests.factories import OrganisationFactory, UserFactory
from klaster.trackrecord.models import Cooperation


@pytest.fixture
def interest(profile, editor_b):
    """organisation_b's interest in organisation_a's profile."""
    return services.interest_express(profile=profile, user=editor_b, message="Chcemy licencji.")


@pytest.fixture
def interest_of_a(organisation_b, editor_a, editor_b):
    """editor_a's organisation interested in organisation_b's profile: editor_b owns it."""
    return services.interest_express(
        profile=make_profile(organisation_b), user=editor_a, message="Tajna wiadomość A"
    )


def visitor_form(profile, **changes) -> dict:
    issued = timezone.now() - datetime.timedelta(seconds=10)
    return {
        "name": "Jan Nowak",
        "email": "jan@example.com",
        "organisation": "Uniwersytet Testowy",
        "message": "Czy jest licencja?",
        "consent": "on",
        "website": "",
        "form_token": services.interest_form_token(profile=profile, now=issued),
        **changes,
    }


def express_url(profile) -> str:
    return reverse("marketplace:interest_express", args=[profile.pk])


def thread_url(interest) -> str:
    return reverse("marketplace:interest_thread", args=[interest.pk])


# --- "I'm interested" -----------------------------------------------------------------------------


def test_published_profile_shows_im_interested_to_everyone_but_its_owner(
    profile, anonymous, client_for, editor_a, editor_b
):
    detail = reverse("marketplace:detail", args=[profile.pk])
    for client in (anonymous, client_for(editor_b)):
        assert express_url(profile) in client.get(detail).content.decode()
    assert express_url(profile) not in client_for(editor_a).get(detail).content.decode()


def test_anonymous_visitor_gets_the_form_with_consent_and_a_trap(profile, anonymous):
    page = anonymous.get(express_url(profile)).content.decode()
    assert 'name="consent"' in page
    assert 'name="form_token"' in page
    assert 'class="field-trap" aria-hidden="true"' in page


def test_member_gets_the_message_form_only(profile, client_for, editor_b):
    page = client_for(editor_b).get(express_url(profile)).content.decode()
    assert 'name="message"' in page
    assert 'name="consent"' not in page


def test_draft_profile_has_no_interest_page_for_others(organisation_a, editor_a, anonymous):
    draft = make_profile(organisation_a, status=Profile.Status.DRAFT)
    assert anonymous.get(express_url(draft)).status_code == 404
    assert anonymous.post(express_url(draft), visitor_form(draft)).status_code == 404


def test_visitor_expresses_interest_through_the_page(
    profile, anonymous, editor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(express_url(profile), visitor_form(profile))
    assert response.status_code == 200
    assert 'data-testid="interest-sent"' in response.content.decode()
    interest = Interest.objects.get()
    assert interest.visitor_consent_at is not None
    assert {tuple(m.to) for m in mail.outbox} == {("jan@example.com",), (editor_a.email,)}


def test_visitor_in_english_gets_english_emails(
    profile, anonymous, django_capture_on_commit_callbacks
):
    anonymous.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(express_url(profile), visitor_form(profile))
    assert Interest.objects.get().language == "en"
    to_visitor = next(m for m in mail.outbox if m.to == ["jan@example.com"])
    assert "private link" in to_visitor.body


@pytest.mark.parametrize(
    "changes",
    [{"website": "http://spam.example"}, {"consent": ""}, {"form_token": "forged"}],
    ids=["honeypot", "no-consent", "forged-token"],
)
def test_visitor_refusals_write_nothing(profile, anonymous, changes):
    response = anonymous.post(express_url(profile), visitor_form(profile, **changes))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Interest.objects.exists()
    assert not mail.outbox


def test_visitor_too_fast_is_refused_on_the_page(profile, anonymous):
    token = services.interest_form_token(profile=profile)
    response = anonymous.post(express_url(profile), visitor_form(profile, form_token=token))
    assert "faster" in response.content.decode() or "szybciej" in response.content.decode()
    assert not Interest.objects.exists()


def test_visitors_rate_limit_on_the_page(settings, organisation_a, editor_a, anonymous):
    settings.MARKETPLACE_VISITOR_INTERESTS_PER_HOUR = 1
    first, second = make_profile(organisation_a), make_profile(organisation_a)
    anonymous.post(express_url(first), visitor_form(first))
    response = anonymous.post(express_url(second), visitor_form(second, email="x@example.com"))
    assert 'role="alert"' in response.content.decode()
    assert Interest.objects.count() == 1


def test_member_expresses_interest_and_lands_in_the_thread(profile, client_for, editor_b):
    response = client_for(editor_b).post(express_url(profile), {"message": "Licencja?"})
    interest = Interest.objects.get()
    assert response.status_code == 302 and response.url == thread_url(interest)
    assert interest.organisation == editor_b.organisation


# --- Threads --------------------------------------------------------------------------------------


def test_both_sides_and_staff_read_the_thread(
    interest, client_for, editor_a, editor_b, coordinator
):
    for user in (editor_a, editor_b, coordinator):
        page = client_for(user).get(thread_url(interest))
        assert page.status_code == 200
        assert "Chcemy licencji." in page.content.decode()
    # Staff read; they do not write.
    staff_page = client_for(coordinator).get(thread_url(interest)).content.decode()
    assert 'data-testid="interest-message-form"' not in staff_page


def test_editor_b_cannot_read_or_write_in_editor_as_thread(
    interest_of_a, client_for, editor_b, editor_c, investor
):
    # interest_of_a is editor_a's interest in organisation_b's profile: editor_b is the owner
    # side there. An outsider (editor_c, the investor) gets 404 for every page of it.
    for outsider in (editor_c, investor):
        client = client_for(outsider)
        assert client.get(thread_url(interest_of_a)).status_code == 404
        assert client.post(thread_url(interest_of_a), {"body": "Hej"}).status_code == 404
        status_url = reverse("marketplace:interest_status", args=[interest_of_a.pk])
        assert client.post(status_url, {"status": "contacted"}).status_code == 404
        agreement_url = reverse("marketplace:interest_agreement", args=[interest_of_a.pk])
        assert client.post(agreement_url).status_code == 404
    assert interest_of_a.messages.count() == 1
    interest_of_a.refresh_from_db()
    assert interest_of_a.status == Interest.Status.NEW


def test_editor_b_does_not_see_editor_as_threads_with_a_third_organisation(
    client_for, editor_a, editor_b, editor_c
):
    third = make_profile(editor_c.organisation)
    interest = services.interest_express(profile=third, user=editor_a, message="Tajne A-C")
    client = client_for(editor_b)
    assert client.get(thread_url(interest)).status_code == 404
    for box in ("sent", "received"):
        page = client.get(reverse("marketplace:interests"), {"box": box}).content.decode()
        assert "Tajne" not in page and third.title not in page


def test_anonymous_is_sent_to_sign_in_for_a_thread(interest, anonymous):
    response = anonymous.get(thread_url(interest))
    assert response.status_code == 302 and "login" in response.url


def test_owner_answers_and_moves_the_status(interest, client_for, editor_a):
    client = client_for(editor_a)
    client.post(thread_url(interest), {"body": "Zapraszamy."})
    client.post(reverse("marketplace:interest_status", args=[interest.pk]), {"status": "contacted"})
    interest.refresh_from_db()
    assert interest.status == Interest.Status.CONTACTED
    assert interest.messages.filter(from_owner=True, body="Zapraszamy.").exists()


def test_a_backward_status_is_refused_with_a_message(interest, client_for, editor_a):
    client = client_for(editor_a)
    status_url = reverse("marketplace:interest_status", args=[interest.pk])
    client.post(status_url, {"status": "negotiation"})
    response = client.post(status_url, {"status": "contacted"}, follow=True)
    assert "message-error" in response.content.decode()
    interest.refresh_from_db()
    assert interest.status == Interest.Status.NEGOTIATION


def test_owner_name_is_hidden_from_the_interested_side(interest, client_for, editor_a, editor_b):
    services.interest_message_add(interest=interest, body="Dzień dobry", user=editor_a)
    page = client_for(editor_b).get(thread_url(interest)).content.decode()
    assert editor_a.organisation.name not in page
    assert (
        editor_a.organisation.name
        in client_for(editor_a).get(thread_url(interest)).content.decode()
    )


def test_agreement_recorded_from_the_thread(interest, client_for, editor_a, organisation_b):
    client = client_for(editor_a)
    client.post(
        reverse("marketplace:interest_status", args=[interest.pk]), {"status": "agreement_signed"}
    )
    page = client.get(thread_url(interest)).content.decode()
    assert 'data-testid="interest-agreement"' in page
    client.post(reverse("marketplace:interest_agreement", args=[interest.pk]))
    cooperation = Cooperation.objects.get()
    assert cooperation.awaiting_organisation == organisation_b
    page = client.get(thread_url(interest)).content.decode()
    assert 'data-testid="interest-cooperation"' in page
    assert 'data-testid="interest-agreement"' not in page


# --- The visitor's private thread -----------------------------------------------------------------


@pytest.fixture
def visitor_interest(profile):
    form = visitor_form(profile)
    return services.interest_express(
        profile=profile,
        visitor=services.Visitor(
            name=form["name"],
            email=form["email"],
            organisation=form["organisation"],
            consent=True,
            client_address="198.51.100.7",
            form_token=form["form_token"],
        ),
        message="Wiadomość gościa",
    )


def visitor_url(token: str) -> str:
    return reverse("marketplace:interest_visitor", args=[token])


def test_visitor_reads_and_writes_with_the_private_link(visitor_interest, anonymous, editor_a):
    url = visitor_url(visitor_interest.access_token)
    page = anonymous.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert "Wiadomość gościa" in page.content.decode()
    assert editor_a.organisation.name not in page.content.decode()
    anonymous.post(url, {"body": "Kiedy spotkanie?"})
    assert visitor_interest.messages.filter(author=None, body="Kiedy spotkanie?").exists()


def test_visitor_withdraws_on_the_private_page(visitor_interest, anonymous):
    url = visitor_url(visitor_interest.access_token)
    anonymous.post(url, {"action": "withdraw", "status": "closed", "closed_reason": "withdrawn"})
    visitor_interest.refresh_from_db()
    assert visitor_interest.closed_reason == Interest.ClosedReason.WITHDRAWN


def test_visitor_without_the_right_token_gets_404(visitor_interest, interest, anonymous):
    for token in ("x", visitor_interest.access_token[:-2], interest.access_token):
        assert anonymous.get(visitor_url(token)).status_code == 404
        assert anonymous.post(visitor_url(token), {"body": "Hej"}).status_code == 404
    assert visitor_interest.messages.count() == 1


# --- Lists ----------------------------------------------------------------------------------------


def test_member_lists_received_and_sent_interests(interest, client_for, editor_a, editor_b):
    received = client_for(editor_a).get(reverse("marketplace:interests")).content.decode()
    assert thread_url(interest) in received
    sent = client_for(editor_b).get(reverse("marketplace:interests"), {"box": "sent"})
    assert thread_url(interest) in sent.content.decode()
    not_received = client_for(editor_b).get(reverse("marketplace:interests")).content.decode()
    assert thread_url(interest) not in not_received


def test_staff_list_all_interests_with_filters(
    interest, visitor_interest, client_for, coordinator, editor_a
):
    services.interest_status_set(user=editor_a, interest=interest, status="contacted")
    client = client_for(coordinator)
    everything = client.get(reverse("marketplace:interests")).content.decode()
    assert thread_url(interest) in everything and thread_url(visitor_interest) in everything
    contacted = client.get(reverse("marketplace:interests"), {"status": "contacted"})
    assert thread_url(interest) in contacted.content.decode()
    assert thread_url(visitor_interest) not in contacted.content.decode()
    by_visitor = client.get(reverse("marketplace:interests"), {"q": "Uniwersytet"})
    assert thread_url(visitor_interest) in by_visitor.content.decode()
    assert thread_url(interest) not in by_visitor.content.decode()


def test_interest_list_queries_do_not_grow_with_rows(
    organisation_a, editor_a, client_for, coordinator, django_assert_max_num_queries
):
    for number in range(6):
        buyer = UserFactory(
            role=User.Role.MEMBER_EDITOR, organisation=OrganisationFactory(name=f"Kupiec {number}")
        )
        services.interest_express(profile=make_profile(organisation_a), user=buyer, message="Hej")
    client = client_for(coordinator)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("marketplace:interests")).status_code == 200


def test_thread_page_queries_do_not_grow_with_messages(
    interest, client_for, editor_a, editor_b, django_assert_max_num_queries
):
    for number in range(8):
        author = editor_a if number % 2 else editor_b
        services.interest_message_add(interest=interest, body=f"Wiadomość {number}", user=author)
    client = client_for(editor_a)
    with django_assert_max_num_queries(6):
        page = client.get(thread_url(interest))
    assert page.content.decode().count('data-testid="interest-message"') == 9
