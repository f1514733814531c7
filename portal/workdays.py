"""Working days and deadlines, counted on the office's calendar (CalendarYear, CalendarDay).

Rules (条例 arts. 30, 32, 33; regulation.md §1.6 and §7 items 1–8):

- A working day is Monday to Friday, minus the weekday holidays, plus the weekend days worked
  (调休), as the office entered them for that year.
- Counting starts on the day after the start date (the receipt date) unless
  `settings.WORKDAY_COUNT_FROM_NEXT_DAY` is False. The law does not say; regulation.md marks
  it UNCONFIRMED, so it is a setting.
- Days inside a pause (third-party consultation, fee notice...) are not counted, from its
  first to its last day inclusive. A pause with no end yet means the deadline cannot be
  known: `due` is None and `paused_open` is True.
- A year that is not in CalendarYear is never guessed: `due` is None and `missing_years`
  names it, so the office is asked to enter it. Only the years the count walks through
  are needed. A step limited by such a deadline is allowed, not refused: `has_passed`
  says None ("not known"), never True.

Nothing is cached between calls: each call reads the calendar through its own `Calendar`,
one query for the list of years and one per year walked, so an edit in the admin counts at
once. Pass one `Calendar` to several calls (a dashboard) to share those reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear

ONE_DAY = timedelta(days=1)


class CalendarMissing(Exception):
    """A day was asked about in a year the office has not entered."""

    def __init__(self, years: Sequence[int]) -> None:
        self.years = sorted(set(years))
        super().__init__(f"no working-day calendar for {', '.join(map(str, self.years))}")


class Calendar:
    """The office's calendar, read from the database at most once per year per instance."""

    def __init__(self) -> None:
        self._years: set[int] | None = None
        self._special: dict[int, dict[date, tuple[str, str]]] = {}

    def has_year(self, year: int) -> bool:
        if self._years is None:
            self._years = set(CalendarYear.objects.values_list("year", flat=True))
        return year in self._years

    def special(self, day: date) -> tuple[str, str] | None:
        """The (kind, name) of a holiday or 调休 day, None for an ordinary day."""
        year = day.year
        if year not in self._special:
            if not self.has_year(year):
                raise CalendarMissing([year])
            rows = CalendarDay.objects.filter(
                date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
            ).values_list("date", "kind", "name")
            self._special[year] = {d: (kind, name) for d, kind, name in rows}
        return self._special[year].get(day)

    def is_working_day(self, day: date) -> bool:
        special = self.special(day)
        if special is None:
            return day.weekday() < 5
        return special[0] == CalendarDay.Kind.WORKDAY


def is_working_day(day: date, calendar: Calendar | None = None) -> bool:
    """Raises CalendarMissing when the office has not entered the year of `day`."""
    return (calendar or Calendar()).is_working_day(day)


@dataclass
class Pause:
    """Days not counted, first and last inclusive; `end` None while the pause lasts."""

    start: date
    end: date | None
    reason: str

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"pause ends ({self.end}) before it starts ({self.start})")

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class Deadline:
    """A computed deadline with everything needed to show how it was computed.

    `due` is None when it cannot be known: a year has no calendar (`missing_years`), or a
    pause has not ended (`paused_open`). Staff are shown why rather than a guess.
    """

    due: date | None
    start: date
    working_days: int
    counted: list[date] = field(default_factory=list)
    skipped_holidays: list[tuple[date, str]] = field(default_factory=list)
    worked_weekends: list[tuple[date, str]] = field(default_factory=list)
    paused: list[tuple[date, date | None, str]] = field(default_factory=list)
    missing_years: list[int] = field(default_factory=list)
    paused_open: bool = False
    from_next_day: bool = True

    def has_passed(self, today: date) -> bool | None:
        """Whether `today` is after the due date; None while the date cannot be known (a
        year without a calendar, an open pause), so that no step is refused on a guess."""
        if self.due is None:
            return None
        return today > self.due

    def explain(self) -> list[str]:
        """How the deadline was computed, one line per step, in the active language."""
        lines = [_("Start date: %(date)s.") % {"date": _day(self.start)}]
        if self.from_next_day:
            lines.append(_("Counting starts on the next day; the start date is not counted."))
        else:
            lines.append(_("The start date is counted if it is a working day."))
        lines.append(
            _(
                "Working days to count: %(count)d (weekends and public holidays are skipped, "
                "adjusted working days count)."
            )
            % {"count": self.working_days}
        )
        lines += [
            _("Skipped %(date)s: %(name)s (public holiday).") % {"date": _day(d), "name": name}
            for d, name in self.skipped_holidays
        ]
        lines += [
            _("Counted %(date)s: adjusted working day for %(name)s.")
            % {"date": _day(d), "name": name}
            for d, name in self.worked_weekends
        ]
        lines += [_pause_line(start, end, reason) for start, end, reason in self.paused]
        lines.append(self._result_line())
        return lines

    def _result_line(self) -> str:
        if self.missing_years:
            return _(
                "No working-day calendar for %(year)s: ask the office to enter it, then the "
                "deadline can be computed."
            ) % {"year": ", ".join(map(str, self.missing_years))}
        if self.paused_open:
            return _("No deadline while the pause lasts: it is computed again when it ends.")
        return _("Deadline: %(date)s (%(count)d working days counted).") % {
            "date": _day(self.due),
            "count": len(self.counted),
        }


def _day(day: date) -> str:
    return _("%(date)s, %(weekday)s") % {
        "date": date_format(day, "DATE_FORMAT"),
        "weekday": date_format(day, "l"),
    }


def _pause_line(start: date, end: date | None, reason: str) -> str:
    if end is None:
        return _("Paused since %(start)s (%(reason)s): days from then on are not counted.") % {
            "start": _day(start),
            "reason": reason,
        }
    return _("Paused from %(start)s to %(end)s (%(reason)s): these days are not counted.") % {
        "start": _day(start),
        "end": _day(end),
        "reason": reason,
    }


def compute_deadline(
    start: date,
    working_days: int,
    pauses: Sequence[Pause] = (),
    *,
    from_next_day: bool | None = None,
    calendar: Calendar | None = None,
) -> Deadline:
    """The day on which `working_days` working days have been counted from `start`.

    - `from_next_day` None follows settings.WORKDAY_COUNT_FROM_NEXT_DAY.
    - Zero working days: due on the start date (answered on the spot).
    - A pause that begins after the deadline has been reached changes nothing.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    if from_next_day is None:
        from_next_day = settings.WORKDAY_COUNT_FROM_NEXT_DAY
    deadline = Deadline(
        due=None, start=start, working_days=working_days, from_next_day=from_next_day
    )
    if working_days == 0:
        deadline.due = start
        return deadline
    first = start + ONE_DAY if from_next_day else start
    try:
        _count(deadline, calendar or Calendar(), sorted(pauses, key=lambda p: p.start), first)
    except CalendarMissing as missing:
        deadline.missing_years = missing.years
    return deadline


def _count(deadline: Deadline, calendar: Calendar, pauses: list[Pause], day: date) -> None:
    """Walk from `day` until the deadline is reached, filling in `deadline` as it goes."""
    while len(deadline.counted) < deadline.working_days:
        pause = next((p for p in pauses if p.covers(day)), None)
        if pause is not None:
            deadline.paused.append((pause.start, pause.end, pause.reason))
            if pause.end is None:
                deadline.paused_open = True
                return
            # Pause days are passed over without reading the calendar: none of them counts.
            day = pause.end + ONE_DAY
            continue
        special = calendar.special(day)
        if calendar.is_working_day(day):
            deadline.counted.append(day)
            if special is not None:
                deadline.worked_weekends.append((day, special[1]))
        elif special is not None:
            deadline.skipped_holidays.append((day, special[1]))
        day += ONE_DAY
    deadline.due = deadline.counted[-1]


def _days_after(first: date, last: date) -> Iterator[date]:
    """The days after `first` up to and including `last`."""
    day = first + ONE_DAY
    while day <= last:
        yield day
        day += ONE_DAY


def working_days_left(today: date, due: date, *, calendar: Calendar | None = None) -> int | None:
    """Working days after `today` up to and including `due`.

    - 0 on the due date itself; negative once overdue (-1 on the first working day after).
    - None when a year in between has no calendar, so nothing is shown rather than a guess.
    """
    calendar = calendar or Calendar()
    first, last, sign = (today, due, 1) if today <= due else (due, today, -1)
    try:
        return sign * sum(1 for day in _days_after(first, last) if calendar.is_working_day(day))
    except CalendarMissing:
        return None
