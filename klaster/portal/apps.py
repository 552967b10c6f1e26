from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "klaster.portal"
    label = "portal"

    def ready(self):
        from klaster.portal import checks  # noqa: F401  (registers the deploy checks)
