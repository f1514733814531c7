"""Which organisation a public page speaks for, and what that means for queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from catalog.models import Organization, descendant_ids

from .models import SiteProfile
from .public import public_state, remember


@dataclass
class Scope:
    """The organisation a page is about (the site's own, or /org/<slug>/), and its subtree."""

    site: SiteProfile | None
    organization: Organization | None
    is_site_root: bool
    _ids: set[int] | None = None

    request: HttpRequest | None = None

    @property
    def organization_ids(self) -> set[int]:
        if self._ids is None:
            org = self.organization
            self._ids = descendant_ids([org.pk], organization_pairs(self.request)) if org else set()
        return self._ids

    def filter_notices(self, queryset, *, to_count: bool = False):
        """Limit a notice queryset to the scope; the site's own root needs no filter.

        - Lists, newest first, walk the list index (NoticeQuerySet.in_organizations).
        - `to_count`: for counting every notice of the scope, through the per-organisation
          index instead."""
        if self.is_site_root or self.organization is None:
            return queryset
        if to_count:
            return queryset.filter(organization_id__in=self.organization_ids)
        return queryset.in_organizations(self.organization_ids)

    @property
    def township(self) -> Organization | None:
        return self.organization.township() if self.organization else None


def organization_pairs(request: HttpRequest | None) -> list[tuple[int, int | None]]:
    """(id, parent_id) of every organisation, kept per public version (organisation edits
    bump it): every subtree of the organisation tree is derived from these."""
    return remember(
        request,
        "organization-pairs",
        lambda: list(Organization.objects.values_list("id", "parent_id")),
    )


def get_scope(request: HttpRequest) -> Scope:
    """Memoised per request; 404 for an unknown /org/<slug>/."""
    cached = getattr(request, "_scope", None)
    if cached is not None:
        return cached
    site = public_state(request).site
    slug = getattr(request, "scope_slug", None)
    root = site.organization if site else None
    if slug and (root is None or slug != root.slug):
        try:
            org = Organization.objects.select_related("parent").get(slug=slug)
        except Organization.DoesNotExist:
            # The 404 page itself renders with the site's own scope.
            request._scope = Scope(site=site, organization=root, is_site_root=True, request=request)
            raise Http404 from None
        scope = Scope(site=site, organization=org, is_site_root=False, request=request)
    else:
        scope = Scope(site=site, organization=root, is_site_root=True, request=request)
    request._scope = scope
    return scope
