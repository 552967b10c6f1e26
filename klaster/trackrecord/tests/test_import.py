import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from klaster.core.cordis_files import CordisFormatError
from klaster.jobs.models import Job
from klaster.trackrecord import services
from klaster.trackrecord.models import (
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
    CordisTopic,
    FieldOfScience,
)

pytestmark = pytest.mark.django_db


def _counts():
    return (
        CordisProject.objects.count(),
        CordisOrganisation.objects.count(),
        CordisParticipation.objects.count(),
        CordisTopic.objects.count(),
        FieldOfScience.objects.count(),
    )


def test_import_loads_projects_organisations_participations_topics_and_fields(
    cordis_folder, h2020_file
):
    result = services.cordis_import(cordis_path=cordis_folder, h2020_path=h2020_file)

    assert _counts() == (3, 5, 7, 2, 2)
    grid = CordisProject.objects.get(project_id="101000001")
    assert grid.acronym == "GRIDTWIN"
    assert grid.objective == "Twins; for grids"
    assert grid.cordis_url == "https://cordis.europa.eu/project/id/101000001"
    assert [t.title for t in grid.topics.all()] == ["Grids of the future"]
    assert [f.title for f in grid.fields_of_science.all()] == ["energy and fuels"]
    university = CordisOrganisation.objects.get(pic="999000001")
    assert (university.name, university.street, university.nuts_code) == (
        "POLITECHNIKA TESTOWA",
        "PLAC TESTOWY 1",
        "PL911",
    )
    # H2020 rows carry no names: they never blank out the Horizon Europe record of a PIC.
    assert CordisOrganisation.objects.get(pic="999000005").name == ""
    assert CordisProject.objects.get(project_id="h2020-200001").programme == "H2020"
    assert result.changed
    assert result.counts["participations"].created == 7


def test_second_import_of_the_same_files_changes_nothing_and_says_so(cordis_folder, h2020_file):
    services.cordis_import(cordis_path=cordis_folder, h2020_path=h2020_file)
    before = list(CordisProject.objects.values_list("pk", "checksum"))

    again = services.cordis_import(cordis_path=cordis_folder, h2020_path=h2020_file)

    assert not again.changed
    assert again.summary().startswith("Nic się nie zmieniło")  # the cluster's language
    with translation.override("en"):
        assert again.summary().startswith("Nothing changed: the database already holds")
    assert again.counts["projects"].unchanged == 3
    assert again.counts["participations"].unchanged == 7
    assert list(CordisProject.objects.values_list("pk", "checksum")) == before
    assert CordisImport.objects.latest("created_at").changed is False


def test_newer_file_updates_changed_rows_and_drops_a_removed_partner(cordis_folder):
    services.cordis_import(cordis_path=cordis_folder)
    project_csv = cordis_folder / "project.csv"
    project_csv.write_text(project_csv.read_text().replace("Satellite data for farms", "Farms"))
    organisations = cordis_folder / "organization.csv"
    lines = organisations.read_text().splitlines()
    organisations.write_text("\n".join(line for line in lines if "GRID GMBH" not in line) + "\n")

    result = services.cordis_import(cordis_path=cordis_folder)

    assert CordisProject.objects.get(project_id="101000002").title == "Farms"
    assert result.counts["projects"].updated == 1
    assert result.counts["projects"].unchanged == 1
    assert result.counts["participations"].removed == 1
    assert not CordisParticipation.objects.filter(cordis_organisation__pic="999000002").exists()


def test_malformed_file_names_file_line_and_column_and_writes_nothing(cordis_folder):
    services.cordis_import(cordis_path=cordis_folder)
    before = _counts()
    project_csv = cordis_folder / "project.csv"
    project_csv.write_text(project_csv.read_text().replace("Farms from space", "New text"))
    organisations = cordis_folder / "organization.csv"
    organisations.write_text(
        organisations.read_text().replace(";500000;500000;500000;", ";lots;500000;500000;")
    )

    with pytest.raises(CordisFormatError) as error:
        services.cordis_import(cordis_path=cordis_folder)

    assert error.value.file.endswith("organization.csv")
    assert error.value.line == 5
    assert error.value.column == "ecContribution"
    assert _counts() == before
    assert CordisProject.objects.get(project_id="101000002").objective == "Farms from space"


def test_missing_required_column_is_reported(cordis_folder):
    project_csv = cordis_folder / "project.csv"
    project_csv.write_text(project_csv.read_text().replace("startDate", "beginning", 1))

    with pytest.raises(CordisFormatError, match="startDate"):
        services.cordis_import(cordis_path=cordis_folder)
    assert _counts() == (0, 0, 0, 0, 0)


def test_command_imports_a_zip_and_reports_nothing_changed_on_second_run(
    cordis_folder, tmp_path, capsys
):
    archive = tmp_path / "cordis.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in cordis_folder.iterdir():
            zf.write(path, path.name)

    call_command("cordis", "import", str(archive))
    call_command("cordis", "import", str(archive))

    out = capsys.readouterr().out
    assert "Zaimportowano. Projekty UE: nowe – 2" in out
    assert "Nic się nie zmieniło" in out
    assert CordisProject.objects.count() == 2
    assert Job.objects.filter(status=Job.Status.SUCCEEDED).count() == 2


def test_command_fails_clearly_on_a_malformed_file_and_leaves_the_database(cordis_folder):
    (cordis_folder / "project.csv").write_text("id;title;startDate\n1;x;yesterday\n")

    with pytest.raises(CommandError, match=r"project.csv, line 2, column 'startDate'"):
        call_command("cordis", "import", str(cordis_folder))
    assert CordisProject.objects.count() == 0
    assert Job.objects.get().status == Job.Status.FAILED


def test_committed_extract_holds_the_regional_projects_with_whole_consortia():
    import csv
    import io

    from klaster.core import cordis_details, cordis_extract

    directory = cordis_extract.DEFAULT_EXTRACT_DIR
    zip_path = directory / cordis_extract.HORIZON_EXTRACT
    assert zip_path.stat().st_size < 15_000_000
    with zipfile.ZipFile(zip_path) as zf:
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open("organization.csv")), delimiter=";"))
    regional = {r["organisationID"] for r in rows if r["nutsCode"].startswith(("PL91", "PL92"))}
    assert len(regional) > 150
    history = cordis_details.read_track_record(
        zip_path, directory / cordis_extract.H2020_EXTRACT
    ).history
    by_project = {}
    for p in history.participations:
        by_project.setdefault(p.project_id, set()).add(p.organisation_id)
    # Every project has a Mazowieckie participant, and the consortia reach abroad.
    assert all(members & regional for members in by_project.values())
    assert sum(1 for o in history.organisations if o.country != "PL") > 1000
