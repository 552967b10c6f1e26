from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    """The file of an import (CSV or XLSX, up to MAX_UPLOAD_BYTES). A domain's form adds the
    choice of what the file holds and says, in `upload_kind`, which importer reads it."""

    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    # The name of the choice field shown above the file (what the file holds).
    choice = ""

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB; split it into parts.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return uploaded

    def upload_kind(self) -> str:
        """The kind the upload is kept under (after `is_valid()`)."""
        raise NotImplementedError
