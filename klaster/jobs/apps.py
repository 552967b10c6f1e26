from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "klaster.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Every app's `tasks` module registers its job handlers and words: web processes, the
        # command line and workers all need the whole registry, not only what they imported.
        autodiscover_modules("tasks")
