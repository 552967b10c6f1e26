"""The API documentation draws offline: Swagger UI comes from the site, under its policy."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_draw_swagger_ui_without_any_other_host(page, live_server):
    own = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_the_site(route):
        if urlsplit(route.request.url).netloc != own:
            elsewhere.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_the_site)
    page.goto(live_server.url + "/api/docs")

    page.locator(".swagger-ui .info .title").filter(has_text="Klaster API").wait_for()
    assert page.locator(".opblock").count() > 5  # the operations, read from /api/openapi.json
    assert elsewhere == []
