"""Forms of the marketplace's pages: the list's filters, a profile, an attachment, a review.

They only parse and check the input; the services decide (and check again) what is saved.
"""

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klaster.calls.models import Call
from klaster.marketplace.models import (
    SCORE_MAX,
    SCORE_MIN,
    TRL_MAX,
    TRL_MIN,
    TRL_WORDS,
    Profile,
    ProfileReview,
)
from klaster.marketplace.services import EDITABLE_FIELDS, split_list
from klaster.members.models import Organisation

# Attachments: documents and pictures a partner may open safely, at most 5 MB each.
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt", "png", "jpg", "jpeg")


def trl_choices(language: str | None = None) -> list[tuple[int, str]]:
    """TRL 1-9 with their words in the interface's language."""
    language = "en" if (language or get_language() or "pl").startswith("en") else "pl"
    return [
        (level, f"{level} — {TRL_WORDS[level][language]}") for level in range(TRL_MIN, TRL_MAX + 1)
    ]


class ProfileFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    trl_min = forms.TypedChoiceField(
        label=_("TRL from"), required=False, coerce=int, empty_value=None
    )
    trl_max = forms.TypedChoiceField(
        label=_("TRL to"), required=False, coerce=int, empty_value=None
    )
    partnership = forms.ChoiceField(label=_("Type of partnership"), required=False)
    keyword = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    language = forms.CharField(label=_("Language (code)"), required=False, max_length=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(Profile.Kind.choices)
        self.fields["partnership"].choices = everything + list(Profile.Partnership.choices)
        levels = [("", "—")] + [(level, str(level)) for level in range(TRL_MIN, TRL_MAX + 1)]
        self.fields["trl_min"].choices = levels
        self.fields["trl_max"].choices = levels

    def filters(self) -> dict:
        """The cleaned filters for `selectors.profiles_published` (none when invalid)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


def _ticks(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(forms.ModelForm):
    """A profile's fields, the Polish and English texts side by side. Lists are typed as
    comma-separated text or ticked."""

    technology_keywords = forms.CharField(
        label=_("Technology keywords"),
        required=False,
        help_text=_("Separated by commas, e.g. machine learning, computer vision."),
    )
    market_keywords = forms.CharField(
        label=_("Market keywords"), required=False, help_text=_("Separated by commas.")
    )
    nace_codes = forms.CharField(
        label=_("NACE codes"), required=False, help_text=_("Separated by commas, e.g. C26.1, J62.")
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Two-letter codes separated by commas, e.g. pl, en, de."),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"), required=False, coerce=int, empty_value=None
    )
    partnership_types = _ticks(_("Types of partnership considered"), Profile.Partnership.choices)
    partner_kinds = _ticks(_("Kinds of partner sought"), Organisation.Kind.choices)
    partner_sizes = _ticks(_("Sizes of partner sought"), Profile.PartnerSize.choices)
    call = forms.ModelChoiceField(
        label=_("Funding call (optional)"),
        required=False,
        queryset=Call.objects.none(),
    )

    class Meta:
        model = Profile
        fields = EDITABLE_FIELDS
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "summary_pl",
                    "summary_en",
                    "description_pl",
                    "description_en",
                    "advantages_pl",
                    "advantages_en",
                    "partner_sought_pl",
                    "partner_sought_en",
                    "ipr_comment",
                )
            },
        }

    LIST_TEXT_FIELDS = ("technology_keywords", "market_keywords", "nace_codes", "languages")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trl"].choices = [("", "—")] + trl_choices()
        # Open calls (and the one already chosen, even if closed since), soonest deadline first.
        open_calls = Q(deadline__gte=timezone.localdate()) | Q(deadline__isnull=True)
        self.fields["call"].queryset = Call.objects.filter(
            open_calls | Q(pk=self.instance.call_id)
        ).order_by(F("deadline").asc(nulls_last=True), "identifier")
        if self.instance.pk and not self.is_bound:
            for name in self.LIST_TEXT_FIELDS:
                self.initial[name] = ", ".join(getattr(self.instance, name))

    def clean(self):
        cleaned = super().clean()
        for name in self.LIST_TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = split_list(cleaned[name])
        return cleaned

    def _post_clean(self):
        # The service checks the model's rules when it saves; the ModelForm's own copy onto
        # the instance would put the comma-separated texts into list fields.
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, office document or picture, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in ATTACHMENT_EXTENSIONS)}
        ),
    )
    title = forms.CharField(label=_("Title of the attachment"), required=False, max_length=200)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ATTACHMENT_EXTENSIONS:
            raise forms.ValidationError(
                _("Attach one of: %(types)s.") % {"types": ", ".join(ATTACHMENT_EXTENSIONS)}
            )
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("The attachment is larger than 5 MB."))
        return upload


SCORE_CHOICES = [(score, str(score)) for score in range(SCORE_MIN, SCORE_MAX + 1)]


def _score(label, help_text) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )


class ReviewForm(forms.Form):
    innovation = _score(
        _("Advantages and innovation"), _("Is it clear what is new and better than what exists?")
    )
    clarity = _score(
        _("Clarity"), _("Would a stranger understand the offer or need from the text alone?")
    )
    expectations = _score(
        _("Cooperation expectations"),
        _("Does it say which partner is sought and what cooperation is considered?"),
    )
    language = _score(_("Language"), _("Is the text correct and free of advertising?"))
    comment = forms.CharField(
        label=_("Comment for the owner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when a criterion scores 0: the profile is then held until edited."),
    )

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in ProfileReview.CRITERIA}

    def publishes(self) -> bool:
        """The decision these scores make: published unless a criterion scored 0."""
        return min(self.scores().values()) > 0
