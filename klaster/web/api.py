"""The REST API (django-ninja). Each domain app contributes a router."""

from ninja import NinjaAPI

from klaster.accounts.api import ApiTokenAuth

api = NinjaAPI(
    title="Klaster API",
    version="1",
    description="The member registry and the cluster's data. Authenticate with "
    "`Authorization: Bearer <token>` (tokens: your account page), or a signed-in session.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
)

api.add_router("/organisations", "klaster.members.api.router")
api.add_router("/trackrecord", "klaster.trackrecord.api.router")
api.add_router("/events", "klaster.events.api.router")
api.add_router("/partners", "klaster.partners.api.router")
