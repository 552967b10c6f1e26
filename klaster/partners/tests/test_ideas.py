"""One parser for ideas from the page, the API and the consortium builder."""

import pytest
from django.core.exceptions import ValidationError

from klaster.calls.models import Call
from klaster.partners.ideas import idea_parse
from klaster.partners.tests.trackrecord_rows import pic_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return Call.objects.create(
        identifier="HORIZON-CL4-2026-SPACE-01-11",
        call_identifier="HORIZON-CL4-2026-SPACE-01",
        title="Satellite earth observation services",
        action_type="RIA",
        keywords="HORIZON-CL4-2026-SPACE-01-11, remote sensing, satellite",
    )


def test_keywords_come_as_a_list_or_as_one_text_alike():
    as_text = idea_parse({"title": "Grid AI", "keywords": " ai, , grid "})
    as_list = idea_parse({"title": "Grid AI", "keywords": ["ai", " ", "grid "]})
    assert as_text == as_list
    assert as_text.keywords == ("ai", "grid")


def test_a_call_alone_gives_its_texts_topic_and_scheme_without_its_identifier(call):
    idea = idea_parse({}, call=call)
    assert idea.title == "Satellite earth observation services"
    assert idea.keywords == ("remote sensing", "satellite")
    assert (idea.topic, idea.call, idea.funding_scheme) == (
        "HORIZON-CL4-2026-SPACE-01-11",
        "HORIZON-CL4-2026-SPACE-01",
        "HORIZON-RIA",
    )


def test_an_idea_described_with_a_call_keeps_its_own_texts_and_scheme(call):
    idea = idea_parse({"title": "Crop maps", "funding_scheme": "HORIZON-IA"}, call=call)
    assert (idea.title, idea.keywords, idea.funding_scheme) == ("Crop maps", (), "HORIZON-IA")
    assert idea.topic == call.identifier


def test_the_coordinator_is_a_pic_or_the_name_of_one_cordis_organisation(track_record):
    assert idea_parse({"title": "x", "coordinator": pic_of("space", 2)}).coordinator == (
        pic_of("space", 2)
    )
    named = idea_parse({"title": "x", "coordinator": " space  organisation 2"})
    assert named.coordinator == pic_of("space", 2)
    assert idea_parse({"title": "x", "coordinator": ""}).coordinator == ""


@pytest.mark.parametrize("given", ["12345", "1234567890", "Nobody Ltd"])
def test_a_bad_pic_or_unknown_name_is_refused_on_the_coordinator(track_record, given):
    with pytest.raises(ValidationError) as refused:
        idea_parse({"title": "x", "coordinator": given})
    assert list(refused.value.message_dict) == ["coordinator"]


def test_an_idea_that_describes_nothing_is_refused_as_a_whole():
    with pytest.raises(ValidationError) as refused:
        idea_parse({"title": "  ", "keywords": [" "]})
    assert not hasattr(refused.value, "error_dict")
