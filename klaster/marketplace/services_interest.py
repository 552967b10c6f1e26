"""Writes of expressions of interest: express interest, write in the thread, move its status,
record the agreement in the cooperation log.

Who may do what (see `selectors_interest` for the two sides of a thread):
- a signed-in user expresses interest in a published profile, except in their own
  organisation's; a member editor does so for their organisation;
- a visitor without an account gives name, e-mail, organisation and explicit consent to the
  processing of these data, and gets a private link to the thread by e-mail. A visitor's form
  is refused when its hidden honeypot field is filled, when it comes back sooner than
  `MIN_FILL_SECONDS` after the page issued it (the signed `form_token`), or when the client
  address has sent too many (the accounts app's limiter);
- nobody holds more than `MARKETPLACE_OPEN_INTERESTS_LIMIT` open expressions (not closed, no
  agreement yet), a visitor counted by e-mail address;
- both sides write in the thread, nobody else (staff read only); each message is e-mailed to
  the other side;
- the owner side moves the status forward, new -> contacted -> meeting held -> negotiation ->
  agreement signed, or closes it with a reason; the interested side may withdraw (close with
  the reason "withdrawn"). A closed or signed interest does not change any more;
- a signed agreement between two member organisations becomes an entry of the cooperation log
  through the track record's own service, so its rules apply: a member's public entry waits for
  the other party's confirmation.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klaster.accounts import ratelimit
from klaster.accounts.models import User
from klaster.common.roles import is_editor_of, is_member_editor
from klaster.events.emails import send_on_commit
from klaster.marketplace import emails_interest as emails
from klaster.marketplace.models import Interest, InterestMessage, Profile
from klaster.marketplace.selectors_interest import (
    OPEN_STATUSES,
    Side,
    interest_side,
    interest_token_matches,
    interests_open_count,
    is_visitor,
)
from klaster.marketplace.services import profile_touch
from klaster.trackrecord.models import Cooperation
from klaster.trackrecord.services import cooperation_record

FORM_SALT = "klaster.marketplace.interest-form"
# A person reads a profile and writes a message in more than this; a script does not.
MIN_FILL_SECONDS = 3
# A form left open longer than this is issued again (the visitor reloads the page).
FORM_MAX_AGE_SECONDS = 24 * 3600
MESSAGE_MAX_LENGTH = 5000
# The steps an interest moves through, in order; CLOSED ends it at any open step.
STEPS = (*OPEN_STATUSES, Interest.Status.AGREEMENT_SIGNED)


@dataclass(frozen=True)
class Visitor:
    """Someone without an account expressing interest, as their form gave them."""

    name: str
    email: str
    organisation: str
    consent: bool
    client_address: str
    form_token: str  # from `interest_form_token`, when the page showed the form
    honeypot: str = ""  # a field people do not see, so do not fill


def interest_form_token(*, profile: Profile, now: datetime.datetime | None = None) -> str:
    """The signed moment the page issued the interest form for `profile`."""
    now = now or timezone.now()
    return signing.dumps({"profile": profile.pk, "issued": now.timestamp()}, salt=FORM_SALT)


def _open_limit() -> int:
    return settings.MARKETPLACE_OPEN_INTERESTS_LIMIT


def _clean_message(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."), code="message_empty")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("A message may be at most %(limit)s characters long.")
            % {"limit": MESSAGE_MAX_LENGTH},
            code="message_long",
        )
    return body


def _visitor_checked(*, profile: Profile, visitor: Visitor, now: datetime.datetime) -> Visitor:
    """The visitor's data, cleaned, or a refusal; spam is refused before anything is counted."""
    spam = _("Your expression of interest could not be sent. Reload the page and try again.")
    if visitor.honeypot.strip():
        raise ValidationError(spam, code="honeypot")
    try:
        issued = signing.loads(visitor.form_token, salt=FORM_SALT, max_age=FORM_MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired included
        raise ValidationError(spam, code="form_token") from None
    if issued.get("profile") != profile.pk:
        raise ValidationError(spam, code="form_token")
    if now.timestamp() - issued.get("issued", now.timestamp()) < MIN_FILL_SECONDS:
        raise ValidationError(
            _("That was faster than anyone can read and write. Wait a moment and send again."),
            code="too_fast",
        )
    cleaned = Visitor(
        name=visitor.name.strip(),
        email=visitor.email.strip(),
        organisation=visitor.organisation.strip(),
        consent=visitor.consent,
        client_address=visitor.client_address,
        form_token=visitor.form_token,
    )
    if not (cleaned.name and cleaned.email and cleaned.organisation):
        raise ValidationError(
            _("Give your name, e-mail address and organisation."), code="contact_missing"
        )
    validate_email(cleaned.email)
    if not cleaned.consent:
        raise ValidationError(
            _("We can pass on your message only with your consent to the processing of your data."),
            code="consent",
        )
    return cleaned


def _visitor_rate_take(visitor: Visitor, now: datetime.datetime) -> None:
    if not ratelimit.attempt_take(
        scope="marketplace-interest",
        value=visitor.client_address,
        limit=settings.MARKETPLACE_VISITOR_INTERESTS_PER_HOUR,
        window_seconds=3600,
        now=now,
    ):
        raise ValidationError(
            _("Too many expressions of interest from your address. Try again in an hour."),
            code="rate_limited",
        )


def interest_express(
    *,
    profile: Profile,
    user=None,
    visitor: Visitor | None = None,
    message: str,
    now: datetime.datetime | None = None,
) -> Interest:
    """Express interest in a published profile, as a signed-in `user` or as a `visitor`.

    The message opens the thread. The owner side is e-mailed; a visitor is e-mailed their
    private link. The interested side's e-mails are written in the language active now (the
    page's, or the API request's). A visitor's form that passes the spam checks counts against
    their address's rate limit even when a later check (a limit, the profile's status) refuses
    it, so those refusals cannot be used to probe for free.
    """
    now = now or timezone.now()
    signed_in = user is not None and user.is_authenticated
    if not signed_in and visitor is None:
        raise PermissionDenied(_("Sign in, or give your contact details, to express interest."))
    if signed_in:
        visitor = None
    else:
        visitor = _visitor_checked(profile=profile, visitor=visitor, now=now)
        _visitor_rate_take(visitor, now)
    return _interest_save(
        profile=profile,
        user=user if signed_in else None,
        visitor=visitor,
        message=message,
        now=now,
    )


@transaction.atomic
def _interest_save(
    *, profile: Profile, user, visitor: Visitor | None, message: str, now: datetime.datetime
) -> Interest:
    body = _clean_message(message)
    # Locks the profile: two expressions at once still count each other against the limits.
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Profile.Status.PUBLISHED:
        raise ValidationError(
            _("Interest can be expressed only in a published profile."), code="not_published"
        )
    interest = Interest(
        profile=profile,
        status=Interest.Status.NEW,
        access_token=secrets.token_urlsafe(32),
    )
    if user is not None:
        if is_editor_of(user, profile.organisation_id):
            raise PermissionDenied(_("This is your own organisation's profile."))
        User.objects.select_for_update().filter(pk=user.pk).first()  # one count at a time
        mine = profile.interests.filter(status__in=OPEN_STATUSES, user=user)
        if is_member_editor(user):
            mine = mine | profile.interests.filter(
                status__in=OPEN_STATUSES, organisation_id=user.organisation_id
            )
        if mine.exists():
            raise ValidationError(
                _("You have already expressed interest in this profile: continue in its thread."),
                code="already_expressed",
            )
        if interests_open_count(user=user) >= _open_limit():
            raise ValidationError(_open_limit_message(), code="open_limit")
        interest.user = user
        interest.organisation_id = user.organisation_id if is_member_editor(user) else None
    else:
        if interests_open_count(visitor_email=visitor.email) >= _open_limit():
            raise ValidationError(_open_limit_message(), code="open_limit")
        interest.visitor_name = visitor.name[:200]
        interest.visitor_email = visitor.email
        interest.visitor_organisation = visitor.organisation[:255]
        interest.visitor_consent_at = now
    interest.language = get_language() or ""
    interest.save()
    first = InterestMessage.objects.create(
        interest=interest, author=user, from_owner=False, body=body
    )
    profile_touch(profile, now=now)
    send_on_commit(lambda: emails.interest_received_messages(interest, first))
    if visitor is not None:
        send_on_commit(lambda: emails.visitor_link_message(interest))
    return interest


def _open_limit_message() -> str:
    return _(
        "You have %(limit)s open expressions of interest, the most allowed. Close one you no "
        "longer follow before expressing a new one."
    ) % {"limit": _open_limit()}


def _side(*, user, interest: Interest, token: str | None) -> Side | None:
    """The side writing: a signed-in user of either side, else the holder of a visitor's link."""
    if user is not None:
        side = interest_side(user=user, interest=interest)
        if side is not None:
            return side
    if is_visitor(interest) and interest_token_matches(interest=interest, token=token):
        return Side.VISITOR_LINK
    return None


@transaction.atomic
def interest_message_add(
    *, interest: Interest, body: str, user=None, token: str | None = None
) -> InterestMessage:
    """A message in the thread by one of its two sides: a signed-in `user` of either side, or
    the visitor holding the thread's private link `token`. It is e-mailed to the other side."""
    body = _clean_message(body)
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("profile")
        .get(pk=interest.pk)
    )
    side = _side(user=user, interest=interest, token=token)
    if side is None:
        raise PermissionDenied(_("Only the two sides of this thread may write in it."))
    if interest.status == Interest.Status.CLOSED:
        raise ValidationError(_("This expression of interest is closed."), code="closed")
    message = InterestMessage.objects.create(
        interest=interest,
        author=user if side != Side.VISITOR_LINK else None,
        from_owner=side == Side.OWNER,
        body=body,
    )
    interest.save(update_fields=["updated_at"])
    profile_touch(interest.profile, now=timezone.now())
    send_on_commit(lambda: emails.message_received_messages(message))
    return message


@transaction.atomic
def interest_status_set(
    *, user, interest: Interest, status: str, closed_reason: str = "", token: str | None = None
) -> Interest:
    """Move the status forward, or close with a reason (see the module's docstring); a visitor
    withdraws with their private link `token`."""
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("profile")
        .get(pk=interest.pk)
    )
    side = _side(user=user, interest=interest, token=token)
    withdrawing = (
        status == Interest.Status.CLOSED and closed_reason == Interest.ClosedReason.WITHDRAWN
    )
    if side is None or (side != Side.OWNER and not withdrawing):
        raise PermissionDenied(
            _("Only the profile's organisation moves the status; the interested side may withdraw.")
        )
    if interest.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This expression of interest is settled (%(status)s); its status no longer changes.")
            % {"status": interest.get_status_display()},
            code="settled",
        )
    if status == Interest.Status.CLOSED:
        if closed_reason not in Interest.ClosedReason.values:
            raise ValidationError(
                _("Say why the expression of interest is closed."), code="reason_needed"
            )
    elif status not in STEPS or STEPS.index(status) <= STEPS.index(interest.status):
        raise ValidationError(
            _("From “%(current)s” the status moves only forward, or the interest is closed.")
            % {"current": interest.get_status_display()},
            code="not_forward",
        )
    else:
        closed_reason = ""
    interest.status = status
    interest.closed_reason = closed_reason
    interest.save(update_fields=["status", "closed_reason", "updated_at"])
    send_on_commit(lambda: emails.status_changed_messages(interest, by=side))
    return interest


@transaction.atomic
def interest_agreement_record(*, user, interest: Interest) -> Cooperation:
    """Record the signed agreement as an entry of the cooperation log ("agreement or MoU",
    public), through the track record's service: recorded by a member, it waits for the other
    organisation's confirmation. Either side's editor may record it, once."""
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("profile", "profile__organisation", "organisation")
        .get(pk=interest.pk)
    )
    if interest_side(user=user, interest=interest) is None:
        raise PermissionDenied(_("Only the two sides of this thread may record its agreement."))
    if interest.status != Interest.Status.AGREEMENT_SIGNED:
        raise ValidationError(
            _("Record the agreement once its status is “agreement signed”."), code="not_signed"
        )
    if interest.organisation_id is None:
        raise ValidationError(
            _(
                "The agreement is with someone outside the cluster's member organisations: only "
                "cooperation between two member organisations enters the cooperation log."
            ),
            code="visitor_agreement",
        )
    if interest.cooperation_id is not None:
        raise ValidationError(
            _("This agreement is already in the cooperation log."), code="already_recorded"
        )
    profile = interest.profile
    try:
        cooperation = cooperation_record(
            user=user,
            data={
                "kind": Cooperation.Kind.AGREEMENT,
                "date": timezone.localdate(),
                "organisation_a": profile.organisation,
                "organisation_b": interest.organisation,
                "notes": _("Agreement reached on the marketplace: %(reference)s %(title)s")
                % {"reference": profile.reference or "", "title": profile.title},
                "visibility": Cooperation.Visibility.PUBLIC,
            },
        )
    except ValueError as error:  # the two sides are one organisation
        raise ValidationError(str(error), code="same_organisation") from None
    interest.cooperation = cooperation
    interest.save(update_fields=["cooperation", "updated_at"])
    return cooperation
