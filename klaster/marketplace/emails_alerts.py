"""E-mails of saved searches and the weekly digest, each in its recipient's language.

A saved search's alert is written in the language it was saved in, a digest in the language of
the subscription's last change (Polish, the interface's default, when never changed). Profiles
are shown as their recipient may see them: the organisation of an anonymous profile stays
hidden. Every digest carries a signed one-click unsubscribe link (also as List-Unsubscribe).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from klaster.common.links import site_url
from klaster.events.emails import send_on_commit
from klaster.marketplace.matching import OrganisationMatches
from klaster.marketplace.models import Profile, SavedSearch
from klaster.marketplace.selectors import profile_texts, shows_organisation

__all__ = ["alert_message", "digest_message", "send_on_commit"]


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def _profile_lines(profiles: list[Profile], *, viewer) -> list[dict]:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return [
        {
            "title": profile_texts(profile, language)["title"],
            "kind": profile.get_kind_display(),
            "reference": profile.reference or "",
            "organisation": (
                profile.organisation.name if shows_organisation(profile, viewer=viewer) else ""
            ),
            "url": site_url() + reverse("marketplace:detail", args=[profile.pk]),
        }
        for profile in profiles
    ]


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"marketplace/email/{template}_subject.txt", context)
    body = render_to_string(f"marketplace/email/{template}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def alert_message(search: SavedSearch, profiles: list[Profile]) -> EmailMessage:
    """New profiles for one saved search, in the language it was saved in."""
    with translation.override(_language(search.language)):
        subject, body = _render(
            "alert",
            {
                "search": search,
                "profiles": _profile_lines(profiles, viewer=search.user),
                "alerts_url": site_url() + reverse("marketplace:alerts"),
            },
        )
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[search.user.email]
    )


def digest_message(
    user, new: list[Profile], matches: OrganisationMatches, *, token: str
) -> EmailMessage:
    """The weekly digest in the active language (the caller chooses the recipient's)."""
    unsubscribe_url = site_url() + reverse("marketplace:unsubscribe", args=[token])
    subject, body = _render(
        "digest",
        {
            "user": user,
            "profiles": _profile_lines(new, viewer=user),
            "matches": matches,
            "site_url": site_url(),
            "for_you_url": site_url() + reverse("marketplace:for_you"),
            "alerts_url": site_url() + reverse("marketplace:alerts"),
            "unsubscribe_url": unsubscribe_url,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
