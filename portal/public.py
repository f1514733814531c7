"""The public content version, and what every public page needs before its own query.

- `PublicVersion` is one number that changes whenever what the public sees changes.
  `bump()` sets a new one (after commit: `bump_on_commit()`); the apps that own public
  content call it through their own door (disclosure.publication), and edits of the
  organisations, the catalog and the site profile bump it from `PortalConfig.ready`.
- What changes the public content at a set time (a notice scheduled for later) is told
  to `watch_scheduled_changes()` by the app that owns it; `bump()` stores the earliest
  such time, and the first request after it bumps again, so nothing needs a job.

- `public_state(request)` reads `PublicVersion` once per request, and the site profile
  from the cache under that version (the admin's edits of the profile bump it). The
  whole-page cache (config.pagecache) and the data below are keyed by that version.
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
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest
from django.utils import timezone

from .models import PublicVersion, SiteProfile

T = TypeVar("T")
_MISSING = object()

# Each returns the next time after `now` at which public content changes by itself (a
# scheduled publication), or None. Filled once per process by the apps' ready(), the same
# in every worker: code, not state.
_SCHEDULE_SOURCES: list[Callable[[datetime], datetime | None]] = []


def watch_scheduled_changes(source: Callable[[datetime], datetime | None]) -> None:
    """Register what an app publishes at a set time (called from its AppConfig.ready)."""
    if source not in _SCHEDULE_SOURCES:
        _SCHEDULE_SOURCES.append(source)


def bump() -> None:
    """Public content changed: a new version, and the next scheduled change to watch."""
    now = timezone.now()
    upcoming = [at for source in _SCHEDULE_SOURCES if (at := source(now)) is not None]
    next_change = min(upcoming, default=None)
    # At least the clock in microseconds: a number never reused for another state, even
    # after a database is restored from a backup.
    clock = int(now.timestamp() * 1_000_000)
    updated = PublicVersion.objects.filter(pk=1).update(
        version=Greatest(F("version") + 1, Value(clock)), next_change_at=next_change
    )
    if not updated:
        PublicVersion.objects.get_or_create(
            pk=1, defaults={"version": clock, "next_change_at": next_change}
        )


def bump_on_commit() -> None:
    transaction.on_commit(bump)


def current_version() -> int:
    """The version now; bumps it first when a scheduled change's time has passed."""
    row = PublicVersion.objects.filter(pk=1).first()
    if row is None:
        row, _ = PublicVersion.objects.get_or_create(pk=1)
    if row.next_change_at and row.next_change_at <= timezone.now():
        bump()
        row.refresh_from_db()
    return row.version


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
        # No row yet, or a scheduled change's time has passed: bump.
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
