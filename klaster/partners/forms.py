"""The find-partners form: the idea, and filters on the partners it finds."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.calls.models import Call
from klaster.common.countries import country_choices
from klaster.core.partners.features import PartnerQuery
from klaster.partners import selectors
from klaster.partners.ideas import idea_parse

IDEA_FIELDS = ("title", "objective", "keywords", "call")


class PartnerSearchForm(forms.Form):
    title = forms.CharField(label=_("Title of the idea"), max_length=600, required=False)
    objective = forms.CharField(
        label=_("Objective"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the project will do and achieve, in English or Polish."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas."),
    )
    call = forms.ModelChoiceField(
        label=_("Funding topic or call"),
        queryset=Call.objects.none(),  # the calls open today, set for each form
        required=False,
        empty_label=_("— none —"),
    )
    funding_scheme = forms.ChoiceField(label=_("Funding scheme"), required=False)
    coordinator = forms.CharField(
        label=_("Coordinator (name or PIC)"),
        max_length=400,
        required=False,
        help_text=_(
            "Your organisation by default. Type a few letters of another name to pick it from "
            "CORDIS; leave empty if the coordinator has no EU projects."
        ),
        widget=forms.TextInput(
            attrs={
                "list": "coordinator-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("partners:coordinators"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#coordinator-suggestions",
                "hx-swap": "outerHTML",
            }
        ),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    activity_type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("any type"))] + list(selectors.ACTIVITY_TYPE_LABELS.items()),
    )
    sme = forms.ChoiceField(
        label=_("SME"),
        required=False,
        choices=[("", _("SMEs and others")), ("yes", _("SMEs only")), ("no", _("no SMEs"))],
    )
    members_only = forms.BooleanField(label=_("Cluster members only"), required=False)

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A closed call is not offered: nobody can apply to it, nor start a consortium for it.
        self.fields["call"].queryset = selectors.calls_for_ideas(
            today=today or timezone.localdate()
        )
        self.fields["funding_scheme"].choices = [("", _("any scheme"))] + [
            (scheme, scheme) for scheme in selectors.funding_schemes()
        ]
        self.fields["country"].choices = [("", _("any country"))] + country_choices(
            selectors.partner_countries()
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["idea"] = idea_parse(data, call=data.get("call"))
        except ValidationError as error:
            self.add_error(None, error)
        return data

    def idea(self) -> PartnerQuery:
        return self.cleaned_data["idea"]

    def consortium_start(self) -> tuple[str, dict[str, str]]:
        """Where a consortium for this idea starts, and the texts it starts from."""
        data = self.cleaned_data
        call = data.get("call")
        page = (
            reverse("consortia:new_for_call", args=[call.pk]) if call else reverse("consortia:new")
        )
        texts = {
            "title": data.get("title"),
            "summary": data.get("objective"),
            "keywords": data.get("keywords"),
            # A call brings its own rules; without one, the scheme picked here says which apply.
            "funding_scheme": None if call else data.get("funding_scheme"),
        }
        return page, {name: value for name, value in texts.items() if value}

    def filters(self) -> selectors.PartnerFilters:
        data = self.cleaned_data
        return selectors.PartnerFilters(
            country=data.get("country") or "",
            activity_type=data.get("activity_type") or "",
            sme={"yes": True, "no": False}.get(data.get("sme") or ""),
            cluster_members_only=bool(data.get("members_only")),
        )
