"""Import of national and regional funding calls from CSV or XLSX files.

The steps of every import (klaster/imports): a dry run lists the calls to add and to update
and every row error; the real run is all-or-nothing, one bad row and nothing is written. A row updates the national or regional call of the same identifier; EU topics come
only from `klaster calls import` and a file cannot change them.

Sectors: a row's `sectors` (codes or names, separated by semicolons) are kept as set by hand;
a row without sectors gets them from the sector rules, unless staff set them by hand before.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.calls.models import Call
from klaster.calls.services import SectorAssigner
from klaster.core.limits import EARLIEST_YEAR, LATEST_YEAR, sane_year
from klaster.core.tabular import Table
from klaster.core.text import fold
from klaster.imports.forms import ImportUploadForm
from klaster.imports.plan import Importer, import_apply, import_check
from klaster.imports.report import CREATE, UPDATE, ImportReport, RowError, RowPlan, form_errors
from klaster.imports.values import date_text
from klaster.jobs.registry import Progress
from klaster.members.models import Sector

KIND = "calls"
COLUMNS = (
    "identifier",
    "title",
    "programme",
    "action_type",
    "deadline",
    "budget_min",
    "budget_max",
    "description",
    "url",
    "sectors",
)
REQUIRED_COLUMNS = ("identifier", "title")
SOURCES = (Call.Source.NATIONAL, Call.Source.REGIONAL)


class CallRowForm(forms.ModelForm):
    """One row of a calls file, validated like the call itself (lengths, dates, amounts, URL)."""

    # "www.example.pl" is read as https://, as browsers do.
    url = forms.URLField(
        label=gettext_lazy("web page"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Call
        fields = [
            "identifier",
            "title",
            "programme",
            "action_type",
            "deadline",
            "budget_min",
            "budget_max",
            "description",
            "url",
        ]

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and not sane_year(deadline.year):
            raise forms.ValidationError(
                _("Give a date between %(first)d and %(last)d."),
                params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )
        return deadline

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_min", _("The lowest budget is above the highest."))
        return cleaned


def _amount_text(text: str) -> str:
    """ "1 500 000", "1500000,00" and "1,500,000" as "1500000"; anything else as typed."""
    compact = "".join(text.split()).replace("\u202f", "")
    if "," in compact and "." not in compact and compact.count(",") == 1:
        compact = compact.replace(",", ".")
    compact = compact.replace(",", "")
    try:
        amount = Decimal(compact)
    except InvalidOperation:
        return text
    return str(int(amount)) if amount == amount.to_integral_value() else compact


def _split_sectors(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


class CallImporter(Importer):
    """Checks rows one by one, remembering the identifiers of earlier rows of the file; saves
    them as calls of the `source` chosen with the upload."""

    kind = KIND
    columns = COLUMNS
    required = REQUIRED_COLUMNS
    refused = "Only coordinator staff import funding calls."
    label_heading = gettext_lazy("Call")
    detail_url = "calls:detail"

    def __init__(self, table: Table, *, source: str = Call.Source.NATIONAL):
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        super().__init__(table, source=source)
        self.source = source
        self.assigner = None
        identifiers = {row.values.get("identifier", "").strip() for row in table.rows}
        self.existing = Call.objects.in_bulk(identifiers - {""}, field_name="identifier")
        self.sectors: dict[str, int] = {}
        for sector in Sector.objects.all():
            for key in (sector.code, sector.name_pl, sector.name_en):
                self.sectors.setdefault(fold(key), sector.pk)
        self.sector_codes = ", ".join(Sector.objects.values_list("code", flat=True))
        self.rows_of: dict[str, int] = {}

    def validate_row(self, number: int, values: dict[str, str]):
        """(RowPlan, (form, sector ids)) for a good row, or (None, errors)."""
        errors: list[RowError] = []
        identifier = values.get("identifier", "").strip()
        if identifier:
            earlier = self.rows_of.setdefault(identifier, number)
            if earlier != number:
                errors.append(
                    RowError(
                        number,
                        "identifier",
                        _("The identifier %(identifier)s appears also in row %(row)d of the file.")
                        % {"identifier": identifier, "row": earlier},
                    )
                )
        instance = self.existing.get(identifier)
        if instance is not None and instance.source == Call.Source.EU:
            errors.append(
                RowError(
                    number,
                    "identifier",
                    _("%(identifier)s is an EU topic; EU topics are not changed from a file.")
                    % {"identifier": identifier},
                )
            )
        sector_ids = []
        for name in _split_sectors(values.get("sectors", "")):
            pk = self.sectors.get(fold(name))
            if pk is None:
                errors.append(
                    RowError(
                        number,
                        "sectors",
                        _("Unknown sector “%(name)s”; known codes: %(codes)s.")
                        % {"name": name, "codes": self.sector_codes},
                    )
                )
            elif pk not in sector_ids:
                sector_ids.append(pk)
        data = {column: values.get(column, "").strip() for column in CallRowForm.Meta.fields}
        data["deadline"] = date_text(data["deadline"])
        data["budget_min"] = _amount_text(data["budget_min"])
        data["budget_max"] = _amount_text(data["budget_max"])
        form = CallRowForm(data=data, instance=instance)
        if not form.is_valid():
            errors += form_errors(number, form)
        if errors:
            return None, errors
        plan = RowPlan(
            row=number,
            action=UPDATE if instance else CREATE,
            label=form.cleaned_data["title"],
            matched_by=_("identifier") if instance else "",
            target_id=instance.pk if instance else None,
        )
        return plan, (form, sector_ids)

    def apply(self, plan: RowPlan, checked, *, editor) -> None:
        form, sector_ids = checked
        call = form.save(commit=False)
        call.source = self.source
        if call.pk is None:
            call.created_by_id = getattr(editor, "pk", None)
        if sector_ids:
            call.sectors_by_hand = True
        call.save()
        if sector_ids:
            call.sectors.set(sector_ids)
        elif not call.sectors_by_hand:
            # The rules are read once per file, when the first row needs them.
            self.assigner = self.assigner or SectorAssigner()
            call.sectors.set(self.assigner.sector_ids(form.cleaned_data))
        plan.target_id = call.pk


# An upload of calls is kept under this kind and the source chosen: "calls:regional".
UPLOAD_KIND = KIND + ":"


def importer_for(kind: str) -> tuple[type[Importer], dict]:
    """The importer of an upload of `kind` ("calls:national" or "calls:regional")."""
    source = kind.removeprefix(UPLOAD_KIND)
    if not kind.startswith(UPLOAD_KIND) or source not in SOURCES:
        raise LookupError(f"Not an upload of calls: {kind!r}")
    return CallImporter, {"source": source}


def describe(kind: str) -> str:
    """An upload's kind in the reader's words."""
    if kind == UPLOAD_KIND + Call.Source.REGIONAL:
        return _("regional calls")
    return _("national calls")


def calls_import_check(
    *, data: bytes, filename: str, editor, progress: Progress | None = None
) -> ImportReport:
    """The dry run: calls to add and to update, and every row error. Writes nothing."""
    return import_check(
        CallImporter, data=data, filename=filename, editor=editor, progress=progress
    )


def calls_import_apply(
    *, data: bytes, filename: str, source: str, editor, progress: Progress | None = None
) -> ImportReport:
    """The real run, all-or-nothing: rows are checked again inside the transaction and any
    error rolls everything back by raising ImportRejected."""
    return import_apply(
        CallImporter, data=data, filename=filename, editor=editor, progress=progress, source=source
    )


class CallImportUploadForm(ImportUploadForm):
    """The upload form of every import (size limit, accepted types) with the calls' source."""

    source = forms.ChoiceField(
        label=gettext_lazy("The calls are"),
        choices=[(source.value, source.label) for source in SOURCES],
        initial=Call.Source.NATIONAL,
        widget=forms.RadioSelect,
    )
    field_order = ["source", "file"]
    choice = "source"

    def upload_kind(self) -> str:
        return UPLOAD_KIND + self.cleaned_data["source"]
