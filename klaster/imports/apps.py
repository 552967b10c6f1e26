from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "klaster.imports"
    label = "imports"
