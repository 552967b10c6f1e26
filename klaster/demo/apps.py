from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its `klaster demo` command; it has no models."""

    name = "klaster.demo"
    label = "demo"
