"""Form fields shared by the apps' forms."""

from django import forms
from django.utils.translation import get_language


class SectorChoiceField(forms.ModelMultipleChoiceField):
    """Sectors as checkboxes, each named in the reader's language (a sector's str() is its
    Polish name, which an English page would otherwise show)."""

    def label_from_instance(self, obj) -> str:
        return obj.localized_name(get_language() or "pl")
