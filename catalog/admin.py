from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CatalogNode, Channel, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "credit_code", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "credit_code"]
    autocomplete_fields = ["parent", "disclosure_office"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "parent", "position"]}),
        (
            _("Credit code and contact details"),
            {
                "fields": [
                    "credit_code",
                    "head_name",
                    "address",
                    "postcode",
                    "office_hours",
                    "phone",
                    "fax",
                    "email",
                ]
            },
        ),
        (_("Functions and disclosure"), {"fields": ["functions", "disclosure_office"]}),
    ]


@admin.register(CatalogNode)
class CatalogNodeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "path",
        "deadline_working_days",
        "needs_supervision",
        "needs_leadership",
        "refresh",
    ]
    list_filter = ["level", "refresh", "mode"]
    search_fields = ["name", "path"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent", "responsible"]
    filter_horizontal = ["channels"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "parent",
                    "slug",
                    "path",
                    "position",
                    "column_type",
                    "description",
                    "keywords",
                ]
            },
        ),
        (
            _("Standard catalog duty"),
            {
                "fields": [
                    "content_elements",
                    "legal_basis",
                    "deadline_working_days",
                    "responsible",
                    "channels",
                    "audience",
                    "mode",
                    "level",
                    "refresh",
                    "refresh_days",
                ]
            },
        ),
        (_("Review chain"), {"fields": ["needs_supervision", "needs_leadership"]}),
        (_("公示 filed here"), {"fields": ["posting_working_days", "after_posting"]}),
    ]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
