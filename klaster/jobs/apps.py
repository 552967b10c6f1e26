from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "klaster.jobs"
    label = "jobs"
