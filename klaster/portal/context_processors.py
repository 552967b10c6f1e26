from klaster.common.links import site_url


def klaster(request):
    return {"SITE_URL": site_url()}
