"""The year end (issue 11 item 2): every step whose time limit runs into a year without a
working-day calendar behaves as the reply deadline does. Allowed, flagged to the office,
待定 to the applicant; never a false refusal, never "None", never a lost cap; an unpaid fee
with an unknown pay-by date is never closed early.

The same walk through every step runs three times: in December 2026 with no 2027 calendar;
with the 2027 calendar entered from the start; and without it, the office entering it
afterwards (the unknown limits then become known, and apply).

The 2027 calendar as the office enters it here (the State Council notice is not out; the
days are this test's): 元旦 Fri 1/1; 春节 Mon–Fri 2/8–12, worked Sun 2/7 and Sat 2/20.
Hand computations (counting from the day after; December 2026 has no holiday):

- receipt Wed 12/23 + 7 (补正): 12/24–25 n=2, 12/28–31 n=6, H 1/1, 1/4 n=7 → 2027-01-04
- receipt 12/23 + 20: … 1/4–8 n=11, 1/11–15 n=16, 1/18–21 n=20 → 2027-01-21
- corrected 1/6 + 20: 1/7–8 n=2, 11–15 n=7, 18–22 n=12, 25–29 n=17, 2/1–3 n=20 → 2027-02-03
- consultation letter Mon 12/14 + 15: 12/15–18 n=4, 21–25 n=9, 28–31 n=13, H 1/1,
  1/4 n=14, 1/5 n=15 → cap 2027-01-05
- receipt Tue 12/1 + 20 with that pause (12/14 to the cap 1/5): 12/2–4 n=3, 12/7–11 n=8,
  paused, 1/6–8 n=11, 1/11–15 n=16, 1/18–21 n=20 → 2027-01-21 (the answer came 2/26: without
  the cap it would be later)
- receipt Tue 12/15 + 20: 12/16–31 n=12, H 1/1, 1/4–8 n=17, 1/11–13 n=20 → 2027-01-13; + 40
  (extended on 1/8): 12/16–31 n=12, H 1/1, 1/4–2/5 n=37, W Sun 2/7 n=38,
  H 2/8–12, 2/15 n=39, 2/16 n=40 → 2027-02-16
- fee notice Fri 12/4 + 20 to pay: 12/7–11 n=5, 14–18 n=10, 21–25 n=15, 28–31 n=19, H 1/1,
  1/4 n=20 → 2027-01-04
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from unittest import mock

from django.core import mail
from django.utils import timezone

from applications import clock, handling
from applications.models import Application
from portal.models import CalendarDay, CalendarYear
from tests.base import BaseTestCase

from .test_handling import application
from .test_tracking import TRACK

D = date.fromisoformat
REAL_LOCALDATE = timezone.localdate


@contextmanager
def today_is(day: str):
    """The handling steps read today's date (receipt not in the future, closing dates)."""

    def localdate(value=None, timezone=None):
        return D(day) if value is None else REAL_LOCALDATE(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def enter_2027() -> None:
    CalendarYear.objects.create(year=2027, note="本测试录入")
    CalendarDay.objects.create(date=D("2027-01-01"), kind="holiday", name="元旦")
    for day in ("2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"):
        CalendarDay.objects.create(date=D(day), kind="holiday", name="春节")
    for day in ("2027-02-07", "2027-02-20"):
        CalendarDay.objects.create(date=D(day), kind="workday", name="春节")


class YearEndTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Whatever a newer chinese-calendar knows, the office has not entered 2027.
        CalendarDay.objects.filter(date__year__gte=2027).delete()
        CalendarYear.objects.filter(year__gte=2027).delete()
        cls.site.contact = "青岚镇党政办 0596-5261003"
        cls.site.fee_payment = "户名：青岚镇财政所；开户行：云溪县农商银行；账号：9070 1234 5678"
        cls.site.save()

    def setUp(self) -> None:
        from catalog.models import Membership

        self.head = Membership.objects.create(user=self.lena, organization=self.office,
                                              role="leader").user  # fmt: skip

    def new(self, description: str, received: str | None = None) -> Application:
        a = application(self.township, description=description)
        if received:
            with today_is(received):
                handling.confirm_receipt(a, by=self.olga, on=D(received))
        return a

    def walk(self) -> dict[str, Application]:
        """Every step, on the dates of the module docstring; none may be refused."""
        apps = {}
        apps["receipt"] = self.new("年底收到的申请", "2026-12-23")
        apps["correction"] = self.new("收到当天要求补正", "2026-12-23")
        with today_is("2026-12-23"):  # on the receipt day: was refused, "已超过期限"
            handling.request_correction(apps["correction"], by=self.olga, what="请写明年份")
        with today_is("2027-01-06"):
            handling.correction_received(apps["correction"], by=self.olga, on=D("2027-01-06"))
        apps["consultation"] = self.new("征求第三方意见", "2026-12-01")
        handling.start_consultation(apps["consultation"], by=self.olga, third_party="东坪村委会",
                                    sent_on=D("2026-12-14"))  # fmt: skip
        apps["open_consultation"] = self.new("第三方尚未答复", "2026-12-01")
        handling.start_consultation(apps["open_consultation"], by=self.olga,
                                    third_party="东坪村委会", sent_on=D("2026-12-14"))  # fmt: skip
        apps["extension"] = self.new("需要延期的申请", "2026-12-15")
        handling.extend(apps["extension"], by=self.olga, days=20, reason="需调取档案",
                        approved_by=self.head, today=D("2027-01-08"))  # fmt: skip
        apps["fee"] = self.new("需要收费的申请", "2026-12-01")
        with self.captureOnCommitCallbacks(execute=True):
            handling.send_fee_notice(apps["fee"], by=self.olga, method="page", units=31,
                                     today=D("2026-12-04"))  # fmt: skip
        return apps

    def answer_consultation(self, a: Application) -> None:
        # Long after its 15 working days: the pause must stop at the cap, not here.
        handling.end_consultation(a, by=self.olga, on=D("2027-02-26"))

    def track(self, a: Application) -> str:
        return self.client.post(TRACK, {"code": a.tracking_code}).content.decode()

    def assert_no_none(self, a: Application) -> None:
        for event in a.events.all():
            self.assertNotIn("None", event.note, event.action)
        self.assertNotIn("None", self.track(a))

    # --- no 2027 calendar -------------------------------------------------------------

    def test_without_next_years_calendar_every_step_is_allowed_and_flagged(self) -> None:
        mail.outbox.clear()
        apps = self.walk()
        self.answer_consultation(apps["consultation"])
        for name, a in apps.items():
            with self.subTest(step=name):
                a.refresh_from_db()
                self.assert_no_none(a)
        # The reply deadline, as before: unknown, 2027 named.
        for name in ("receipt", "correction", "consultation", "extension"):
            deadline = handling.deadline_for(apps[name])
            self.assertEqual((deadline.due, deadline.missing_years), (None, [2027]), name)
        # The correction was taken on the receipt day; a later one is not refused either.
        self.assertEqual(apps["correction"].correction_requested_on, D("2026-12-23"))
        late = self.new("一月才要求补正", "2026-12-23")
        with today_is("2027-01-05"):
            handling.request_correction(late, by=self.olga, what="请写明年份")
        self.assertEqual(late.status, "correction")
        # The consultation's cap is not known, and not lost: the answer's day is kept.
        pause = apps["consultation"].pauses.get()
        self.assertEqual(pause.end, D("2027-02-26"))
        self.assertIsNone(clock.consultation_cap(D("2026-12-14")).due)
        # The extension: allowed, the applicant told the new deadline is 待定.
        self.assertEqual(apps["extension"].extension_days, 20)
        self.assertIn("答复期限：待定", apps["extension"].events.get(action="extended").note)
        # The fee notice: 待定, the year named, and never closed on an unknown date.
        fee = apps["fee"]
        self.assertIsNone(fee.fee_pay_by)
        notice = fee.events.get(action="fee_notice").note
        self.assertIn("截止日期待定：2027年工作日历尚未公布", notice)
        fee_mail = [m for m in mail.outbox if "收费通知" in m.subject]
        self.assertIn("截止日期待定", fee_mail[0].body)
        self.assertEqual(handling.close_unpaid(today=D("2027-06-30")), 0)
        fee.refresh_from_db()
        self.assertEqual(fee.status, "fee")
        # The applicant reads 待定 on the tracking page.
        self.assertIn("待定：2027年的工作日历公布并录入后确定", self.track(apps["receipt"]))
        self.assertIn("缴费截止日期待定", self.track(fee))
        # The office: every one of them in the queue of limits waiting for the calendar,
        # each saying which limit waits.
        urgent, waiting = handling.applications_due_for(self.olga, D("2026-12-23"))
        waits = {a.tracking_code: [w.step for w in a.waits] for a in waiting}
        self.assertEqual(waits[apps["receipt"].tracking_code], ["答复期限", "补正告知期限"])
        self.assertEqual(waits[apps["open_consultation"].tracking_code], ["第三方答复期限"])
        self.assertEqual(waits[fee.tracking_code], ["缴费期限"])
        self.assertIn(apps["extension"].tracking_code, waits)
        self.assertIn("2027", str(clock.calendar_waits(fee)[0]))

    # --- 2027 entered from the start ---------------------------------------------------

    def test_with_next_years_calendar_every_limit_is_dated(self) -> None:
        enter_2027()
        apps = self.walk()
        self.answer_consultation(apps["consultation"])
        self.assert_dated(apps, settled_by_notice=True)
        # The correction window is enforced again, to the day.
        on_time = self.new("第7个工作日补正", "2026-12-23")
        late = self.new("逾期补正", "2026-12-23")
        with today_is("2027-01-04"):
            handling.request_correction(on_time, by=self.olga, what="请写明年份")
        with today_is("2027-01-05"), self.assertRaisesMessage(handling.InvalidStep, "已超过期限"):
            handling.request_correction(late, by=self.olga, what="请写明年份")
        # And an extension after the deadline is refused.
        past = self.new("逾期后延期", "2026-12-23")
        with self.assertRaisesMessage(handling.InvalidStep, "答复期限已过"):
            handling.extend(past, by=self.olga, days=5, reason="x", approved_by=self.head,
                            today=D("2027-01-22"))  # fmt: skip

    # --- 2027 entered afterwards -------------------------------------------------------

    def test_once_the_office_enters_the_year_the_limits_apply(self) -> None:
        apps = self.walk()
        self.answer_consultation(apps["consultation"])
        enter_2027()
        mail.outbox.clear()
        self.assertEqual(handling.close_unpaid(today=D("2027-01-04")), 0)  # the last day
        fee = Application.objects.get(pk=apps["fee"].pk)
        self.assertEqual(fee.fee_pay_by, D("2027-01-04"))
        # The applicant is sent the date that was 待定.
        settled = fee.events.filter(action="fee_notice").last().note
        self.assertIn("请于2027年1月4日（含当日）前缴纳信息处理费10元", settled)
        self.assert_dated(apps, settled_by_notice=False)

    def assert_dated(self, apps: dict[str, Application], *, settled_by_notice: bool) -> None:
        for a in apps.values():
            a.refresh_from_db()
            self.assertEqual(clock.calendar_waits(a), [], a.description)
            self.assert_no_none(a)
        due = {name: handling.deadline_for(a).due for name, a in apps.items()}
        self.assertEqual(due["receipt"], D("2027-01-21"))
        self.assertEqual(due["correction"], D("2027-02-03"))
        self.assertEqual(due["consultation"], D("2027-01-21"))  # the cap applied
        self.assertEqual(due["extension"], D("2027-02-16"))
        self.assertEqual(clock.consultation_cap(D("2026-12-14")).due, D("2027-01-05"))
        self.assertEqual(clock.correction_window(apps["receipt"]).due, D("2027-01-04"))
        fee = apps["fee"]
        self.assertEqual(fee.fee_pay_by, D("2027-01-04"))
        if settled_by_notice:
            note = fee.events.get(action="fee_notice").note
            self.assertIn("即2027年1月4日（含当日）前", note)
        self.assertIn("10 元，请于 2027-01-04 前缴纳".replace(" ", ""),
                      self.track(fee).replace(" ", ""))  # fmt: skip
        # Not closed on its last day; closed the day after, dated that day (item 8).
        self.assertEqual(handling.close_unpaid(today=D("2027-01-04")), 0)
        self.assertEqual(handling.close_unpaid(today=D("2027-01-05")), 1)
        fee.refresh_from_db()
        self.assertEqual((fee.status, fee.outcome, fee.closed_on), ("closed", "6.2",
                                                                     D("2027-01-05")))  # fmt: skip
