"""Import and export of marketplace profiles: both layouts, all-or-nothing, who may import what,
and the round trip (an exported file imports back with nothing to change)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from klaster.calls.models import Call
from klaster.core.tabular import read_table
from klaster.imports.plan import import_apply, import_check
from klaster.imports.report import ImportRejected
from klaster.jobs.models import Job
from klaster.jobs.registry import JobKind
from klaster.marketplace import imports, services
from klaster.marketplace.models import Profile
from klaster.members.tests.test_views_io import preview

pytestmark = pytest.mark.django_db

FULL = {
    "kind": Profile.Kind.TECHNOLOGY_OFFER,
    "title_pl": "Prognozowanie obciążenia sieci, uczenie maszynowe",
    "title_en": "Grid load forecasting with machine learning",
    "summary_pl": "Model prognozuje obciążenie stacji SN/nn na 48 godzin.",
    "summary_en": "A model forecasts the load of MV/LV substations 48 hours ahead.",
    "description_en": "Trained on smart-meter data; runs at two distribution operators.",
    "advantages_en": "=5% lower error than the operator's current tool",
    "partner_sought_en": "A distribution system operator to pilot it.",
    "trl": 7,
    "ipr_status": Profile.IprStatus.SECRET_KNOW_HOW,
    "ipr_comment": "Know-how and software copyright.",
    "technology_keywords": ["machine learning", "smart grids"],
    "market_keywords": ["energy utilities"],
    "nace_codes": ["D35.13"],
    "partner_kinds": ["enterprise"],
    "partner_sizes": ["medium", "large"],
    "partnership_types": ["licence", "technical_cooperation"],
    "languages": ["pl", "en"],
    "deadline": datetime.date(2030, 6, 30),
    "show_organisation": True,
}


def _published(editor, coordinator, **data) -> Profile:
    profile = services.profile_create(user=editor, data={**FULL, **data})
    services.profile_submit(user=editor, profile=profile)
    scores = {"innovation": 4, "clarity": 4, "expectations": 3, "language": 5}
    services.profile_review(user=coordinator, profile=profile, scores=scores, comment="")
    return Profile.objects.get(pk=profile.pk)


def _csv(text: str) -> bytes:
    return text.encode()


def test_exported_file_imports_back_unchanged_in_both_layouts_and_formats(
    editor_a, editor_b, coordinator
):
    call = Call.objects.create(identifier="FENG.01.01-IP.02-001/26", title="Ścieżka SMART")
    _published(editor_a, coordinator, call=call)
    services.profile_create(
        user=editor_b,
        data={"kind": Profile.Kind.RD_PARTNER_REQUEST, "title_pl": "Partner do projektu GNSS"},
    )
    for layout, importer in (
        (imports.NATIVE, imports.ProfileImporter),
        (imports.POD, imports.PodProfileImporter),
    ):
        for file_format in ("csv", "xlsx"):
            exported = imports.profiles_export(
                user=coordinator, layout=layout, file_format=file_format
            )
            assert exported.filename.endswith(f".{file_format}")
            report = import_check(
                importer, data=exported.content, filename=exported.filename, editor=coordinator
            )
            assert report.ok, report.summary()
            assert (report.creates, report.updates, report.unchanged) == (0, 0, 2), (
                layout,
                file_format,
            )
            assert report.ignored_columns == []


def test_pod_export_names_the_columns_as_pod_and_says_the_stage_in_words(editor_a, coordinator):
    profile = _published(editor_a, coordinator)
    exported = imports.profiles_export(user=coordinator, layout=imports.POD, file_format="csv")
    content = exported.content.decode("utf-8-sig")
    header = content.splitlines()[0]
    assert header.startswith("Reference,Type,Title,Summary,Description,Advantages and Innovations")
    assert "Type and Size of Partner Sought,Type of Partnership Considered,Languages,Deadline" in (
        header
    )
    row = read_table(exported.content, filename=exported.filename).rows[0].values
    assert row["reference"] == profile.reference
    assert row["type"] == "Technology offer"
    assert row["stage of development"].startswith("TRL 7 – System prototype demonstration")
    assert row["type and size of partner sought"] == "Enterprise; Medium; Large"
    assert row["title"] == FULL["title_en"]
    # A cell a spreadsheet would run as a formula is written as text, and read back unchanged.
    assert "'=5% lower error" in content
    assert row["advantages and innovations"] == FULL["advantages_en"]


def test_member_editor_imports_new_drafts_for_their_own_organisation(editor_a, organisation_a):
    data = _csv(
        "kind,title_pl,summary_pl,trl,technology_keywords,partnership_types,languages\n"
        "technology_offer,Czujnik jakości powietrza,Tani czujnik PM2.5,TRL 5,czujniki; IoT,"
        "Licence agreement; research_cooperation,polski; EN\n"
        "Technology request,Szukamy magazynu energii,Dla farmy PV,,magazyny energii,,\n"
    )
    report = import_apply(imports.ProfileImporter, data=data, filename="p.csv", editor=editor_a)
    assert (report.creates, report.updates) == (2, 0)
    first, second = Profile.objects.order_by("pk")
    assert first.organisation == organisation_a and first.status == Profile.Status.DRAFT
    assert first.created_by == editor_a
    assert first.trl == 5
    assert first.technology_keywords == ["czujniki", "IoT"]
    assert first.partnership_types == ["licence", "research_cooperation"]
    assert first.languages == ["pl", "en"]
    assert second.kind == Profile.Kind.TECHNOLOGY_REQUEST


def test_one_bad_row_and_nothing_is_written_with_every_error_reported(editor_a):
    data = _csv(
        "kind,title_pl,trl,partnership_types,deadline\n"
        "technology_offer,Dobry wiersz,4,licence,2030-01-31\n"
        "technology_offer,Zły poziom,12,licence,\n"
        "oferta pizzy,Zły rodzaj,3,barter,31.02.2030\n"
    )
    report = import_check(imports.ProfileImporter, data=data, filename="p.csv", editor=editor_a)
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {(3, "trl"), (4, "kind")}
    with pytest.raises(ImportRejected) as rejected:
        import_apply(imports.ProfileImporter, data=data, filename="p.csv", editor=editor_a)
    assert (rejected.value.report.rows_with_errors, rejected.value.report.total_rows) == (2, 3)
    assert not Profile.objects.exists()


def test_a_row_with_a_bad_partnership_and_date_reports_both(editor_a):
    data = _csv(
        "kind,title_pl,partnership_types,deadline\ntechnology_offer,Zły,barter,31.02.2030\n"
    )
    report = import_check(imports.ProfileImporter, data=data, filename="p.csv", editor=editor_a)
    assert {e.column for e in report.errors} == {"partnership_types", "deadline"}


def test_member_editor_cannot_import_for_another_organisation(editor_a, organisation_b):
    data = _csv(
        f"kind,organisation_nip,title_pl\ntechnology_offer,{organisation_b.nip},Cudza oferta\n"
    )
    with translation.override("en"):
        report = import_check(imports.ProfileImporter, data=data, filename="p.csv", editor=editor_a)
    assert [e.message for e in report.errors] == [
        "You may import only your own organisation's profiles."
    ]


def test_member_editor_cannot_update_another_organisations_profile_by_reference(
    editor_a, editor_b, coordinator
):
    profile = _published(editor_b, coordinator)
    data = _csv(f"reference,kind,title_pl\n{profile.reference},technology_offer,Przejęta\n")
    with translation.override("en"):
        report = import_check(imports.ProfileImporter, data=data, filename="p.csv", editor=editor_a)
    assert [(e.column, e.message.split(";")[0]) for e in report.errors] == [
        ("reference", f"No profile of yours has the reference {profile.reference}")
    ]
    Profile.objects.get(pk=profile.pk, title_pl=FULL["title_pl"])


def test_staff_import_names_the_organisation_by_nip_or_exact_name(
    coordinator, organisation_a, organisation_b
):
    data = _csv(
        "kind,organisation_nip,organisation_name,title_en\n"
        f"business_offer,{organisation_a.nip},,Cloud migration services\n"
        f"business_request,,{organisation_b.name.upper()},Distributor in Germany\n"
        "business_request,,Nieznana Spółka,Distributor in Austria\n"
        "business_request,,,Whose is this\n"
    )
    report = import_check(imports.ProfileImporter, data=data, filename="p.csv", editor=coordinator)
    assert [(e.row, e.column) for e in report.errors] == [
        (4, "organisation_name"),
        (5, "organisation_nip"),
    ]
    assert [plan.organisation for plan in report.plans] == [
        organisation_a.name,
        organisation_b.name,
    ]


def test_a_pod_file_from_een_is_read_in_pods_own_words(coordinator, organisation_a):
    data = _csv(
        "Reference,Type,Title,Summary,Stage of Development,IPR Status,"
        "Type and Size of Partner Sought,Type of Partnership Considered,Languages,Deadline,"
        "Technology Keywords,Organisation NIP\n"
        "TODE20240115001,Technology Offer,Laser cladding of turbine blades,Repair by laser,"
        '"TRL 6 - Technology demonstrated","Patent(s) applied for but not yet granted; Secret '
        'know-how","SME <=10; University; >250","Financial agreement; Licence agreement",'
        f'"English; German",15.09.2030,laser cladding; repair,{organisation_a.nip}\n'
    )
    report = import_apply(
        imports.PodProfileImporter, data=data, filename="pod.csv", editor=coordinator
    )
    assert report.creates == 1
    profile = Profile.objects.get()
    assert profile.kind == Profile.Kind.TECHNOLOGY_OFFER
    assert (profile.title_en, profile.title_pl, profile.summary_en) == (
        "Laser cladding of turbine blades",
        "",
        "Repair by laser",
    )
    assert profile.trl == 6
    assert profile.ipr_status == Profile.IprStatus.PATENT_APPLIED
    assert profile.partner_kinds == ["university"]
    assert profile.partner_sizes == ["micro", "large"]
    assert profile.partnership_types == ["investment", "licence"]
    assert profile.languages == ["en", "de"]
    assert profile.deadline == datetime.date(2030, 9, 15)
    # EEN's reference is not ours: the profile gets its own when it is submitted.
    assert profile.reference is None and profile.status == Profile.Status.DRAFT


def test_a_row_changing_a_profile_is_an_update_and_keeps_what_the_file_leaves_out(
    editor_a, coordinator
):
    profile = _published(editor_a, coordinator)
    data = _csv(f"reference,trl\n{profile.reference},8\n")
    report = import_apply(imports.ProfileImporter, data=data, filename="p.csv", editor=coordinator)
    assert (report.creates, report.updates, report.unchanged) == (0, 1, 0)
    profile.refresh_from_db()
    assert profile.trl == 8 and profile.title_pl == FULL["title_pl"]
    assert profile.status == Profile.Status.PUBLISHED  # staff's changes keep the status


def test_only_staff_and_member_editors_import_or_export(investor):
    data = _csv("kind,title_pl\ntechnology_offer,Oferta\n")
    with pytest.raises(PermissionDenied):
        import_check(imports.ProfileImporter, data=data, filename="p.csv", editor=investor)
    with pytest.raises(PermissionDenied):
        imports.profiles_export(user=investor, layout=imports.NATIVE, file_format="csv")


def test_member_editor_exports_only_their_own_profiles(editor_a, editor_b, coordinator):
    _published(editor_a, coordinator, title_pl="Nasza oferta")
    _published(editor_b, coordinator, title_pl="Cudza oferta")
    exported = imports.profiles_export(user=editor_a, layout=imports.NATIVE, file_format="csv")
    rows = read_table(exported.content, filename=exported.filename).rows
    assert [row.values["title_pl"] for row in rows] == ["Nasza oferta"]


def test_command_line_exports_and_imports_with_a_dry_run(tmp_path, editor_a, coordinator):
    _published(editor_a, coordinator)
    exported = tmp_path / "profiles.xlsx"
    out = io.StringIO()
    call_command("marketplace", "export", str(exported), "--layout", "pod", stdout=out)
    assert "1 profile(s) written" in out.getvalue()
    out = io.StringIO()
    call_command("marketplace", "import", str(exported), "--layout", "pod", "--dry-run", stdout=out)
    assert "Ready to import: 0 new, 0 updated, 1 unchanged." in out.getvalue()
    new = tmp_path / "new.csv"
    new.write_text(
        f"kind,organisation_nip,title_pl\nbusiness_offer,{editor_a.organisation.nip},Usługi\n"
    )
    out = io.StringIO()
    call_command("marketplace", "import", str(new), stdout=out)
    assert "Imported: 1 new, 0 updated." in out.getvalue()
    assert Profile.objects.filter(title_pl="Usługi", created_by=None).exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,title_pl\ntechnology_offer,Bez właściciela\n")
    with pytest.raises(CommandError) as failed:
        call_command("marketplace", "import", str(bad))
    assert failed.value.returncode == 1


# --- The pages ---------------------------------------------------------------------------------


def _upload(client, data: bytes, layout: str = "native"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("marketplace:import"), {"layout": layout, "file": SimpleUploadedFile("p.csv", data)}
    )


def test_member_editor_imports_through_the_pages(
    client_for, editor_a, organisation_a, django_capture_on_commit_callbacks
):
    client = client_for(editor_a)
    assert reverse("marketplace:import") in client.get(reverse("marketplace:mine")).content.decode()
    upload_page = client.get(reverse("marketplace:import")).content.decode()
    assert f"{reverse('marketplace:export')}?format=csv&amp;layout=pod" in upload_page
    response = _upload(client, _csv("kind,title_pl\ntechnology_offer,Z pliku\n"))
    assert response.status_code == 302
    page = preview(client, response["Location"], django_capture_on_commit_callbacks)
    assert page.context["report"].ok and page.context["report"].creates == 1
    assert not Profile.objects.exists()  # the preview writes nothing
    token = page.context["upload"].token
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("marketplace:import_confirm", args=[token]))
    job = Job.objects.get(kind=JobKind.MARKETPLACE_IMPORT)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Profile.objects.get().organisation == organisation_a


@pytest.mark.parametrize("persona", ["investor", "anonymous"])
def test_only_staff_and_member_editors_reach_the_import_and_export_pages(
    request, client_for, persona
):
    client = request.getfixturevalue(persona)
    client = client if persona == "anonymous" else client_for(client)
    expected = 302 if persona == "anonymous" else 403
    assert client.get(reverse("marketplace:import")).status_code == expected
    assert client.get(reverse("marketplace:export")).status_code == expected


def test_export_page_gives_the_pod_layout_as_xlsx(client_for, editor_a, coordinator):
    _published(editor_a, coordinator)
    response = client_for(editor_a).get(
        reverse("marketplace:export"), {"layout": "pod", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    table = read_table(response.content, filename="export.xlsx")
    assert table.headers[:3] == ["reference", "type", "title"]
    assert len(table.rows) == 1
