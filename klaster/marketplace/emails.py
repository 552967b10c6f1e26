"""The profile owners' e-mails: the reminder to renew a profile before it expires.

Sent to the owner organisation's member editors, in Polish (the interface's default: the
platform keeps no language per account). Services call `send_on_commit`, so a write that rolls
back sends nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from klaster.accounts.models import User
from klaster.common.links import site_url
from klaster.events.emails import send_on_commit
from klaster.marketplace.models import Profile

__all__ = ["editor_addresses", "renewal_reminders", "send_on_commit"]


def editor_addresses(organisation_id: int) -> list[str]:
    """The e-mail addresses of the organisation's active member editors (its profiles' owners)."""
    return list(
        User.objects.filter(
            organisation_id=organisation_id, role=User.Role.MEMBER_EDITOR, is_active=True
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def renewal_reminders(profiles: Iterable[Profile], *, now: datetime.datetime) -> list[EmailMessage]:
    """One message per profile to its owners: it expires soon, renew it on its page."""
    messages = []
    for profile in profiles:
        to = editor_addresses(profile.organisation_id)
        if not to:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "profile": profile,
                "url": site_url() + reverse("marketplace:detail", args=[profile.pk]),
                "mine_url": site_url() + reverse("marketplace:mine"),
                "now": now,
            }
            subject = render_to_string("marketplace/email/renewal_subject.txt", context)
            body = render_to_string("marketplace/email/renewal_body.txt", context)
        # Several editors of one organisation: each gets it without seeing the others' address.
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split()),
                body=body.strip() + "\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=to[:1],
                bcc=to[1:],
            )
        )
    return messages
