"""Forms of expressions of interest and their threads. They parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.marketplace.models import Interest, Profile
from klaster.marketplace.services_interest import MESSAGE_MAX_LENGTH, Visitor


def _message_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MemberInterestForm(forms.Form):
    message = _message_field(_("Your message to the profile's owner"))


class VisitorInterestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.CharField(label=_("Organisation"), max_length=255)
    message = _message_field(_("Your message to the profile's owner"))
    consent = forms.BooleanField(
        label=_(
            "I agree that the cluster's coordinator processes my name, e-mail address and "
            "organisation to pass my message to the profile's owner and to let us write to each "
            "other about it."
        ),
    )
    # People do not see this field (it sits off-screen); programs filling every field do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def visitor(self, *, client_address: str) -> Visitor:
        data = self.cleaned_data
        return Visitor(
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            consent=data["consent"],
            client_address=client_address,
            form_token=data["form_token"],
            honeypot=data["website"],
        )


class InterestMessageForm(forms.Form):
    body = _message_field(_("Message"))


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Interest.Status.choices)
    closed_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *Interest.ClosedReason.choices],
        required=False,
    )


class InterestFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Interest.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of profile"),
        choices=[("", _("All")), *Profile.Kind.choices],
        required=False,
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
