"""Forms of saved searches and the weekly digest (the filters are the list's own form)."""

from django import forms
from django.utils.translation import gettext_lazy


class SavedSearchNameForm(forms.Form):
    search_name = forms.CharField(
        label=gettext_lazy("Name of the search"), required=False, max_length=120
    )


class DigestForm(forms.Form):
    weekly = forms.BooleanField(
        label=gettext_lazy("Send me the weekly digest of new profiles and matches"),
        required=False,
    )
