"""Whole-page cache for anonymous visitors, invalidated by publishing, not by time.

- A page is cached under the public content version (portal.public), the display mode
  and the full path; whatever changes public content bumps the version after commit, so
  no worker on any host serves a stale list.
- `ETag` is derived from the same key: a browser that already has the page gets 304
  without the page being rendered.
- Which requests: anonymous GET/HEAD (no session cookie). Which responses: the response
  itself says. Never stored: anything but a 200, a streamed response (downloads), a page
  that used the CSRF token (every form: apply, track, feedback, login), one that sets a
  cookie or varies on it (the session was read), one marked `Cache-Control: private`,
  `no-cache` or `no-store` (`never_cache`), or one that opts out with
  `response.no_page_cache = True` (search: queries are whatever people type). So a new
  page with a form is never cached by accident, and no list of URLs has to be kept.
- The cache is Django's (local memory by default, Redis with REDIS_URL); the version
  lives in the database, so workers agree even without Redis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import cc_delim_re, has_vary_header

from disclosure.viewcounts import record_view
from portal.public import public_state

# Cache-Control directives that forbid a shared cache to store the response.
_PRIVATE = {"private", "no-cache", "no-store"}


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    directives = {
        d.split("=", 1)[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # get_token() was called: the page holds a form's CSRF token (the CSRF middleware,
        # outside this one, is about to set its cookie).
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not has_vary_header(response, "Cookie")
        and not (directives & _PRIVATE)
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
        raw = f"{public_state(request).version}|{int(elder)}|{request.get_full_path()}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        etag = f'"{key[5:37]}"'
        entry = cache.get(key)
        if entry is not None:
            if entry.get("view"):
                record_view(entry["view"])
            if request.headers.get("If-None-Match") == etag:
                return HttpResponseNotModified(headers={"ETag": etag})
            response = HttpResponse(entry["content"], content_type=entry["type"])
            response["ETag"] = etag
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            cache.set(
                key,
                {"content": response.content, "type": response["Content-Type"],
                 "view": getattr(response, "count_view", None)},
                settings.PUBLIC_PAGE_CACHE_SECONDS,
            )  # fmt: skip
            response["ETag"] = etag
            response["X-Page-Cache"] = "miss"
        return response
