"""The real part of the demo: Mazowieckie members from CORDIS first, generated ones top up;
then a seeded cooperation log."""

import pytest

from klaster.demo.loading import build_demo_cluster
from klaster.demo.planning import MAZOVIA_CLUSTER_ICT
from klaster.demo.trackrecord import demo_cooperation_log, demo_cordis_load
from klaster.members.models import Organisation
from klaster.trackrecord.models import CordisOrganisation, CordisProject

pytestmark = pytest.mark.django_db


def test_demo_loads_real_mazowieckie_members_first_and_generated_ones_top_up(anonymous):
    report = demo_cordis_load()
    build_demo_cluster(with_logins=False)

    real = Organisation.objects.filter(source=Organisation.Source.DEMO_CORDIS)
    assert report.created_organisations == real.count() > 50
    assert all(o.nuts_code.startswith(("PL91", "PL92")) for o in real)
    assert all(o.cordis_records.exists() for o in real[:20])
    generated = Organisation.objects.filter(source=Organisation.Source.DEMO_GENERATED)
    # No invented EU track record for generated organisations.
    assert not CordisOrganisation.objects.filter(organisation__in=generated).exists()
    assert real.count() + generated.count() == sum(MAZOVIA_CLUSTER_ICT.values())
    assert CordisProject.objects.count() > 1000

    one = real.order_by("pk").first()
    page = anonymous.get(f"/members/{one.pk}/").content.decode()
    assert "Demo: publiczny rekord CORDIS" in page or "Demo: public CORDIS record" in page
    assert "https://cordis.europa.eu/project/id/" in page


def test_demo_is_idempotent():
    demo_cordis_load()
    build_demo_cluster(with_logins=False)
    demo_cooperation_log()
    organisations = Organisation.objects.count()

    again = demo_cordis_load()
    build_demo_cluster(with_logins=False)

    assert again.created_organisations == 0
    assert "Nic się nie zmieniło" in again.import_summary
    assert demo_cooperation_log() == 0
    assert Organisation.objects.count() == organisations
