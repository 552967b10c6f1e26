"""Reading the official CORDIS CSV layout."""

import gzip
import zipfile
from datetime import date

import pytest

from klaster.core.cordis_files import (
    CordisFormatError,
    files_checksum,
    read_cordis,
    read_h2020_participations,
    read_history,
)

# Columns in another order than the official file, with an extra one: read by name.
PROJECT_CSV = (
    "extraColumn;id;acronym;title;startDate;endDate;fundingScheme;topics;masterCall;keywords;objective\n"
    'x;101;SUN;"Solar; cells";2023-01-01;2025-12-31;HORIZON-RIA;HORIZON-CL5-2022-D3-01-01;'
    'HORIZON-CL5-2022-D3-01;"perovskite, tandem";"Cheaper ""solar"" cells."\n'
    "x;102;MED;Tumour care;2022-06-01;;HORIZON-IA;HORIZON-HLTH-2022-01-01;HORIZON-HLTH-2022-01;;Care.\n"
)
ORGANISATION_CSV = (
    "projectID;organisationID;name;role;country;activityType;SME;order;ecContribution\n"
    "101;9001;Alpha;coordinator;PL;HES;false;1;100.5\n"
    "101;9002;Beta;participant;DE;PRC;true;2;\n"
    "102;9002;Beta GmbH;coordinator;DE;PRC;true;1;50\n"
)
TOPICS_CSV = "projectID;topic;title\n101;HORIZON-CL5-2022-D3-01-01;Solar energy\n"
SCIVOC_CSV = (
    "projectID;euroSciVocPath;euroSciVocTitle\n101;/engineering/solar energy;solar energy\n"
)


def _write_folder(folder, **overrides):
    files = {
        "project.csv": PROJECT_CSV,
        "organization.csv": ORGANISATION_CSV,
        "topics.csv": TOPICS_CSV,
        "euroSciVoc.csv": SCIVOC_CSV,
        **overrides,
    }
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _zip(folder, target):
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    return target


def test_reads_projects_by_column_name_with_lists_and_enrichments(tmp_path):
    history = read_cordis(_write_folder(tmp_path / "cordis"))
    projects = {p.id: p for p in history.projects}
    sun = projects["101"]
    assert sun.title == "Solar; cells"
    assert sun.keywords == ("perovskite", "tandem")
    assert sun.objective == 'Cheaper "solar" cells.'
    assert sun.start_date == date(2023, 1, 1)
    assert sun.topics == ("HORIZON-CL5-2022-D3-01-01",)
    assert sun.topic_titles == ("Solar energy",)
    assert sun.fields_of_science == ("/engineering/solar energy",)
    assert projects["102"].end_date is None


def test_reads_participations_and_keeps_latest_organisation_record(tmp_path):
    history = read_cordis(_write_folder(tmp_path / "cordis"))
    roles = {(p.project_id, p.organisation_id): p.role for p in history.participations}
    assert roles == {("101", "9001"): "coordinator", ("101", "9002"): "participant",
                     ("102", "9002"): "coordinator"}  # fmt: skip
    beta = next(p for p in history.participations if p.organisation_id == "9002")
    assert (beta.sme, beta.ec_contribution, beta.order) == (True, None, 2)
    names = {o.organisation_id: o.name for o in history.organisations}
    assert names == {"9001": "Alpha", "9002": "Beta GmbH"}


def test_zip_and_folder_read_the_same(tmp_path):
    folder = _write_folder(tmp_path / "cordis")
    assert (
        read_cordis(_zip(folder, tmp_path / "cordis.zip")).projects == read_cordis(folder).projects
    )


def test_missing_column_is_named(tmp_path):
    folder = _write_folder(tmp_path / "cordis", **{"organization.csv": "projectID;role\n101;x\n"})
    with pytest.raises(CordisFormatError) as error:
        read_cordis(folder)
    assert (error.value.file, error.value.line, error.value.column) == (
        "cordis/organization.csv", 1, "organisationID",
    )  # fmt: skip


def test_bad_date_names_file_line_and_column(tmp_path):
    broken = PROJECT_CSV.replace("2022-06-01", "June 2022")
    folder = _write_folder(tmp_path / "cordis", **{"project.csv": broken})
    with pytest.raises(CordisFormatError, match=r"project.csv, line 3, column 'startDate'"):
        read_cordis(folder)


def test_row_with_wrong_field_count_is_refused_with_its_line(tmp_path):
    broken = ORGANISATION_CSV + "102;9003;Gamma\n"
    folder = _write_folder(tmp_path / "cordis", **{"organization.csv": broken})
    with pytest.raises(CordisFormatError, match=r"organization.csv, line 5: 3 fields"):
        read_cordis(folder)


def test_missing_file_and_non_zip_are_refused(tmp_path):
    with pytest.raises(CordisFormatError, match="no such file"):
        read_cordis(tmp_path / "absent.zip")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CordisFormatError, match="neither a zip"):
        read_cordis(tmp_path / "notes.txt")
    folder = tmp_path / "partial"
    folder.mkdir()
    (folder / "project.csv").write_text(PROJECT_CSV)
    with pytest.raises(CordisFormatError, match="organization.csv: file is missing"):
        read_cordis(folder)


def _h2020(path, body):
    header = (
        "rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,total_cost\n"
    )
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(header + body)
    return path


def test_h2020_participations_get_prefixed_project_ids(tmp_path):
    path = _h2020(
        tmp_path / "h2020.csv.gz",
        "7,coordinator,9001,HES,NA,PL,2018-01-01,NA,10,10\n7,participant,9003,REC,5,FR,2018-01-01,NA,10,10\n",
    )
    history = read_h2020_participations(path)
    assert [p.id for p in history.projects] == ["h2020-7"]
    assert history.projects[0].start_date == date(2018, 1, 1)
    assert history.projects[0].end_date is None
    assert {p.organisation_id for p in history.participations} == {"9001", "9003"}


def test_h2020_bad_number_names_line_and_column(tmp_path):
    path = _h2020(tmp_path / "h2020.csv.gz", "7,coordinator,9001,HES,lots,PL,2018-01-01,,10,10\n")
    with pytest.raises(CordisFormatError, match=r"line 2, column 'contribution'"):
        read_h2020_participations(path)


def test_combined_history_keeps_first_organisation_record_and_splits_by_date(tmp_path):
    folder = _write_folder(tmp_path / "cordis")
    path = _h2020(tmp_path / "h2020.csv.gz", "7,coordinator,9001,HES,1,PL,2018-01-01,,10,10\n")
    history = read_history(folder, path)
    assert len(history.projects) == 3
    assert {o.organisation_id: o.name for o in history.organisations}["9001"] == "Alpha"
    earlier = history.started_before(date(2023, 1, 1))
    assert {p.id for p in earlier.projects} == {"102", "h2020-7"}
    assert {p.project_id for p in earlier.participations} == {"102", "h2020-7"}


def test_checksum_changes_with_content(tmp_path):
    folder = _write_folder(tmp_path / "cordis")
    before = files_checksum(folder)
    assert files_checksum(folder) == before
    (folder / "topics.csv").write_text(TOPICS_CSV + "102;HORIZON-HLTH-2022-01-01;Health\n")
    assert files_checksum(folder) != before
