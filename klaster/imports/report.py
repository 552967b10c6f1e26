"""What an import says of a file: a plan for every good row, an error for every bad one.

The report is plain data (it travels through a background job as JSON, see `as_dict` and
`from_dict`); its summary speaks the language active when it is asked for.
"""

from dataclasses import asdict, dataclass, field, fields

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.core.tabular import TabularError

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"  # matched, and every value already stored


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RowPlan:
    """What the import does with one good row."""

    row: int
    action: str  # CREATE, UPDATE or UNCHANGED
    label: str
    matched_by: str = ""
    target_id: int | None = None
    organisation: str = ""


@dataclass
class ImportReport:
    kind: str
    filename: str
    total_rows: int = 0
    plans: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    file_error: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def creates(self) -> int:
        return sum(plan.action == CREATE for plan in self.plans)

    @property
    def updates(self) -> int:
        return sum(plan.action == UPDATE for plan in self.plans)

    @property
    def unchanged(self) -> int:
        return sum(plan.action == UNCHANGED for plan in self.plans)

    # A page lists this many rows of each kind; a file of thousands of rows would make a page
    # of megabytes, and the first few hundred errors already show what to correct.
    ROWS_SHOWN = 500

    @property
    def plans_shown(self) -> list[RowPlan]:
        return self.plans[: self.ROWS_SHOWN]

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[: self.ROWS_SHOWN]

    @property
    def plans_not_shown(self) -> int:
        return max(0, len(self.plans) - self.ROWS_SHOWN)

    @property
    def errors_not_shown(self) -> int:
        return max(0, len(self.errors) - self.ROWS_SHOWN)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        if self.errors:
            lines = [
                _("Nothing was imported: %(rows)d of %(total)d rows have errors.")
                % {"rows": self.rows_with_errors, "total": self.total_rows}
            ]
            lines += [
                _("Row %(row)d, %(column)s: %(message)s")
                % {"row": e.row, "column": e.column or "—", "message": e.message}
                for e in self.errors[:50]
            ]
            return "\n".join(lines)
        verb = _("Imported") if self.written else _("Ready to import")
        counts = {
            "verb": verb,
            "creates": self.creates,
            "updates": self.updates,
            "unchanged": self.unchanged,
        }
        if self.unchanged:
            return _("%(verb)s: %(creates)d new, %(updates)d updated, %(unchanged)d unchanged.") % (
                counts
            )
        return _("%(verb)s: %(creates)d new, %(updates)d updated.") % counts

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            creates=self.creates,
            updates=self.updates,
            unchanged=self.unchanged,
            summary=self.summary(),
        )
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        """The report back from `as_dict` (as a background check stores it)."""
        names = {f.name for f in fields(cls)}
        report = cls(**{k: v for k, v in data.items() if k in names})
        report.plans = [RowPlan(**plan) for plan in data.get("plans", [])]
        report.errors = [RowError(**error) for error in data.get("errors", [])]
        return report

    @classmethod
    def of_check_job(cls, job, *, kind: str, filename: str) -> "ImportReport":
        """The report of a finished background check; a check that failed says why as a file
        error, so the page offers no confirmation."""
        if job.status == job.Status.SUCCEEDED:
            return cls.from_dict(job.result)
        return cls(
            kind=kind,
            filename=filename,
            file_error=_("The file could not be checked: %(error)s") % {"error": job.error},
        )


class ImportRejected(Exception):
    """The file or some rows are wrong; the transaction is rolled back and nothing is written."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.summary())


def form_errors(number: int, form, column_of_field: dict[str, str] | None = None) -> list[RowError]:
    """A Django form's errors as row errors, under the file's column names (`column_of_field`
    names the fields a file calls differently); errors of the whole form have no column."""
    renamed = column_of_field or {}
    return [
        RowError(number, "" if name == "__all__" else renamed.get(name, name), message)
        for name, messages in form.errors.items()
        for message in messages
    ]


_TABULAR_MESSAGES = {
    "empty": gettext_lazy("The file is empty."),
    "no_rows": gettext_lazy("The file has column names but no rows of data."),
    "not_utf8": gettext_lazy(
        "The file is not in UTF-8 encoding (line %(line)s: “%(text)s”); it was probably saved "
        "as Windows-1250. In Excel choose File → Save As → “CSV UTF-8 (Comma delimited)”; in "
        "LibreOffice tick “Edit filter settings” and choose “Unicode (UTF-8)”. Or upload the "
        "XLSX workbook itself."
    ),
    "not_text": gettext_lazy(
        "This is not a text CSV file: it holds binary data (a workbook, a PDF or an image?). "
        "Save the sheet as CSV UTF-8, or upload the XLSX workbook itself under its .xlsx name."
    ),
    "unknown_type": gettext_lazy(
        "“%(filename)s” is neither a CSV nor an XLSX file. Save the sheet as CSV UTF-8 or XLSX."
    ),
    "old_excel": gettext_lazy(
        "This is an old Excel file (.xls). Save it as an Excel Workbook (.xlsx) or as CSV UTF-8."
    ),
    "broken_xlsx": gettext_lazy(
        "The XLSX file cannot be opened; it may be damaged. Save it again from the spreadsheet."
    ),
    "broken_csv": gettext_lazy("The CSV file cannot be read near line %(line)s (%(detail)s)."),
    "missing_columns": gettext_lazy(
        "Missing columns: %(columns)s. The first row must name the columns; an export from "
        "Klaster shows them."
    ),
    "duplicate_column": gettext_lazy("The column “%(column)s” appears twice in the first row."),
    "too_many_values": gettext_lazy(
        "Row %(row)s has more values than the first row has column names."
    ),
    "too_many_rows": gettext_lazy("The file has more than %(limit)s rows; split it into parts."),
    "too_big_unpacked": gettext_lazy(
        "The XLSX file unpacks to more than %(megabytes)s MB. Save only the sheet with the "
        "data, or save it as CSV UTF-8."
    ),
}


def tabular_error_message(error: TabularError) -> str:
    params = dict(error.params)
    if "columns" in params:
        params["columns"] = ", ".join(params["columns"])
    return str(_TABULAR_MESSAGES.get(error.code, error.code)) % params
