"""Events of the cluster (conferences, trainings, brokerage days, trade missions), who registers
for them, and the B2B meetings of a brokerage day: requests, meetings and their schedule."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        TRAINING = "training", _("Training")
        BROKERAGE = "brokerage", _("Brokerage day")
        TRADE_MISSION = "trade_mission", _("Trade mission")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    place = models.CharField(_("place"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    is_demo = models.BooleanField(_("demo"), default=False, editable=False)

    has_b2b = models.BooleanField(_("B2B meetings"), default=False)
    b2b_starts_at = models.DateTimeField(_("first B2B slot starts at"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20, validators=[MinValueValidator(5)]
    )
    slot_count = models.PositiveSmallIntegerField(
        _("number of slots"), default=12, validators=[MinValueValidator(1), MaxValueValidator(64)]
    )
    table_count = models.PositiveSmallIntegerField(
        _("number of tables"), default=10, validators=[MinValueValidator(1)]
    )
    # Slot numbers (from 0) kept free of meetings: coffee, keynote, lunch.
    break_slots = models.JSONField(_("break slots"), default=list, blank=True)
    request_expiry_hours = models.PositiveSmallIntegerField(
        _("meeting requests expire after (hours)"), default=72, validators=[MinValueValidator(1)]
    )
    scheduled_at = models.DateTimeField(_("last scheduled at"), null=True, blank=True)
    schedule_announced_at = models.DateTimeField(_("schedule announced at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def description(self, language: str) -> str:
        if language == "en":
            return self.description_en or self.description_pl
        return self.description_pl or self.description_en

    def registration_open(self, now: datetime.datetime) -> bool:
        if not self.is_published or now >= self.ends_at:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline

    def slot_starts(self) -> list[datetime.datetime]:
        """When each B2B slot begins (slots follow one another without gaps)."""
        first = self.b2b_starts_at or self.starts_at
        return [
            first + datetime.timedelta(minutes=self.slot_minutes * slot)
            for slot in range(self.slot_count)
        ]

    def slot_window(self, slot: int) -> tuple[datetime.datetime, datetime.datetime]:
        start = (self.b2b_starts_at or self.starts_at) + datetime.timedelta(
            minutes=self.slot_minutes * slot
        )
        return start, start + datetime.timedelta(minutes=self.slot_minutes)


class Registration(models.Model):
    """Someone registered for an event: a member's person (signed in) or an external guest."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=_("member organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation_name = models.CharField(_("organisation"), max_length=255)
    country = models.CharField(_("country"), max_length=2, default="PL")
    offers = models.TextField(_("what we offer"), blank=True)
    looking_for = models.TextField(_("what we look for"), blank=True)
    sectors = models.ManyToManyField("members.Sector", blank=True, verbose_name=_("sectors"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    code = models.CharField(_("check-in code"), max_length=8, unique=True)
    # Lets an external participant (no account) come back to their registration.
    access_token = models.CharField(max_length=43, unique=True, editable=False)
    # Slots (from 0) in which this participant cannot meet anyone.
    unavailable_slots = models.JSONField(default=list, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # The interface language the person registered in: their e-mails are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per e-mail; registering again after cancelling makes a new
            # one (new code, new private link) and leaves the cancelled one as it was.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_event_email_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class MeetingRequest(models.Model):
    """One participant asks another for a B2B meeting; the other accepts or declines.

    A pending request past `expires_at` is expired whether or not a command has marked it yet:
    pages compute that on read (`status_at`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="received_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    added_by_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    unscheduled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["sender", "recipient"], name="request_once_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="request_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"

    def status_at(self, now: datetime.datetime) -> str:
        if self.status == self.Status.PENDING and now >= self.expires_at:
            return self.Status.EXPIRED
        return self.status


class Meeting(models.Model):
    """A B2B meeting in a slot at a table. Locked meetings (announced, or placed by hand)
    never move when the day is scheduled again."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    a = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    slot = models.PositiveSmallIntegerField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"))
    is_locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "table"], name="meeting_one_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.a} – {self.b} ({self.slot}/{self.table})"

    @property
    def table_label(self) -> int:
        return self.table + 1

    @property
    def slot_label(self) -> int:
        return self.slot + 1
