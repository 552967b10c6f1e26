from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.consortia.models import PartnerChoice, ProjectIdea, RequiredRole
from klaster.consortia.selectors import rule_set_choices


class IdeaForm(forms.ModelForm):
    rule_set = forms.ChoiceField(label=_("Eligibility rules"), choices=())

    class Meta:
        model = ProjectIdea
        fields = [
            "title", "summary", "keywords", "rule_set", "size",
            "prefer_members", "max_per_country", "include_sme",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "keywords": _("Separated by commas."),
            "max_per_country": _("Leave empty for no limit."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = rule_set_choices()

    @staticmethod
    def texts_from(query) -> dict:
        """Title, summary and keywords handed over by the find-partners page."""
        texts = {}
        for name in ("title", "summary", "keywords"):
            if query.get(name):
                # Cut to what the field holds, so a long objective never prefills an invalid form.
                limit = ProjectIdea._meta.get_field(name).max_length
                texts[name] = query[name][:limit] if limit else query[name]
        return texts

    def idea_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RoleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", "—"), *RequiredRole.Kind.choices]
    )
    field = forms.CharField(label=_("In the field of"), required=False, max_length=80)

    def clean(self):
        data = super().clean()
        if data.get("field") and not data.get("kind"):
            self.add_error("kind", _("Choose the role for this field."))
        return data


RoleFormSet = forms.formset_factory(RoleForm, extra=0, max_num=8, validate_max=True)


def role_formset(data=None, *, roles=(), spare: int = 2) -> forms.BaseFormSet:
    initial = [{"kind": r.kind, "field": r.field} for r in roles] + [{}] * spare
    formset = RoleFormSet(data, prefix="roles", initial=None if data else initial)
    if data is None:
        formset.extra = 0
    return formset


def roles_of(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("kind")]


class ChoiceForm(forms.Form):
    pic = forms.CharField(max_length=12)
    choice = forms.ChoiceField(choices=[("", "—"), *PartnerChoice.Choice.choices], required=False)


class InviteForm(forms.Form):
    pic = forms.CharField(max_length=12, widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("E-mail (for organisations outside the cluster)"), required=False
    )
    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])

    @property
    def accept(self) -> bool:
        return self.cleaned_data["answer"] == "accept"


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note for the consortium"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
