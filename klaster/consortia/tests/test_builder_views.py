"""The consortium builder's pages: from a call's page to a proposal, pins, invitations, answers,
notes and exports; outsiders (editor_b) see nothing of a consortium they are not in."""

import io

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from klaster.accounts.models import User
from klaster.calls.models import Call
from klaster.consortia import services
from klaster.consortia.models import Invitation, Note, ProjectIdea
from klaster.consortia.tests.conftest import OWNER_PIC
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def call(db):
    return Call.objects.create(
        identifier="HORIZON-CL5-2026-D3-07",
        title="AI for resilient energy grids",
        programme="Horizon Europe",
        action_type="HORIZON-RIA",
        keywords="artificial intelligence, smart grid, energy",
        description="Machine learning for monitoring and forecasting in electricity grids.",
    )


@pytest.fixture
def owner(organisation_a):
    organisation_a.pic = OWNER_PIC
    organisation_a.save()
    MembershipFactory(organisation=organisation_a)
    return organisation_a


def idea_form(**changes) -> dict:
    data = {
        "title": "Grid AI", "summary": "AI for grid monitoring", "keywords": "ai, grid",
        "rule_set": "horizon-ria", "size": "5", "prefer_members": "on", "max_per_country": "",
        "roles-TOTAL_FORMS": "2", "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "8",
        "roles-0-kind": "research partner", "roles-0-field": "AI",
        "roles-1-kind": "", "roles-1-field": "",
    }  # fmt: skip
    return {**data, **changes}


@pytest.fixture
def idea(owner, editor_a, call):
    return services.idea_create(
        owner=owner, user=editor_a, call=call, roles=[{"kind": "end user", "field": "energy"}],
        data={"title": call.title, "summary": call.description, "keywords": call.keywords,
              "rule_set": "horizon-ria", "size": 5, "prefer_members": True,
              "max_per_country": None, "include_sme": False},
    )  # fmt: skip


@pytest.fixture
def workspace(idea, editor_a, engine):
    """A proposed consortium with one partner a cluster member whose editor is Celina."""
    first = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    member = OrganisationFactory(name="Gamma Badania", pic=first.partners.all()[1].pic)
    MembershipFactory(organisation=member)
    celina = UserFactory(username="redaktor_c", role=User.Role.MEMBER_EDITOR, organisation=member)
    proposal = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    return {"idea": idea, "member": member, "celina": celina, "proposal": proposal}


def test_call_page_offers_members_to_start_a_consortium(call, client_for, editor_a, anonymous):
    page = client_for(editor_a).get(reverse("calls:detail", args=[call.pk]))
    assert reverse("consortia:new_for_call", args=[call.pk]).encode() in page.content
    public = anonymous.get(reverse("calls:detail", args=[call.pk]))
    assert b"start-consortium" not in public.content


def test_new_idea_for_a_call_is_prefilled_with_its_rules_and_text(call, client_for, editor_a):
    page = client_for(editor_a).get(reverse("consortia:new_for_call", args=[call.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["rule_set"] == "horizon-ria"
    assert form.initial["title"] == call.title
    assert 'for="id_title"' in page.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("pl", "Horyzont Europa – działanie badawczo-innowacyjne (RIA) (horizon-ria)"),
        ("en", "Horizon Europe Research and Innovation Action (RIA) (horizon-ria)"),
    ],
)
def test_eligibility_rules_are_offered_in_the_readers_language(
    client_for, editor_a, language, title
):
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("consortia:new")).content.decode()
    assert f">{title}</option>" in page


def test_texts_handed_over_replace_the_calls_and_fit_the_fields(call, client_for, editor_a):
    page = client_for(editor_a).post(
        reverse("consortia:new_for_call", args=[call.pk]),
        {"prefill": "1", "title": "T" * 400, "summary": "Our own objective.", "keywords": "a, b"},
    )
    assert not ProjectIdea.objects.exists()  # handed over, not created
    form = page.context["form"]
    assert form.initial["title"] == "T" * 300  # the title field holds 300 characters
    assert form.initial["summary"] == "Our own objective."
    assert form.initial["keywords"] == "a, b"
    assert form.initial["rule_set"] == "horizon-ria"  # the call's rules stay


def test_member_creates_an_idea_and_lands_on_its_workspace(call, client_for, editor_a, owner):
    response = client_for(editor_a).post(
        reverse("consortia:new_for_call", args=[call.pk]), idea_form()
    )
    idea = ProjectIdea.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "consortia:detail", args=[idea.pk]
    )
    assert idea.owner == owner and idea.call == call
    assert [r.label for r in idea.roles.all()] == ["research partner in AI"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"rule_set": "horizon-xx"}, "rule_set"),
        ({"size": "0"}, "size"),
        ({"max_per_country": "-1"}, "max_per_country"),
    ],
)
def test_bad_idea_is_refused_with_the_field_named(client_for, editor_a, owner, changes, field):
    response = client_for(editor_a).post(reverse("consortia:new"), idea_form(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ProjectIdea.objects.exists()


def test_a_field_without_a_role_is_refused(client_for, editor_a, owner):
    response = client_for(editor_a).post(
        reverse("consortia:new"), idea_form(**{"roles-0-kind": "", "roles-0-field": "AI"})
    )
    assert response.status_code == 200 and not ProjectIdea.objects.exists()


def test_investor_cannot_start_a_consortium(client_for, investor):
    assert client_for(investor).get(reverse("consortia:new")).status_code == 403


def test_outsider_does_not_see_the_idea_and_anonymous_signs_in(
    idea, client_for, editor_b, anonymous
):
    url = reverse("consortia:detail", args=[idea.pk])
    assert client_for(editor_b).get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    assert idea.title.encode() not in client_for(editor_b).get(reverse("consortia:list")).content


def test_propose_returns_the_explained_proposal_as_a_fragment(idea, client_for, editor_a, engine):
    response = client_for(editor_a).post(reverse("consortia:propose", args=[idea.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="workspace"' in html
    assert 'data-testid="verdict"' in html and "Eligible" in html
    assert html.count('class="partner"') == 5
    assert "Why this partner" in html and "covers the required role: End user – energy" in html


def test_a_polish_reader_gets_the_reasons_and_the_check_in_polish(
    idea, client_for, editor_a, engine
):
    services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    html = client.get(reverse("consortia:detail", args=[idea.pk])).content.decode()
    assert "koordynator pomysłu" in html and "coordinator of the idea" not in html
    # The kind of role translated, the field in the member's own words.
    assert "obsadza wymaganą rolę: Użytkownik końcowy – energy" in html
    assert "dopasowanie " in html and "fit 0." not in html
    assert "Horyzont Europa – działanie badawczo-innowacyjne (RIA)" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("consortia:detail", args=[idea.pk])).content.decode()
    assert "coordinator of the idea" in english and "koordynator pomysłu" not in english


def test_while_the_engine_builds_the_page_shows_its_progress(
    idea, client_for, editor_a, engine_building
):
    response = client_for(editor_a).post(reverse("consortia:propose", args=[idea.pk]), **HTMX)
    assert response.status_code == 200
    assert b'data-testid="engine-status"' in response.content
    assert not idea.proposals.exists()


def test_outsider_cannot_propose_and_invited_member_may_not_either(
    workspace, client_for, editor_b, engine
):
    idea = workspace["idea"]
    url = reverse("consortia:propose", args=[idea.pk])
    assert client_for(editor_b).post(url).status_code == 404
    services.invitation_send(idea=idea, user=idea.created_by, pic=workspace["member"].pic)
    assert client_for(workspace["celina"]).post(url).status_code == 403
    assert idea.proposals.count() == 2


def test_pin_and_exclude_then_re_solve(workspace, client_for, editor_a, engine):
    idea, partners = workspace["idea"], list(workspace["proposal"].partners.all())
    client = client_for(editor_a)
    pin, drop = partners[-1].pic, partners[2].pic
    client.post(
        reverse("consortia:choice", args=[idea.pk]), {"pic": pin, "choice": "pinned"}, **HTMX
    )
    response = client.post(
        reverse("consortia:choice", args=[idea.pk]), {"pic": drop, "choice": "excluded"}, **HTMX
    )
    assert b'data-testid="choices-changed"' in response.content
    response = client.post(reverse("consortia:propose", args=[idea.pk]), **HTMX)
    html = response.content.decode()
    assert f'data-testid="partner-{pin}"' in html and f'data-testid="partner-{drop}"' not in html
    assert "pinned by you" in html


def test_bad_choice_is_refused(workspace, client_for, editor_a):
    idea = workspace["idea"]
    url = reverse("consortia:choice", args=[idea.pk])
    response = client_for(editor_a).post(url, {"pic": OWNER_PIC, "choice": "excluded"}, **HTMX)
    assert response.status_code == 400 and b"propose-error" in response.content
    response = client_for(editor_a).post(url, {"pic": "1", "choice": "maybe"}, **HTMX)
    assert response.status_code == 400
    assert not idea.choices.exists()


def test_invite_a_member_who_sees_the_summary_and_accepts(
    workspace, client_for, editor_a, editor_b
):
    idea, member, celina = workspace["idea"], workspace["member"], workspace["celina"]
    response = client_for(editor_a).post(
        reverse("consortia:invite", args=[idea.pk]), {"pic": member.pic, "message": "Join"}, **HTMX
    )
    assert f'data-testid="invitation-status-{member.pic}"'.encode() in response.content
    invitation = Invitation.objects.get()

    page = client_for(celina).get(reverse("consortia:detail", args=[idea.pk]))
    assert page.status_code == 200
    assert b'data-testid="my-invitation"' in page.content
    assert b'data-testid="notes"' not in page.content  # not in the consortium yet
    assert b'data-testid="propose"' not in page.content

    answer = reverse("consortia:answer", args=[invitation.pk])
    assert client_for(editor_b).post(answer, {"answer": "accept"}).status_code == 404
    assert client_for(editor_a).post(answer, {"answer": "accept"}).status_code == 403
    response = client_for(celina).post(answer, {"answer": "accept"}, **HTMX)
    assert response.status_code == 200 and b'data-testid="notes"' in response.content
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED

    board = client_for(editor_a).get(reverse("consortia:detail", args=[idea.pk])).content.decode()
    assert f'data-testid="board-{member.pic}"' in board and "status-accepted" in board


def test_owner_withdraws_an_accepted_invitation_and_may_invite_again(
    workspace, client_for, editor_a, editor_b, django_capture_on_commit_callbacks
):
    idea, member, celina = workspace["idea"], workspace["member"], workspace["celina"]
    invitation = services.invitation_send(idea=idea, user=editor_a, pic=member.pic)
    services.invitation_answer(invitation=invitation, accept=True, user=celina)
    mail.outbox.clear()
    withdraw = reverse("consortia:withdraw", args=[invitation.pk])

    # Only the consortium's owner takes it back: not the invited member, not an outsider.
    assert client_for(celina).post(withdraw, **HTMX).status_code == 403
    assert client_for(editor_b).post(withdraw, **HTMX).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor_a).post(withdraw, **HTMX)
    assert response.status_code == 200
    assert f'data-testid="board-status-{member.pic}"'.encode() in response.content
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert invitation.withdrawn_by == editor_a and invitation.withdrawn_at is not None
    # The member is told, in the app and by e-mail, and leaves the consortium's notes.
    notice = celina.consortium_notifications.get(text__contains="withdrew")
    assert idea.title in notice.text
    assert [m.to for m in mail.outbox] == [[celina.email]]
    page = client_for(celina).get(reverse("consortia:detail", args=[idea.pk])).content.decode()
    assert 'data-testid="my-invitation-withdrawn"' in page
    assert 'data-testid="notes"' not in page and 'data-testid="accept"' not in page
    # Nothing left to answer, nor to withdraw twice.
    answer = reverse("consortia:answer", args=[invitation.pk])
    refused = client_for(celina).post(answer, {"answer": "accept"}, **HTMX)
    assert refused.status_code == 409 and b"answer-error" in refused.content
    assert client_for(editor_a).post(withdraw, **HTMX).status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN

    # Invited again: the same invitation starts over and can be answered.
    board = client_for(editor_a).get(reverse("consortia:detail", args=[idea.pk])).content.decode()
    assert f'data-testid="invite-box-{member.pic}"' in board
    again = services.invitation_send(idea=idea, user=editor_a, pic=member.pic)
    assert again.pk == invitation.pk and again.status == Invitation.Status.INVITED
    assert again.withdrawn_at is None and again.answered_at is None
    assert client_for(celina).post(answer, {"answer": "accept"}, **HTMX).status_code == 200


def test_a_withdrawn_link_cannot_be_answered_and_a_new_one_is_sent(
    workspace, anonymous, editor_a, django_capture_on_commit_callbacks
):
    idea = workspace["idea"]
    foreign = workspace["proposal"].partners.filter(organisation__isnull=True).first()
    invitation = services.invitation_send(
        idea=idea, user=editor_a, pic=foreign.pic, email="x@example.eu"
    )
    old_link = reverse("consortia:invitation_token", args=[invitation.token])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_withdraw(invitation=invitation, user=editor_a)
    assert [m.to for m in mail.outbox] == [["x@example.eu"]]
    assert "withdrew" in mail.outbox[0].body

    page = anonymous.get(old_link)
    assert b'data-testid="token-withdrawn"' in page.content
    assert b'data-testid="token-accept"' not in page.content
    refused = anonymous.post(old_link, {"answer": "accept"})
    assert refused.status_code == 409 and b"token-error" in refused.content
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN

    again = services.invitation_send(
        idea=idea, user=editor_a, pic=foreign.pic, email="y@example.eu"
    )
    assert anonymous.get(old_link).status_code == 404  # the old link died with the withdrawal
    assert again.email == "y@example.eu"
    assert (
        anonymous.get(reverse("consortia:invitation_token", args=[again.token])).status_code == 200
    )


def test_inviting_outside_the_cluster_needs_an_email(workspace, client_for, editor_a):
    idea = workspace["idea"]
    foreign = workspace["proposal"].partners.filter(organisation__isnull=True).first()
    url = reverse("consortia:invite", args=[idea.pk])
    response = client_for(editor_a).post(url, {"pic": foreign.pic}, **HTMX)
    assert response.status_code == 400 and b"invite-error" in response.content
    response = client_for(editor_a).post(
        url, {"pic": foreign.pic, "email": "not-an-address"}, **HTMX
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_token_link_shows_the_summary_and_takes_the_answer(workspace, anonymous, editor_a):
    idea = workspace["idea"]
    foreign = workspace["proposal"].partners.filter(organisation__isnull=True).first()
    invitation = services.invitation_send(
        idea=idea, user=editor_a, pic=foreign.pic, email="x@example.eu"
    )
    url = reverse("consortia:invitation_token", args=[invitation.token])
    page = anonymous.get(url)
    assert page.status_code == 200 and idea.title.encode() in page.content
    member_name = workspace["proposal"].partners.get(pic=workspace["member"].pic).name
    assert member_name.encode() in page.content  # the partners, without notes
    anonymous.post(url, {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert (
        anonymous.get(reverse("consortia:invitation_token", args=["no-such-token"])).status_code
        == 404
    )


def test_member_invitations_cannot_be_answered_through_a_token(workspace, anonymous, editor_a):
    invitation = services.invitation_send(
        idea=workspace["idea"], user=editor_a, pic=workspace["member"].pic
    )
    url = reverse("consortia:invitation_token", args=[invitation.token])
    assert anonymous.get(url).status_code == 404


def test_nobody_outside_the_consortium_reads_or_writes_its_notes(
    workspace, client_for, editor_a, editor_b, coordinator
):
    idea = workspace["idea"]
    services.note_add(idea=idea, user=editor_a, text="Budget split: secret")
    url = reverse("consortia:note", args=[idea.pk])
    assert client_for(editor_b).post(url, {"text": "let me in"}).status_code == 404
    services.invitation_send(idea=idea, user=editor_a, pic=workspace["member"].pic)
    celina = client_for(workspace["celina"])
    assert b"Budget split" not in celina.get(reverse("consortia:detail", args=[idea.pk])).content
    assert celina.post(url, {"text": "Hello"}).status_code == 403
    staff_page = client_for(coordinator).get(reverse("consortia:detail", args=[idea.pk]))
    assert b"Budget split" in staff_page.content
    response = client_for(editor_a).post(url, {"text": "Kick-off on Monday"}, **HTMX)
    assert b"Kick-off on Monday" in response.content
    assert client_for(editor_a).post(url, {"text": ""}, **HTMX).status_code == 400
    assert Note.objects.count() == 2


def test_exports_hold_partners_roles_countries_check_and_reasons(workspace, client_for, editor_a):
    from openpyxl import load_workbook

    idea = workspace["idea"]
    xlsx = client_for(editor_a).get(reverse("consortia:export_xlsx", args=[idea.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert idea.title in cells
    assert any(c.startswith("Eligible under Horizon Europe") for c in cells)
    member_name = workspace["proposal"].partners.get(pic=workspace["member"].pic).name
    assert member_name in cells and "End user – energy" in cells
    assert any("fit " in c and "rank" in c for c in cells)

    pdf = client_for(editor_a).get(reverse("consortia:export_pdf", args=[idea.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"DejaVu" in pdf.content


def test_exports_are_for_the_consortium_only(workspace, client_for, editor_b, editor_a):
    idea = workspace["idea"]
    assert (
        client_for(editor_b).get(reverse("consortia:export_pdf", args=[idea.pk])).status_code == 404
    )
    services.invitation_send(idea=idea, user=editor_a, pic=workspace["member"].pic)
    invited = client_for(workspace["celina"])
    assert invited.get(reverse("consortia:export_xlsx", args=[idea.pk])).status_code == 403


def test_notifications_list_the_invitation_and_mark_read(workspace, client_for, editor_a):
    services.invitation_send(idea=workspace["idea"], user=editor_a, pic=workspace["member"].pic)
    client = client_for(workspace["celina"])
    page = client.get(reverse("consortia:notifications"))
    assert workspace["idea"].title.encode() in page.content and b"unread" in page.content
    client.post(reverse("consortia:notifications"))
    assert b'class="unread"' not in client.get(reverse("consortia:notifications")).content
    assert len(mail.outbox) == 0 or mail.outbox[-1].to == [workspace["celina"].email]


def test_nav_has_consortia_for_signed_in_users(client_for, editor_a, anonymous):
    assert (
        b'data-testid="nav-consortia"'
        in client_for(editor_a).get(reverse("consortia:list")).content
    )
    assert b'data-testid="nav-consortia"' not in anonymous.get(reverse("calls:list")).content


def test_consortium_page_query_count_does_not_grow_with_partners(
    workspace, client_for, editor_a, django_assert_max_num_queries
):
    client = client_for(editor_a)
    with django_assert_max_num_queries(20):
        client.get(reverse("consortia:detail", args=[workspace["idea"].pk]))


def test_without_a_track_record_the_page_says_staff_import_it_first(idea, client_for, editor_a):
    # The real partner engine over an empty CORDIS track record: nothing to build from.
    response = client_for(editor_a).post(reverse("consortia:propose", args=[idea.pk]), **HTMX)
    assert response.status_code == 200
    assert b'data-testid="engine-status"' in response.content
    assert b"hx-trigger" not in response.content.split(b'data-testid="engine-status"')[1][:300]
    assert not idea.proposals.exists()


def test_a_withdrawn_invitation_link_shows_nothing_of_the_consortium(
    workspace, anonymous, editor_a
):
    idea = workspace["idea"]
    idea.summary = "Poufny opis pomysłu na projekt"
    idea.save(update_fields=["summary"])
    foreign = workspace["proposal"].partners.filter(organisation__isnull=True).first()
    invitation = services.invitation_send(
        idea=idea, user=editor_a, pic=foreign.pic, email="x@example.eu", message="Tajna notka"
    )
    url = reverse("consortia:invitation_token", args=[invitation.token])
    assert idea.title.encode() in anonymous.get(url).content
    services.invitation_withdraw(invitation=invitation, user=editor_a)

    for page in (anonymous.get(url), anonymous.post(url, {"answer": "accept"})):
        text = page.content.decode()
        assert 'data-testid="token-withdrawn"' in text
        assert idea.title not in text and idea.summary not in text
        assert "Tajna notka" not in text and idea.owner.name not in text
        for partner in workspace["proposal"].partners.all():
            assert partner.name not in text


@pytest.fixture
def member_without_editor(idea, editor_a, engine):
    """A proposed partner that is a cluster member but has nobody signed up to edit it."""
    first = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    pics = [p.pic for p in first.partners.all() if not p.is_coordinator]
    members = [
        OrganisationFactory(name=f"Delta Badania {n}", pic=pic) for n, pic in enumerate(pics)
    ]
    for member in members:
        MembershipFactory(organisation=member)
    proposal = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    partner = proposal.partners.filter(organisation__in=members).first()
    assert partner is not None, "a member of the cluster stays in the re-solved proposal"
    return partner.organisation


def partner_item(html: str, pic: str) -> str:
    """The partner's list item alone, to tell what shows beside which partner."""
    start = html.index(f'data-testid="partner-{pic}"')
    return html[start : html.index("</li>\n", start)]


def test_member_without_an_editor_is_asked_for_an_email_in_the_invite_form(
    member_without_editor, idea, client_for, editor_a
):
    page = client_for(editor_a).get(reverse("consortia:detail", args=[idea.pk])).content.decode()

    item = partner_item(page, member_without_editor.pic)
    assert f'data-testid="invite-email-{member_without_editor.pic}"' in item
    assert f'data-testid="no-editor-{member_without_editor.pic}"' in item
    assert "required" in item


def test_member_with_an_editor_is_invited_without_an_email_field(workspace, client_for, editor_a):
    idea, member = workspace["idea"], workspace["member"]
    page = client_for(editor_a).get(reverse("consortia:detail", args=[idea.pk])).content.decode()

    assert f'data-testid="invite-email-{member.pic}"' not in partner_item(page, member.pic)


def test_inviting_a_member_without_an_editor_by_email_sends_the_invitation(
    member_without_editor, idea, client_for, editor_a, django_capture_on_commit_callbacks
):
    pic = member_without_editor.pic
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor_a).post(
            reverse("consortia:invite", args=[idea.pk]),
            {"pic": pic, "email": "biuro@delta.example.pl", "message": "Zapraszamy"},
            **HTMX,
        )

    assert response.status_code == 200
    invitation = Invitation.objects.get(pic=pic)
    assert invitation.email == "biuro@delta.example.pl"
    assert [m.to for m in mail.outbox] == [["biuro@delta.example.pl"]]
    assert f'data-testid="invitation-status-{pic}"' in response.content.decode()


def test_invite_error_shows_beside_the_partner_clicked_with_what_was_typed(
    member_without_editor, idea, client_for, editor_a
):
    pic = member_without_editor.pic
    response = client_for(editor_a).post(
        reverse("consortia:invite", args=[idea.pk]),
        {"pic": pic, "email": "", "message": "Zapraszamy do konsorcjum"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 400
    item = partner_item(html, pic)
    assert 'data-testid="invite-error"' in item and "no editor in Klaster" in item
    assert html.count('data-testid="invite-error"') == 1  # nowhere else
    assert "Zapraszamy do konsorcjum</textarea>" in item
    assert f'data-testid="invite-box-{pic}" open' in item
    assert not Invitation.objects.exists()


def test_pinned_partner_offers_unpin_which_clears_the_pin(workspace, client_for, editor_a):
    idea = workspace["idea"]
    pic = [p.pic for p in workspace["proposal"].partners.all() if not p.is_coordinator][-1]
    client = client_for(editor_a)
    url = reverse("consortia:choice", args=[idea.pk])

    pinned = client.post(url, {"pic": pic, "choice": "pinned"}, **HTMX).content.decode()
    item = partner_item(pinned, pic)
    assert f'data-testid="unpin-{pic}"' in item and f'data-testid="pin-{pic}"' not in item
    assert ">Unpin</button>" in item

    unpinned = client.post(url, {"pic": pic, "choice": ""}, **HTMX).content.decode()
    assert f'data-testid="pin-{pic}"' in partner_item(unpinned, pic)
    assert not idea.choices.exists()


def test_unpin_reads_odepnij_in_polish(workspace, client_for, editor_a):
    idea = workspace["idea"]
    pic = [p.pic for p in workspace["proposal"].partners.all() if not p.is_coordinator][-1]
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    client.post(reverse("consortia:choice", args=[idea.pk]), {"pic": pic, "choice": "pinned"})

    page = client.get(reverse("consortia:detail", args=[idea.pk])).content.decode()

    assert ">Odepnij</button>" in partner_item(page, pic)
