"""The public notice list's filters (django-filter)."""

from __future__ import annotations

from datetime import datetime

import django_filters

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogNode, Organization, descendant_ids

from .models import Notice

FIRST_YEAR = 2008  # the year the 条例 came into force


def year_choices() -> list[tuple[int, int]]:
    return [(y, f"{y}") for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class CatalogChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CatalogNode) -> str:
        # Indented with ideographic spaces, so a resident sees where a node sits.
        return "\u3000" * obj.depth + obj.name


class CatalogFilter(django_filters.ModelChoiceFilter):
    field_class = CatalogChoiceField


class NoticeFilter(django_filters.FilterSet):
    """Catalog node and organisation include everything below them."""

    q = django_filters.CharFilter(
        label=_("Title contains"),
        method="filter_title",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the title")}),
    )
    catalog = CatalogFilter(
        label=_("Catalog"),
        queryset=CatalogNode.objects.only("id", "name", "path", "parent_id"),
        method="filter_catalog",
        empty_label=_("All catalog nodes"),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Issuing organisation"),
        queryset=Organization.objects.only("id", "name", "short_name", "parent_id"),
        method="filter_organization",
        empty_label=_("All organisations"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Notice.Kind.choices, empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year published"),
        choices=year_choices,
        method="filter_year",
        empty_label=_("All years"),
    )
    validity = django_filters.ChoiceFilter(
        label=_("Validity"), choices=Notice.Validity.choices, empty_label=_("Any validity")
    )

    class Meta:
        model = Notice
        fields = ["q", "catalog", "organization", "kind", "year", "validity"]

    def __init__(self, *args, organization_ids: set[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organization_ids is not None:
            self.filters["organization"].queryset = self.filters["organization"].queryset.filter(
                id__in=organization_ids
            )

    def filter_title(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def filter_catalog(self, queryset, name, node):
        pairs = CatalogNode.objects.values_list("id", "parent_id")
        return queryset.filter(catalog_node_id__in=descendant_ids([node.pk], pairs))

    def filter_organization(self, queryset, name, org):
        pairs = Organization.objects.values_list("id", "parent_id")
        return queryset.filter(organization_id__in=descendant_ids([org.pk], pairs))

    def filter_year(self, queryset, name, year):
        # A range on the indexed column, in the site's time zone (a year
        # starts at 00:00 Beijing time), rather than a per-row EXTRACT.
        tz = timezone.get_current_timezone()
        start = datetime(int(year), 1, 1, tzinfo=tz)
        end = datetime(int(year) + 1, 1, 1, tzinfo=tz)
        return queryset.filter(published_at__gte=start, published_at__lt=end)
