"""The public notice list's filters (django-filter)."""

from __future__ import annotations

from datetime import datetime

import django_filters

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.scope import get_scope, organization_pairs

from .counts import (
    in_branch,
    organization_choices,
    organization_subtree,
    public_tree,
    remembered_count,
)
from .models import Notice
from .models.notices import FIRST_YEAR

# A filtered list counts at most this many notices and shows them in pages; past it, the
# page says so and asks for a narrower filter.
COUNT_CAP = 10_000


def year_choices() -> list[tuple[int, int]]:
    return [(y, f"{y}") for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class NoticeFilter(django_filters.FilterSet):
    """Catalog node and organisation include everything below them."""

    q = django_filters.CharFilter(
        label=_("Title contains"),
        method="filter_title",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the title")}),
    )
    # Choices come from the per-version cache (disclosure.counts), set in __init__: the
    # form costs no query.
    catalog = django_filters.ChoiceFilter(
        label=_("Catalog"), method="filter_catalog", empty_label=_("All catalog nodes")
    )
    organization = django_filters.ChoiceFilter(
        label=_("Issuing organisation"),
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

    def __init__(self, *args, request, every_organization: bool = False, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.tree = public_tree(request)
        self.capped = False  # more than COUNT_CAP found: count() says COUNT_CAP
        self.filters["catalog"].extra["choices"] = [
            # Indented with ideographic spaces, so a resident sees where a node sits.
            (item.node.pk, "\u3000" * item.node.depth + item.node.name)
            for item in sorted(self.tree.by_path.values(), key=lambda item: item.node.path)
        ]
        if every_organization:  # the API: any organisation in the scope, by id
            scope = get_scope(request)
            ids = (
                scope.organization_ids
                if scope.organization
                else {pk for pk, _parent in organization_pairs(request)}
            )
            choices = [(pk, str(pk)) for pk in sorted(ids)]
        else:
            choices = organization_choices(request)
        self.filters["organization"].extra["choices"] = choices

    def applied(self) -> dict:
        """The filters that narrow the list: the valid values given (as `qs` applies them)."""
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with every valid field
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def count(self) -> int:
        """The number of notices the filter finds: from the catalog tree when nothing but the
        catalog narrows the list, else counted once per public version."""
        applied = self.applied()
        if set(applied) <= {"catalog"}:
            if "catalog" in applied:
                return self.tree.by_id[int(applied["catalog"])].count
            return sum(item.count for item in self.tree.roots)
        name = "notice-list:" + "&".join(f"{key}={applied[key]}" for key in sorted(applied))
        # Bounded: counting every one of a million notices of one kind takes seconds.
        found = remembered_count(self.request, name, self.qs.order_by()[: COUNT_CAP + 1])
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)

    def filter_title(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def filter_catalog(self, queryset, name, node_id):
        return in_branch(queryset, self.tree, self.tree.by_id[int(node_id)].node.path)

    def filter_organization(self, queryset, name, org_id):
        return queryset.in_organizations(organization_subtree(self.request, int(org_id)))

    def filter_year(self, queryset, name, year):
        # A range on the indexed column, in the site's time zone (a year
        # starts at 00:00 Beijing time), rather than a per-row EXTRACT.
        tz = timezone.get_current_timezone()
        start = datetime(int(year), 1, 1, tzinfo=tz)
        end = datetime(int(year) + 1, 1, 1, tzinfo=tz)
        return queryset.filter(published_at__gte=start, published_at__lt=end)
