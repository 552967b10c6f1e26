"""Funding calls: EU topics imported from the Funding & Tenders portal, national and regional
calls entered by staff."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.core.portal_text import call_keywords

# The portal's deadline models, in the reader's words; others are shown as the portal wrote them.
DEADLINE_MODELS = {
    "single-stage": _("single-stage"),
    "two-stage": _("two-stage"),
    "multiple cut-off": _("multiple cut-off"),
}


class Call(models.Model):
    class Source(models.TextChoices):
        EU = "eu", _("EU (Funding & Tenders portal)")
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")

    identifier = models.CharField(_("identifier"), max_length=120, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.EU)
    title = models.CharField(_("title"), max_length=500)
    programme = models.CharField(_("programme"), max_length=200, blank=True, db_index=True)
    action_type = models.CharField(_("type of action"), max_length=60, blank=True, db_index=True)
    types_of_action = models.CharField(_("types of action"), max_length=300, blank=True)
    call_identifier = models.CharField(_("call identifier"), max_length=120, blank=True)
    call_title = models.CharField(_("call title"), max_length=500, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_model = models.CharField(_("deadline model"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=30, blank=True)
    # A budget is never negative: the import and the admin refuse it (model validation).
    budget_min = models.DecimalField(
        _("budget per grant from (EUR)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_max = models.DecimalField(
        _("budget per grant up to (EUR)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_grants = models.PositiveIntegerField(_("expected grants"), null=True, blank=True)
    keywords = models.TextField(_("keywords"), blank=True)
    description = models.TextField(_("description"), blank=True)
    conditions = models.TextField(_("eligibility conditions"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    sectors = models.ManyToManyField(
        "members.Sector", verbose_name=_("sectors"), blank=True, related_name="calls"
    )
    sectors_by_hand = models.BooleanField(
        _("sectors set by hand"),
        default=False,
        help_text=_("Set when staff chose the sectors; imports then leave them as they are."),
    )
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["deadline", "identifier"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    def is_closed_on(self, today: datetime.date) -> bool:
        """The deadline has passed (a call without a deadline stays open)."""
        return self.deadline is not None and self.deadline < today

    @property
    def keyword_list(self) -> tuple[str, ...]:
        """Its real keywords: not the topic and call identifiers the portal lists among them."""
        return call_keywords(
            self.keywords, identifiers=(self.identifier, self.call_identifier), title=self.title
        )

    @property
    def deadline_model_label(self) -> str:
        return str(DEADLINE_MODELS.get(self.deadline_model, self.deadline_model))
