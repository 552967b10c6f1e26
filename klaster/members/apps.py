from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "klaster.members"
    label = "members"
