"""The working-day calendar and deadlines counted on it (regulation.md §1.6, §7 items 1–8).

Expected dates are worked out by hand from the 国务院办公厅 holiday notices (国办发明电
〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 〔2025〕7号 for 2026), which the data migration
seeded into the test database. The weekday holidays (H) and weekend working days (W) used:

2024  H 1/1; 2/12–16; 4/4–5; 5/1–3; 6/10; 9/16–17; 10/1–4, 10/7
      W Sun 2/4, Sun 2/18, Sun 4/7, Sun 4/28, Sat 5/11, Sat 9/14, Sun 9/29, Sat 10/12
2025  H 1/1; 1/28–31, 2/3–4; 4/4; 5/1–2, 5/5; 6/2; 10/1–3, 10/6–8
      W Sun 1/26, Sat 2/8, Sun 4/27, Sun 9/28, Sat 10/11
2026  H 1/1–2; 2/16–20, 2/23; 4/6; 5/1, 5/4–5; 6/19; 9/25; 10/1–2, 10/5–7
      W Sun 1/4, Sat 2/14, Sat 2/28, Sat 5/9, Sun 9/20, Sat 10/10
2027  not entered (the office has no notice yet)
"""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from portal.models import CalendarDay, CalendarYear
from portal.workdays import (
    Calendar,
    CalendarMissing,
    Pause,
    compute_deadline,
    is_working_day,
    working_days_left,
)

D = date.fromisoformat
THIRD_PARTY = "征求第三方意见"
FEE = "缴纳信息处理费"
MISSING_2027 = "no calendar: 2027"
OPEN = "paused, open"


def pause(start: str, end: str | None, reason: str = THIRD_PARTY) -> Pause:
    return Pause(D(start), D(end) if end else None, reason)


# (start, working days, pauses, from_next_day, expected due, hand computation)
# Counting starts the day after the start date unless from_next_day is False.
# "n=5" means the fifth working day counted; "H" a holiday skipped; "W" a 调休 day counted.
CASES = [
    # --- plain and the regulation's own examples ---------------------------------------
    ("2025-06-03", 20, (), True, "2025-07-01",
     "Tue; 6/4–6 n=3, 6/9–13 n=8, 16–20 n=13, 23–27 n=18, 6/30 n=19, 7/1 n=20; no holiday"),
    ("2025-03-07", 20, (), True, "2025-04-07",
     "reg. §7.1: Fri; 3/10–14 n=5 … 3/24–28 n=15, 3/31–4/3 n=19, H 4/4 清明, 4/7 n=20"),
    ("2025-04-07", 20, (), True, "2025-05-07",
     "reg. §7.1 and extension §7.3: 4/8–11 n=4 … 21–25 n=14, W Sun 4/27 n=15, 4/28–30 n=18, "
     "H 5/1, 5/2, 5/5 劳动节, 5/6 n=19, 5/7 n=20"),
    ("2025-03-07", 7, (), True, "2025-03-18",
     "补正 notice, reg. §7.4: 3/10–14 n=5, 3/17 n=6, 3/18 n=7"),
    # --- from_next_day False vs True ----------------------------------------------------
    ("2025-03-07", 20, (), False, "2025-04-03",
     "Fri 3/7 itself n=1, 3/10–14 n=6 … 3/24–28 n=16, 3/31–4/3 n=20 (清明 not reached)"),
    # --- pauses: third party (art. 32), fee notice ------------------------------------
    ("2025-03-14", 15, (), True, "2025-04-07",
     "third-party answer date: letter Fri 3/14; 3/17–21 n=5, 24–28 n=10, 3/31–4/3 n=14, "
     "H 4/4, 4/7 n=15"),
    ("2025-03-07", 20, (pause("2025-03-14", "2025-04-07"),), True, "2025-04-28",
     "3/10–13 n=4, paused 3/14–4/7 (16 working days), 4/8–11 n=8, 14–18 n=13, 21–25 n=18, "
     "W Sun 4/27 n=19, 4/28 n=20"),
    ("2025-03-07", 20, (pause("2025-03-17", "2025-03-21", FEE),), True, "2025-04-14",
     "3/10–14 n=5, paused Mon–Fri 3/17–21, 3/24–28 n=10, 3/31–4/3 n=14, H 4/4, "
     "4/7–11 n=19, 4/14 n=20"),
    ("2025-03-07", 20, (pause("2025-03-17", "2025-03-21", FEE), pause("2025-04-01", "2025-04-02")),
     True, "2025-04-16",
     "3/10–14 n=5, paused 3/17–21, 3/24–28 n=10, 3/31 n=11, paused 4/1–2, 4/3 n=12, H 4/4, "
     "4/7–11 n=17, 4/14–16 n=20"),
    ("2025-03-07", 20, (pause("2025-04-03", "2025-04-08"),), True, "2025-04-10",
     "3/10–4/2 n=18, paused 4/3–8 (清明 4/4 inside the pause), 4/9 n=19, 4/10 n=20"),
    ("2025-03-07", 20, (pause("2025-03-14", None),), True, OPEN,
     "3/10–13 n=4, then paused since 3/14 with no end: no deadline yet"),
    ("2025-06-03", 20, (pause("2025-07-02", None),), True, "2025-07-01",
     "the pause opens the day after the deadline (7/1, see the first row): nothing changes"),
    # --- 春节 --------------------------------------------------------------------------
    ("2024-02-01", 20, (), True, "2024-03-05",
     "Thu; 2/2 n=1, W Sun 2/4 n=2, 2/5–9 n=7, H 2/12–16, W Sun 2/18 n=8, 2/19–23 n=13, "
     "2/26–3/1 n=18, 3/4 n=19, 3/5 n=20"),
    ("2025-01-20", 20, (), True, "2025-02-21",
     "Mon; 1/21–24 n=4, W Sun 1/26 n=5, 1/27 n=6, H 1/28–31 and 2/3–4, 2/5–7 n=9, "
     "W Sat 2/8 n=10, 2/10–14 n=15, 2/17–21 n=20"),
    ("2026-02-09", 20, (), True, "2026-03-13",
     "Mon; 2/10–13 n=4, W Sat 2/14 n=5, H 2/16–20 and 2/23, 2/24–27 n=9, W Sat 2/28 n=10, "
     "3/2–6 n=15, 3/9–13 n=20"),
    # --- start on a 调休 Saturday ------------------------------------------------------
    ("2025-02-08", 20, (), True, "2025-03-07",
     "W Sat 2/8 not counted (next day rule); 2/10–14 n=5 … 3/3–7 n=20"),
    ("2025-02-08", 20, (), False, "2025-03-06",
     "W Sat 2/8 n=1, 2/10–14 n=6, 17–21 n=11, 24–28 n=16, 3/3–6 n=20"),
    # --- 清明 ----------------------------------------------------------------------------
    ("2024-04-01", 7, (), True, "2024-04-11",
     "Mon; 4/2–3 n=2, H 4/4–5, W Sun 4/7 n=3, 4/8–11 n=7"),
    ("2026-03-31", 7, (), True, "2026-04-10",
     "Tue; 4/1–3 n=3, weekend 4/4–5, H Mon 4/6, 4/7–10 n=7"),
    # --- 劳动节 --------------------------------------------------------------------------
    ("2024-04-25", 10, (), True, "2024-05-11",
     "Thu; 4/26 n=1, W Sun 4/28 n=2, 4/29–30 n=4, H 5/1–3, 5/6–10 n=9, W Sat 5/11 n=10: "
     "due on a Saturday"),
    ("2025-04-30", 1, (), True, "2025-05-06",
     "Wed; H 5/1–2, weekend, H Mon 5/5, 5/6 n=1"),
    ("2026-04-28", 10, (), True, "2026-05-14",
     "Tue; 4/29–30 n=2, H 5/1, 5/4–5, 5/6–8 n=5, W Sat 5/9 n=6, 5/11–14 n=10"),
    # --- 端午, 中秋 ---------------------------------------------------------------------
    ("2025-05-30", 1, (), True, "2025-06-03", "Fri; weekend, H Mon 6/2 端午, 6/3 n=1"),
    ("2024-09-12", 3, (), True, "2024-09-18",
     "Thu; 9/13 n=1, W Sat 9/14 n=2, H 9/16–17 中秋, 9/18 n=3"),
    # --- 国庆 ----------------------------------------------------------------------------
    ("2024-08-26", 20, (), True, "2024-09-24",
     "Mon; 8/27–30 n=4, 9/2–6 n=9, 9/9–13 n=14, W Sat 9/14 n=15, H 9/16–17, 9/18–20 n=18, "
     "9/23 n=19, 9/24 n=20"),
    ("2024-09-24", 20, (), True, "2024-10-25",
     "extension of the row above: 9/25–27 n=3, W Sun 9/29 n=4, 9/30 n=5, H 10/1–4 and 10/7, "
     "10/8–11 n=9, W Sat 10/12 n=10, 10/14–18 n=15, 10/21–25 n=20"),
    ("2025-09-26", 20, (), True, "2025-10-30",
     "Fri; W Sun 9/28 n=1, 9/29–30 n=3, H 10/1–3 and 10/6–8, 10/9–10 n=5, W Sat 10/11 n=6, "
     "10/13–17 n=11, 10/20–24 n=16, 10/27–30 n=20"),
    ("2026-09-18", 20, (), True, "2026-10-22",
     "Fri; W Sun 9/20 n=1, 9/21–24 n=5, H 9/25 中秋, 9/28–30 n=8, H 10/1–2 and 10/5–7, "
     "10/8–9 n=10, W Sat 10/10 n=11, 10/12–16 n=16, 10/19–22 n=20"),
    # --- start on a holiday ------------------------------------------------------------
    ("2025-10-01", 20, (), True, "2025-11-04",
     "H Wed 10/1; H 10/2–3, 10/6–8, 10/9–10 n=2, W Sat 10/11 n=3, 10/13–17 n=8, "
     "10/20–24 n=13, 10/27–31 n=18, 11/3 n=19, 11/4 n=20"),
    ("2025-10-01", 20, (), False, "2025-11-04",
     "as above: 10/1 itself is a holiday, so counting it changes nothing"),
    # --- across the year: 元旦 ----------------------------------------------------------
    ("2023-12-28", 3, (), True, "2024-01-03", "Thu; 12/29 n=1, H Mon 1/1, 1/2–3 n=3"),
    ("2024-12-25", 5, (), True, "2025-01-02", "Wed; 12/26–27 n=2, 12/30–31 n=4, H 1/1, 1/2 n=5"),
    ("2025-12-15", 20, (), True, "2026-01-13",
     "Mon; 12/16–19 n=4, 22–26 n=9, 29–31 n=12, H 1/1–2, W Sun 1/4 n=13, 1/5–9 n=18, "
     "1/12 n=19, 1/13 n=20"),
    ("2026-12-01", 20, (), True, "2026-12-29",
     "Tue; 12/2–4 n=3, 7–11 n=8, 14–18 n=13, 21–25 n=18, 12/28 n=19, 12/29 n=20: "
     "2027 is not needed, so its absence does not matter"),
    ("2026-12-15", 20, (), True, MISSING_2027,
     "Tue; 12/16–18 n=3, 21–25 n=8, 28–31 n=12, then 1/1/2027: no calendar, no guess"),
    ("2026-12-31", 1, (), True, MISSING_2027, "the first day counted is 1/1/2027"),
]  # fmt: skip


class CalendarTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The office has not entered 2027 yet, whatever a newer chinese-calendar knows.
        CalendarDay.objects.filter(date__year__gte=2027).delete()
        CalendarYear.objects.filter(year__gte=2027).delete()


class DeadlineTableTests(CalendarTestCase):
    def test_table_has_enough_cases(self) -> None:
        self.assertGreaterEqual(len(CASES), 24)

    def test_deadlines(self) -> None:
        """Every row of CASES, computed by hand from the State Council notices."""
        for start, days, pauses, from_next_day, expected, how in CASES:
            with self.subTest(start=start, days=days, pauses=pauses, next_day=from_next_day):
                deadline = compute_deadline(D(start), days, pauses, from_next_day=from_next_day)
                if expected == MISSING_2027:
                    self.assertIsNone(deadline.due, how)
                    self.assertEqual(deadline.missing_years, [2027], how)
                elif expected == OPEN:
                    self.assertIsNone(deadline.due, how)
                    self.assertTrue(deadline.paused_open, how)
                    self.assertEqual(deadline.missing_years, [], how)
                else:
                    self.assertEqual(deadline.due, D(expected), how)
                    self.assertEqual(len(deadline.counted), days, how)
                    self.assertEqual(deadline.missing_years, [], how)
                    self.assertFalse(deadline.paused_open, how)


class DeadlineDetailTests(CalendarTestCase):
    def test_it_lists_holidays_skipped_and_weekends_worked(self) -> None:
        """2025-04-07 + 20: 劳动节 5/1, 5/2, 5/5 skipped; Sunday 4/27 counted."""
        deadline = compute_deadline(D("2025-04-07"), 20, from_next_day=True)
        self.assertEqual(
            deadline.skipped_holidays,
            [(D("2025-05-01"), "劳动节"), (D("2025-05-02"), "劳动节"), (D("2025-05-05"), "劳动节")],
        )
        self.assertEqual(deadline.worked_weekends, [(D("2025-04-27"), "劳动节")])
        self.assertEqual(deadline.counted[0], D("2025-04-08"))
        self.assertIn(D("2025-04-27"), deadline.counted)

    def test_pause_days_are_not_counted(self) -> None:
        deadline = compute_deadline(
            D("2025-03-07"), 20, [pause("2025-03-14", "2025-04-07")], from_next_day=True
        )
        self.assertEqual(deadline.paused, [(D("2025-03-14"), D("2025-04-07"), THIRD_PARTY)])
        self.assertFalse(any(D("2025-03-14") <= d <= D("2025-04-07") for d in deadline.counted))
        # 清明 4/4 fell inside the pause, so it was not "skipped" by the count.
        self.assertEqual(deadline.skipped_holidays, [])

    def test_a_deadline_not_known_has_not_passed(self) -> None:
        """Issue 11: a step limited by a deadline in a year without a calendar (or behind an
        open pause) is never refused on a guess: `has_passed` is None, never True."""
        known = compute_deadline(D("2025-03-07"), 7, from_next_day=True)  # 2025-03-18
        self.assertIs(known.has_passed(D("2025-03-18")), False)
        self.assertIs(known.has_passed(D("2025-03-19")), True)
        missing = compute_deadline(D("2026-12-23"), 7, from_next_day=True)
        self.assertEqual(missing.missing_years, [2027])
        for today in ("2026-12-23", "2027-01-05", "2027-12-31"):
            self.assertIsNone(missing.has_passed(D(today)))
        open_pause = compute_deadline(D("2025-03-07"), 20, [pause("2025-03-14", None)])
        self.assertIsNone(open_pause.has_passed(D("2025-12-31")))

    def test_zero_working_days_is_due_on_the_start_date(self) -> None:
        self.assertEqual(compute_deadline(D("2025-03-07"), 0).due, D("2025-03-07"))

    def test_it_rejects_negative_days_and_backwards_pauses(self) -> None:
        with self.assertRaises(ValueError):
            compute_deadline(D("2025-03-07"), -1)
        with self.assertRaises(ValueError):
            pause("2025-03-14", "2025-03-13")

    @override_settings(WORKDAY_COUNT_FROM_NEXT_DAY=False)
    def test_setting_decides_when_not_given(self) -> None:
        self.assertEqual(compute_deadline(D("2025-03-07"), 20).due, D("2025-04-03"))
        self.assertEqual(
            compute_deadline(D("2025-03-07"), 20, from_next_day=True).due, D("2025-04-07")
        )

    @override_settings(WORKDAY_COUNT_FROM_NEXT_DAY=True)
    def test_setting_default_counts_from_the_next_day(self) -> None:
        self.assertEqual(compute_deadline(D("2025-03-07"), 20).due, D("2025-04-07"))

    def test_queries_are_bounded(self) -> None:
        """One query for the years, one per year walked; none per day."""
        with self.assertNumQueries(2):
            compute_deadline(D("2025-03-07"), 20)
        with self.assertNumQueries(3):
            compute_deadline(D("2025-12-15"), 20, from_next_day=True)

    def test_a_shared_calendar_reads_each_year_once(self) -> None:
        calendar = Calendar()
        with self.assertNumQueries(2):
            compute_deadline(D("2025-03-07"), 20, calendar=calendar)
            compute_deadline(D("2025-04-07"), 20, calendar=calendar)
            working_days_left(D("2025-03-28"), D("2025-04-07"), calendar=calendar)


class ExplainTests(CalendarTestCase):
    def test_it_explains_holidays_and_weekends_worked(self) -> None:
        with translation.override("zh-hans"):
            text = "\n".join(compute_deadline(D("2025-04-07"), 20, from_next_day=True).explain())
        for piece in ["2025年4月7日", "2025年5月1日", "2025年5月2日", "2025年5月5日", "劳动节"]:
            self.assertIn(piece, text)
        self.assertIn("2025年4月27日", text)  # the 调休 Sunday
        self.assertIn("2025年5月7日", text.splitlines()[-1])

    def test_it_explains_pauses(self) -> None:
        pauses = [pause("2025-03-17", "2025-03-21", FEE), pause("2025-04-01", "2025-04-02")]
        with translation.override("zh-hans"):
            lines = compute_deadline(D("2025-03-07"), 20, pauses, from_next_day=True).explain()
        text = "\n".join(lines)
        for piece in [FEE, THIRD_PARTY, "2025年3月17日", "2025年3月21日", "2025年4月1日"]:
            self.assertIn(piece, text)
        self.assertIn("2025年4月16日", lines[-1])

    def test_it_explains_an_open_pause(self) -> None:
        with translation.override("zh-hans"):
            lines = compute_deadline(D("2025-03-07"), 20, [pause("2025-03-14", None)]).explain()
        self.assertIn("2025年3月14日", "\n".join(lines))
        self.assertIn(THIRD_PARTY, "\n".join(lines))
        self.assertNotIn("2025年4月", lines[-1])

    def test_it_asks_the_office_for_a_missing_year(self) -> None:
        deadline = compute_deadline(D("2026-12-15"), 20, from_next_day=True)
        with translation.override("en"):
            lines = deadline.explain()
        self.assertIn("2027", lines[-1])
        self.assertIn("office", lines[-1])

    def test_it_states_the_counting_rule(self) -> None:
        with translation.override("en"):
            next_day = compute_deadline(D("2025-03-07"), 20, from_next_day=True).explain()
            same_day = compute_deadline(D("2025-03-07"), 20, from_next_day=False).explain()
        self.assertIn("next day", next_day[1])
        self.assertIn("start date is counted", same_day[1])


class WorkingDayTests(CalendarTestCase):
    def test_it_knows_weekends_holidays_and_adjusted_days(self) -> None:
        for day, working in [
            ("2025-03-07", True),  # Friday
            ("2025-03-08", False),  # Saturday
            ("2025-04-04", False),  # 清明, a Friday
            ("2025-04-27", True),  # 调休 Sunday
            ("2026-02-28", True),  # 调休 Saturday
            ("2026-02-23", False),  # 春节, a Monday
        ]:
            with self.subTest(day=day):
                self.assertEqual(is_working_day(D(day)), working)

    def test_it_refuses_to_guess_a_missing_year(self) -> None:
        with self.assertRaises(CalendarMissing) as raised:
            is_working_day(D("2027-01-04"))
        self.assertEqual(raised.exception.years, [2027])

    def test_days_left(self) -> None:
        """Dashboard warnings at 5, 3 and 1 working days (reg. §7.8), due 2025-04-07."""
        due = D("2025-04-07")
        for today, left in [
            ("2025-03-28", 5),  # 3/31, 4/1, 4/2, 4/3, 4/7 (4/4 清明)
            ("2025-04-01", 3),  # 4/2, 4/3, 4/7
            ("2025-04-03", 1),  # 4/7
            ("2025-04-04", 1),  # on the holiday itself
            ("2025-04-07", 0),
            ("2025-04-08", -1),
            ("2025-04-14", -5),  # 4/8, 9, 10, 11, 14
        ]:
            with self.subTest(today=today):
                self.assertEqual(working_days_left(D(today), due), left)

    def test_days_left_without_a_calendar(self) -> None:
        self.assertIsNone(working_days_left(D("2026-12-28"), D("2027-01-05")))


class CalendarDayCleanTests(CalendarTestCase):
    def test_adjusted_working_day_must_be_on_a_weekend(self) -> None:
        day = CalendarDay(date=D("2025-03-12"), kind=CalendarDay.Kind.WORKDAY, name="x")
        with self.assertRaises(ValidationError) as raised:
            day.clean()
        self.assertIn("date", raised.exception.message_dict)

    def test_holiday_must_be_on_a_weekday(self) -> None:
        day = CalendarDay(date=D("2025-03-15"), kind=CalendarDay.Kind.HOLIDAY, name="x")
        with self.assertRaises(ValidationError):
            day.clean()

    def test_year_must_be_entered_first(self) -> None:
        day = CalendarDay(date=D("2027-01-01"), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
        with self.assertRaises(ValidationError):
            day.clean()

    def test_valid_days_pass(self) -> None:
        CalendarDay(date=D("2025-03-12"), kind=CalendarDay.Kind.HOLIDAY, name="x").clean()
        CalendarDay(date=D("2025-03-15"), kind=CalendarDay.Kind.WORKDAY, name="x").clean()


class SeededCalendarTests(CalendarTestCase):
    def test_the_migration_seeded_the_official_years(self) -> None:
        """Only what differs from Mon–Fri is stored, with Chinese names."""
        for year, holidays, workdays in [(2024, 19, 8), (2025, 18, 5), (2026, 19, 6)]:
            with self.subTest(year=year):
                self.assertTrue(CalendarYear.objects.filter(year=year).exists())
                days = CalendarDay.objects.filter(date__year=year)
                self.assertEqual(days.filter(kind="holiday").count(), holidays)
                self.assertEqual(days.filter(kind="workday").count(), workdays)
        self.assertEqual(CalendarDay.objects.get(date=D("2015-09-03")).name, "抗战胜利纪念日")
        self.assertEqual(CalendarDay.objects.get(date=D("2026-02-14")).name, "春节")


class AdminEditTests(CalendarTestCase):
    def setUp(self) -> None:
        admin = get_user_model().objects.create_superuser("office", "o@example.com", "pw-x")
        self.client.force_login(admin)

    def test_a_local_holiday_moves_the_deadline(self) -> None:
        """The office adds a local holiday on Thu 2025-03-20: 3/7 + 20 moves from 4/7 to 4/8."""
        self.assertEqual(compute_deadline(D("2025-03-07"), 20).due, D("2025-04-07"))
        response = self.client.post(
            reverse("admin:portal_calendarday_add"),
            {"date": "2025-03-20", "kind": "holiday", "name": "本地节日"},
        )
        self.assertEqual(response.status_code, 302)
        deadline = compute_deadline(D("2025-03-07"), 20, from_next_day=True)
        self.assertEqual(deadline.due, D("2025-04-08"))
        self.assertIn((D("2025-03-20"), "本地节日"), deadline.skipped_holidays)

    def test_the_admin_refuses_a_weekday_adjusted_working_day(self) -> None:
        response = self.client.post(
            reverse("admin:portal_calendarday_add"),
            {"date": "2025-03-20", "kind": "workday", "name": "x"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CalendarDay.objects.filter(date=D("2025-03-20")).exists())

    def test_the_year_list_shows_counts(self) -> None:
        response = self.client.get(reverse("admin:portal_calendaryear_changelist"))
        self.assertContains(response, "2025")
        self.assertContains(response, '<td class="field-holidays">18</td>', html=True)

    def test_the_day_list_shows_weekdays(self) -> None:
        response = self.client.get(reverse("admin:portal_calendarday_changelist"), {"q": "春节"})
        self.assertContains(response, "2026年2月28日")
        self.assertContains(response, "星期六")


class SyncHolidaysTests(CalendarTestCase):
    def sync(self) -> str:
        out = StringIO()
        call_command("sync_holidays", stdout=out)
        return out.getvalue()

    def test_it_adds_missing_years_once_and_keeps_office_edits(self) -> None:
        CalendarDay.objects.filter(date__year=2026).delete()
        CalendarYear.objects.filter(year=2026).delete()
        CalendarDay.objects.create(date=D("2025-03-20"), kind="holiday", name="本地节日")
        CalendarDay.objects.filter(date=D("2025-10-08")).update(name="国庆节（本地）")

        first = self.sync()
        self.assertIn("2026: added 19 holidays and 6 adjusted working days.", first)
        self.assertIn("2025: kept; differs from the package on 2025-03-20", first)
        self.assertEqual(CalendarDay.objects.filter(date__year=2026).count(), 25)

        days_after_first = list(CalendarDay.objects.values_list("date", "kind", "name"))
        second = self.sync()
        self.assertIn("Done: 0 added", second)
        self.assertNotIn("2026: added", second)
        self.assertEqual(
            list(CalendarDay.objects.values_list("date", "kind", "name")), days_after_first
        )
        self.assertEqual(CalendarDay.objects.get(date=D("2025-03-20")).name, "本地节日")
        self.assertEqual(CalendarDay.objects.get(date=D("2025-10-08")).name, "国庆节（本地）")
