"""Atom and RSS feeds of the latest public notices: site-wide, per catalog node, per
organisation. County platforms aggregate from these."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from catalog.models import CatalogNode, Organization, descendant_ids, organization_subtree_ids
from portal.scope import get_scope

from .models import Notice
from .publication import public_notices

FEED_ITEMS = 30


class LatestNoticesFeed(Feed):
    """RSS 2.0; `AtomLatestNoticesFeed` is the same as Atom."""

    def get_object(self, request, **kwargs):
        self.request = request
        return None

    def base(self):
        return public_notices(self.request)

    def title(self, obj=None) -> str:
        site = get_scope(self.request).site
        return _("%(site)s: latest notices") % {"site": site.name if site else ""}

    def link(self, obj=None) -> str:
        return "/notices/"

    def description(self, obj=None) -> str:
        return _("Notices published under government information disclosure.")

    def items(self, obj=None):
        return self.base().select_related("organization").rows(0, FEED_ITEMS)

    def item_title(self, item: Notice) -> str:
        return item.title

    def item_description(self, item: Notice) -> str:
        return item.summary or item.title

    def item_pubdate(self, item: Notice):
        return item.published_at

    def item_author_name(self, item: Notice) -> str:
        return item.organization.name

    def item_guid(self, item: Notice) -> str:
        return item.index_number or str(item.pk)

    item_guid_is_permalink = False


class AtomLatestNoticesFeed(LatestNoticesFeed):
    feed_type = Atom1Feed
    subtitle = LatestNoticesFeed.description


class CatalogNodeFeed(LatestNoticesFeed):
    def get_object(self, request, path: str = "", **kwargs):
        self.request = request
        return get_object_or_404(CatalogNode, path=path.strip("/"))

    def title(self, obj: CatalogNode) -> str:
        return f"{super().title()} · {obj.name}"

    def link(self, obj: CatalogNode) -> str:
        return obj.get_absolute_url()

    def items(self, obj: CatalogNode):
        ids = descendant_ids([obj.pk], CatalogNode.objects.values_list("id", "parent_id"))
        return (
            self.base()
            .filter(catalog_node_id__in=ids)
            .select_related("organization")
            .rows(0, FEED_ITEMS)
        )


class AtomCatalogNodeFeed(CatalogNodeFeed):
    feed_type = Atom1Feed


class OrganizationFeed(LatestNoticesFeed):
    def get_object(self, request, slug: str = "", **kwargs):
        self.request = request
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise Http404
        return org

    def title(self, obj: Organization) -> str:
        return f"{super().title()} · {obj.name}"

    def link(self, obj: Organization) -> str:
        return f"/notices/?organization={obj.pk}"

    def items(self, obj: Organization):
        ids = organization_subtree_ids(obj)
        return self.base().in_organizations(ids).select_related("organization").rows(0, FEED_ITEMS)


class AtomOrganizationFeed(OrganizationFeed):
    feed_type = Atom1Feed
