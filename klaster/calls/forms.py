import datetime

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klaster.calls.selectors import CallFilters


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    action_type = forms.ChoiceField(label=_("Type of action"), required=False)
    deadline_from = forms.DateField(
        label=_("Deadline from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_to = forms.DateField(
        label=_("Deadline until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    budget_min = forms.IntegerField(
        label=_("Budget per grant at least (EUR)"), required=False, min_value=0
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    show_closed = forms.BooleanField(label=_("Show closed calls too"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("deadline", _("Deadline")), ("budget", _("Budget"))],
    )

    def __init__(self, *args, facets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["programme"].choices = everything + [(p, p) for p in facets["programmes"]]
        self.fields["action_type"].choices = everything + [(a, a) for a in facets["action_types"]]
        language = get_language() or "pl"
        self.fields["sector"].choices = everything + [
            (s.code, s.localized_name(language)) for s in facets["sectors"]
        ]

    def filters(self) -> CallFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CallFilters(
            q=(data.get("q") or "").strip(),
            programme=data.get("programme") or "",
            action_type=data.get("action_type") or "",
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            budget_min=data.get("budget_min"),
            sector=data.get("sector") or "",
            show_closed=bool(data.get("show_closed")),
            sort=data.get("sort") or "deadline",
        )


def parse_month(text: str | None, *, today: datetime.date) -> datetime.date:
    """The first day of the month "YYYY-MM"; this month when the text is missing or wrong."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 1900 <= year <= 2999:  # far enough for any call, and no overflow at the edges
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)
