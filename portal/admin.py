from django.contrib import admin

from .models import SiteProfile


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "domain", "site_id_code"]
    autocomplete_fields = ["organization"]

    def has_add_permission(self, request) -> bool:
        # One profile per installation.
        return not SiteProfile.objects.exists()
