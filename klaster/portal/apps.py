from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "klaster.portal"
    label = "portal"
