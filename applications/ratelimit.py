"""Rate limits that every gunicorn worker and host agrees on: counted in the database.

- `take(key, limit, seconds)` counts an attempt and decides in the same statement, so
  requests arriving together cannot all pass a check before any of them is counted
  (a check, then a count, let limit + 1 through). `give_back` returns an attempt that
  turned out not to count.
- Counted by `client_address` (portal.addresses): REMOTE_ADDR, or what a proxy in
  PORTAL_TRUSTED_PROXIES says, never a header anyone else sent.
"""

from __future__ import annotations

import time

from django.db import connections, router
from django.db.models import F

from portal.addresses import client_address

from .models import RateLimitHit

__all__ = ["client_address", "count", "give_back", "take"]

# --- counting ---------------------------------------------------------------------------


def _window(seconds: int) -> int:
    return int(time.time()) // seconds


def take(key: str, limit: int, seconds: int = 3600) -> bool:
    """Count one attempt for `key` in the current window of `seconds`, if fewer than
    `limit` are counted there; True when it was counted (go ahead), False when the limit
    is reached (refuse). A refused attempt is not counted.

    One INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING (SQLite 3.35+,
    PostgreSQL): the row is created or raised and the decision read back in the same
    statement. On PostgreSQL a second statement on the same row waits for the first to
    commit and then sees its count; SQLite runs one writer at a time.
    """
    if limit <= 0:
        return False
    connection = connections[router.db_for_write(RateLimitHit)]
    quote = connection.ops.quote_name
    meta = RateLimitHit._meta
    table = quote(meta.db_table)
    key_col, window_col, count_col = (quote(meta.get_field(name).column)
                                      for name in ("key", "window", "count"))  # fmt: skip
    sql = (
        f"INSERT INTO {table} ({key_col}, {window_col}, {count_col}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({key_col}, {window_col}) DO UPDATE SET {count_col} = "
        f"{table}.{count_col} + 1 WHERE {table}.{count_col} < %s RETURNING {count_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, _window(seconds), limit])
        return cursor.fetchone() is not None


def give_back(key: str, seconds: int = 3600) -> None:
    """Return an attempt `take` counted that turned out not to count (the tracking code
    was right). If the window has just turned over, the new window gets it: at most one
    attempt in the client's favour."""
    RateLimitHit.objects.filter(key=key, window=_window(seconds), count__gt=0).update(
        count=F("count") - 1
    )


# --- reading a count (tests, the staff side) ---------------------------------------------


def count(key: str, seconds: int = 3600) -> int:
    row = RateLimitHit.objects.filter(key=key, window=_window(seconds)).first()
    return row.count if row else 0
