import pytest

from klaster.members.tests.factories import OrganisationFactory
from klaster.trackrecord import services
from klaster.trackrecord.models import CordisOrganisation, LinkSuggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(cordis_folder):
    services.cordis_import(cordis_path=cordis_folder)


def test_cluster_organisations_link_by_pic_and_by_polish_vat_number(imported, coordinator):
    by_pic = OrganisationFactory(name="Inna nazwa", pic="999000001", city="Kraków")
    by_nip = OrganisationFactory(
        name="Zupełnie inna", nip="1234563218", vat_number="", city="Radom"
    )

    outcome = services.organisations_link()

    assert CordisOrganisation.objects.get(pic="999000001").organisation == by_pic
    alfa = CordisOrganisation.objects.get(pic="999000003")
    assert (alfa.organisation, alfa.link_method) == (by_nip, "vat")
    assert outcome["by_pic"] == 1 and outcome["by_vat"] == 1


def test_same_name_and_city_links_automatically(imported):
    organisation = OrganisationFactory(
        name="Alfa Energia sp. z o.o.", city="Pruszków", nip="5260250995", vat_number=""
    )

    services.organisations_link()

    record = CordisOrganisation.objects.get(pic="999000003")
    assert (record.organisation, record.link_method) == (organisation, "name_city")


def test_similar_name_goes_to_review_and_a_rejection_is_remembered(imported, coordinator):
    organisation = OrganisationFactory(
        name="Alfa Energii", city="Pruszków", nip="5260250995", vat_number=""
    )

    services.organisations_link()
    suggestion = LinkSuggestion.objects.get()
    assert suggestion.organisation == organisation
    assert CordisOrganisation.objects.get(pic="999000003").organisation is None

    services.link_suggestion_decide(suggestion=suggestion, accept=False, user=coordinator)
    services.organisations_link()

    assert LinkSuggestion.objects.get().status == LinkSuggestion.Status.REJECTED
    assert LinkSuggestion.objects.count() == 1
    assert CordisOrganisation.objects.get(pic="999000003").organisation is None


def test_accepted_suggestion_links_and_stays_linked(imported, coordinator):
    organisation = OrganisationFactory(
        name="Alfa Energii", city="Pruszków", nip="5260250995", vat_number=""
    )
    services.organisations_link()

    services.link_suggestion_decide(
        suggestion=LinkSuggestion.objects.get(), accept=True, user=coordinator
    )
    services.organisations_link()

    record = CordisOrganisation.objects.get(pic="999000003")
    assert (record.organisation, record.link_method) == (organisation, "staff")


def test_member_cannot_decide_links(imported, editor_a, client_for):
    OrganisationFactory(name="Alfa Energii", city="Pruszków", nip="5260250995", vat_number="")
    services.organisations_link()
    suggestion = LinkSuggestion.objects.get()

    response = client_for(editor_a).post(
        f"/trackrecord/review/{suggestion.pk}/", {"decision": "accept"}
    )

    assert response.status_code == 403
    assert LinkSuggestion.objects.get().status == LinkSuggestion.Status.PENDING
