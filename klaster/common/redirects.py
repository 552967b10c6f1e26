"""Where to send a visitor after a form: the page they came from, if it is on this site.

Every `next` taken from a request goes through `next_or`: a `next` naming another site
(`https://evil.example`, `//evil.example`, `/\\evil.example`, `javascript:`) would turn a trusted
link to Klaster into a springboard for phishing, so it is replaced by a page of our own.
"""

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_or(request: HttpRequest, default: str, *args, field: str = "next") -> str:
    """The request's `next` (from POST, else GET) when it stays on this site, else `default`
    (a URL name, resolved with `args`, or a path)."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default, *args)
