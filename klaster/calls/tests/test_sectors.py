"""Sectors of funding calls: given by the rules on import, filterable, kept when set by hand."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from klaster.calls.models import Call
from klaster.calls.services import DEMO_EXTRACT, calls_assign_sectors, calls_import
from klaster.calls.tests.test_calls import topic, write_topics
from klaster.members.models import Sector

pytestmark = pytest.mark.django_db


def sector_codes(identifier: str) -> set[str]:
    return set(Call.objects.get(identifier=identifier).sectors.values_list("code", flat=True))


def test_rules_give_real_eu_topics_their_sectors():
    calls_import(path=DEMO_EXTRACT)
    assert "ict" in sector_codes("DIGITAL-2026-AI-DATA-10-COMPLIANCE")  # Digital Europe, AI
    assert "space" in sector_codes("HORIZON-CL4-2027-SPACE-03-34")  # Earth observation
    assert "space" in sector_codes("PPPA-2026-IRIS2-UT-IND-READINESS")  # Ka-band terminals
    assert "ecology" in sector_codes("HORIZON-CL6-2026-01-BIODIV-01")  # decline of insects
    assert "energy" in sector_codes("LIFE-2026-CET-BETTERRENO")  # energy renovation
    assert "renewable-energy" in sector_codes("RENEWFM-2026-INVEST-TECH-SPEC")
    assert sector_codes("CERV-2026-CHAR-LITI-CHARTER") == set()  # fundamental rights
    assert sector_codes("HORIZON-MSCA-2026-DN-01-01") == set()  # any discipline


def test_polish_text_finds_its_sector(tmp_path):
    path = write_topics(tmp_path / "t.jsonl.gz", [topic(
        topicId="PL-1", title="Magazynowanie energii z farm wiatrowych", keywords="",
        description="", programme="",
    )])  # fmt: skip
    calls_import(path=path)
    assert sector_codes("PL-1") == {"energy", "renewable-energy"}


def test_a_staff_defined_sector_is_found_by_its_name(tmp_path):
    Sector.objects.create(code="hydrogen", name_pl="Wodór", name_en="Hydrogen")
    calls_import(path=write_topics(tmp_path / "t.jsonl.gz", [topic()]))
    assert "hydrogen" in sector_codes("HORIZON-CL5-2026-D3-01-01")


def test_sectors_set_by_hand_survive_a_reimport(tmp_path, client_for, coordinator):
    path = write_topics(tmp_path / "t.jsonl.gz", [topic()])
    calls_import(path=path)
    call = Call.objects.get()
    assert "energy" in sector_codes(call.identifier)
    space = Sector.objects.get(code="space")

    # staff change the sectors in the admin (as an administrator holding every permission)
    coordinator.is_superuser = True
    coordinator.save()
    admin_url = reverse("admin:calls_call_change", args=[call.pk])
    form = client_for(coordinator).get(admin_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(sectors=[space.pk], deadline="2026-10-01", url=call.url)
    response = client_for(coordinator).post(admin_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.sectors_by_hand

    write_topics(path, [topic(title="Hydrogen storage for renewable energy grids, revised")])
    result = calls_import(path=path)
    assert result.updated == 1
    assert sector_codes(call.identifier) == {"space"}
    assert calls_assign_sectors() == 0
    assert sector_codes(call.identifier) == {"space"}


def test_reimport_and_reassignment_change_nothing_when_nothing_changed(tmp_path, capsys):
    path = write_topics(tmp_path / "t.jsonl.gz", [topic()])
    calls_import(path=path)
    assert calls_import(path=path).unchanged == 1
    call_command("calls", "assign-sectors")
    assert "sectors changed for 0 call(s)" in capsys.readouterr().out


def test_list_filters_by_sector_also_in_the_htmx_fragment(client):
    energy, space = Sector.objects.get(code="energy"), Sector.objects.get(code="space")
    # Open calls: the list hides those whose deadline has passed.
    soon = timezone.localdate() + datetime.timedelta(days=30)
    wind = Call.objects.create(identifier="A", title="Wind farms", deadline=soon)
    wind.sectors.add(energy)
    orbit = Call.objects.create(
        identifier="B", title="Orbit", deadline=soon + datetime.timedelta(days=1)
    )
    orbit.sectors.add(space)
    url = reverse("calls:list")

    page = client.get(url, {"sector": "space"})
    assert [c.title for c in page.context["page"]] == ["Orbit"]
    assert 'name="sector"' in page.content.decode()
    fragment = client.get(
        url, {"sector": "energy"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and "Wind farms" in fragment and "Orbit" not in fragment
    assert [c.title for c in client.get(url).context["page"]] == ["Wind farms", "Orbit"]
