import pytest
from django.core import mail
from django.urls import reverse

from klaster.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_member_signs_in_and_out(client, editor_a):
    response = sign_in(client, "redaktor_a", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:account")).status_code == 302


def test_repeated_failed_sign_ins_are_blocked_even_with_the_right_password(
    client, editor_a, settings
):
    settings.LOGIN_RATE_LIMIT_ATTEMPTS = 3
    for _ in range(3):
        assert sign_in(client, "redaktor_a", "wrong-password").status_code == 200
    blocked = sign_in(client, "redaktor_a", PASSWORD)
    assert blocked.status_code == 200
    assert "_auth_user_id" not in client.session
    text = blocked.content.decode()
    assert "Zbyt wiele" in text or "Too many" in text


def test_a_successful_sign_in_before_the_limit_resets_the_count(client, editor_a, settings):
    settings.LOGIN_RATE_LIMIT_ATTEMPTS = 3
    sign_in(client, "redaktor_a", "wrong-password")
    sign_in(client, "redaktor_a", "wrong-password")
    assert sign_in(client, "redaktor_a", PASSWORD).status_code == 302


def test_password_reset_sends_a_working_link(client, editor_a):
    editor_a.email = "anna@example.org"
    editor_a.save()
    client.post(reverse("accounts:password_reset"), {"email": "anna@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "nowe-haslo-2026!", "new_password2": "nowe-haslo-2026!"}
    )
    assert done.status_code == 302
    assert sign_in(client, "redaktor_a", "nowe-haslo-2026!").status_code == 302


def test_api_token_is_created_shown_once_and_revoked(client_for, editor_a):
    client = client_for(editor_a)
    page = client.post(reverse("accounts:account"), {"name": "integracja CRM"}).content.decode()
    assert "kl_" in page
    token = editor_a.api_tokens.get()
    assert token.key_hash not in page
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_user_cannot_revoke_someone_elses_token(client_for, editor_a, editor_b):
    from klaster.accounts.services import api_token_create

    token, _key = api_token_create(user=editor_b, name="b")
    client_for(editor_a).post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_polish_is_the_default_language_and_english_is_one_click_away(client):
    assert 'lang="pl"' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_an_english_browser_still_gets_polish_until_it_chooses_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="pl"' in page
