"""The row plan of an import and its all-or-nothing rule.

An importer checks every row of a file into a plan (create, update, unchanged) or into row
errors. The dry run stops there and writes nothing. The real run checks the rows again inside
one transaction (the data may have changed since the preview) and saves them only if no row
has an error: one bad row, and nothing is written.
"""

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff
from klaster.core.tabular import Table, TabularError, read_table
from klaster.imports.report import ImportRejected, ImportReport, RowPlan, tabular_error_message
from klaster.jobs.registry import Progress

# Progress is told every this many rows (and at the last one).
PROGRESS_EVERY = 25


class Importer:
    """One kind of file to import. A subclass declares its columns, checks a row
    (`validate_row`) and saves a checked row (`apply`); an instance serves one file, so it may
    load what every row is matched against once, and remember earlier rows of the file.

    Options chosen with the upload (the calls' source, say) reach the constructor as keywords.
    """

    kind: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]  # every column it reads; others are reported as ignored
    required: ClassVar[tuple[str, ...]] = ()  # columns the file must have at all
    refused: ClassVar[str] = "Only coordinator staff import this kind of file."
    # The preview's table: the heading of the rows' labels, the URL name of a saved row's page,
    # and whether rows belong to an organisation shown beside them.
    label_heading: ClassVar[Any] = ""
    detail_url: ClassVar[str] = ""
    shows_organisation: ClassVar[bool] = False
    # Who imports (set by `import_check` and `import_apply` before the rows are checked), for
    # importers whose rows depend on it, such as a member editor's own organisation.
    editor: Any = None

    def __init__(self, table: Table, **options):
        self.table = table
        self.options = options

    # Whether a user may import such files (the check and the real run): staff, unless a
    # subclass says otherwise.
    may_import = staticmethod(is_cluster_staff)
    # A class is callable: templates must read it, not call it.
    do_not_call_in_templates = True

    @classmethod
    def check_user(cls, user) -> None:
        if not cls.may_import(user):
            raise PermissionDenied(cls.refused)

    @classmethod
    def read(cls, *, data: bytes, filename: str) -> Table:
        """The file as a table, or TabularError if it cannot be one."""
        return read_table(data, filename=filename, required=list(cls.required))

    def validate_row(self, number: int, values: dict[str, str]):
        """(RowPlan, what `apply` needs) for a good row, or (None, [RowError, ...])."""
        raise NotImplementedError

    def apply(self, plan: RowPlan, checked, *, editor) -> None:
        """Save one good row (inside the import's transaction); set `plan.target_id`."""
        raise NotImplementedError


def check_rows(
    *, importer: Importer, report: ImportReport, progress: Progress | None = None, saving=False
) -> list:
    """Check every row of the importer's table into `report`; returns the good rows' (plan,
    checked). Progress counts the saving that follows when `saving` (it is half the work)."""
    table = importer.table
    report.ignored_columns = table.unknown_columns(importer.columns)
    report.total_rows = len(table.rows)
    steps = (2 if saving else 1) * len(table.rows)
    good = []
    for position, row in enumerate(table.rows, start=1):
        plan, outcome = importer.validate_row(row.number, row.values)
        if plan is None:
            report.errors += outcome
        else:
            report.plans.append(plan)
            good.append((plan, outcome))
        if progress and (position % PROGRESS_EVERY == 0 or position == len(table.rows)):
            progress(
                position,
                steps,
                _("Checked %(n)d of %(total)d rows") % {"n": position, "total": len(table.rows)},
            )
    return good


def _saved_progress(progress: Progress | None, saved: int, good: list, total_rows: int) -> None:
    if progress and (saved % PROGRESS_EVERY == 0 or saved == len(good)):
        progress(
            total_rows + saved,
            2 * total_rows,
            _("Saved %(n)d of %(total)d rows") % {"n": saved, "total": len(good)},
        )


def import_check(
    importer: type[Importer],
    *,
    data: bytes,
    filename: str,
    editor,
    progress: Progress | None = None,
    **options,
) -> ImportReport:
    """The dry run: what the import would create and update, and every row error. Writes
    nothing."""
    importer.check_user(editor)
    report = ImportReport(kind=importer.kind, filename=filename)
    try:
        table = importer.read(data=data, filename=filename)
    except TabularError as error:
        report.file_error = tabular_error_message(error)
        return report
    rows = importer(table, **options)
    rows.editor = editor
    check_rows(importer=rows, report=report, progress=progress)
    return report


def import_apply(
    importer: type[Importer],
    *,
    data: bytes,
    filename: str,
    editor,
    progress: Progress | None = None,
    **options,
) -> ImportReport:
    """The real run, all-or-nothing: the rows are checked again inside the transaction and any
    error rolls everything back by raising ImportRejected."""
    importer.check_user(editor)
    report = ImportReport(kind=importer.kind, filename=filename)
    try:
        table = importer.read(data=data, filename=filename)
    except TabularError as error:
        report.file_error = tabular_error_message(error)
        raise ImportRejected(report) from error
    with transaction.atomic():
        rows = importer(table, **options)
        rows.editor = editor
        good = check_rows(importer=rows, report=report, progress=progress, saving=True)
        if not report.ok:
            raise ImportRejected(report)
        for position, (plan, checked) in enumerate(good, start=1):
            rows.apply(plan, checked, editor=editor)
            _saved_progress(progress, position, good, len(table.rows))
        report.written = True
    return report
