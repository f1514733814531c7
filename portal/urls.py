from django.contrib import admin
from django.urls import path, re_path

from applications import views as application_views
from catalog import views as catalog_views
from disclosure import views as disclosure_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("healthz", views.healthz, name="healthz"),
    # /catalog/
    path("catalog/", catalog_views.catalog_index, name="catalog-index"),
    re_path(r"^catalog/(?P<path>[-a-z0-9_/]+?)/$", catalog_views.catalog_node, name="catalog-node"),
    # /notices/
    path("notices/", disclosure_views.NoticeListView.as_view(), name="notice-list"),
    path("notices/withdrawn/", disclosure_views.corrections, name="notice-corrections"),
    path("notices/<int:pk>/", disclosure_views.notice_detail, name="notice-detail"),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        disclosure_views.attachment_download,
        name="notice-attachment",
    ),
    # /apply/
    path("apply/", application_views.apply, name="application-apply"),
    path("apply/receipt/", application_views.receipt, name="application-receipt"),
    path("apply/track/", application_views.track, name="application-track"),
    path("apply/suggest/", application_views.suggest, name="application-suggest"),
    path("apply/files/<int:pk>/", application_views.reply_file, name="application-file"),
    path("admin/", admin.site.urls),
]
