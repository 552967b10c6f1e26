from django.conf import settings


def klaster(request):
    return {"SITE_URL": settings.SITE_URL}
