"""The marketplace in Django's admin: for looking things up. Profiles change through the pages
(and the API), whose services check permissions and the workflow; the admin only reads them."""

from django.contrib import admin

from klaster.marketplace.models import (
    DigestSubscription,
    Interest,
    InterestMessage,
    Profile,
    ProfileAttachment,
    ProfileReview,
    SavedSearch,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = ProfileAttachment
    extra = 0
    readonly_fields = ("file", "title", "uploaded_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewInline(AttachmentInline):
    model = ProfileReview
    readonly_fields = (
        "reviewer",
        *ProfileReview.CRITERIA,
        "comment",
        "published",
        "created_at",
    )


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "kind", "organisation", "status", "expires_at")
    list_filter = ("status", "kind", "is_demo")
    search_fields = ("reference", "title_pl", "title_en", "organisation__name")
    list_select_related = ("organisation",)
    inlines = [ReviewInline, AttachmentInline]


class MessageInline(AttachmentInline):
    model = InterestMessage
    readonly_fields = ("author", "from_owner", "body", "created_at")


@admin.register(Interest)
class InterestAdmin(ReadOnlyAdmin):
    list_display = ("profile", "organisation", "visitor_name", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("profile__reference", "organisation__name", "visitor_name", "visitor_email")
    list_select_related = ("profile", "organisation")
    exclude = ("access_token",)
    inlines = [MessageInline]


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "alert", "last_alerted_at")


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("user", "weekly", "last_sent_at")
