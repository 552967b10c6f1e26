"""The REST API keeps the promises of its OpenAPI schema (schemathesis, bounded examples).

Every operation is called with generated input, signed in as the coordinator and as an
anonymous visitor. No input may cause a server error, and every answer must be one the schema
documents: its status code, content type and body shape.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from klaster.accounts.services import api_token_create
from klaster.members.tests.factories import OrganisationFactory
from klaster.web.wsgi import application

EXAMPLES_PER_OPERATION = 20  # per generation mode (valid, invalid input)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests run in this thread inside the test's transaction, as Django's test client does:
    the handler must not close the connection between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(schema, headers: dict) -> dict:
    tally = {"operations": 0, "examples": 0, "server_errors": [], "violations": []}
    for result in schema.get_all_operations():
        operation = result.ok()
        tally["operations"] += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run_operation(operation, mode, headers, tally)
    return tally


def _run_operation(operation, mode, headers: dict, tally: dict) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run_one(case):
        tally["examples"] += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Failure, FailureGroup) as error:
            # Collected, not raised: the test reports every problem and the full counts.
            failures = error.exceptions if isinstance(error, FailureGroup) else [error]
            for failure in failures:
                bucket = "server_errors" if isinstance(failure, ServerError) else "violations"
                tally[bucket].append(
                    f"{operation.label} ({mode.value}): {failure.title}: {failure.message[:300]}"
                )

    run_one()


@pytest.mark.parametrize("who", ["coordinator", "anonymous"])
def test_every_operation_keeps_to_the_schema(wsgi_in_test_transaction, who, request):
    OrganisationFactory(name="Alfa Energia sp. z o.o.")
    headers = {}
    if who == "coordinator":
        user = request.getfixturevalue("coordinator")
        _token, key = api_token_create(user=user, name="schemathesis")
        headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_in_test_transaction)
    tally = _run(schema, headers)
    print(
        f"\n{who}: {tally['operations']} operations, {tally['examples']} examples, "
        f"{len(tally['server_errors'])} server errors, {len(tally['violations'])} schema violations"
    )
    for line in tally["server_errors"] + tally["violations"]:
        print(line)
    assert tally["operations"] >= 12 and tally["examples"] > 10 * tally["operations"]
    assert tally["server_errors"] == []
    assert tally["violations"] == []


def _operations():
    from klaster.web.api import api

    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def test_public_reads_declare_sign_in_optional_and_writes_require_it():
    operations = _operations()
    public = {
        "GET /api/organisations",
        "GET /api/organisations/{organisation_id}",
        "GET /api/trackrecord/organisations/{organisation_id}",
        "GET /api/trackrecord/cooperation",
        "GET /api/events/",
        "GET /api/marketplace/profiles",
        "GET /api/marketplace/profiles/{profile_id}",
    }

    for label, operation in operations.items():
        optional = {} in operation["security"]
        assert optional == (label in public), label
        assert {"ApiTokenAuth": []} in operation["security"], label


def test_every_operation_documents_its_refusals_with_the_shared_error_bodies():
    for label, operation in _operations().items():
        responses = operation["responses"]
        assert {"401", "422"} <= set(map(str, responses)), label
        for code in ("401", "403", "404"):
            if code in responses or int(code) in responses:
                body = responses.get(code) or responses[int(code)]
                schema = body["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (label, code)
        body = responses.get("422") or responses[422]
        schema = body["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/InvalidInputOut"}, label


def test_a_wrong_token_gets_the_documented_401_body(db, anonymous):
    response = anonymous.get("/api/organisations", HTTP_AUTHORIZATION="Bearer nonsense")

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_a_signed_out_visitor_asking_for_an_agenda_is_asked_to_sign_in(db, anonymous):
    response = anonymous.get("/api/events/1/agenda")

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
