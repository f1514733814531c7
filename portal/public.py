"""What every public page needs before its own query: the public content version (one SQL
query) and the site profile; and data derived from what is public, kept per version.

- `public_state(request)` reads `PublicVersion` once per request, and the site profile
  from the cache under that version (the admin's edits of the profile bump it). The
  whole-page cache (portal.pagecache) and the data below are keyed by that version,
  which publishing, revising and withdrawing bump (after commit).
- `remember(request, name, compute)` keeps what is expensive to derive but changes only
  when the public content does (catalog counts, the number of notices in a list, filter
  choices, organisation trees) in Django's cache under the current version: it is
  recomputed once per version, and never served stale, without any expiry tuning.
- The version grows with the clock (`bump` sets at least the current time in
  microseconds), so a database restored from a backup never meets cache entries made
  for another state under the same number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from .models import PublicVersion, SiteProfile

T = TypeVar("T")
_MISSING = object()


@dataclass(frozen=True)
class PublicState:
    site: SiteProfile | None
    version: int


def _read() -> PublicState:
    """The version (one query on its one row); the site profile from the cache under it."""
    # Plain SQL: on a page-cache miss this runs on every page, and the ORM takes longer to
    # compile it than the database takes to answer.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, next_change_at IS NOT NULL AND next_change_at <= %s"
            f" FROM {connection.ops.quote_name(PublicVersion._meta.db_table)} WHERE id = 1",
            [connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()
    if row is None or row[1]:
        # No row yet, or a scheduled publication time has passed: bump (pagecache).
        from .pagecache import current_version

        version = current_version()
    else:
        version = row[0]
    key = f"public:{version}:site-profile"
    site = cache.get(key, _MISSING)
    if site is _MISSING:
        site = SiteProfile.load()
        cache.set(key, site, settings.PUBLIC_DATA_CACHE_SECONDS)
    return PublicState(site=site, version=version)


def public_state(request: HttpRequest | None) -> PublicState:
    """The site profile and public version for this request (one query, memoised on it)."""
    if request is None:
        return _read()
    state = getattr(request, "_public_state", None)
    if state is None:
        state = request._public_state = _read()
    return state


def remember(request: HttpRequest | None, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per public version (and per `name`), from the cache after that.

    `name` must say everything the value depends on besides the public content, e.g. the
    scope and the filter. None is a value too; it is cached like any other."""
    key = f"public:{public_state(request).version}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, settings.PUBLIC_DATA_CACHE_SECONDS)
    return value
