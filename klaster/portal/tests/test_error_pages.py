"""Error pages (403, 404, 500, a refused form) in the site's layout and the reader's language,
and navigation that never leads a role to a page it may not open."""

import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from klaster.accounts.models import User
from klaster.members.tests.factories import UserFactory
from klaster.portal import views as portal_views


def _styled(page: str) -> bool:
    return 'data-testid="error-page"' in page and "klaster/klaster.css" in page


@pytest.mark.django_db
def test_missing_page_is_styled_and_in_polish_by_default(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert _styled(page) and 'lang="pl"' in page
    assert "Nie znaleziono strony" in page and "Page not found" not in page


@pytest.mark.django_db
def test_missing_page_speaks_english_to_whoever_chose_it(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "Nie znaleziono strony" not in page


def test_forbidden_page_is_styled_with_the_reason_in_the_readers_language(client_for, editor_a):
    response = client_for(editor_a).get(reverse("portal:dashboard"))
    page = response.content.decode()
    assert response.status_code == 403 and _styled(page)
    assert "Nie masz dostępu do tej strony" in page
    assert "Pulpit jest przeznaczony dla zespołu koordynatora." in page
    assert editor_a.username in page  # the signed-in navigation, not the visitor's


@pytest.mark.django_db
def test_server_error_page_is_styled_in_polish_without_asking_the_database(
    monkeypatch, django_assert_num_queries
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(portal_views.selectors, "public_overview", broken)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("portal:home"))
    page = response.content.decode()
    assert response.status_code == 500 and _styled(page)
    assert "Coś poszło nie tak" in page and "database" not in page

    with translation.override("pl"), django_assert_num_queries(0):
        alone = server_error(RequestFactory().get("/"))
    assert "Coś poszło nie tak" in alone.content.decode()


def test_refused_form_gets_a_styled_page_that_knows_who_is_signed_in(editor_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    response = client.post(reverse("accounts:logout"))
    page = response.content.decode()
    assert response.status_code == 403 and _styled(page)
    assert "Formularz wygasł" in page and editor_a.username in page


def _navigation_links(client) -> list[str]:
    page = client.get(reverse("portal:home")).content.decode()
    header = page.split('<header class="container site-header">', 1)[1].split("</header>")[0]
    return sorted(set(re.findall(r'<a href="(/[^"]*)"', header)))


@pytest.mark.parametrize("persona", ["coordinator", "editor_a", "investor", "anonymous"])
def test_every_navigation_link_opens_for_the_role_that_sees_it(persona, request, client_for):
    user = request.getfixturevalue(persona)
    client = user if isinstance(user, Client) else client_for(user)
    for link in _navigation_links(client):
        response = client.get(link, follow=True)
        assert response.status_code == 200, link
        if response.redirect_chain:  # sent on, but not to sign in again nor turned away
            final = response.redirect_chain[-1][0]
            assert "/login" not in final and final != reverse("members:directory"), (link, final)


def test_navigation_offers_no_organisation_to_an_investor_nor_dashboard_to_a_member(
    client_for, investor, editor_a
):
    assert reverse("members:my_organisation") not in _navigation_links(client_for(investor))
    member_links = _navigation_links(client_for(editor_a))
    assert reverse("portal:dashboard") not in member_links
    assert reverse("members:my_organisation") in member_links


def test_coordinator_without_admin_access_is_not_sent_to_the_admin(client_for, db):
    coordinator = UserFactory(username="koordynatorka", role=User.Role.COORDINATOR)
    assert not coordinator.is_staff
    links = _navigation_links(client_for(coordinator))
    assert reverse("portal:dashboard") in links and reverse("admin:index") not in links
