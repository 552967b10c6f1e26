"""The marketplace's pages with the personas: who sees and changes what, the anonymous public
view, the forms' checks and the list's query count."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klaster.calls.models import Call
from klaster.marketplace.forms import ATTACHMENT_MAX_BYTES
from klaster.marketplace.models import Profile, ProfileReview
from klaster.marketplace.tests.factories import ProfileFactory
from klaster.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def published_profile(organisation, **fields):
    now = timezone.now()
    fields.setdefault("status", Profile.Status.PUBLISHED)
    return ProfileFactory(
        organisation=organisation,
        reference=fields.pop("reference", None) or f"TO-2026-{Profile.objects.count() + 1:04d}",
        published_at=now,
        expires_at=now + datetime.timedelta(days=365),
        last_activity_at=now,
        **fields,
    )


def held_profile(organisation):
    profile = ProfileFactory(organisation=organisation, status=Profile.Status.ON_HOLD)
    ProfileReview.objects.create(
        profile=profile,
        innovation=3,
        clarity=0,
        expectations=3,
        language=3,
        comment="Brakuje opisu partnera.",
        published=False,
    )
    return profile


FORM = {
    "kind": "technology_offer",
    "title_pl": "Czujniki jakości powietrza",
    "title_en": "Air quality sensors",
    "summary_pl": "Tanie czujniki pyłu PM2.5 z kalibracją w chmurze.",
    "summary_en": "",
    "trl": "6",
    "ipr_status": "patent_applied",
    "technology_keywords": "czujniki, PM2.5",
    "market_keywords": "smart city",
    "languages": "pl, en",
    "partnership_types": ["licence", "commercial_agreement"],
    "partner_sizes": ["small"],
}


# --- The public list and detail ----------------------------------------------------------------


def test_anonymous_list_shows_only_published_profiles(anonymous, organisation_a):
    shown = published_profile(organisation_a, title_pl="Opublikowana oferta")
    ProfileFactory(organisation=organisation_a, title_pl="Szkic ukryty")
    held_profile(organisation_a)
    page = anonymous.get(reverse("marketplace:list")).content.decode()
    assert shown.title_pl in page
    assert "Szkic ukryty" not in page
    assert "1 profil" in page or "1 profile" in page


def test_list_filters_by_text_kind_trl_partnership_keyword_and_language(anonymous, organisation_a):
    solar = published_profile(
        organisation_a,
        title_pl="Fotowoltaika na dachach",
        trl=8,
        technology_keywords=["fotowoltaika"],
        partnership_types=["licence"],
        languages=["pl"],
    )
    rockets = published_profile(
        organisation_a,
        kind=Profile.Kind.RD_PARTNER_REQUEST,
        title_pl="Silniki rakietowe",
        trl=3,
        technology_keywords=["napęd"],
        partnership_types=["research_cooperation"],
        languages=["en"],
    )
    url = reverse("marketplace:list")

    def shown(**query):
        page = anonymous.get(url, query).content.decode()
        return {p.title_pl for p in (solar, rockets) if p.title_pl in page}

    assert shown(q="dachach") == {solar.title_pl}
    assert shown(q="SILNIKI rakietowe") == {rockets.title_pl}
    assert shown(kind="rd_partner_request") == {rockets.title_pl}
    assert shown(trl_min=5) == {solar.title_pl}
    assert shown(trl_min=2, trl_max=4) == {rockets.title_pl}
    assert shown(partnership="research_cooperation") == {rockets.title_pl}
    assert shown(keyword="Napęd") == {rockets.title_pl}
    # "en" is a whole item of the list: it does not match "energy" or other keywords.
    assert shown(language="en") == {rockets.title_pl}
    assert shown() == {solar.title_pl, rockets.title_pl}


def test_list_answers_htmx_with_the_rows_only(anonymous, organisation_a):
    published_profile(organisation_a)
    response = anonymous.get(reverse("marketplace:list"), HTTP_HX_REQUEST="true")
    assert b'data-testid="profile-list"' in response.content
    assert b"<html" not in response.content


def test_list_query_count_does_not_grow_with_profiles(anonymous, organisation_a):
    url = reverse("marketplace:list")
    published_profile(organisation_a, show_organisation=True)
    with CaptureQueriesContext(connection) as few:
        anonymous.get(url)
    for _ in range(15):
        published_profile(OrganisationFactory(), show_organisation=True)
    with CaptureQueriesContext(connection) as many:
        anonymous.get(url)
    assert len(many) == len(few)


def test_anonymous_detail_hides_the_organisation_unless_opted_in(anonymous, organisation_a):
    hidden = published_profile(organisation_a)
    shown = published_profile(organisation_a, show_organisation=True)
    page = anonymous.get(reverse("marketplace:detail", args=[hidden.pk])).content.decode()
    assert hidden.title_pl in page
    assert organisation_a.name not in page
    page = anonymous.get(reverse("marketplace:detail", args=[shown.pk])).content.decode()
    assert organisation_a.name in page


def test_owner_and_staff_see_the_organisation_of_an_anonymous_profile(
    client_for, editor_a, coordinator, editor_b, organisation_a
):
    profile = published_profile(organisation_a)
    url = reverse("marketplace:detail", args=[profile.pk])
    assert organisation_a.name in client_for(editor_a).get(url).content.decode()
    assert organisation_a.name in client_for(coordinator).get(url).content.decode()
    assert organisation_a.name not in client_for(editor_b).get(url).content.decode()


@pytest.mark.parametrize(
    "status", [s for s in Profile.Status.values if s != Profile.Status.PUBLISHED]
)
def test_unpublished_profile_is_not_found_for_others(
    client_for, anonymous, editor_b, investor, organisation_a, status
):
    profile = ProfileFactory(organisation=organisation_a, status=status)
    url = reverse("marketplace:detail", args=[profile.pk])
    assert anonymous.get(url).status_code == 404
    assert client_for(editor_b).get(url).status_code == 404
    assert client_for(investor).get(url).status_code == 404


def test_a_row_id_too_large_for_the_database_is_not_found(anonymous):
    assert anonymous.get(f"/marketplace/{2**63}/").status_code == 404


# --- One's own profiles ------------------------------------------------------------------------


def test_my_profiles_lists_every_status_with_the_hold_comment(client_for, editor_a, organisation_a):
    draft = ProfileFactory(organisation=organisation_a, title_pl="Mój szkic")
    held = held_profile(organisation_a)
    page = client_for(editor_a).get(reverse("marketplace:mine")).content.decode()
    assert draft.title_pl in page and held.title_pl in page
    assert "Brakuje opisu partnera." in page


def test_other_editor_sees_neither_drafts_nor_hold_comments(client_for, editor_b, organisation_a):
    draft = ProfileFactory(organisation=organisation_a, title_pl="Szkic Alfy")
    held = held_profile(organisation_a)
    client = client_for(editor_b)
    page = client.get(reverse("marketplace:mine")).content.decode()
    assert "Szkic Alfy" not in page and "Brakuje opisu partnera." not in page
    assert client.get(reverse("marketplace:detail", args=[held.pk])).status_code == 404
    assert client.get(reverse("marketplace:edit", args=[draft.pk])).status_code == 404


def test_owner_reads_the_hold_comment_on_the_profile(client_for, editor_a, organisation_a):
    held = held_profile(organisation_a)
    page = client_for(editor_a).get(reverse("marketplace:detail", args=[held.pk])).content.decode()
    assert "Brakuje opisu partnera." in page


def test_investor_and_anonymous_have_no_own_profiles_or_form(client_for, investor, anonymous):
    assert client_for(investor).get(reverse("marketplace:mine")).status_code == 403
    assert client_for(investor).get(reverse("marketplace:create")).status_code == 403
    assert anonymous.get(reverse("marketplace:create")).status_code == 302


def test_editor_creates_edits_and_submits_through_the_pages(client_for, editor_a):
    client = client_for(editor_a)
    response = client.post(reverse("marketplace:create"), FORM)
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.organisation == editor_a.organisation
    assert profile.technology_keywords == ["czujniki", "PM2.5"]
    assert profile.partnership_types == ["licence", "commercial_agreement"]
    assert profile.languages == ["pl", "en"] and profile.trl == 6
    response = client.post(
        reverse("marketplace:edit", args=[profile.pk]), {**FORM, "title_en": "Cheap sensors"}
    )
    assert response.status_code == 302
    client.post(reverse("marketplace:submit", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.title_en == "Cheap sensors"
    assert profile.status == Profile.Status.SUBMITTED and profile.reference.startswith("TO-")


def test_edit_form_shows_lists_as_comma_separated_text(client_for, editor_a, organisation_a):
    profile = ProfileFactory(organisation=organisation_a, technology_keywords=["a b", "c"])
    page = client_for(editor_a).get(reverse("marketplace:edit", args=[profile.pk])).content.decode()
    assert 'value="a b, c"' in page


def test_submit_of_an_incomplete_draft_says_why(client_for, editor_a, organisation_a):
    profile = ProfileFactory(
        organisation=organisation_a, technology_keywords=[], market_keywords=[]
    )
    response = client_for(editor_a).post(
        reverse("marketplace:submit", args=[profile.pk]), follow=True
    )
    profile.refresh_from_db()
    assert profile.status == Profile.Status.DRAFT
    assert "keyword" in response.content.decode() or "słowo kluczowe" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"trl": "10"}, "trl"), ({"trl": "0"}, "trl"), ({"kind": "barter"}, "kind")],
)
def test_form_refuses_bad_values(client_for, editor_a, change, field):
    response = client_for(editor_a).post(reverse("marketplace:create"), {**FORM, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Profile.objects.exists()


def test_form_saves_a_draft_without_title_but_submit_refuses_it(client_for, editor_a):
    client = client_for(editor_a)
    client.post(reverse("marketplace:create"), {**FORM, "title_pl": "", "title_en": ""})
    profile = Profile.objects.get()
    client.post(reverse("marketplace:submit", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.status == Profile.Status.DRAFT


def test_other_editor_cannot_post_to_someone_elses_profile(client_for, editor_b, organisation_a):
    profile = published_profile(organisation_a)
    client = client_for(editor_b)
    assert client.post(reverse("marketplace:edit", args=[profile.pk]), FORM).status_code == 403
    assert client.post(reverse("marketplace:archive", args=[profile.pk])).status_code == 403
    assert client.post(reverse("marketplace:renew", args=[profile.pk])).status_code == 403
    assert client.post(reverse("marketplace:submit", args=[profile.pk])).status_code == 403
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED and profile.title_pl != FORM["title_pl"]


def test_owner_archives_and_renews_through_the_pages(client_for, editor_a, organisation_a):
    profile = published_profile(organisation_a, status=Profile.Status.EXPIRED)
    client = client_for(editor_a)
    client.post(reverse("marketplace:renew", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED
    client.post(reverse("marketplace:archive", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ARCHIVED


# --- Attachments -------------------------------------------------------------------------------


def test_attachment_is_added_within_the_limits(
    client_for, editor_a, organisation_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    profile = ProfileFactory(organisation=organisation_a)
    upload = SimpleUploadedFile("oferta.pdf", b"%PDF-1.4 small", content_type="application/pdf")
    client_for(editor_a).post(
        reverse("marketplace:attachment_add", args=[profile.pk]),
        {"file": upload, "title": "Ulotka"},
    )
    attachment = profile.attachments.get()
    assert attachment.title == "Ulotka"
    # Served without a permission check, so under a name nobody can guess.
    assert attachment.file.name.startswith(f"marketplace/{timezone.now():%Y}/")
    assert attachment.file.name.endswith("-oferta.pdf")
    assert len(attachment.file.name) > len("marketplace/2026/-oferta.pdf") + 10


@pytest.mark.parametrize(
    ("name", "size"), [("oferta.pdf", ATTACHMENT_MAX_BYTES + 1), ("skrypt.exe", 100)]
)
def test_attachment_too_large_or_of_another_type_is_refused(
    client_for, editor_a, organisation_a, settings, tmp_path, name, size
):
    settings.MEDIA_ROOT = tmp_path
    profile = ProfileFactory(organisation=organisation_a)
    upload = SimpleUploadedFile(name, b"x" * size)
    response = client_for(editor_a).post(
        reverse("marketplace:attachment_add", args=[profile.pk]), {"file": upload}, follow=True
    )
    assert not profile.attachments.exists()
    assert response.status_code == 200


def test_other_editor_cannot_attach(client_for, editor_b, organisation_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profile = published_profile(organisation_a)
    upload = SimpleUploadedFile("oferta.pdf", b"%PDF", content_type="application/pdf")
    response = client_for(editor_b).post(
        reverse("marketplace:attachment_add", args=[profile.pk]), {"file": upload}
    )
    assert response.status_code == 403
    assert not profile.attachments.exists()


# --- The staff's review ------------------------------------------------------------------------


def submitted_profile(organisation):
    return ProfileFactory(
        organisation=organisation,
        status=Profile.Status.SUBMITTED,
        reference="TO-2026-0042",
        submitted_at=timezone.now(),
    )


SCORES = {"innovation": "4", "clarity": "4", "expectations": "3", "language": "5", "comment": ""}


def test_only_staff_open_the_review_queue_and_form(
    client_for, editor_a, editor_b, investor, organisation_a
):
    profile = submitted_profile(organisation_a)
    for user in (editor_a, editor_b, investor):
        client = client_for(user)
        assert client.get(reverse("marketplace:review_queue")).status_code == 403
        assert client.get(reverse("marketplace:review", args=[profile.pk])).status_code == 403
        assert (
            client.post(
                reverse("marketplace:review", args=[profile.pk]),
                {**SCORES, "confirm": "1", "shown_decision": "publish"},
            ).status_code
            == 403
        )
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED


def test_review_shows_the_decision_before_saving(client_for, coordinator, organisation_a):
    profile = submitted_profile(organisation_a)
    client = client_for(coordinator)
    assert profile.title_pl in client.get(reverse("marketplace:review_queue")).content.decode()
    url = reverse("marketplace:review", args=[profile.pk])
    response = client.post(url, {**SCORES, "clarity": "0", "comment": "Niejasne.", "confirm": "0"})
    assert response.context["decision"] is False
    assert not ProfileReview.objects.exists()
    # Scores changed since the decision shown: shown again, not saved.
    response = client.post(url, {**SCORES, "confirm": "1", "shown_decision": "hold"})
    assert response.context["decision"] is True
    assert not ProfileReview.objects.exists()
    response = client.post(url, {**SCORES, "confirm": "1", "shown_decision": "publish"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED


def test_review_form_refuses_scores_outside_zero_to_five(client_for, coordinator, organisation_a):
    profile = submitted_profile(organisation_a)
    response = client_for(coordinator).post(
        reverse("marketplace:review", args=[profile.pk]),
        {**SCORES, "innovation": "6", "confirm": "1", "shown_decision": "publish"},
    )
    assert "innovation" in response.context["form"].errors
    assert not ProfileReview.objects.exists()


def test_hold_without_comment_is_refused_on_the_form(client_for, coordinator, organisation_a):
    profile = submitted_profile(organisation_a)
    response = client_for(coordinator).post(
        reverse("marketplace:review", args=[profile.pk]),
        {**SCORES, "language": "0", "confirm": "1", "shown_decision": "hold"},
    )
    assert "comment" in response.context["form"].errors
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED


def test_navigation_links_the_marketplace_for_everyone(anonymous):
    page = anonymous.get(reverse("marketplace:list")).content.decode()
    assert 'data-testid="nav-marketplace"' in page


def test_coordinator_finds_the_marketplace_and_its_review_queue_in_the_staff_menu(
    client_for, coordinator
):
    page = client_for(coordinator).get(reverse("marketplace:list")).content.decode()
    menu = page[page.index('data-testid="nav-staff"') :]
    assert f'href="{reverse("marketplace:list")}"' in menu
    assert f'href="{reverse("marketplace:review_queue")}"' in menu


def test_admin_lists_profiles_but_changes_go_through_the_pages(
    client_for, coordinator, organisation_a
):
    coordinator.is_superuser = True
    coordinator.save()
    profile = published_profile(organisation_a)
    client = client_for(coordinator)
    assert profile.reference in client.get("/admin/marketplace/profile/").content.decode()
    assert client.get(f"/admin/marketplace/profile/{profile.pk}/change/").status_code == 200
    assert client.get("/admin/marketplace/profile/add/").status_code == 403
    client.post(f"/admin/marketplace/profile/{profile.pk}/change/", {"status": "archived"})
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED


def test_form_offers_open_calls_and_keeps_a_chosen_closed_one(client_for, editor_a, organisation_a):
    today = timezone.localdate()
    open_call = Call.objects.create(
        identifier="HORIZON-OPEN-1", title="Otwarty", deadline=today + datetime.timedelta(days=9)
    )
    closed = Call.objects.create(
        identifier="HORIZON-SHUT-1", title="Zamknięty", deadline=today - datetime.timedelta(days=9)
    )
    client = client_for(editor_a)
    choices = client.get(reverse("marketplace:create")).context["form"].fields["call"].queryset
    assert list(choices) == [open_call]
    profile = ProfileFactory(organisation=organisation_a, call=closed)
    form = client.get(reverse("marketplace:edit", args=[profile.pk])).context["form"]
    assert set(form.fields["call"].queryset) == {open_call, closed}
