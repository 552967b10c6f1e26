"""Error pages that need a view of their own. 403, 404 and 500 are Django's default handlers
with the templates in templates/ (403.html, 404.html, 500.html)."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """A form refused by the CSRF check, in the site's layout and the reader's language.

    Django's own view renders without the request, so the page would greet a signed-in person
    with "Sign in"; Django's `reason` is for developers (it is logged) and is not shown.
    """
    return render(request, "403_csrf.html", status=403)
