from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from klaster.web.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("klaster.accounts.urls")),
    path("jobs/", include("klaster.jobs.urls")),
    path("events/", include("klaster.events.urls")),
    path("calls/", include("klaster.calls.urls")),
    path("consortia/", include("klaster.consortia.urls")),
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
