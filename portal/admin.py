from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear, SiteProfile


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "domain", "site_id_code"]
    autocomplete_fields = ["organization"]

    def has_add_permission(self, request) -> bool:
        # One profile per installation.
        return not SiteProfile.objects.exists()


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "holidays", "workdays", "note", "updated_at"]
    search_fields = ["note"]

    def get_queryset(self, request):
        # Both counts in the list query, not two queries per row.
        days = (
            CalendarDay.objects.filter(date__year=OuterRef("year"))
            .order_by()
            .values("date__year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_holidays=Subquery(days.filter(kind=CalendarDay.Kind.HOLIDAY)),
                n_workdays=Subquery(days.filter(kind=CalendarDay.Kind.WORKDAY)),
            )
        )

    @admin.display(description=_("public holidays"), ordering="n_holidays")
    def holidays(self, obj: CalendarYear) -> int:
        return obj.n_holidays or 0

    @admin.display(description=_("adjusted working days"), ordering="n_workdays")
    def workdays(self, obj: CalendarYear) -> int:
        return obj.n_workdays or 0


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
    ordering = ["-date"]  # the office works on this year and next, not on 2004

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "l")
