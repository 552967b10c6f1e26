"""Saved searches as alerts and the weekly digest: who may keep which, each e-mailed once per
period, in the recipient's language, the opt-out honoured and the unsubscribe link tamper-proof."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from klaster.marketplace import services_alerts
from klaster.marketplace.models import DigestSubscription, Profile, SavedSearch
from klaster.marketplace.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 4, 8, 0))
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def mails_on_commit(django_capture_on_commit_callbacks):
    """Run the e-mails queued for after the commit, as a real request or command would."""

    def run(work):
        with django_capture_on_commit_callbacks(execute=True):
            return work()

    return run


def publish(organisation, *, at: datetime.datetime, **fields) -> Profile:
    return ProfileFactory(
        organisation=organisation,
        status=Profile.Status.PUBLISHED,
        published_at=at,
        reference=fields.pop("reference", None),
        **fields,
    )


def save_search(user, *, language="pl", at=NOW - WEEK, **filters) -> SavedSearch:
    with translation.override(language):
        return services_alerts.saved_search_create(
            user=user, name=filters.pop("name", ""), filters=filters, now=at
        )


# --- Saved searches -----------------------------------------------------------------------------


def test_a_signed_in_user_saves_the_lists_filters_under_a_name(client_for, investor):
    client = client_for(investor)
    response = client.post(
        reverse("marketplace:search_save"),
        {"kind": "technology_offer", "trl_min": "5", "q": "bateria", "search_name": "Baterie"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=investor)
    assert search.name == "Baterie" and search.alert is True
    assert search.query == {"kind": "technology_offer", "trl_min": 5, "q": "bateria"}
    page = client.get(reverse("marketplace:alerts")).content.decode()
    assert 'data-testid="saved-search"' in page and "Baterie" in page
    assert "kind=technology_offer" in page  # the link that runs it again


def test_a_visitor_cannot_save_a_search(anonymous):
    response = anonymous.post(reverse("marketplace:search_save"), {"kind": "technology_offer"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not SavedSearch.objects.exists()


def test_the_list_offers_to_save_its_filters_to_signed_in_users_only(
    client_for, editor_a, anonymous
):
    url = reverse("marketplace:list") + "?kind=business_request&keyword=logistyka"
    page = client_for(editor_a).get(url).content.decode()
    assert 'data-testid="search-save"' in page
    assert 'name="kind" value="business_request"' in page
    assert 'name="keyword" value="logistyka"' in page
    assert 'data-testid="search-save"' not in anonymous.get(url).content.decode()


def test_nobody_switches_off_or_deletes_another_persons_search(client_for, editor_a, editor_b):
    search = save_search(editor_a, kind="technology_offer")
    other = client_for(editor_b)
    assert other.post(reverse("marketplace:search_alert", args=[search.pk])).status_code == 404
    assert other.post(reverse("marketplace:search_delete", args=[search.pk])).status_code == 404
    assert "technology_offer" not in other.get(reverse("marketplace:alerts")).content.decode()
    search.refresh_from_db()
    assert search.alert is True
    owner = client_for(editor_a)
    owner.post(reverse("marketplace:search_alert", args=[search.pk]), {"alert": "0"})
    search.refresh_from_db()
    assert search.alert is False
    owner.post(reverse("marketplace:search_delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_a_user_keeps_a_limited_number_of_saved_searches(investor):
    for number in range(services_alerts.SAVED_SEARCHES_PER_USER):
        save_search(investor, q=f"word{number}")
    with pytest.raises(services_alerts.ValidationError):
        save_search(investor, q="one too many")
    assert SavedSearch.objects.count() == services_alerts.SAVED_SEARCHES_PER_USER


# --- Alerts -------------------------------------------------------------------------------------


def test_each_new_matching_profile_is_alerted_once(
    mails_on_commit, investor, organisation_a, organisation_b
):
    investor.email = "inwestor@example.org"
    investor.save()
    save_search(investor, kind="technology_offer", name="Oferty technologii")
    offer = publish(organisation_a, at=NOW - datetime.timedelta(days=2), reference="TO-2026-0001")
    publish(
        organisation_b,
        at=NOW - datetime.timedelta(days=2),
        kind=Profile.Kind.BUSINESS_REQUEST,
        reference="BR-2026-0001",
    )
    publish(organisation_b, at=NOW - 2 * WEEK, reference="TO-2026-0009")  # before the search

    assert mails_on_commit(lambda: services_alerts.alerts_send(now=NOW)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["inwestor@example.org"]
    assert message.subject == "Giełda: 1 nowy profil dla „Oferty technologii”"
    assert reverse("marketplace:detail", args=[offer.pk]) in message.body
    assert "TO-2026-0009" not in message.body and "BR-2026-0001" not in message.body
    assert organisation_a.name not in message.body  # the owner did not opt in to show it

    assert mails_on_commit(lambda: services_alerts.alerts_send(now=NOW + WEEK)) == 0
    assert len(mail.outbox) == 1
    publish(organisation_b, at=NOW + WEEK + datetime.timedelta(days=1), reference="TO-2026-0002")
    assert mails_on_commit(lambda: services_alerts.alerts_send(now=NOW + 2 * WEEK)) == 1
    assert "TO-2026-0002" in mail.outbox[1].body and "TO-2026-0001" not in mail.outbox[1].body


def test_an_alert_speaks_the_language_it_was_saved_in_and_skips_ones_own_profiles(
    mails_on_commit, editor_a, organisation_a, organisation_b
):
    editor_a.email = "a@example.org"
    editor_a.save()
    save_search(editor_a, language="en", name="Offers")
    publish(organisation_a, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0001")
    publish(organisation_b, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0002")
    mails_on_commit(lambda: services_alerts.alerts_send(now=NOW))
    (message,) = mail.outbox
    assert message.subject == "Marketplace: 1 new profile for “Offers”"
    assert "TO-2026-0002" in message.body and "TO-2026-0001" not in message.body


def test_a_switched_off_alert_sends_nothing(mails_on_commit, editor_a, organisation_b):
    editor_a.email = "a@example.org"
    editor_a.save()
    search = save_search(editor_a)
    services_alerts.saved_search_alert_set(user=editor_a, search=search, alert=False)
    publish(organisation_b, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0002")
    assert mails_on_commit(lambda: services_alerts.alerts_send(now=NOW)) == 0
    assert mail.outbox == []


# --- The weekly digest --------------------------------------------------------------------------


def test_the_digest_goes_once_a_week_to_each_member_editor_who_did_not_opt_out(
    mails_on_commit, editor_a, editor_b, organisation_a, organisation_b
):
    editor_a.email, editor_b.email = "a@example.org", "b@example.org"
    editor_a.save()
    editor_b.save()
    publish(organisation_b, at=NOW - datetime.timedelta(days=3), reference="TO-2026-0002")
    publish(organisation_b, at=NOW - 2 * WEEK, reference="TO-2026-0001")  # an older week

    assert mails_on_commit(lambda: services_alerts.digests_send(now=NOW)) == 1
    (message,) = mail.outbox
    assert message.to == ["a@example.org"]  # Beta's editor has nothing new but its own profile
    assert message.subject == "Giełda: Twój cotygodniowy przegląd"
    assert "TO-2026-0002" in message.body and "TO-2026-0001" not in message.body
    assert "List-Unsubscribe" in message.extra_headers

    # The same week again: nothing; a week later, only what is new since.
    assert mails_on_commit(lambda: services_alerts.digests_send(now=NOW + WEEK / 2)) == 0
    publish(organisation_b, at=NOW + datetime.timedelta(days=2), reference="TO-2026-0003")
    assert mails_on_commit(lambda: services_alerts.digests_send(now=NOW + WEEK)) == 1
    assert "TO-2026-0003" in mail.outbox[1].body and "TO-2026-0002" not in mail.outbox[1].body


def test_an_editor_who_opted_out_gets_no_digest(
    mails_on_commit, client_for, editor_a, organisation_b
):
    editor_a.email = "a@example.org"
    editor_a.save()
    client = client_for(editor_a)
    assert (
        'data-testid="digest-settings"'
        in client.get(reverse("marketplace:alerts")).content.decode()
    )
    client.post(reverse("marketplace:digest"), {})  # the box left unticked
    assert DigestSubscription.objects.get(user=editor_a).weekly is False
    publish(organisation_b, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0002")
    assert mails_on_commit(lambda: services_alerts.digests_send(now=NOW)) == 0
    client.post(reverse("marketplace:digest"), {"weekly": "on"})
    assert mails_on_commit(lambda: services_alerts.digests_send(now=NOW)) == 1


def test_only_member_editors_have_a_digest(client_for, investor):
    assert (
        'data-testid="digest-settings"'
        not in client_for(investor).get(reverse("marketplace:alerts")).content.decode()
    )
    with pytest.raises(services_alerts.PermissionDenied):
        services_alerts.digest_subscription_set(user=investor, weekly=True)


def test_the_digest_speaks_the_language_of_its_subscription(
    mails_on_commit, editor_a, organisation_b
):
    editor_a.email = "a@example.org"
    editor_a.save()
    with translation.override("en"):
        services_alerts.digest_subscription_set(user=editor_a, weekly=True)
    publish(organisation_b, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0002")
    mails_on_commit(lambda: services_alerts.digests_send(now=NOW))
    assert mail.outbox[0].subject == "Marketplace: your weekly digest"


def unsubscribe_link(message) -> str:
    return re.search(r"https?://\S+/digest/unsubscribe/\S+/", message.body).group(0)


def test_the_one_click_link_unsubscribes_and_a_changed_link_does_not(
    mails_on_commit, client_for, editor_a, editor_b, organisation_b, anonymous
):
    editor_a.email = "a@example.org"
    editor_a.save()
    publish(organisation_b, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0002")
    mails_on_commit(lambda: services_alerts.digests_send(now=NOW))
    path = "/" + unsubscribe_link(mail.outbox[0]).split("/", 3)[3]
    token = path.rstrip("/").rsplit("/", 1)[1]

    # editor_a's signature on a payload naming editor_b, a token signed for another purpose, a
    # cut signature, nonsense: not found, and nobody is unsubscribed.
    payload, signature = token.split(":", 1)
    forged = signing.dumps(editor_b.pk).split(":", 1)[0] + ":" + signature
    other_purpose = signing.dumps(editor_a.pk, salt="another purpose")
    for changed in (forged, other_purpose, payload + ":" + signature[:-2], "nonsense"):
        url = reverse("marketplace:unsubscribe", args=[changed])
        assert anonymous.get(url).status_code == 404
        assert anonymous.post(url).status_code == 404
    assert not DigestSubscription.objects.filter(weekly=False).exists()

    assert 'data-testid="unsubscribe"' in anonymous.get(path).content.decode()
    assert not DigestSubscription.objects.filter(weekly=False).exists()  # a look changes nothing
    done = anonymous.post(path)  # without a CSRF token, as a mail client's one-click POST
    assert done.status_code == 200 and 'data-testid="unsubscribed"' in done.content.decode()
    assert DigestSubscription.objects.get(user=editor_a).weekly is False


def test_the_commands_send_alerts_and_digests_at_the_given_moment(
    capsys, django_capture_on_commit_callbacks, editor_a, organisation_b
):
    editor_a.email = "a@example.org"
    editor_a.save()
    save_search(editor_a)
    publish(organisation_b, at=NOW - datetime.timedelta(days=1), reference="TO-2026-0002")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("marketplace", "alerts", "--now", NOW.isoformat())
        call_command("marketplace", "digest", "--now", NOW.isoformat())
        call_command("marketplace", "digest", "--now", NOW.isoformat())
    out = capsys.readouterr().out
    assert "saved-search alerts sent: 1" in out
    assert "weekly digests sent: 1" in out and "weekly digests sent: 0" in out
    assert len(mail.outbox) == 2
