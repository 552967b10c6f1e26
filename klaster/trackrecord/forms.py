from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from klaster.common.roles import is_cluster_staff
from klaster.core import network
from klaster.core.limits import EARLIEST_YEAR, LATEST_YEAR, sane_year
from klaster.members.models import Organisation, Sector
from klaster.trackrecord.models import ClusterProject, Cooperation


class DateInput(forms.DateInput):
    input_type = "date"


# Notes are a few sentences on the log; the cap keeps out pasted documents (the column has none).
COOPERATION_NOTES_LIMIT = 5_000


class CooperationForm(forms.ModelForm):
    """A member editor's own organisation is always one of the two parties."""

    class Meta:
        model = Cooperation
        fields = [
            "kind",
            "date",
            "organisation_a",
            "organisation_b",
            "people",
            "notes",
            "visibility",
            "cluster_project",
        ]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].max_length = COOPERATION_NOTES_LIMIT
        self.fields["notes"].validators.append(MaxLengthValidator(COOPERATION_NOTES_LIMIT))
        self.fields["notes"].widget.attrs["maxlength"] = str(COOPERATION_NOTES_LIMIT)
        organisations = Organisation.objects.order_by("name")
        self.fields["organisation_a"].queryset = organisations
        self.fields["organisation_b"].queryset = organisations
        self.fields["cluster_project"].queryset = ClusterProject.objects.order_by("name")
        if not is_cluster_staff(user) and user.organisation_id:
            self.fields["organisation_a"].queryset = organisations.filter(pk=user.organisation_id)
            self.fields["organisation_a"].initial = user.organisation_id
            self.fields["organisation_a"].empty_label = None
            self.fields["cluster_project"].queryset = ClusterProject.objects.filter(
                partners=user.organisation_id
            ).order_by("name")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not sane_year(date.year):
            raise forms.ValidationError(
                _("Give a date between %(first)d and %(last)d."),
                params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )
        return date

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("organisation_a"), cleaned.get("organisation_b")
        if a and b and a.pk == b.pk:
            self.add_error("organisation_b", _("Choose a different organisation."))
        return cleaned


class CooperationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Cooperation.Kind.choices
    )


class ClusterProjectForm(forms.ModelForm):
    class Meta:
        model = ClusterProject
        fields = [
            "name",
            "status",
            "thematic_area",
            "budget_eur",
            "funding_programme",
            "start_date",
            "end_date",
            "partners",
            "description",
            "outcomes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organisation.objects.order_by("name")


GROUP_CHOICES = [
    ("", _("All kinds")),
    (network.SCIENCE, _("Science (universities, institutes)")),
    (network.INDUSTRY, _("Companies")),
    (network.PUBLIC, _("Public bodies")),
    (network.SUPPORT, _("Business-environment institutions")),
    (network.FINANCE, _("Investment funds")),
    (network.OTHER, _("Other")),
]
MIN_SHARED_CHOICES = [
    ("1", _("all partners")),
    ("2", _("partners with 2+ ties")),
    ("3", _("partners with 3+ ties")),
    ("5", _("partners with 5+ ties")),
]


class NetworkFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    group = forms.ChoiceField(label=_("Kind"), required=False, choices=GROUP_CHOICES)
    country = forms.ChoiceField(label=_("Country"), required=False)
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1990, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1990, max_value=2100)
    min_shared = forms.TypedChoiceField(
        label=_("Partners shown"),
        required=False,
        choices=MIN_SHARED_CHOICES,
        coerce=int,
        empty_value=2,
    )

    def __init__(self, *args, countries=(), language="pl", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (s.code, s.localized_name(language)) for s in Sector.objects.all()
        ]
        self.fields["country"].choices = [("", _("All countries"))] + [(c, c) for c in countries]
        self.fields["min_shared"].initial = "2"

    def filters(self):
        from klaster.trackrecord.selectors import NetworkFilters

        if not self.is_bound or not self.is_valid():
            return NetworkFilters()
        data = self.cleaned_data
        return NetworkFilters(
            sector=data.get("sector") or "",
            group=data.get("group") or "",
            country=data.get("country") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            min_shared=data.get("min_shared") or 2,
        )


class CordisImportForm(forms.Form):
    cordis_file = forms.FileField(
        label=_("CORDIS projects download (zip)"),
        required=False,
        help_text=_("cordis-HORIZONprojects-csv.zip in the official layout."),
    )
    h2020_file = forms.FileField(label=_("Horizon 2020 participations (csv.gz)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("cordis_file") and not cleaned.get("h2020_file"):
            raise forms.ValidationError(_("Choose at least one file."))
        return cleaned
