from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog.models import CatalogNode

from .models import Notice
from .publication import public_notices


class NoticeSitemap(Sitemap):
    """Every public notice; the framework splits it into pages of 50,000 under an index."""

    changefreq = "monthly"
    limit = 50_000

    def items(self):
        return public_notices(None).only("id", "updated_at").order_by("id")

    def lastmod(self, item: Notice):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "guide", "catalog-index", "notice-list", "application-apply"]

    def location(self, item: str) -> str:
        return reverse(item)


class CatalogSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return CatalogNode.objects.order_by("path")


SITEMAPS = {"pages": PageSitemap, "catalog": CatalogSitemap, "notices": NoticeSitemap}
