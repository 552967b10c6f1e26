"""Reading spreadsheets people actually produce: Excel's semicolons, BOMs, Windows-1250."""

import pytest

from klaster.core.tabular import TabularError, read_table, write_csv, write_xlsx


def test_semicolon_and_comma_files_read_the_same():
    by_comma = read_table(b'name,city\n"Alfa, sp. k.",Radom\n', filename="a.csv")
    by_semicolon = read_table(b"name;city\nAlfa, sp. k.;Radom\n", filename="a.csv")

    assert by_comma == by_semicolon
    assert by_comma.rows[0].values == {"name": "Alfa, sp. k.", "city": "Radom"}


def test_headers_ignore_case_and_spaces_and_rows_keep_spreadsheet_numbers():
    table = read_table(b"\xef\xbb\xbf Name ;NIP\n\nAlfa;1\n;\nBeta;2\n", filename="a.csv")

    assert table.headers == ["name", "nip"]
    assert [row.number for row in table.rows] == [3, 5]


def test_windows_1250_file_names_the_first_bad_line():
    data = "name\nAlfa\nŁąka\n".encode("cp1250")

    with pytest.raises(TabularError) as error:
        read_table(data, filename="a.csv")

    assert error.value.code == "not_utf8"
    assert error.value.params == {"line": 3, "text": "Łąka"}


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "a.csv", "empty"),
        (b"\xef\xbb\xbf\n \n", "a.csv", "empty"),
        (b"name\n", "a.csv", "no_rows"),
        (b"name,name\nA,B\n", "a.csv", "duplicate_column"),
        (b"name\nA,B\n", "a.csv", "too_many_values"),
        (b"%PDF", "a.pdf", "unknown_type"),
        (b"\xd0\xcf\x11\xe0", "a.xls", "old_excel"),
        (b"not a zip", "a.xlsx", "broken_xlsx"),
    ],
)
def test_unusable_files_are_named_by_their_problem(data, filename, code):
    with pytest.raises(TabularError) as error:
        read_table(data, filename=filename)
    assert error.value.code == code


def test_missing_required_columns_are_listed():
    with pytest.raises(TabularError) as error:
        read_table(b"city\nRadom\n", filename="a.csv", required=["name", "kind", "city"])
    assert error.value.params == {"columns": ["name", "kind"]}


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
def test_written_files_read_back_unchanged(writer):
    rows = [["=SUM(A1)", "0000012345", "Zażółć, gęślą; jaźń"], ["+48 22 123", "", "-"]]
    if writer == "csv":
        data = write_csv(["a", "b", "c"], rows)
    else:
        data = write_xlsx(["a", "b", "c"], rows, title="t")

    table = read_table(data, filename=f"t.{writer}")

    assert [[row.values[h] for h in "abc"] for row in table.rows] == rows


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,  # a workbook renamed .csv
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),  # an image
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(1, 256)) * 8,  # binary, no NUL
    ],
)
def test_a_binary_file_named_csv_is_not_called_windows_1250(data):
    with pytest.raises(TabularError) as error:
        read_table(data, filename="members.csv")

    assert error.value.code == "not_text"


def test_a_text_file_with_a_stray_control_character_is_still_text():
    table = read_table(b"name\nAlfa\x0b Beta\n", filename="members.csv")

    assert table.rows[0].values["name"] == "Alfa\x0b Beta"
