"""A call file cannot bring a negative budget or a deadline in the year 9999: the row is refused
with the column named, and nothing is imported (the model validates budgets, the form dates)."""

import pytest
from django.utils import translation

from klaster.calls.imports import calls_import_apply, calls_import_check
from klaster.calls.models import Call
from klaster.calls.tests.test_import_csv import GOOD_ROWS, csv_file
from klaster.imports.report import ImportRejected
from klaster.imports.uploads import CommandLineOperator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("bad_row", "column"),
    [
        (GOOD_ROWS[1].replace("2 500 000,00", "-2 500 000"), "budget_max"),
        (GOOD_ROWS[0].replace("1 000 000", "-1"), "budget_min"),
        (GOOD_ROWS[1].replace("2026-11-15", "9999-11-15"), "deadline"),
    ],
    ids=["negative-max", "negative-min", "year-9999"],
)
def test_call_rows_with_impossible_values_are_refused(bad_row, column):
    data = csv_file(bad_row)
    operator = CommandLineOperator()

    with translation.override("en"):
        report = calls_import_check(data=data, filename="c.csv", editor=operator)
        assert [(error.row, error.column) for error in report.errors] == [(2, column)]
        with pytest.raises(ImportRejected):
            calls_import_apply(data=data, filename="c.csv", source="national", editor=operator)
    assert not Call.objects.exists()
