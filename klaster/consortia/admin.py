from django.contrib import admin

from klaster.consortia.models import Invitation, PartnerCluster, PartnerOrganisation, ProjectIdea


class PartnerOrganisationInline(admin.TabularInline):
    model = PartnerOrganisation
    extra = 1


@admin.register(PartnerCluster)
class PartnerClusterAdmin(admin.ModelAdmin):
    """Staff keep the partner clusters abroad and their organisations (candidates with a PIC)."""

    list_display = ("name", "country", "partnership", "is_demo")
    list_filter = ("partnership", "country", "is_demo")
    search_fields = ("name", "organisations__name", "organisations__pic")
    inlines = [PartnerOrganisationInline]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ("name", "pic", "organisation", "email", "status", "answered_at")
    readonly_fields = fields


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "call", "rule_set", "updated_at")
    search_fields = ("title", "owner__name")
    raw_id_fields = ("owner", "call")
    inlines = [InvitationInline]
