"""Static file URLs under the prefix the portal is mounted at.

A township channel may be served inside the county's portal (SCRIPT_NAME or
FORCE_SCRIPT_NAME, e.g. /county/qinglan/). WhiteNoise then serves the stylesheet at
/county/qinglan/static/…, but Django's storages put the prefix of the *first* request
into their base URL for good (or none at all when STATIC_URL starts with "/"), so pages
linked /static/…, which the county's server does not have.

Here STATIC_URL is a path inside the portal, as WhiteNoise serves it: each URL gets the
current request's site root in front (`portal.middleware.site_root_prefix`: the mount
point, never an organisation's /org/<slug>/ scope, which WhiteNoise does not see). A
STATIC_URL with a host (a CDN) is left as it is.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage

from django.contrib.staticfiles.storage import StaticFilesStorage

from .middleware import site_root_prefix


def under_site_root(url: str) -> str:
    root = site_root_prefix().rstrip("/")
    if not root or not url.startswith("/") or url.startswith(("//", root + "/")):
        return url
    return root + url


class _UnderSiteRoot:
    def url(self, name: str, *args, **kwargs) -> str:
        return under_site_root(super().url(name, *args, **kwargs))


class PrefixedStaticFilesStorage(_UnderSiteRoot, StaticFilesStorage):
    """Development (DEBUG) and tests: files found by the finders."""


class PrefixedManifestStaticFilesStorage(_UnderSiteRoot, CompressedManifestStaticFilesStorage):
    """Production: hashed, compressed names from collectstatic."""
