from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "klaster.members"
    label = "members"

    def ready(self):
        from klaster.members.audit import register_audited_models

        register_audited_models()
