"""Rate limits that every gunicorn worker and host agrees on: counted in the database."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from .models import RateLimitHit


def client_address(request: HttpRequest) -> str:
    # Behind the county's proxy, REMOTE_ADDR is the proxy; the proxy must set
    # X-Real-IP (documented in README), which we trust only when configured to.
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_REAL_IP")
        if forwarded:
            return forwarded.strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _window(seconds: int) -> int:
    return int(time.time()) // seconds


def count(key: str, seconds: int = 3600) -> int:
    row = RateLimitHit.objects.filter(key=key, window=_window(seconds)).first()
    return row.count if row else 0


def hit(key: str, seconds: int = 3600) -> int:
    """Add one to the key's count in the current window; returns the new count."""
    window = _window(seconds)
    with transaction.atomic():
        updated = RateLimitHit.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitHit.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # another worker created it first
                RateLimitHit.objects.filter(key=key, window=window).update(count=F("count") + 1)
    return count(key, seconds)


def exceeded(key: str, limit: int, seconds: int = 3600) -> bool:
    return count(key, seconds) >= limit
