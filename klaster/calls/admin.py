from django.contrib import admin

from klaster.calls.models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Staff enter national and regional calls here; EU topics come from `klaster calls import`."""

    list_display = ("identifier", "title", "source", "programme", "action_type", "deadline")
    list_filter = ("source", "programme", "action_type")
    search_fields = ("identifier", "title", "keywords")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
