"""The member registry: organisations, their people, sectors, competences and memberships."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from klaster.members import identifiers


class Sector(models.Model):
    """A thematic sector. The five cluster sectors are built in; staff may add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_builtin = models.BooleanField(_("built in"), default=False)

    class Meta:
        ordering = ["-is_builtin", "name_en"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name_pl

    def localized_name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_pl


class Competence(models.Model):
    """A competence or technology tag, shared across organisations."""

    class Kind(models.TextChoices):
        COMPETENCE = "competence", _("Competence")
        TECHNOLOGY = "technology", _("Technology")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPETENCE)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competence or technology")
        verbose_name_plural = _("competences and technologies")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        UNIVERSITY = "university", _("University")
        INVESTMENT_FUND = "investment_fund", _("Investment fund")
        BUSINESS_SUPPORT = "business_support", _("Business-environment institution")
        PUBLIC_ADMINISTRATION = (
            "public_administration",
            _("Local government / public administration"),
        )
        NGO = "ngo", _("NGO or association")

    class EnterpriseSize(models.TextChoices):
        MICRO = "micro", _("Micro (SME)")
        SMALL = "small", _("Small (SME)")
        MEDIUM = "medium", _("Medium (SME)")
        LARGE = "large", _("Large")

    class SupportType(models.TextChoices):
        TECHNOLOGY_PARK = "technology_park", _("Technology park")
        INCUBATOR = "incubator", _("Incubator")
        CHAMBER = "chamber", _("Chamber of commerce")
        AGENCY = "agency", _("Development agency")

    class EmployeesBand(models.TextChoices):
        UP_TO_9 = "0-9", "0–9"
        UP_TO_49 = "10-49", "10–49"
        UP_TO_249 = "50-249", "50–249"
        UP_TO_999 = "250-999", "250–999"
        OVER_1000 = "1000+", "1000+"

    class TurnoverBand(models.TextChoices):
        UP_TO_2M = "<2m", _("up to EUR 2 m")
        UP_TO_10M = "2-10m", _("EUR 2–10 m")
        UP_TO_50M = "10-50m", _("EUR 10–50 m")
        OVER_50M = ">50m", _("over EUR 50 m")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by the cluster")
        IMPORT = "import", _("Imported from a file")
        DEMO_GENERATED = "demo_generated", _("Demo: generated")
        DEMO_CORDIS = "demo_cordis", _("Demo: public CORDIS record")

    SME_SIZES = (EnterpriseSize.MICRO, EnterpriseSize.SMALL, EnterpriseSize.MEDIUM)

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    enterprise_size = models.CharField(
        _("enterprise size"), max_length=10, choices=EnterpriseSize.choices, blank=True
    )
    support_type = models.CharField(
        _("type of institution"), max_length=20, choices=SupportType.choices, blank=True
    )
    is_sme = models.BooleanField(_("SME"), default=False, editable=False, db_index=True)

    nip = models.CharField(
        _("NIP"), max_length=10, blank=True, db_index=True, validators=[identifiers.validate_nip]
    )
    regon = models.CharField(
        _("REGON"), max_length=14, blank=True, validators=[identifiers.validate_regon]
    )
    krs = models.CharField(
        _("KRS"), max_length=10, blank=True, validators=[identifiers.validate_krs]
    )
    vat_number = models.CharField(_("EU VAT number"), max_length=20, blank=True)
    pic = models.CharField(
        _("PIC"),
        max_length=9,
        blank=True,
        null=True,
        unique=True,
        validators=[RegexValidator(r"^\d{9}$", _("A PIC has exactly 9 digits."))],
        help_text=_("EU Participant Identification Code, as in CORDIS."),
    )

    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences and technologies"), blank=True
    )
    competences_text = models.TextField(_("competences (free text)"), blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, db_index=True)
    voivodeship = models.CharField(_("voivodeship"), max_length=40, blank=True)
    nuts_code = models.CharField(_("NUTS code"), max_length=5, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PL")
    website = models.URLField(_("website"), blank=True)
    employees_band = models.CharField(
        _("employees"), max_length=10, choices=EmployeesBand.choices, blank=True
    )
    turnover_band = models.CharField(
        _("turnover"), max_length=10, choices=TurnoverBand.choices, blank=True
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    # Shown to investors and staff only.
    investment_readiness = models.TextField(_("investment readiness"), blank=True)
    funding_sought_eur = models.DecimalField(
        _("funding sought (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    investor_notes = models.TextField(_("notes for investors"), blank=True)

    is_published = models.BooleanField(
        _("published in the public directory"), default=True, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    # Lower-case, diacritics-free text of the searchable fields, kept up to date on save,
    # so that one indexed column serves full-text search on SQLite and PostgreSQL alike.
    search_document = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "is_published"], name="org_kind_published"),
            # The directory lists published organisations by name.
            models.Index(fields=["is_published", "name"], name="org_published_name"),
        ]
        # Many organisations have no KRS or REGON: only non-empty values must be unique. PIC is
        # NULL when absent, so its plain `unique=True` already allows many organisations without.
        constraints = [
            models.UniqueConstraint(
                fields=[column],
                condition=~models.Q(**{column: ""}),
                name=f"org_unique_{column}",
                # Lazy, so the admin says it in the reader's language.
                violation_error_message=format_lazy(
                    "{label}: {message}",
                    label=label,
                    message=_("another organisation in the registry already has this number."),
                ),
            )
            for column, (label, _clean) in identifiers.UNIQUE_IDENTIFIERS.items()
            if column != "pic"
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.is_sme = self.kind == self.Kind.ENTERPRISE and self.enterprise_size in self.SME_SIZES
        # The search document also covers competences, which live in a many-to-many table:
        # services refresh it after changing those (see members.services).
        if not self.search_document:
            self.search_document = identifiers.fold_text(self.name)
        super().save(*args, **kwargs)

    @property
    def is_demo(self) -> bool:
        return self.source in (self.Source.DEMO_GENERATED, self.Source.DEMO_CORDIS)

    def description(self, language: str) -> str:
        if language == "en":
            return self.description_en or self.description_pl
        return self.description_pl or self.description_en


class Person(models.Model):
    """A contact person of an organisation, with the GDPR consent that covers their data."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    consent_purpose = models.CharField(_("consent purpose"), max_length=255, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_valid_consent(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_on is None


class MembershipTier(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    annual_fee = models.DecimalField(_("annual fee (PLN)"), max_digits=10, decimal_places=2)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["annual_fee"]
        verbose_name = _("membership tier")
        verbose_name_plural = _("membership tiers")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        FORMER = "former", _("Former")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="membership"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE, db_index=True
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    tier = models.ForeignKey(
        MembershipTier, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tier")
    )
    annual_fee = models.DecimalField(
        _("annual fee (PLN)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"


class FeePayment(models.Model):
    """One fee instalment of a membership: due on a date, paid (or not) on another."""

    class State(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        OVERDUE = "overdue", _("Overdue")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="fees")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (PLN)"), max_digits=10, decimal_places=2)
    due_on = models.DateField(_("due on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        ordering = ["-due_on"]
        verbose_name = _("fee payment")
        verbose_name_plural = _("fee payments")
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_fee_per_member_year")
        ]

    def __str__(self) -> str:
        return f"{self.membership.organisation} {self.year}"

    def state(self, today: datetime.date | None = None) -> str:
        if self.paid_on:
            return self.State.PAID
        today = today or timezone.localdate()
        return self.State.OVERDUE if self.due_on < today else self.State.DUE
