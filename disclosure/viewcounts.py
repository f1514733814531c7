"""Counting page views without writing to the database on every view.

A notice page is read far more often than anything is published: an UPDATE per view
would make every reader a writer, and SQLite has one writer at a time. Views are added up
in the worker and written together, at most every VIEW_COUNT_FLUSH_SECONDS (0 writes at
once, as the tests do), and when the worker exits. A worker killed outright loses at
most that many seconds of its counts: acceptable for a reading counter, never for
anything the law asks us to record.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, transaction

from .models import Notice

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: Counter[int] = Counter()
_last_flush = time.monotonic()


def record_view(notice_id: int) -> None:
    """One view of a notice page (rendered or served from the page cache)."""
    with _lock:
        _pending[notice_id] += 1
        due = time.monotonic() - _last_flush >= settings.VIEW_COUNT_FLUSH_SECONDS
    if due:
        flush()


def flush() -> None:
    """Write the counts gathered so far: one UPDATE per notice, in one transaction."""
    global _last_flush
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not counts:
        return
    try:
        with transaction.atomic():
            for notice_id, n in sorted(counts.items()):
                Notice.count_view(notice_id, n)
    except DatabaseError:  # a busy database must not fail a reader's page
        logger.warning("View counts not written this time; kept for the next flush")
        with _lock:
            _pending.update(counts)


atexit.register(flush)
