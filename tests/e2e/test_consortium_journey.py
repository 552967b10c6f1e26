"""The consortium journey end to end: a member opens a funding call, starts a consortium, gets a
proposal, pins one partner and excludes another, re-solves, invites a cluster member, who
accepts in their own browser, and exports the consortium."""

import io

import pytest

from klaster.accounts.models import User
from klaster.calls.models import Call
from klaster.consortia import selectors
from klaster.consortia.models import Invitation, ProjectIdea
from klaster.consortia.tests.conftest import OWNER_PIC, extract_recommender
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _partner_pics(page) -> list[str]:
    items = page.get_by_test_id("partners").locator("li.partner")
    return [item.get_attribute("data-testid").removeprefix("partner-") for item in items.all()]


def test_call_to_proposal_to_invitation_to_acceptance_to_export(
    live_server,
    signed_in_page,
    monkeypatch,
    editor_a,
    organisation_a,
):
    recommender = extract_recommender()
    monkeypatch.setattr(selectors, "partner_engine", lambda **kwargs: recommender)
    organisation_a.pic = OWNER_PIC
    organisation_a.save()
    MembershipFactory(organisation=organisation_a)
    call = Call.objects.create(
        identifier="HORIZON-CL5-2026-D3-07",
        title="AI for resilient energy grids",
        programme="Horizon Europe",
        action_type="HORIZON-RIA",
        keywords="artificial intelligence, smart grid, energy",
        description="Machine learning for monitoring and forecasting in electricity grids.",
    )

    # Anna opens the call and starts a consortium for it; the form comes filled from the call.
    anna = signed_in_page(editor_a.username)
    anna.get_by_test_id("nav-calls").click()
    anna.goto(f"{live_server.url}/calls/{call.pk}/")
    anna.get_by_test_id("start-consortium").click()
    assert anna.locator("#id_title").input_value() == call.title
    anna.locator("#id_roles-0-kind").select_option("end user")
    anna.locator("#id_roles-0-field").fill("energy")
    anna.get_by_test_id("idea-save").click()
    anna.wait_for_url("**/consortia/*/")
    idea = ProjectIdea.objects.get()

    # Klaster proposes an eligible consortium and explains every partner.
    anna.get_by_test_id("propose").click()
    anna.get_by_test_id("verdict").wait_for()
    first = _partner_pics(anna)
    assert first[0] == OWNER_PIC and len(first) == 6  # the default size of a RIA
    partners = anna.get_by_test_id("partners")
    assert "Użytkownik końcowy – energy" in partners.inner_text()  # the role, on its partner
    # Reasons read in the page's language (Polish by default), the member's own words kept.
    assert "obsadza wymaganą rolę: Użytkownik końcowy – energy" in partners.inner_html()
    assert "koordynator pomysłu" in partners.inner_text()

    # One of the proposed partners is a cluster member with an editor, Celina.
    member = OrganisationFactory(name="Gamma Badania", pic=first[2])
    MembershipFactory(organisation=member)
    UserFactory(username="redaktor_c", role=User.Role.MEMBER_EDITOR, organisation=member)

    # Anna pins Celina's organisation, excludes another partner and re-solves.
    anna.get_by_test_id(f"pin-{first[2]}").click()
    anna.get_by_test_id(f"pinned-{first[2]}").wait_for()
    anna.get_by_test_id(f"exclude-{first[1]}").click()
    anna.get_by_test_id(f"excluded-{first[1]}").wait_for()
    anna.get_by_test_id("choices-changed").wait_for()
    anna.get_by_test_id("propose").click()
    anna.get_by_test_id("choices-changed").wait_for(state="detached")
    again = _partner_pics(anna)
    assert first[2] in again and first[1] not in again
    assert "przypięty przez Ciebie" in anna.get_by_test_id(f"partner-{first[2]}").inner_text()

    # She invites Celina's organisation.
    anna.get_by_test_id(f"invite-box-{first[2]}").locator("summary").click()
    anna.get_by_test_id(f"invite-{first[2]}").click()
    anna.get_by_test_id(f"invitation-status-{first[2]}").wait_for()
    invitation = Invitation.objects.get()
    assert invitation.organisation == member

    # Celina, on her phone, finds the consortium and accepts.
    celina = signed_in_page("redaktor_c", width=360)
    celina.goto(f"{live_server.url}/consortia/")
    celina.get_by_test_id(f"idea-{idea.pk}").click()
    celina.get_by_test_id("my-invitation").wait_for()
    celina.get_by_test_id("accept").click()
    celina.get_by_test_id("notes").wait_for()  # in the consortium now: the shared notes open
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED

    # Anna's status board shows the acceptance; she exports the consortium.
    anna.reload()
    assert "status-accepted" in anna.get_by_test_id(f"board-{first[2]}").inner_html()
    with anna.expect_download() as download:
        anna.get_by_test_id("export-xlsx").click()
    from openpyxl import load_workbook

    with open(download.value.path(), "rb") as stream:
        sheet = load_workbook(io.BytesIO(stream.read())).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert call.title in cells and first[2] in cells
    href = anna.get_by_test_id("export-pdf").get_attribute("href")
    pdf = anna.request.get(f"{live_server.url}{href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # Plans change: Anna takes the invitation back (after confirming), and Celina sees it.
    anna.once("dialog", lambda dialog: dialog.accept())
    anna.get_by_test_id(f"withdraw-{first[2]}").click()
    anna.get_by_test_id(f"board-{first[2]}").locator(".status-withdrawn").wait_for()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    celina.reload()
    celina.get_by_test_id("my-invitation-withdrawn").wait_for()
    assert celina.get_by_test_id("notes").count() == 0

    for page in (anna, celina):
        page.context.close()
