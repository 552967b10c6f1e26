"""Fixtures of the expressions-of-interest tests: organisation_a's published profile, and a
third organisation's editor, the outsider of every thread between organisations a and b."""

import pytest

from klaster.accounts.models import User
from klaster.marketplace.tests.test_interest_services import make_profile
from klaster.members.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def profile(organisation_a, editor_a):
    return make_profile(organisation_a)


@pytest.fixture
def editor_c(db):
    return UserFactory(
        username="redaktor_c",
        role=User.Role.MEMBER_EDITOR,
        organisation=OrganisationFactory(name="Gamma Robotyka sp. z o.o."),
    )
