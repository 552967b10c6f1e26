from django.contrib import admin

from klaster.members.models import (
    Competence,
    FeePayment,
    Membership,
    MembershipTier,
    Organisation,
    Person,
    Sector,
)


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ("first_name", "last_name", "position", "email", "phone", "consent_given_on")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "enterprise_size",
        "city",
        "nip",
        "pic",
        "is_published",
        "source",
    )
    list_filter = ("kind", "enterprise_size", "is_published", "source", "sectors", "voivodeship")
    search_fields = ("name", "short_name", "nip", "pic", "city", "search_document")
    filter_horizontal = ("sectors", "competences")
    inlines = [PersonInline]
    readonly_fields = ("is_sme", "created_at", "updated_at")


class FeePaymentInline(admin.TabularInline):
    model = FeePayment
    extra = 0


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "status", "tier", "annual_fee", "joined_on", "left_on")
    list_filter = ("status", "tier")
    search_fields = ("organisation__name",)
    autocomplete_fields = ("organisation",)
    inlines = [FeePaymentInline]


@admin.register(FeePayment)
class FeePaymentAdmin(admin.ModelAdmin):
    list_display = ("membership", "year", "amount", "due_on", "paid_on")
    list_filter = ("year",)
    search_fields = ("membership__organisation__name", "reference")


admin.site.register(Sector)
admin.site.register(MembershipTier)


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "organisation", "email", "consent_given_on")
    search_fields = ("last_name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
