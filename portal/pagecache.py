"""Whole-page cache for anonymous visitors, invalidated by publishing, not by time.

- A page is cached under the public content version (`PublicVersion`), the
  display mode and the full path; publishing, revising or withdrawing a notice
  bumps the version after commit, so no worker serves a stale list.
- `ETag` is derived from the same key: a browser that already has the page gets
  304 without the page being rendered.
- Only anonymous GET/HEAD requests of public pages that set no cookie are cached;
  forms with CSRF tokens (apply, track), the staff side and downloads never are.
- The cache is Django's (local memory by default, Redis with REDIS_URL); the
  version lives in the database, so workers agree even without Redis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone

NOT_CACHED_PREFIXES = ("/admin/", "/apply/", "/display/", "/healthz", "/static/")


def current_version() -> int:
    """The version now; bumps it first when a scheduled publication time has passed."""
    from .models import PublicVersion

    row = PublicVersion.objects.filter(pk=1).first()
    if row is None:
        row, _ = PublicVersion.objects.get_or_create(pk=1)
    if row.next_change_at and row.next_change_at <= timezone.now():
        bump()
        row.refresh_from_db()
    return row.version


def bump() -> None:
    """Public content changed: new version, and the next scheduled publication to watch."""
    from disclosure.models import Notice

    from .models import PublicVersion

    now = timezone.now()
    upcoming = Notice.objects.filter(status=Notice.Status.PUBLISHED, published_at__gt=now)
    next_change = upcoming.aggregate(first=Min("published_at"))["first"]
    # At least the clock in microseconds: a number never reused for another state, even
    # after a database is restored from a backup (portal.public).
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


def _cacheable_request(request: HttpRequest) -> bool:
    path = request.path_info
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not path.startswith(NOT_CACHED_PREFIXES)
        and "/attachments/" not in path
        and "/files/" not in path
    )


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "no_page_cache", False)
    )


class PublicPageCacheMiddleware:
    """Last in MIDDLEWARE, so security headers and CSP are still added to cached pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        elder = request.COOKIES.get("elder") == "1"
        from .public import public_state

        raw = f"{public_state(request).version}|{int(elder)}|{request.get_full_path()}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        etag = f'"{key[5:37]}"'
        entry = cache.get(key)
        if entry is not None:
            _count_view(entry.get("view"))
            if request.headers.get("If-None-Match") == etag:
                return HttpResponseNotModified(headers={"ETag": etag})
            response = HttpResponse(entry["content"], content_type=entry["type"])
            response["ETag"] = etag
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            cache.set(
                key,
                {"content": response.content, "type": response["Content-Type"],
                 "view": getattr(response, "count_view", None)},
                settings.PUBLIC_PAGE_CACHE_SECONDS,
            )  # fmt: skip
            response["ETag"] = etag
            response["X-Page-Cache"] = "miss"
        return response


def _count_view(pk: int | None) -> None:
    if pk:
        from disclosure.viewcounts import record_view

        record_view(pk)
