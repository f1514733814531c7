from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path, register_converter

from applications import correction_views
from applications import views as application_views
from disclosure import api, catalog_views, feeds
from disclosure import search as disclosure_search
from disclosure import views as disclosure_views
from disclosure.sitemaps import SITEMAPS
from portal.converters import DatabaseIdConverter

from . import audit, views

# <id:…>: a database id, 1..2**63-1; anything else is a 404, never a 500 (portal.converters).
register_converter(DatabaseIdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("healthz", views.healthz, name="healthz"),
    path("display/", views.display_mode, name="display-mode"),
    # /catalog/
    path("catalog/", catalog_views.catalog_index, name="catalog-index"),
    re_path(r"^catalog/(?P<path>[-a-z0-9_/]+?)/$", catalog_views.catalog_node, name="catalog-node"),
    # /search/
    path("search/", disclosure_search.search_page, name="search"),
    # /notices/
    path("notices/", disclosure_views.NoticeListView.as_view(), name="notice-list"),
    path("notices/withdrawn/", disclosure_views.corrections, name="notice-corrections"),
    path("notices/<id:pk>/", disclosure_views.notice_detail, name="notice-detail"),
    path(
        "notices/<id:pk>/attachments/<id:attachment_pk>/",
        disclosure_views.attachment_download,
        name="notice-attachment",
    ),
    # /feeds/ and /sitemap.xml: what county platforms and search engines read
    path("feeds/notices/rss/", feeds.LatestNoticesFeed(), name="feed-rss"),
    path("feeds/notices/atom/", feeds.AtomLatestNoticesFeed(), name="feed-atom"),
    re_path(
        r"^feeds/catalog/(?P<path>[-a-z0-9_/]+?)/rss/$",
        feeds.CatalogNodeFeed(),
        name="feed-catalog-rss",
    ),
    re_path(
        r"^feeds/catalog/(?P<path>[-a-z0-9_/]+?)/atom/$",
        feeds.AtomCatalogNodeFeed(),
        name="feed-catalog-atom",
    ),
    path("feeds/org/<slug:slug>/rss/", feeds.OrganizationFeed(), name="feed-org-rss"),
    path("feeds/org/<slug:slug>/atom/", feeds.AtomOrganizationFeed(), name="feed-org-atom"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    re_path(
        r"^catalog/(?P<path>[-a-z0-9_/]+?)/export\.csv$",
        catalog_views.catalog_csv,
        name="catalog-csv",
    ),
    # /api/: read-only open data
    path("api/", api.index, name="api-index"),
    path("api/notices/", api.notice_list, name="api-notices"),
    path("api/notices/<id:pk>/", api.notice_detail, name="api-notice"),
    path("api/catalog/", api.catalog, name="api-catalog"),
    path("api/schema/", api.schema, name="api-schema"),
    # /apply/
    path("apply/", application_views.apply, name="application-apply"),
    path("apply/receipt/", application_views.receipt, name="application-receipt"),
    path("apply/track/", application_views.track, name="application-track"),
    path("apply/suggest/", application_views.suggest, name="application-suggest"),
    path("apply/files/<id:pk>/", application_views.reply_file, name="application-file"),
    # /apply/record-correction/: a record about oneself corrected (art. 41), not an application
    path("apply/record-correction/", correction_views.request_correction, name="record-correction"),
    path(
        "apply/record-correction/received/",
        correction_views.receipt,
        name="record-correction-receipt",
    ),
    # /admin/audit/: the audit trail, behind the admin's login (config/audit.py)
    path("admin/audit/", admin.site.admin_view(audit.audit_trail), name="audit-trail"),
    path(
        "admin/audit/export.xlsx",
        admin.site.admin_view(audit.audit_export),
        name="audit-export",
    ),
    path("admin/", admin.site.urls),
]
