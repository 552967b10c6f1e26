"""The find-partners form: the idea, and filters on the partners it finds."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from klaster.members.identifiers import clean_pic
from klaster.partners import selectors
from klaster.portal.countries import country_choices

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
        queryset=selectors.calls_for_ideas(),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_scheme"].choices = [("", _("any scheme"))] + [
            (scheme, scheme) for scheme in selectors.funding_schemes()
        ]
        self.fields["country"].choices = [("", _("any country"))] + country_choices(
            selectors.partner_countries()
        )

    def clean_coordinator(self) -> str:
        """A PIC as it is, or the name of one CORDIS organisation turned into its PIC."""
        given = self.cleaned_data["coordinator"].strip()
        if not given:
            return ""
        try:
            return clean_pic(given)
        except ValidationError:
            pass  # not a PIC: a name
        pic = selectors.coordinator_pic_named(given)
        if pic is None:
            raise forms.ValidationError(
                _("No single organisation in CORDIS is called “%(name)s”: pick one of the "
                  "suggestions, or give its 9-digit PIC.") % {"name": given}
            )  # fmt: skip
        return pic

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in IDEA_FIELDS):
            raise forms.ValidationError(
                _("Describe the idea (a title, an objective or keywords) or pick a funding call.")
            )
        return data

    def idea(self) -> selectors.Idea:
        data = self.cleaned_data
        from_call = selectors.idea_from_call(call=data["call"]) if data.get("call") else {}
        described = any(data.get(name) for name in ("title", "objective", "keywords"))
        texts = data if described else from_call
        keywords = texts.get("keywords") or ""
        return selectors.Idea(
            title=texts.get("title") or "",
            objective=texts.get("objective") or "",
            keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
            topic=from_call.get("topic", ""),
            call=from_call.get("call", ""),
            funding_scheme=data.get("funding_scheme") or from_call.get("funding_scheme", ""),
            coordinator=data.get("coordinator") or "",
        )

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
