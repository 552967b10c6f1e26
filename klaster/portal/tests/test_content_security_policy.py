"""The Content-Security-Policy: on every response, and the pages need nothing it forbids."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

REPOSITORY = Path(settings.BASE_DIR)
SAMPLE_ARGUMENTS = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


def _paths(patterns, prefix=""):
    """A concrete path for every URL pattern: parameters get a sample value (a missing object
    answers 404, which must carry the policy too)."""
    for entry in patterns:
        route = str(entry.pattern)
        if "(" in route:  # a regular expression with groups (media, admin's catch-all)
            continue
        route = route.lstrip("^").rstrip("$").replace("\\", "")
        route = re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS.get(m.group(1) or "", "x"), route
        )
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def _template_files():
    folders = [Path(folder) for config in settings.TEMPLATES for folder in config["DIRS"]]
    folders += sorted((REPOSITORY / "klaster").glob("*/templates"))
    for folder in folders:
        yield from sorted(folder.rglob("*.html"))


def test_every_page_answers_with_the_content_security_policy(coordinator, client_for):
    client = client_for(coordinator)
    client.raise_request_exception = False  # a broken page must carry the policy as well
    paths = sorted(set(_paths(get_resolver().url_patterns)))
    assert "/members/" in paths and "/api/docs" in paths

    missing = [path for path in paths if "Content-Security-Policy" not in client.get(path).headers]

    assert missing == []


def test_policy_runs_only_the_sites_own_scripts(anonymous):
    policy = anonymous.get("/members/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["script-src"] + directives["connect-src"]


def test_no_template_has_inline_script_or_event_handler_attributes():
    offences = []
    for template in _template_files():
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(REPOSITORY)
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
            if "src=" not in attributes or body.strip():
                offences.append(f"{name}: inline <script{attributes}>")
        for tag in re.findall(r"<[a-zA-Z][^<>]*>", text):
            if re.search(r"\son[a-z]+\s*=|\shx-on[:-]|javascript:", tag, re.I):
                offences.append(f"{name}: {tag[:80]}")

    assert offences == []


def test_api_docs_load_swagger_ui_from_the_sites_own_static_files(anonymous):
    response = anonymous.get("/api/docs")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in addresses)
    assert not re.search(r"https?://", " ".join(addresses))
    for address in addresses:
        assert address.startswith(settings.STATIC_URL), address
        assert finders.find(address.removeprefix(settings.STATIC_URL)), address
    # Started by a file of the site's own; the settings travel as JSON, which never runs.
    assert re.search(r'<script id="swagger-settings" type="application/json">', page)
    assert '"url": "/api/openapi.json"' in page


def test_api_docs_need_no_network_beyond_the_site():
    """The static files behind the page are the npm package's, served by the site."""
    bundle = finders.find("vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle and "node_modules" in bundle
    assert Client().get("/api/openapi.json").status_code == 200
