from django.apps import AppConfig, apps


class PortalConfig(AppConfig):
    name = "klaster.portal"
    label = "portal"

    def ready(self):
        from klaster.portal import checks  # noqa: F401  (registers the deploy checks)

        _admin_reads_addresses_as_https()


def _admin_reads_addresses_as_https() -> None:
    """Web addresses typed without a scheme ("www.example.pl") are read as https:// in every
    admin form, as in the project's own forms (and as Django 6 does by default)."""
    from django.contrib import admin
    from django.contrib.admin import options
    from django.db import models

    https = {"assume_scheme": "https"}
    # Inlines and admins registered later copy these defaults when they are made...
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField] = {
        **options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField],
        **https,
    }
    # ... the admins registered already (the admin app is ready before this one) copied them.
    for model in apps.get_models():
        if admin.site.is_registered(model):
            admin.site.get_model_admin(model).formfield_overrides.setdefault(
                models.URLField, {}
            ).update(https)
