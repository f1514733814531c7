"""The posting period of a 公示: how long it stays public, counted in working days.

- A 公示 stays public for a number of working days: its own (`Notice.posting_working_days`)
  or its catalog node's (`CatalogNode.posting_period`, down to settings.POSTING_WORKING_DAYS).
  Submission fixes it on the notice, so the reviewers approve a period, not a default.
- Publishing computes the last day (`posting_ends_on`) on the office's calendar
  (portal.workdays). Convention, chosen so the legal minimum is never shortened:
  the day of publication is never counted (it is at best part of a day; the first day
  counted is the next one, whatever WORKDAY_COUNT_FROM_NEXT_DAY says for deadlines), and
  the posting lasts to the end of its last day, Beijing time.
- A window that reaches a year whose calendar is not entered is never refused and never
  guessed short: Monday to Friday are counted there, and the result is only an estimate
  (`posting_end_estimate`, shown to staff as 待定) while `posting_ends_on` stays empty, so
  the notice stays public. A weekday count can fall short of the real end (a holiday on
  a weekday, 元旦 for a December posting), so the estimate never takes a notice down.
  Entering the year's calendar (or changing one of its days) computes the real end
  (`recompute_postings`, called from disclosure.apps on calendar saves); a real end already
  past takes the notice down at once.
- The public rule (notices.public_q) reads `posting_ends_on` at query time, and the first
  end still ahead is a scheduled change of the public content (publication.py), so it
  leaves every list, search, feed, sitemap, count and the API at that moment, no job.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from portal.models import CalendarYear
from portal.workdays import Calendar

ONE_DAY = timedelta(days=1)

# The fields a computed end writes (publish, a revision, a calendar entered).
POSTING_END_FIELDS = ("posting_ends_on", "posting_end_estimate")


def office_date(now: datetime) -> date:
    """The day it is at `now` in the office's time zone (settings.TIME_ZONE, Beijing)."""
    return timezone.localtime(now, timezone.get_default_timezone()).date()


def end_of_day(day: date) -> datetime:
    """The first moment after `day` in the office's time zone: when a posting ending that
    day leaves the public pages."""
    return timezone.make_aware(
        datetime.combine(day + ONE_DAY, time.min), timezone.get_default_timezone()
    )


def count_posting(
    published_on: date, working_days: int, calendar: Calendar | None = None
) -> tuple[date, bool]:
    """The last day of a posting published on `published_on`, and whether it is only an
    estimate (a year walked through has no calendar: its Mondays to Fridays counted)."""
    calendar = calendar or Calendar()
    day, counted, estimated = published_on, 0, False
    while counted < working_days:
        day += ONE_DAY
        if calendar.has_year(day.year):
            counted += calendar.is_working_day(day)
        else:
            estimated = True
            counted += day.weekday() < 5
    return day, estimated


class NoticePosting:
    """What `Notice` knows about its posting period (mixed in, beside the workflow)."""

    def is_posting(self) -> bool:
        return self.kind == self.Kind.PUBLICITY

    def posting_period(self) -> int | None:
        """Working days it stays posted: its own, else its catalog node's (None: unknown)."""
        if not self.is_posting():
            return None
        return self.posting_working_days or self.catalog_node.posting_period()

    def set_posting_end(self, calendar: Calendar | None = None) -> None:
        """Compute `posting_ends_on` (or its estimate) from the publication time; clear
        both for a notice that is not a 公示. Nothing is saved (POSTING_END_FIELDS)."""
        days = self.posting_period()
        self.posting_ends_on = self.posting_end_estimate = None
        if days is None or self.published_at is None:
            return
        last, estimated = count_posting(office_date(self.published_at), days, calendar)
        if estimated:
            self.posting_end_estimate = last
        else:
            self.posting_ends_on = last

    def posting_started_on(self) -> date | None:
        return office_date(self.published_at) if self.published_at else None

    def posting_has_ended(self, now: datetime | None = None) -> bool:
        """Its posting period is over at `now` (never while only estimated)."""
        return self.posting_ends_on is not None and self.posting_ends_on < office_date(
            now or timezone.now()
        )


def running_postings(now: datetime):
    """Published 公示 whose posting is not over at `now`: ending today or later, or with
    only an estimate (a year's calendar missing)."""
    from .notices import Notice, posting_running_q  # the model imports this module

    return Notice.objects.filter(
        status=Notice.Status.PUBLISHED,
        revision_of__isnull=True,
        kind=Notice.Kind.PUBLICITY,
    ).filter(posting_running_q(now))


def recompute_postings(years: Iterable[int] | None = None) -> int:
    """The calendar changed (a year entered, a day added or removed): compute again the
    end of every posting still running whose window may touch `years` (all: None), and
    tell the publication door about each one that changed. Returns how many changed.

    A posting already over stays over: a notice once taken down is not put back up by a
    later calendar edit."""
    from ..publication import publication_changed  # built on the model

    now = timezone.now()
    years = None if years is None else set(years)
    calendar = Calendar()
    changed = 0
    with transaction.atomic():
        running = running_postings(now).select_for_update(of=("self",))
        for notice in running.select_related("catalog_node").order_by("pk"):
            before = (notice.posting_ends_on, notice.posting_end_estimate)
            last = before[0] or before[1]
            if years is not None and last is not None:
                first = notice.posting_started_on().year
                if not any(first <= year <= last.year for year in years):
                    continue  # a day outside its window changes nothing
            notice.set_posting_end(calendar)
            if (notice.posting_ends_on, notice.posting_end_estimate) != before:
                notice.save(update_fields=[*POSTING_END_FIELDS, "updated_at"])
                publication_changed(notice)
                changed += 1
    return changed


def calendar_changed(sender, instance, **kwargs) -> None:
    """Receiver of portal's CalendarYear and CalendarDay saves and deletes: the ends of the
    postings that year may touch are counted again once the edit commits (a year entered
    by sync_holidays brings its days in the same transaction)."""
    year = instance.year if isinstance(instance, CalendarYear) else instance.date.year
    transaction.on_commit(partial(recompute_postings, [year]))
