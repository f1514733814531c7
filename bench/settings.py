"""The portal's own settings, plus the bench URLs (the constant anchor view) and templates.

DEBUG stays off whatever the environment says: the bench measures production behaviour.
`BENCH_CACHE=off` swaps the cache for Django's DummyCache, so every cache lookup misses:
that is the "cold" server of `bench.run` (cache misses on every request).
"""

import copy
import os

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, TEMPLATES

DEBUG = False
ROOT_URLCONF = "bench.urls"

TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]

if os.environ.get("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
