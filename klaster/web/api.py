"""The REST API (django-ninja). Each domain app contributes a router."""

from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed

from klaster.accounts.api import ApiTokenAuth


class LocalSwagger(Swagger):
    """Swagger UI from the site's own static files (npm's swagger-ui-dist), started by a script
    file: ninja's page loads it from a CDN, blank offline and against our Content-Security-Policy."""

    def render_page(self, request, api, **kwargs):
        context = {
            "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="Klaster API",
    version="1",
    description="The member registry and the cluster's data. Authenticate with "
    "`Authorization: Bearer <token>` (tokens: your account page), or a signed-in session.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
    docs=LocalSwagger(),
)

api.add_router("/organisations", "klaster.members.api.router")
api.add_router("/trackrecord", "klaster.trackrecord.api.router")
api.add_router("/events", "klaster.events.api.router")
api.add_router("/partners", "klaster.partners.api.router")
