"""A project idea's summary is a page of text, not a pasted document."""

import pytest

from klaster.consortia.forms import IdeaForm
from klaster.consortia.selectors import rule_set_choices

pytestmark = pytest.mark.django_db


def _form(summary: str) -> IdeaForm:
    return IdeaForm(
        data={
            "title": "Magazyny energii dla gmin",
            "summary": summary,
            "keywords": "wodór",
            "rule_set": rule_set_choices()[0][0],
            "size": 4,
        }
    )


def test_idea_summary_over_ten_thousand_characters_is_refused():
    form = _form("x" * 10_001)

    assert not form.is_valid()
    assert "summary" in form.errors


def test_idea_summary_up_to_the_cap_is_fine():
    assert _form("x" * 10_000).is_valid()


def test_a_long_objective_handed_over_by_find_partners_is_cut_to_fit():
    assert len(IdeaForm.texts_from({"summary": "y" * 20_000})["summary"]) == 10_000
