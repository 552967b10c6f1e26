"""Absolute links for what leaves the site without a request to ask: e-mails and iCal feeds.

They all start from SITE_URL (settings), so a demo served on another port, or a site behind a
proxy, sends links that open where people actually reach it.
"""

from django.conf import settings


def site_url() -> str:
    """The public address of the site, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")
