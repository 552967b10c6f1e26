from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "klaster.marketplace"
    label = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self):
        from klaster.marketplace import views_matching
        from klaster.members.profile import ProfileSection, profile_section_add

        # "Matches for you" on an organisation's profile page, for its editors and staff.
        profile_section_add(
            ProfileSection(
                "marketplace/partials/for_you_section.html", views_matching.profile_section
            )
        )
