from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from klaster.accounts.forms import RateLimitedAdminAuthenticationForm
from klaster.accounts.models import ApiToken, AttemptCounter, User

# The admin's own sign-in page goes through the same limiter as the site's.
admin.site.login_form = RateLimitedAdminAuthenticationForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Klaster"), {"fields": ("role", "organisation")}),
    )
    list_display = ("username", "email", "role", "organisation", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    autocomplete_fields = ("organisation",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")


@admin.register(AttemptCounter)
class AttemptCounterAdmin(admin.ModelAdmin):
    """Staff lift a lock by deleting its counter; keys are hashes, so nobody edits them."""

    list_display = ("scope", "count", "updated_at")
    list_filter = ("scope",)
    readonly_fields = ("key", "scope", "count", "updated_at")

    def has_add_permission(self, request):
        return False
