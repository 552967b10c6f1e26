"""The consortium builder: project ideas of members, proposed consortia, and the workspace where
partners are invited, answer and share notes. Partner clusters abroad are data kept by staff."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PIC_VALIDATOR = RegexValidator(r"^\d{9}$", _("A PIC has exactly 9 digits."))


class ActivityType(models.TextChoices):
    """CORDIS activity types: the kinds of organisation the eligibility rules look at."""

    PRC = "PRC", _("Company (private for-profit)")
    HES = "HES", _("University or higher education")
    REC = "REC", _("Research organisation")
    PUB = "PUB", _("Public body")
    OTH = "OTH", _("Other (association, cluster, fund, ...)")


class PartnerCluster(models.Model):
    """A cluster abroad that the cluster works with inside a strategic partnership."""

    class Partnership(models.TextChoices):
        ESCP_4X = "escp-4x", _("ESCP-4x (European Strategic Cluster Partnership)")
        ESCP_4I = "escp-4i", _("ESCP-4i (internationalisation beyond Europe)")
        EAI = "eai", _("European Alliance for Innovation")

    name = models.CharField(_("name"), max_length=255)
    country = models.CharField(_("country"), max_length=2, help_text=_("Two-letter code, e.g. DE."))
    partnership = models.CharField(_("partnership"), max_length=12, choices=Partnership.choices)
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name = _("partner cluster")
        verbose_name_plural = _("partner clusters")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "partnership"], name="one_cluster_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_partnership_display()})"


class PartnerOrganisation(models.Model):
    """An organisation of a partner cluster; with a PIC it is a candidate for consortia."""

    cluster = models.ForeignKey(
        PartnerCluster, on_delete=models.CASCADE, related_name="organisations",
        verbose_name=_("partner cluster"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=255)
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind"), max_length=3, choices=ActivityType.choices)
    pic = models.CharField(
        _("PIC"), max_length=9, blank=True, validators=[PIC_VALIDATOR], db_index=True,
        help_text=_("EU Participant Identification Code; without it the organisation cannot be proposed."),
    )  # fmt: skip
    email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner-cluster organisation")
        verbose_name_plural = _("partner-cluster organisations")

    def __str__(self) -> str:
        return self.name


class ProjectIdea(models.Model):
    """A member's project idea looking for a consortium; also the consortium's workspace."""

    owner = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="project_ideas",
        verbose_name=_("owning organisation"),
    )  # fmt: skip
    call = models.ForeignKey(
        "calls.Call", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="project_ideas", verbose_name=_("funding call"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    # A TextField's max_length binds forms only: a page of text, not a pasted document.
    summary = models.TextField(_("summary"), max_length=10_000, blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    # A rule-set name (core/consortium/rules); not a choices field, since staff may add sets.
    rule_set = models.CharField(_("eligibility rules"), max_length=40)
    size = models.PositiveSmallIntegerField(
        _("partners (you included)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )  # fmt: skip
    prefer_members = models.BooleanField(_("prefer cluster members"), default=True)
    max_per_country = models.PositiveSmallIntegerField(
        _("at most partners per country"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )  # fmt: skip
    include_sme = models.BooleanField(_("include an SME"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")

    def __str__(self) -> str:
        return self.title

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class RequiredRole(models.Model):
    """A role the consortium needs, e.g. "end user" in "energy"."""

    class Kind(models.TextChoices):
        # The English words are what the builder matches (see core.consortium.candidates).
        END_USER = "end user", _("End user")
        SME_PROVIDER = "SME technology provider", _("SME technology provider")
        PROVIDER = "technology provider company", _("Technology provider (company)")
        RESEARCH = "research partner", _("Research partner")
        UNIVERSITY = "university", _("University")
        PUBLIC = "public authority", _("Public authority")
        INVESTOR = "investor", _("Investor")

    idea = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=40, choices=Kind.choices)
    field = models.CharField(_("in the field of"), max_length=80, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("required role")
        verbose_name_plural = _("required roles")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The role in the words the builder understands: "end user in energy"."""
        return f"{self.kind} in {self.field}" if self.field else self.kind


class PartnerChoice(models.Model):
    """A partner the idea's owner pinned (always in) or excluded (never in)."""

    class Choice(models.TextChoices):
        PINNED = "pinned", _("Pinned")
        EXCLUDED = "excluded", _("Excluded")

    idea = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="choices")
    pic = models.CharField(_("PIC"), max_length=12)
    name = models.CharField(_("name"), max_length=400, blank=True)
    country = models.CharField(_("country"), max_length=4, blank=True)
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)

    class Meta:
        ordering = ["choice", "name"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "pic"], name="one_choice_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.pic}: {self.get_choice_display()}"


class Proposal(models.Model):
    """One run of the builder for an idea; the latest is the one on screen."""

    idea = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="proposals")
    rule_set = models.CharField(_("eligibility rules"), max_length=40)
    rule_set_title = models.CharField(max_length=200, blank=True)
    size = models.PositiveSmallIntegerField()
    eligible = models.BooleanField(_("eligible"))
    missing = models.JSONField(_("what is missing"), default=list)
    notes = models.JSONField(default=list)
    seconds = models.FloatField(default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea}: {self.created_at:%Y-%m-%d %H:%M}"


class ProposedPartner(models.Model):
    """A partner of a proposal, with its role and the reasons it was chosen."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="partners")
    position = models.PositiveSmallIntegerField()
    pic = models.CharField(_("PIC"), max_length=12)
    name = models.CharField(_("name"), max_length=400, blank=True)
    country = models.CharField(_("country"), max_length=4, blank=True)
    activity_type = models.CharField(_("kind"), max_length=5, blank=True)
    sme = models.BooleanField(_("SME"), null=True)
    role = models.CharField(_("role"), max_length=200)
    reasons = models.JSONField(_("why"), default=list)
    is_coordinator = models.BooleanField(default=False)
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text=_("The cluster member with this PIC, if any."),
    )  # fmt: skip
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "position"]

    def __str__(self) -> str:
        return self.name or self.pic


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invitation to join the consortium: answered in the app by a member organisation's
    editors, or through an e-mailed link by anyone else."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    idea = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="invitations")
    pic = models.CharField(_("PIC"), max_length=12)
    name = models.CharField(_("name"), max_length=400)
    country = models.CharField(_("country"), max_length=4, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="consortium_invitations", verbose_name=_("member organisation"),
    )  # fmt: skip
    email = models.EmailField(_("e-mail"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The consortium's owner may take an invitation back (before or after the answer); the
    # organisation is told and can no longer answer, and may be invited again later.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "pic"], name="one_invitation_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        """Still standing: invited or accepted (not declined, not withdrawn)."""
        return self.status in (self.Status.INVITED, self.Status.ACCEPTED)


class Note(models.Model):
    """A note shared inside the consortium (its members and staff only)."""

    idea = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Notification(models.Model):
    """A message for one user inside the app (with a link), e.g. an invitation to a consortium."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consortium_notifications"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text
