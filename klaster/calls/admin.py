from django.contrib import admin

from klaster.calls.models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Staff enter national and regional calls here; EU topics come from `klaster calls import`.

    Sectors come from the rules (klaster/core/sector_rules.json) until staff change them here;
    from then on imports keep them. Unticking "sectors set by hand" hands them back to the rules.
    """

    list_display = ("identifier", "title", "source", "programme", "action_type", "deadline")
    list_filter = ("source", "programme", "action_type", "sectors", "sectors_by_hand")
    search_fields = ("identifier", "title", "keywords")
    filter_horizontal = ("sectors",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if "sectors" in form.changed_data and "sectors_by_hand" not in form.changed_data:
            obj.sectors_by_hand = True
        super().save_model(request, obj, form, change)
