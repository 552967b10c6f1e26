"""Profiles of the marketplace (offers and requests, as the Enterprise Europe Network's POD has
them), the staff's reviews of them, expressions of interest with their threads, and the saved
searches and weekly digest that alert members to new profiles."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# What each technology readiness level means, in the words of the EU's definitions.
TRL_WORDS = {
    1: {"pl": "Obserwacja podstawowych zasad", "en": "Basic principles observed"},
    2: {"pl": "Sformułowanie koncepcji technologii", "en": "Technology concept formulated"},
    3: {"pl": "Eksperymentalny dowód koncepcji", "en": "Experimental proof of concept"},
    4: {"pl": "Technologia zweryfikowana w laboratorium", "en": "Technology validated in lab"},
    5: {
        "pl": "Technologia zweryfikowana w środowisku zbliżonym do rzeczywistego",
        "en": "Technology validated in relevant environment",
    },
    6: {
        "pl": "Demonstracja technologii w środowisku zbliżonym do rzeczywistego",
        "en": "Technology demonstrated in relevant environment",
    },
    7: {
        "pl": "Demonstracja prototypu w środowisku operacyjnym",
        "en": "System prototype demonstration in operational environment",
    },
    8: {"pl": "System kompletny i zakwalifikowany", "en": "System complete and qualified"},
    9: {
        "pl": "System sprawdzony w środowisku operacyjnym",
        "en": "Actual system proven in operational environment",
    },
}

TRL_MIN, TRL_MAX = 1, 9
SCORE_MIN, SCORE_MAX = 0, 5


class Profile(models.Model):
    """One offer or request a member organisation publishes on the marketplace."""

    class Kind(models.TextChoices):
        TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
        TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
        BUSINESS_OFFER = "business_offer", _("Business offer")
        BUSINESS_REQUEST = "business_request", _("Business request")
        RD_PARTNER_REQUEST = "rd_partner_request", _("R&D partner request")

    # The reference's prefix for each kind, as POD writes its references.
    REFERENCE_PREFIX = {
        Kind.TECHNOLOGY_OFFER: "TO",
        Kind.TECHNOLOGY_REQUEST: "TR",
        Kind.BUSINESS_OFFER: "BO",
        Kind.BUSINESS_REQUEST: "BR",
        Kind.RD_PARTNER_REQUEST: "RD",
    }
    OFFER_KINDS = (Kind.TECHNOLOGY_OFFER, Kind.BUSINESS_OFFER)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        ON_HOLD = "on_hold", _("On hold")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")
        ARCHIVED = "archived", _("Archived")

    class IprStatus(models.TextChoices):
        GRANTED_PATENT = "granted_patent", _("Granted patent")
        PATENT_APPLIED = "patent_applied", _("Patent applied for but not yet granted")
        EXCLUSIVE_RIGHTS = "exclusive_rights", _("Exclusive rights")
        SECRET_KNOW_HOW = "secret_know_how", _("Secret know-how")
        COPYRIGHT = "copyright", _("Copyright")
        DESIGN_RIGHTS = "design_rights", _("Design rights")
        TRADEMARK = "trademark", _("Trade marks")
        NONE = "none", _("No IPR")
        OTHER = "other", _("Other")

    class Partnership(models.TextChoices):
        LICENCE = "licence", _("Licence agreement")
        RESEARCH_COOPERATION = "research_cooperation", _("Research cooperation agreement")
        TECHNICAL_COOPERATION = "technical_cooperation", _("Technical cooperation agreement")
        COMMERCIAL_AGREEMENT = "commercial_agreement", _("Commercial agreement")
        JOINT_VENTURE = "joint_venture", _("Joint venture agreement")
        SUBCONTRACTING = "subcontracting", _("Subcontracting")
        MANUFACTURING = "manufacturing", _("Manufacturing agreement")
        SERVICES = "services", _("Services agreement")
        INVESTMENT = "investment", _("Financial agreement (investment)")
        DISTRIBUTION = "distribution", _("Distribution agreement")

    class PartnerSize(models.TextChoices):
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        related_name="marketplace_profiles",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Given on the first submission; NULL (not "") before, so that drafts do not collide.
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )

    title_pl = models.CharField(_("title (Polish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_pl = models.TextField(_("summary (Polish)"), max_length=1500, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=1500, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    advantages_pl = models.TextField(_("advantages and innovations (Polish)"), blank=True)
    advantages_en = models.TextField(_("advantages and innovations (English)"), blank=True)
    partner_sought_pl = models.TextField(_("partner sought (Polish)"), blank=True)
    partner_sought_en = models.TextField(_("partner sought (English)"), blank=True)

    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(TRL_MIN), MaxValueValidator(TRL_MAX)],
    )
    ipr_status = models.CharField(
        _("IPR status"), max_length=20, choices=IprStatus.choices, blank=True
    )
    ipr_comment = models.TextField(_("IPR comment"), blank=True)

    technology_keywords = models.JSONField(_("technology keywords"), default=list, blank=True)
    market_keywords = models.JSONField(_("market keywords"), default=list, blank=True)
    nace_codes = models.JSONField(_("NACE codes"), default=list, blank=True)
    partner_kinds = models.JSONField(_("kinds of partner sought"), default=list, blank=True)
    partner_sizes = models.JSONField(_("sizes of partner sought"), default=list, blank=True)
    partnership_types = models.JSONField(
        _("types of partnership considered"), default=list, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)

    call = models.ForeignKey(
        "calls.Call",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marketplace_profiles",
        verbose_name=_("funding call"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    show_organisation = models.BooleanField(_("show my organisation's name"), default=False)
    is_demo = models.BooleanField(_("demo"), default=False, editable=False)
    # Lower-case, diacritics-free texts, keywords and reference, kept by the services, so that
    # one column serves the list's text and keyword search on SQLite and PostgreSQL alike.
    search_document = models.TextField(editable=False, default="")

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity at"), null=True, blank=True)
    renewal_reminded_at = models.DateTimeField(_("renewal reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("marketplace profile")
        verbose_name_plural = _("marketplace profiles")
        indexes = [
            models.Index(fields=["status", "kind"], name="mkt_profile_status_kind"),
            models.Index(fields=["organisation", "status"], name="mkt_profile_org_status"),
        ]

    def __str__(self):
        return self.title or self.reference or f"#{self.pk}"

    @property
    def title(self) -> str:
        """The title in whichever language is filled, Polish first."""
        return self.title_pl or self.title_en

    @property
    def summary(self) -> str:
        return self.summary_pl or self.summary_en

    @property
    def is_offer(self) -> bool:
        return self.kind in self.OFFER_KINDS

    @property
    def keywords(self) -> list[str]:
        """Technology and market keywords together, each once."""
        return list(dict.fromkeys([*self.technology_keywords, *self.market_keywords]))


class ProfileAttachment(models.Model):
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("profile")
    )
    file = models.FileField(_("file"), upload_to="marketplace/%Y/")
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.file.name


class ProfileReview(models.Model):
    """A staff member's review of a submitted profile: four criteria scored 0-5; any 0 holds it."""

    CRITERIA = ("innovation", "clarity", "expectations", "language")

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("profile")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    innovation = models.PositiveSmallIntegerField(
        _("advantages and innovation"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    clarity = models.PositiveSmallIntegerField(
        _("clarity"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    expectations = models.PositiveSmallIntegerField(
        _("cooperation expectations"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    language = models.PositiveSmallIntegerField(
        _("language"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("profile review")
        verbose_name_plural = _("profile reviews")

    def __str__(self):
        return (
            f"{self.profile} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.profile)
        )


class Interest(models.Model):
    """An expression of interest in a profile, by a member or a visitor, and its thread."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        MEETING_HELD = "meeting_held", _("Meeting held")
        NEGOTIATION = "negotiation", _("Negotiation")
        AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
        CLOSED = "closed", _("Closed")

    class ClosedReason(models.TextChoices):
        NO_FIT = "no_fit", _("Not a fit")
        NO_ANSWER = "no_answer", _("No answer")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="interests", verbose_name=_("profile")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marketplace_interests",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marketplace_interests",
        verbose_name=_("organisation"),
    )
    visitor_name = models.CharField(_("name"), max_length=200, blank=True)
    visitor_email = models.EmailField(_("e-mail"), blank=True)
    visitor_organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    visitor_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # The interface language the interested side wrote in: their e-mails are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    access_token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    cooperation = models.ForeignKey(
        "trackrecord.Cooperation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cooperation recorded"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        indexes = [models.Index(fields=["profile", "status"], name="mkt_interest_profile_status")]

    def __str__(self):
        who = self.organisation or self.visitor_organisation or self.visitor_name
        return f"{who} → {self.profile}"


class InterestMessage(models.Model):
    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("interest")
    )
    # NULL is the visitor (or a user since erased).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    from_owner = models.BooleanField(_("from the profile's owner"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.body[:60]


class SavedSearch(models.Model):
    """The filters of the public list, kept under a name; with `alert`, new matches are e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="marketplace_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    alert = models.BooleanField(_("alert me to new profiles"), default=True)
    # The interface language the search was saved in: its alerts are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    last_alerted_at = models.DateTimeField(_("last alerted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name


class DigestSubscription(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="marketplace_digest",
        verbose_name=_("user"),
    )
    weekly = models.BooleanField(_("weekly digest of matches"), default=True)
    # The interface language of the last change of the subscription: the digest is written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self):
        return str(self.user)
