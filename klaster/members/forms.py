from django import forms
from django.core import validators
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from klaster.common.countries import country_choices
from klaster.common.fields import SectorChoiceField
from klaster.common.roles import is_cluster_staff
from klaster.members import identifiers, permissions
from klaster.members.models import Competence, Organisation, Person, Sector
from klaster.members.selectors import organisation_identifier_holders

# A profile is read by people: these caps are far above any real one and keep a pasted book or
# a script's thousand tags out of the directory (and its search document).
MAX_COMPETENCE_TAGS = 40
TEXT_LIMITS = {
    "description_pl": 10_000,
    "description_en": 10_000,
    "competences_text": 3_000,
    "investment_readiness": 3_000,
    "investor_notes": 3_000,
}
MAX_FUNDING_EUR = 10**12 - 1  # fits the column's 14 digits with 2 decimals


def clean_tags(text: str) -> list[str]:
    """`parse_tags`, refusing more tags than a profile may hold."""
    tags = parse_tags(text)
    if len(tags) > MAX_COMPETENCE_TAGS:
        raise forms.ValidationError(
            _("Give at most %(limit)d competences and technologies (you gave %(count)d)."),
            params={"limit": MAX_COMPETENCE_TAGS, "count": len(tags)},
        )
    return tags


def limit_profile_texts(form) -> None:
    """Caps on the free texts of a profile form (the model's TextFields have none)."""
    for name, limit in TEXT_LIMITS.items():
        if name in form.fields:
            form.fields[name].max_length = limit
            form.fields[name].validators.append(validators.MaxLengthValidator(limit))
            form.fields[name].widget.attrs["maxlength"] = str(limit)
    if "funding_sought_eur" in form.fields:
        form.fields["funding_sought_eur"].validators += [
            validators.MinValueValidator(0),
            validators.MaxValueValidator(MAX_FUNDING_EUR),
        ]
        form.fields["funding_sought_eur"].widget.attrs["min"] = "0"


def parse_tags(text: str) -> list[str]:
    """Competence tags typed as "AI, cyberbezpieczeństwo; IoT" -> ["AI", "cyberbezpieczeństwo", "IoT"]."""
    seen, tags = set(), []
    for raw in text.replace(";", ",").split(","):
        tag = " ".join(raw.split())
        key = slugify(tag, allow_unicode=True)
        if tag and key and key not in seen:
            seen.add(key)
            tags.append(tag[:100])
    return tags


class IdentifierCleaningMixin:
    """Identifier fields are checked with their check digits and stored compact."""

    # Only staff learn which organisation holds a number: a candidate's form must not reveal
    # the registry's unpublished profiles.
    names_identifier_holders = False

    def clean_nip(self):
        return identifiers.clean_nip(self.cleaned_data.get("nip", ""))

    def clean_regon(self):
        return identifiers.clean_regon(self.cleaned_data.get("regon", ""))

    def clean_krs(self):
        return identifiers.clean_krs(self.cleaned_data.get("krs", ""))

    def clean_vat_number(self):
        return identifiers.clean_vat(self.cleaned_data.get("vat_number", ""))

    def clean_pic(self):
        return identifiers.clean_pic(self.cleaned_data.get("pic"))

    def clean_identity(self, cleaned):
        kind = cleaned.get("kind", getattr(self.instance, "kind", ""))
        size = cleaned.get("enterprise_size", getattr(self.instance, "enterprise_size", ""))
        if kind == Organisation.Kind.ENTERPRISE and not size:
            self.add_error("enterprise_size", _("Say the size of the enterprise (SME or large)."))
        if kind and kind != Organisation.Kind.ENTERPRISE and size:
            cleaned["enterprise_size"] = ""
        country = cleaned.get("country", getattr(self.instance, "country", "PL"))
        nip = cleaned.get("nip")
        vat = cleaned.get("vat_number")
        if country == "PL" and nip and vat and vat != "PL" + nip:
            self.add_error("vat_number", _("A Polish EU VAT number is PL followed by the NIP."))
        if country == "PL" and nip and not vat:
            cleaned["vat_number"] = "PL" + nip
        self.refuse_taken_identifiers(cleaned)
        return cleaned

    def refuse_taken_identifiers(self, cleaned) -> None:
        """The same uniqueness the import and the database constraints hold, said beside the
        field and naming the organisation that has the number."""
        values = {column: cleaned.get(column) for column in identifiers.UNIQUE_IDENTIFIERS}
        holders = organisation_identifier_holders(values=values, exclude_pk=self.instance.pk)
        for column, holder in holders.items():
            if column not in self.fields:
                continue
            params = {
                "label": identifiers.UNIQUE_IDENTIFIERS[column][0],
                "value": values[column],
                "name": holder.name,
            }
            if self.names_identifier_holders:
                message = _("%(label)s %(value)s is already registered for “%(name)s”.")
            else:
                message = _(
                    "%(label)s %(value)s is already registered for another organisation; if "
                    "it is yours, write to the cluster staff."
                )
            self.add_error(column, message % params)


class OrganisationForm(IdentifierCleaningMixin, forms.ModelForm):
    """The profile as a member editor keeps it."""

    competence_tags = forms.CharField(
        label=_("Competences and technologies"),
        required=False,
        help_text=_("Separate with commas, e.g. artificial intelligence, IoT, smart grids."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    sectors = SectorChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="PL")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "description_pl",
            "description_en",
            "sectors",
            "competences_text",
            "nip",
            "regon",
            "krs",
            "vat_number",
            "street",
            "postcode",
            "city",
            "voivodeship",
            "nuts_code",
            "country",
            "website",
            "employees_band",
            "turnover_band",
            "year_founded",
            "logo",
            "investment_readiness",
            "funding_sought_eur",
            "investor_notes",
            "is_published",
        ]
        widgets = {
            "description_pl": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "competences_text": forms.Textarea(attrs={"rows": 3}),
            "investment_readiness": forms.Textarea(attrs={"rows": 3}),
            "investor_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_profile_texts(self)
        stored = self.instance.country
        if stored and stored not in dict(self.fields["country"].choices):
            # A code from an import (CORDIS's EL or UK) stays choosable, so editing keeps it.
            self.fields["country"].choices = country_choices([stored]) + list(
                self.fields["country"].choices
            )
        if self.instance.pk and "competence_tags" not in self.initial:
            self.initial["competence_tags"] = ", ".join(
                c.name for c in self.instance.competences.all()
            )

    def clean_country(self):
        return (self.cleaned_data.get("country") or "PL").upper()

    def clean_competence_tags(self):
        return clean_tags(self.cleaned_data.get("competence_tags", ""))

    def clean(self):
        return self.clean_identity(super().clean())


class StaffOrganisationForm(OrganisationForm):
    """Staff also set what defines the organisation in the registry."""

    names_identifier_holders = True

    class Meta(OrganisationForm.Meta):
        fields = [
            "kind",
            "enterprise_size",
            "support_type",
            "pic",
            *OrganisationForm.Meta.fields,
        ]


class CandidateOrganisationForm(OrganisationForm):
    """A candidate keeps a draft: the profile stays out of the directory until staff accept."""

    class Meta(OrganisationForm.Meta):
        fields = [f for f in OrganisationForm.Meta.fields if f != "is_published"]


def organisation_form_class(user, organisation: Organisation | None = None):
    if is_cluster_staff(user):
        return StaffOrganisationForm
    if organisation is not None and not permissions.can_publish_organisation(user, organisation):
        return CandidateOrganisationForm
    return OrganisationForm


def form_data_from_instance(form_class, organisation: Organisation) -> dict:
    """Current values as form data, so a partial update (API PATCH) validates the whole row."""
    data = forms.model_to_dict(organisation, fields=form_class._meta.fields)
    data["sectors"] = [s.pk for s in organisation.sectors.all()]
    data["competence_tags"] = ", ".join(c.name for c in organisation.competences.all())
    return {key: ("" if value is None else value) for key, value in data.items()}


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "position",
            "email",
            "phone",
            "is_primary_contact",
            "consent_purpose",
            "consent_given_on",
            "consent_withdrawn_on",
        ]
        widgets = {
            "consent_given_on": forms.DateInput(attrs={"type": "date"}),
            "consent_withdrawn_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        given, withdrawn = cleaned.get("consent_given_on"), cleaned.get("consent_withdrawn_on")
        if given and not cleaned.get("consent_purpose"):
            self.add_error("consent_purpose", _("Say what the person consented to."))
        if withdrawn and given and withdrawn < given:
            self.add_error("consent_withdrawn_on", _("Withdrawal cannot precede consent."))
        if withdrawn and not given:
            self.add_error("consent_withdrawn_on", _("There is no consent to withdraw."))
        return cleaned


def competences_for(names: list[str]) -> list[Competence]:
    result = []
    for name in names:
        slug = slugify(name, allow_unicode=True)
        competence, _created = Competence.objects.get_or_create(slug=slug, defaults={"name": name})
        result.append(competence)
    return result


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters, read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    competence = forms.CharField(label=_("Competence"), required=False, max_length=120)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    voivodeship = forms.CharField(label=_("Voivodeship"), required=False, max_length=40)
    sme = forms.ChoiceField(
        label=_("SME"),
        required=False,
        choices=[("", _("Any size")), ("1", _("SMEs only")), ("0", _("Not SMEs"))],
    )

    def __init__(self, *args, language: str = "pl", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (s.code, s.localized_name(language)) for s in Sector.objects.all()
        ]

    def filters(self):
        from klaster.members.selectors import DirectoryFilters

        data = self.cleaned_data if self.is_valid() else {}
        sme = data.get("sme")
        return DirectoryFilters(
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            sector=data.get("sector", ""),
            competence=data.get("competence", ""),
            city=data.get("city", ""),
            voivodeship=data.get("voivodeship", ""),
            sme=None if sme in (None, "") else sme == "1",
        )


class FeePaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=60)


class IssueFeesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class FeeYearForm(forms.Form):
    """The year the fee list shows, from the query string (?year=2025)."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("The year must be a number, e.g. 2025.")},
    )


class MembershipApplicationForm(IdentifierCleaningMixin, forms.ModelForm):
    """A new member applies: the organisation, a contact person who consents, and an account."""

    competence_tags = OrganisationForm.base_fields["competence_tags"]
    sectors = OrganisationForm.base_fields["sectors"]
    website = OrganisationForm.base_fields["website"]
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the cluster coordinator processes my contact data to run the "
            "membership and to contact me about cluster activities."
        )
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "enterprise_size",
            "support_type",
            "nip",
            "regon",
            "krs",
            "street",
            "postcode",
            "city",
            "voivodeship",
            "website",
            "description_pl",
            "description_en",
            "sectors",
            "competences_text",
        ]
        widgets = {
            "description_pl": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "competences_text": forms.Textarea(attrs={"rows": 2}),
        }

    FIELDSETS = (
        (
            _("Your organisation"),
            ("name", "kind", "enterprise_size", "support_type", "nip", "regon", "krs")
            + ("street", "postcode", "city", "voivodeship", "website"),
        ),
        (
            _("What you do"),
            ("description_pl", "description_en", "sectors", "competence_tags", "competences_text"),
        ),
        (
            _("Contact person and account"),
            ("first_name", "last_name", "position", "email", "phone", "username", "password")
            + ("consent",),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_profile_texts(self)
        self.fields["nip"].required = True
        self.fields["voivodeship"].initial = "mazowieckie"

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_competence_tags(self):
        return clean_tags(self.cleaned_data.get("competence_tags", ""))

    def clean_nip(self):
        nip = super().clean_nip()
        if Organisation.objects.filter(nip=nip).exists():
            raise forms.ValidationError(
                _("An organisation with this NIP is already registered. Contact the coordinator.")
            )
        return nip

    def clean_username(self):
        from klaster.accounts.models import User

        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        cleaned = self.clean_identity(super().clean())
        password = cleaned.get("password")
        if password:
            from django.contrib.auth import password_validation

            try:
                password_validation.validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, models: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + models


class PersonEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the person's data is erased everywhere and cannot be restored."),
        required=True,
    )
