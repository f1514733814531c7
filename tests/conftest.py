import os
import shutil
import tempfile

import pytest

_media = tempfile.mkdtemp(prefix="portal-test-media-")


def pytest_configure(config):
    # Before settings load, so even setUpTestData (class level) never writes to var/media.
    os.environ["MEDIA_ROOT"] = _media


def pytest_unconfigure(config):
    shutil.rmtree(_media, ignore_errors=True)


@pytest.fixture(autouse=True)
def _static_without_manifest(settings):
    """Static files are found by the finders, so tests need no collectstatic (the
    storage production uses, without its manifest)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "portal.static_storage.PrefixedStaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Views are tested as views; tests/config/test_pagecache.py turns the cache on."""
    from django.core.cache import cache

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.VIEW_COUNT_FLUSH_SECONDS = 0  # each view written at once, as tests expect
    cache.clear()
