from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Installed so that its template tags (`country_names`, `wording`) load."""

    name = "klaster.common"
    label = "common"
