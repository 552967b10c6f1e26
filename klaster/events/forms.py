from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.common.countries import country_choices
from klaster.common.fields import SectorChoiceField
from klaster.events.models import Event, Registration
from klaster.members.models import Sector

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class EventForm(forms.ModelForm):
    """Slots and tables are numbered from 1 on screen and from 0 in the database."""

    breaks = forms.CharField(
        label=_("Break slots"),
        required=False,
        help_text=_("Numbers of the slots with no meetings, separated by commas (e.g. 4, 8)."),
    )

    class Meta:
        model = Event
        fields = [
            "kind", "title", "description_pl", "description_en", "place", "starts_at",
            "ends_at", "capacity", "registration_deadline", "has_b2b", "b2b_starts_at",
            "slot_minutes", "slot_count", "table_count", "request_expiry_hours",
        ]  # fmt: skip
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "registration_deadline": DateTimeLocalInput(),
            "b2b_starts_at": DateTimeLocalInput(),
            "description_pl": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_deadline", "b2b_starts_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk and not self.is_bound:
            self.initial["breaks"] = ", ".join(str(s + 1) for s in self.instance.break_slots)

    def clean_breaks(self) -> list[int]:
        text = self.cleaned_data.get("breaks") or ""
        slots = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) < 1:
                raise forms.ValidationError(_("Slot numbers are whole numbers from 1."))
            slots.append(int(part) - 1)
        return sorted(set(slots))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        count = data.get("slot_count")
        if count and any(s >= count for s in data.get("breaks", [])):
            self.add_error("breaks", _("A break slot is beyond the number of slots."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["break_slots"] = data.pop("breaks", [])
        return data


class ProfileForm(forms.Form):
    offers = forms.CharField(
        label=_("What we offer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    looking_for = forms.CharField(
        label=_("What we look for"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sectors = SectorChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="PL")


class RegistrationForm(ProfileForm):
    """External participants give who they are; signed-in members only their profile."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=255)

    field_order = ["name", "email", "organisation_name", "country", "offers", "looking_for"]

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if member is not None:
            for name in ("name", "email", "organisation_name"):
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
            if member.organisation_id:
                self.fields["country"].required = False
                self.fields["country"].widget = forms.HiddenInput()

    def clean_country(self) -> str:
        if self.member is not None and self.member.organisation_id:
            return self.member.organisation.country or "PL"
        return self.cleaned_data["country"]


class MeetingRequestForm(forms.Form):
    recipient = forms.IntegerField(widget=forms.HiddenInput())
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=20)


class ManualMeetingForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Participant"), queryset=Registration.objects.none())
    b = forms.ModelChoiceField(label=_("Meets"), queryset=Registration.objects.none())
    slot = forms.IntegerField(label=_("Slot (optional)"), required=False, min_value=1)
    table = forms.IntegerField(label=_("Table (optional)"), required=False, min_value=1)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).order_by(
            "organisation_name", "name"
        )
        self.fields["a"].queryset = confirmed
        self.fields["b"].queryset = confirmed
