"""The REST API (django-ninja). Each domain app contributes a router."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
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
api.add_router("/marketplace", "klaster.marketplace.api.router")


# --- Error messages in the request's language --------------------------------------------------
# Each request speaks one language (ChosenLanguageMiddleware): the API's own messages go through
# the catalogue, and so do those django-ninja and pydantic write in English, which would
# otherwise sit beside Polish form errors in one answer.

NINJA_MESSAGES = {
    "Unauthorized": gettext_noop("Sign in or send an API token."),
    "Forbidden": gettext_noop("You may not do this."),
    "Not Found": gettext_noop("Not found."),
    "Too many requests.": gettext_noop("Too many requests; try again in a while."),
}

# pydantic's error types -> a sentence; `ctx` fills the placeholders.
VALIDATION_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_type": gettext_noop("Enter a whole number."),
    "int_from_float": gettext_noop("Enter a whole number."),
    "float_parsing": gettext_noop("Enter a number."),
    "float_type": gettext_noop("Enter a number."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "bool_type": gettext_noop("Enter true or false."),
    "string_type": gettext_noop("Enter a text."),
    "list_type": gettext_noop("Enter a list."),
    "dict_type": gettext_noop("Enter an object."),
    "model_attributes_type": gettext_noop("Enter an object."),
    "json_invalid": gettext_noop("The request body is not valid JSON."),
    "string_too_long": gettext_noop("Enter at most %(max_length)s characters."),
    "string_too_short": gettext_noop("Enter at least %(min_length)s characters."),
    "too_long": gettext_noop("Give at most %(max_length)s items."),
    "too_short": gettext_noop("Give at least %(min_length)s items."),
    "greater_than": gettext_noop("Enter a number greater than %(gt)s."),
    "greater_than_equal": gettext_noop("Enter a number of at least %(ge)s."),
    "less_than": gettext_noop("Enter a number less than %(lt)s."),
    "less_than_equal": gettext_noop("Enter a number of at most %(le)s."),
    "date_parsing": gettext_noop("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_noop("Enter a date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_noop("Enter a date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_noop("Enter a date and time (ISO 8601)."),
    "enum": gettext_noop("Choose one of: %(expected)s."),
    "literal_error": gettext_noop("Choose one of: %(expected)s."),
    "extra_forbidden": gettext_noop("This field is not known."),
    "url_parsing": gettext_noop("Enter a valid address (URL)."),
}


def _said(error: dict) -> dict:
    if error.get("type") == "value_error":
        # Our own validators raise ValueError with a message already in the request's language;
        # pydantic puts "Value error, " (English) in front of it.
        return {**error, "msg": str(error.get("msg", "")).removeprefix("Value error, ")}
    template = VALIDATION_MESSAGES.get(error.get("type", ""))
    if template is None:
        return error
    try:
        message = gettext(template) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return error
    return {**error, "msg": message}


@api.exception_handler(HttpError)
def http_error_in_reader_language(request, exc: HttpError):
    text = str(exc)
    return api.create_response(
        request, {"detail": gettext(NINJA_MESSAGES.get(text, text))}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found_in_reader_language(request, exc: Http404):
    return api.create_response(
        request, {"detail": gettext(NINJA_MESSAGES["Not Found"])}, status=404
    )


@api.exception_handler(ValidationError)
def validation_error_in_reader_language(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": [_said(error) for error in exc.errors]}, status=422
    )
