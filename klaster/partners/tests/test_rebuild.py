"""Only cluster staff may start the partner index build again after a failed one."""

import pytest
from django.conf import settings
from django.urls import reverse

from klaster.jobs.models import Job
from klaster.partners import serving

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_engine_sandbox")]

REBUILD = reverse("partners:rebuild")
IDEA = {"title": "Satellite earth observation", "objective": "Remote sensing of crops."}


@pytest.fixture
def failed_build(track_record):
    return Job.objects.create(
        kind=serving.BUILD_JOB,
        title="build",
        status=Job.Status.FAILED,
        error="out of memory",
        parameters={"fingerprint": serving.track_record_fingerprint()},
    )


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def builds() -> int:
    return Job.objects.filter(kind=serving.BUILD_JOB).count()


@pytest.mark.parametrize("persona", ["editor_a", "investor"])
def test_a_member_or_investor_cannot_start_a_rebuild(failed_build, client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))

    response = client.post(REBUILD)

    assert response.status_code == 403
    assert builds() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in_and_starts_nothing(failed_build, anonymous):
    response = anonymous.post(REBUILD)

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert builds() == 1


def test_staff_start_a_rebuild(failed_build, client_for, coordinator):
    response = client_for(coordinator).post(REBUILD)

    assert response.status_code == 302
    assert builds() == 2


def test_a_member_sees_no_rebuild_button_after_a_failed_build(failed_build, client_for, editor_a):
    page = english(client_for(editor_a)).post(reverse("partners:find"), IDEA).content.decode()

    assert "could not be built" in page
    assert REBUILD not in page
    assert "Cluster staff can start the build again" in page


def test_staff_see_the_rebuild_button_after_a_failed_build(failed_build, client_for, coordinator):
    page = english(client_for(coordinator)).post(reverse("partners:find"), IDEA).content.decode()

    assert REBUILD in page
