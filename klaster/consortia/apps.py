from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsortiaConfig(AppConfig):
    name = "klaster.consortia"
    label = "consortia"
    verbose_name = _("Consortia")

    def ready(self):
        from klaster.common.wording import register_role_kinds
        from klaster.consortia.models import RequiredRole

        register_role_kinds(RequiredRole.Kind.choices)
