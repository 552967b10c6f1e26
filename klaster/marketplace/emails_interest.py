"""E-mails of expressions of interest: a new interest, a new message in a thread, a new status,
and the visitor's private link.

Each message is written in its recipient's language when the platform knows it (the
interested side's: the language of the page they expressed interest on), else in Polish, the
interface's default. Members are sent to their thread page (they sign in); a visitor only ever
gets their private link. The interested side never learns from an e-mail which organisation
owns an anonymous profile. Services call `send_on_commit`, so a write that rolls back sends
nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from klaster.common.links import site_url
from klaster.marketplace.emails import editor_addresses
from klaster.marketplace.models import Interest, InterestMessage
from klaster.marketplace.selectors_interest import Side, interested_party, is_visitor


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def thread_link(interest: Interest, side: Side) -> str:
    """Where the recipient on `side` reads the thread: the private link for a visitor."""
    if side == Side.INTERESTED and is_visitor(interest):
        return site_url() + reverse("marketplace:interest_visitor", args=[interest.access_token])
    return site_url() + reverse("marketplace:interest_thread", args=[interest.pk])


def _interested_addresses(interest: Interest) -> list[str]:
    if interest.user_id is not None:
        return [interest.user.email] if interest.user.email and interest.user.is_active else []
    if interest.organisation_id is not None:
        return editor_addresses(interest.organisation_id)
    return [interest.visitor_email] if interest.visitor_email else []


def _message(interest: Interest, side: Side, template: str, context: dict) -> EmailMessage | None:
    """Render marketplace/email/<template>_subject.txt and _body.txt for the side's people."""
    if side == Side.OWNER:
        to = editor_addresses(interest.profile.organisation_id)
    else:
        to = _interested_addresses(interest)
    if not to:
        return None
    # The owner side's language is not kept anywhere; the interested side's is.
    language = _language(interest.language if side == Side.INTERESTED else "")
    with translation.override(language):
        context = {
            "interest": interest,
            "profile": interest.profile,
            "side": str(side),
            "reveal_owner": side == Side.OWNER or interest.profile.show_organisation,
            "thread_url": thread_link(interest, side),
            "interest_who": interested_party(interest),
            "profile_line": " ".join(
                part for part in (interest.profile.reference, f"“{interest.profile.title}”") if part
            ),
            **context,
        }
        subject = render_to_string(f"marketplace/email/{template}_subject.txt", context)
        body = render_to_string(f"marketplace/email/{template}_body.txt", context)
    # Several editors of one organisation: each gets the message without seeing the others.
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to[:1],
        bcc=to[1:],
    )


def _present(*messages: EmailMessage | None) -> list[EmailMessage]:
    return [message for message in messages if message is not None]


def interest_received_messages(interest: Interest, first: InterestMessage) -> list[EmailMessage]:
    """To the owner side: someone is interested, with their first message."""
    return _present(_message(interest, Side.OWNER, "interest_received", {"message": first}))


def visitor_link_message(interest: Interest) -> list[EmailMessage]:
    """To a visitor: their interest was sent, and the private link to its thread."""
    return _present(_message(interest, Side.INTERESTED, "visitor_link", {}))


def message_received_messages(message: InterestMessage) -> list[EmailMessage]:
    """To the other side of the thread than the message's author."""
    side = Side.INTERESTED if message.from_owner else Side.OWNER
    return _present(_message(message.interest, side, "message_received", {"message": message}))


def status_changed_messages(interest: Interest, *, by: Side) -> list[EmailMessage]:
    """To the other side than `by`: the owner moved the status, or the interested withdrew."""
    side = Side.INTERESTED if by == Side.OWNER else Side.OWNER
    return _present(_message(interest, side, "status_changed", {}))
