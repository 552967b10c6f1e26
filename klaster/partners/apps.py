from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "klaster.partners"
    label = "partners"
