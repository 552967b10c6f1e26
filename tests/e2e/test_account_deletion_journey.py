"""A member editor deletes their own account from the account page (the GDPR erasure, which the
portal runs across every app) and cannot sign in any more; their organisation stays."""

import pytest
from playwright.sync_api import expect

from klaster.accounts.models import User
from klaster.conftest import PASSWORD
from klaster.members.models import Organisation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_editor_deletes_own_account_and_cannot_sign_in_again(
    live_server, signed_in_page, editor_a, organisation_a
):
    page = signed_in_page("redaktor_a")
    page.goto(f"{live_server.url}/accounts/me/")
    page.get_by_role("button", name="Usuń swoje konto").click()  # a link styled as one
    expect(page).to_have_url(f"{live_server.url}/accounts/me/delete/")

    page.get_by_label("Twoje hasło").fill(PASSWORD)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Usuń moje konto").click()

    expect(page.get_by_text("Twoje konto i Twoje dane zostały usunięte.")).to_be_visible()
    assert not User.objects.filter(username="redaktor_a").exists()
    assert Organisation.objects.filter(pk=organisation_a.pk).exists()

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("redaktor_a")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
