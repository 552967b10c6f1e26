"""Track record and cooperation: EU projects from CORDIS, their links to cluster organisations,
the cooperation log and the cluster's own projects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.members.models import Organisation

CORDIS_PROJECT_URL = "https://cordis.europa.eu/project/id/{}"
H2020_PREFIX = "h2020-"


class CordisTopic(models.Model):
    """A work-programme topic (e.g. HORIZON-CL5-2021-D2-01-11)."""

    code = models.CharField(_("code"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("EU topic")
        verbose_name_plural = _("EU topics")

    def __str__(self) -> str:
        return self.code


class FieldOfScience(models.Model):
    """A euroSciVoc field of science."""

    code = models.CharField(_("code"), max_length=120, unique=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["path"]
        verbose_name = _("field of science")
        verbose_name_plural = _("fields of science")

    def __str__(self) -> str:
        return self.title


class CordisProject(models.Model):
    """An EU-funded project as CORDIS publishes it (Horizon Europe or Horizon 2020)."""

    project_id = models.CharField(_("grant number"), max_length=30, unique=True)
    programme = models.CharField(_("programme"), max_length=20, blank=True, db_index=True)
    acronym = models.CharField(_("acronym"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=600, blank=True)
    objective = models.TextField(_("objective"), blank=True)
    keywords = models.TextField(_("keywords"), blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    funding_scheme = models.CharField(_("funding scheme"), max_length=80, blank=True)
    call = models.CharField(_("call"), max_length=120, blank=True)
    programme_parts = models.CharField(_("programme parts"), max_length=300, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    total_cost = models.DecimalField(
        _("total cost (EUR)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    ec_max_contribution = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    topics = models.ManyToManyField(CordisTopic, verbose_name=_("topics"), blank=True)
    fields_of_science = models.ManyToManyField(
        FieldOfScience, verbose_name=_("fields of science"), blank=True
    )
    # Digest of the source record: an import rewrites the row only when it changes.
    checksum = models.CharField(max_length=24, editable=False)

    class Meta:
        ordering = ["-start_date", "project_id"]
        verbose_name = _("EU project")
        verbose_name_plural = _("EU projects")

    def __str__(self) -> str:
        return self.acronym or self.project_id

    @property
    def is_h2020(self) -> bool:
        return self.project_id.startswith(H2020_PREFIX)

    @property
    def cordis_url(self) -> str:
        """CORDIS pages are addressed by grant number; H2020 rows here carry only the rcn."""
        if self.is_h2020:
            return ""
        return CORDIS_PROJECT_URL.format(self.project_id)

    @property
    def label(self) -> str:
        if self.acronym:
            return self.acronym
        if self.is_h2020:
            # The H2020 participation data carries neither title nor acronym, only CORDIS's
            # record number: say so, in the reader's language, rather than show a bare code.
            return _("H2020 project (no title in the data), CORDIS record %(rcn)s") % {
                "rcn": self.project_id.removeprefix(H2020_PREFIX)
            }
        return self.project_id


class CordisOrganisation(models.Model):
    """An organisation in CORDIS, keyed by its PIC, and the cluster organisation it is."""

    class LinkMethod(models.TextChoices):
        PIC = "pic", _("same PIC")
        VAT = "vat", _("same VAT number / NIP")
        NAME_CITY = "name_city", _("same name and city")
        STAFF = "staff", _("confirmed by staff")
        DEMO = "demo", _("demo: loaded from CORDIS")

    pic = models.CharField(_("PIC"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=400, blank=True)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True, db_index=True)
    activity_type = models.CharField(_("activity type"), max_length=5, blank=True)
    sme = models.BooleanField(_("SME"), null=True)
    street = models.CharField(_("street"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=4, blank=True, db_index=True)
    nuts_code = models.CharField(_("NUTS code"), max_length=10, blank=True, db_index=True)
    url = models.CharField(_("website"), max_length=500, blank=True)
    checksum = models.CharField(max_length=24, editable=False)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cluster organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cordis_records",
    )
    link_method = models.CharField(
        _("linked by"), max_length=12, choices=LinkMethod.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("CORDIS organisation")
        verbose_name_plural = _("CORDIS organisations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or f"PIC {self.pic}"


class CordisParticipation(models.Model):
    project = models.ForeignKey(
        CordisProject, on_delete=models.CASCADE, related_name="participations"
    )
    cordis_organisation = models.ForeignKey(
        CordisOrganisation, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=30)
    order = models.PositiveIntegerField(_("order"), null=True, blank=True)
    ec_contribution = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    country = models.CharField(_("country"), max_length=4, blank=True)
    activity_type = models.CharField(_("activity type"), max_length=5, blank=True)
    checksum = models.CharField(max_length=24, editable=False)

    class Meta:
        verbose_name = _("participation in an EU project")
        verbose_name_plural = _("participations in EU projects")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "cordis_organisation", "role"], name="one_participation_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cordis_organisation_id} in {self.project_id} ({self.role})"


class CordisImport(models.Model):
    """One run of the CORDIS import: what it read and what it changed."""

    sources = models.TextField(_("files"))
    files_checksum = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    changed = models.BooleanField(_("changed anything"), default=False)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CORDIS import")
        verbose_name_plural = _("CORDIS imports")

    def __str__(self) -> str:
        return f"{self.sources} ({self.created_at:%Y-%m-%d %H:%M})"


class LinkSuggestion(models.Model):
    """An uncertain match between a CORDIS organisation and a cluster organisation, for staff.

    The decision is remembered: a rejected pair is never suggested again, an accepted one links.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    cordis_organisation = models.ForeignKey(
        CordisOrganisation, on_delete=models.CASCADE, related_name="link_suggestions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cordis_link_suggestions"
    )
    score = models.FloatField(_("similarity"))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("suggested CORDIS link")
        verbose_name_plural = _("suggested CORDIS links")
        constraints = [
            models.UniqueConstraint(
                fields=["cordis_organisation", "organisation"], name="one_suggestion_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cordis_organisation_id} ~ {self.organisation_id} ({self.score:.0f})"


class ThematicArea(models.TextChoices):
    ICT = "ict", _("ICT")
    ENERGY = "energy", _("Energy")
    SPACE = "space", _("Space")
    ECOLOGY = "ecology", _("Ecology")
    RENEWABLE_ENERGY = "renewable-energy", _("Renewable energy")


class ClusterProject(models.Model):
    """A project the cluster builds or runs with its members, from idea to outcome."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        IN_PREPARATION = "in_preparation", _("In preparation")
        SUBMITTED = "submitted", _("Submitted")
        FUNDED = "funded", _("Funded")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA, db_index=True
    )
    thematic_area = models.CharField(
        _("thematic area"), max_length=20, choices=ThematicArea.choices
    )
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_programme = models.CharField(_("funding programme or call"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="cluster_projects", blank=True
    )
    description = models.TextField(_("description"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("cluster project")
        verbose_name_plural = _("cluster projects")

    def __str__(self) -> str:
        return self.name


class Cooperation(models.Model):
    """One act of cooperation between two organisations, as staff or a member recorded it."""

    class Kind(models.TextChoices):
        JOINT_PROJECT = "joint_project", _("Joint project")
        MEETING = "meeting", _("Meeting")
        AGREEMENT = "agreement", _("Agreement or MoU")
        INTRODUCTION = "introduction", _("Introduction made by the coordinator")
        JOINT_EVENT = "joint_event", _("Joint event")
        SERVICE = "service", _("Service delivered")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: the two organisations and cluster staff")
        PUBLIC = "public", _("Public")

    class Confirmation(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Waiting for the partner's confirmation")
        DECLINED = "declined", _("Declined by the partner")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"), db_index=True)
    organisation_a = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="cooperations_as_a",
    )
    organisation_b = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="cooperations_as_b",
    )
    people = models.CharField(_("people involved"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    cluster_project = models.ForeignKey(
        ClusterProject,
        verbose_name=_("cluster project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperations",
    )
    # A public entry is a claim about both parties: when a member records it, it waits for the
    # other party (or staff) to confirm before anyone else sees it.
    confirmation = models.CharField(
        _("confirmation"),
        max_length=10,
        choices=Confirmation.choices,
        default=Confirmation.CONFIRMED,
        db_index=True,
    )
    awaiting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("waiting for confirmation by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperation log")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation_a=models.F("organisation_b")),
                name="cooperation_between_two_organisations",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation_a} – {self.organisation_b}"

    @property
    def is_public(self) -> bool:
        """Shown to everyone: public and, if a member recorded it, confirmed by the partner."""
        return (
            self.visibility == self.Visibility.PUBLIC
            and self.confirmation == self.Confirmation.CONFIRMED
        )
