"""Seed the working-day calendar for every year the chinese-calendar package knows.

Reference data, so it ships as a migration. The package transcribes the 国务院办公厅
holiday notices; only what differs from the Mon–Fri week is stored (weekday holidays and
weekend 调休 working days). Years added later come from `manage.py sync_holidays`.

This is a frozen copy of the command's reading code: a migration must not depend on
application code that may change after it has run.
"""

from django.db import migrations

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


def chinese_name(label):
    import chinese_calendar

    try:
        holiday = chinese_calendar.Holiday(label)
    except ValueError:
        return label
    return NAMES.get(holiday.name, holiday.chinese)


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("portal", "CalendarYear")
    CalendarDay = apps.get_model("portal", "CalendarDay")
    known = {d.year for d in [*chinese_calendar.holidays, *chinese_calendar.workdays]}
    present = set(CalendarYear.objects.values_list("year", flat=True))
    years = sorted(known - present)
    note = f"据国务院办公厅放假通知，由 chinese-calendar {chinese_calendar.__version__} 导入。"
    CalendarYear.objects.bulk_create([CalendarYear(year=y, note=note) for y in years])
    days = [
        CalendarDay(date=d, kind="holiday", name=chinese_name(label))
        for d, label in chinese_calendar.holidays.items()
        if d.year in years and d.weekday() < 5
    ] + [
        CalendarDay(date=d, kind="workday", name=chinese_name(label))
        for d, label in chinese_calendar.workdays.items()
        if d.year in years and d.weekday() >= 5
    ]
    CalendarDay.objects.bulk_create(sorted(days, key=lambda day: day.date))


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_working_day_calendar"),
    ]

    # Reversing leaves the rows: undoing 0002 drops the tables anyway.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
