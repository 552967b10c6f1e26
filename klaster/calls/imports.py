"""Import of national and regional funding calls from CSV or XLSX files.

The same steps as the import of organisations (klaster/members/imports.py), whose report,
row errors, upload storage and file messages are reused: a dry run lists the calls to add and
to update and every row error; the real run is all-or-nothing, one bad row and nothing is
written. A row updates the national or regional call of the same identifier; EU topics come
only from `klaster calls import` and a file cannot change them.

Sectors: a row's `sectors` (codes or names, separated by semicolons) are kept as set by hand;
a row without sectors gets them from the sector rules, unless staff set them by hand before.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.calls.models import Call
from klaster.calls.services import SectorAssigner
from klaster.core.limits import EARLIEST_YEAR, LATEST_YEAR, sane_year
from klaster.core.tabular import Table, TabularError, read_table
from klaster.core.text import fold
from klaster.jobs.registry import Progress
from klaster.members import permissions
from klaster.members.imports import (
    ImportRejected,
    ImportReport,
    ImportUploadForm,
    RowError,
    RowPlan,
    _date_text,
    _form_errors,
    check_rows,
    saved_progress,
    tabular_error_message,
)
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


class _CallRows:
    """Checks rows one by one, remembering the identifiers of earlier rows of the file."""

    def __init__(self, table: Table):
        identifiers = {row.values.get("identifier", "").strip() for row in table.rows}
        self.existing = Call.objects.in_bulk(identifiers - {""}, field_name="identifier")
        self.sectors: dict[str, int] = {}
        for sector in Sector.objects.all():
            for key in (sector.code, sector.name_pl, sector.name_en):
                self.sectors.setdefault(fold(key), sector.pk)
        self.sector_codes = ", ".join(Sector.objects.values_list("code", flat=True))
        self.rows_of: dict[str, int] = {}

    def check(self, number: int, values: dict[str, str]):
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
        data["deadline"] = _date_text(data["deadline"])
        data["budget_min"] = _amount_text(data["budget_min"])
        data["budget_max"] = _amount_text(data["budget_max"])
        form = CallRowForm(data=data, instance=instance)
        if not form.is_valid():
            errors += _form_errors(number, form)
        if errors:
            return None, errors
        plan = RowPlan(
            row=number,
            action="update" if instance else "create",
            label=form.cleaned_data["title"],
            matched_by=_("identifier") if instance else "",
            target_id=instance.pk if instance else None,
        )
        return plan, (form, sector_ids)


def calls_import_read(*, data: bytes, filename: str) -> Table:
    return read_table(data, filename=filename, required=REQUIRED_COLUMNS)


def _check_editor(editor) -> None:
    if not permissions.can_manage_registry(editor):
        raise PermissionDenied("Only coordinator staff import funding calls.")


def _checked_rows(table: Table, report: ImportReport, progress=None, saving=False) -> list:
    return check_rows(
        table=table,
        checker=_CallRows(table),
        known_columns=COLUMNS,
        report=report,
        progress=progress,
        saving=saving,
    )


def calls_import_check(
    *, data: bytes, filename: str, editor, progress: Progress | None = None
) -> ImportReport:
    """The dry run: calls to add and to update, and every row error. Writes nothing."""
    _check_editor(editor)
    report = ImportReport(kind=KIND, filename=filename)
    try:
        table = calls_import_read(data=data, filename=filename)
    except TabularError as error:
        report.file_error = tabular_error_message(error)
        return report
    _checked_rows(table, report, progress)
    return report


def calls_import_apply(
    *, data: bytes, filename: str, source: str, editor, progress: Progress | None = None
) -> ImportReport:
    """The real run, all-or-nothing: rows are checked again inside the transaction and any
    error rolls everything back by raising ImportRejected."""
    _check_editor(editor)
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    report = ImportReport(kind=KIND, filename=filename)
    try:
        table = calls_import_read(data=data, filename=filename)
    except TabularError as error:
        report.file_error = tabular_error_message(error)
        raise ImportRejected(report) from error
    with transaction.atomic():
        checked = _checked_rows(table, report, progress, saving=True)
        if not report.ok:
            raise ImportRejected(report)
        assigner = SectorAssigner()
        for position, (plan, (form, sector_ids)) in enumerate(checked, start=1):
            call = form.save(commit=False)
            call.source = source
            if call.pk is None:
                call.created_by_id = getattr(editor, "pk", None)
            if sector_ids:
                call.sectors_by_hand = True
            call.save()
            if sector_ids:
                call.sectors.set(sector_ids)
            elif not call.sectors_by_hand:
                call.sectors.set(assigner.sector_ids(form.cleaned_data))
            plan.target_id = call.pk
            saved_progress(progress, position, checked, len(table.rows))
        report.written = True
    return report


class CallImportUploadForm(ImportUploadForm):
    """The organisations' upload form (size limit, accepted types) with a source instead of
    a kind."""

    kind = None
    source = forms.ChoiceField(
        label=gettext_lazy("The calls are"),
        choices=[(source.value, source.label) for source in SOURCES],
        initial=Call.Source.NATIONAL,
        widget=forms.RadioSelect,
    )
    field_order = ["source", "file"]
