from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from klaster.web.api import api

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links; answer it so the logs hold no 404.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static_url, str)("klaster/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("klaster.accounts.urls")),
    path("jobs/", include("klaster.jobs.urls")),
    path("events/", include("klaster.events.urls")),
    path("calls/", include("klaster.calls.urls")),
    path("consortia/", include("klaster.consortia.urls")),
    path("marketplace/", include("klaster.marketplace.urls")),
    path("members/", include("klaster.members.urls")),
    path("trackrecord/", include("klaster.trackrecord.urls")),
    path("partners/", include("klaster.partners.urls")),
    path("", include("klaster.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    # Uploaded logos are small and few; a production deployment may serve them from a proxy.
    from django.urls import re_path
    from django.views.static import serve as serve_media

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT})
    ]
