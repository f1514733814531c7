"""Progress lines with counts and an estimate of the time left, for long commands."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """Print `label: done/total (pct), about N s left` at most every `interval` seconds.

    Used by seeding, the bench data generator and index rebuilds, so a clerk or
    an operator always sees that work is moving and how long it will take.
    """

    def __init__(self, label: str, total: int, out: TextIO, interval: float = 1.0) -> None:
        self.label = label
        self.total = max(total, 0)
        self.out = out
        self.interval = interval
        self.done = 0
        self.started = time.monotonic()
        self._last = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.interval or self.done >= self.total:
            self._last = now
            self.out.write(self.line(now) + "\n")
            self.out.flush()

    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        elapsed = now - self.started
        pct = 100 * self.done / self.total if self.total else 100.0
        if self.done >= self.total:
            eta = f"done in {elapsed:.1f} s"
        elif self.done:
            eta = f"about {elapsed / self.done * (self.total - self.done):.0f} s left"
        else:
            eta = "estimating time left"
        return f"{self.label}: {self.done}/{self.total} ({pct:.0f}%), {eta}"
