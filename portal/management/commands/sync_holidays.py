"""Add the years a newer chinese-calendar knows to the working-day calendar.

Run after upgrading the package (the State Council publishes next year's holidays in the
autumn). Only years missing from CalendarYear are added. A year already there is the
office's, and is never changed: once a year exists, the office may have corrected or added
days (a local holiday), and the package cannot tell those edits from its own errors. Years
that differ from the package are listed so the office can review them in the admin.
Running it again changes nothing.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.models import CalendarDay, CalendarYear

# chinese_calendar.Holiday member names → the names the office uses.
NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
    "anti_fascist_70th_day": "抗战胜利纪念日",
}

Day = tuple[date, str, str]  # (date, kind, name)


def chinese_name(label: str) -> str:
    try:
        holiday = chinese_calendar.Holiday(label)
    except ValueError:  # a label a newer package added without an enum member
        return label
    return NAMES.get(holiday.name, holiday.chinese)


def package_days() -> dict[int, list[Day]]:
    """Per year, the days the package marks that differ from the Mon–Fri week."""
    years: dict[int, list[Day]] = {
        d.year: [] for d in [*chinese_calendar.holidays, *chinese_calendar.workdays]
    }
    for d, label in chinese_calendar.holidays.items():
        if d.weekday() < 5:  # a weekend inside a holiday is a day off anyway
            years[d.year].append((d, CalendarDay.Kind.HOLIDAY, chinese_name(label)))
    for d, label in chinese_calendar.workdays.items():
        if d.weekday() >= 5:
            years[d.year].append((d, CalendarDay.Kind.WORKDAY, chinese_name(label)))
    return {year: sorted(days) for year, days in sorted(years.items())}


def stored_days(year: int) -> set[tuple[date, str]]:
    rows = CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    return set(rows.values_list("date", "kind"))


class Command(BaseCommand):
    help = "Add the years chinese-calendar knows that the working-day calendar lacks."

    def handle(self, *args, **options) -> None:
        known = package_days()
        present = set(CalendarYear.objects.values_list("year", flat=True))
        self.stdout.write(
            f"chinese-calendar {chinese_calendar.__version__} knows {min(known)}–{max(known)}; "
            f"the calendar has {len(present)} years."
        )
        added = 0
        for year, days in known.items():
            if year in present:
                self.report_differences(year, days)
            else:
                self.add_year(year, days)
                added += 1
        self.stdout.write(f"Done: {added} added, {len(present & known.keys())} kept as they are.")

    @transaction.atomic
    def add_year(self, year: int, days: list[Day]) -> None:
        # One transaction per year: a year is in CalendarYear only with all its days.
        note = f"据国务院办公厅放假通知，由 chinese-calendar {chinese_calendar.__version__} 导入。"
        CalendarYear.objects.create(year=year, note=note)
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, kind=kind, name=name) for d, kind, name in days
        )
        holidays = sum(1 for _, kind, _ in days if kind == CalendarDay.Kind.HOLIDAY)
        self.stdout.write(
            f"{year}: added {holidays} holidays and {len(days) - holidays} adjusted working days."
        )

    def report_differences(self, year: int, days: list[Day]) -> None:
        differ = stored_days(year) ^ {(d, kind) for d, kind, _ in days}
        if differ:
            dates = ", ".join(sorted({d.isoformat() for d, _ in differ}))
            self.stdout.write(
                f"{year}: kept; differs from the package on {dates} (office edits are kept; "
                "review them in the admin)."
            )
