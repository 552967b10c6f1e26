"""Personas for every Django test: a coordinator, two member editors of two different
organisations, an investor and an anonymous visitor (Healthchecks' alice/bob/charlie style)."""

import pytest
from django.test import Client

from klaster.accounts.models import User
from klaster.members.tests.factories import OrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no login-attempt counters or job progress left by another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation_a(db):
    return OrganisationFactory(name="Alfa Energia sp. z o.o.")


@pytest.fixture
def organisation_b(db):
    return OrganisationFactory(name="Beta Kosmos S.A.", enterprise_size="medium")


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordynator", role=User.Role.COORDINATOR, is_staff=True)


@pytest.fixture
def editor_a(db, organisation_a):
    return UserFactory(
        username="redaktor_a", role=User.Role.MEMBER_EDITOR, organisation=organisation_a
    )


@pytest.fixture
def editor_b(db, organisation_b):
    return UserFactory(
        username="redaktor_b", role=User.Role.MEMBER_EDITOR, organisation=organisation_b
    )


@pytest.fixture
def investor(db):
    return UserFactory(username="inwestor", role=User.Role.INVESTOR)


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def client_for(db):
    """A signed-in browser client for a given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def migrate_to(transactional_db):
    """Moves the schema to the given migrations and gives their historical models; afterwards
    every app is migrated to its latest migration again. Moving one app back also unapplies the
    apps that depend on it, and a later test must still find every table."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
