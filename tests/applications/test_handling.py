"""Handling on the clock: receipt rules, correction, consultation, extension, fees,
every outcome with its letter, who sees what, and privacy in exports and mail."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from applications import handling
from applications.models import Application, Outcome, ReplyFile
from catalog.models import Membership
from portal.models import CalendarYear
from portal.workdays import compute_deadline, working_days_left
from tests.base import BaseTestCase

from .test_apply import valid_id

ADMIN = "/admin/applications/application/"


def application(township, **fields) -> Application:
    data = {
        "township": township, "applicant_type": "person", "name": "王小明",
        "id_type": "resident_id", "id_number": valid_id(), "phone": "13812341234",
        "email": "wang@example.com", "description": "东坪村2025年危房改造补助明细",
        "delivery_form": "electronic", "delivery_channel": "email", "channel": "online",
    }  # fmt: skip
    data.update(fields)
    return Application.objects.create(**data)


class HandlingTests(BaseTestCase):
    def setUp(self) -> None:
        # Dates in a year whose calendar is known (2027's is not out yet).
        self.received = date(2026, 3, 2)
        self.today = timezone.localdate()
        self.a = application(self.township)
        # The head of the disclosure office (党政办) approves extensions.
        self.head = Membership.objects.create(user=self.lena, organization=self.office,
                                              role="leader").user  # fmt: skip

    def receive(self) -> None:
        handling.confirm_receipt(self.a, by=self.olga, on=self.received)

    def test_online_waits_for_confirmation_then_the_clock_runs(self) -> None:
        self.assertIsNone(handling.deadline_for(self.a))
        self.receive()
        self.assertEqual(self.a.status, "received")
        self.assertEqual(handling.deadline_for(self.a).due, compute_deadline(self.received, 20).due)
        with self.assertRaises(handling.InvalidStep):
            handling.confirm_receipt(self.a, by=self.olga, on=self.received)

    def test_correction_once_within_7_working_days_then_the_clock_restarts(self) -> None:
        self.receive()
        late = compute_deadline(self.received, 7).due + timedelta(days=1)
        with self.assertRaisesMessage(handling.InvalidStep, "7个工作日"):
            handling.request_correction(self.a, by=self.olga, what="请写明年份", today=late)
        handling.request_correction(self.a, by=self.olga, what="请写明年份",
                                    today=date(2026, 3, 5))  # fmt: skip
        self.assertEqual(self.a.status, "correction")
        with self.assertRaises(handling.InvalidStep):
            handling.request_correction(self.a, by=self.olga, what="again", today=date(2026, 3, 5))
        corrected = date(2026, 3, 9)
        handling.correction_received(self.a, by=self.olga, on=corrected)
        self.assertEqual(handling.deadline_for(self.a).due, compute_deadline(corrected, 20).due)
        with self.assertRaisesMessage(handling.InvalidStep, "只能告知一次"):
            handling.request_correction(self.a, by=self.olga, what="again", today=corrected)

    def test_consultation_pauses_the_clock_for_at_most_15_working_days(self) -> None:
        self.receive()
        before = handling.deadline_for(self.a).due
        handling.start_consultation(self.a, by=self.olga, third_party="东坪村村委会",
                                    sent_on=self.received)  # fmt: skip
        self.assertIsNone(handling.deadline_for(self.a).due)  # open pause: no guess
        handling.end_consultation(self.a, by=self.olga, on=self.received + timedelta(days=90))
        pause = self.a.pauses.get()
        self.assertEqual(pause.end, compute_deadline(self.received, 15).due)
        self.assertGreater(handling.deadline_for(self.a).due, before)

    def test_extension_once_at_most_20_days_approved_by_the_office_head(self) -> None:
        self.receive()
        original = handling.deadline_for(self.a).due
        with self.assertRaisesMessage(handling.InvalidStep, "负责人同意"):
            handling.extend(self.a, by=self.olga, days=20, reason="需调取档案",
                            approved_by=self.olga)  # fmt: skip
        with self.assertRaises(handling.InvalidStep):
            handling.extend(self.a, by=self.olga, days=21, reason="x", approved_by=self.head)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            handling.extend(self.a, by=self.olga, days=20, reason="需调取档案",
                            approved_by=self.head, today=self.received)  # fmt: skip
        self.assertEqual(handling.deadline_for(self.a).due, compute_deadline(self.received, 40).due)
        self.assertGreater(handling.deadline_for(self.a).due, original)
        self.assertEqual(mail.outbox[0].to, ["wang@example.com"])
        self.assertIn(self.a.tracking_code, mail.outbox[0].subject)
        self.assertNotIn("王小明", mail.outbox[0].subject)
        with self.assertRaisesMessage(handling.InvalidStep, "只能延长一次"):
            handling.extend(self.a, by=self.olga, days=5, reason="x", approved_by=self.head,
                            today=self.received)  # fmt: skip

    def test_fees_count_the_month_and_unpaid_closes_with_six_two(self) -> None:
        """Per item, by places in the receipt month (issue 11): self.a, received first, is
        the applicant's 1st item; the next application its 2nd to 13th; a third 14th–16th."""
        self.receive()
        second = application(self.township, received_on=self.received, status="received")
        handling.send_fee_notice(second, by=self.olga, method="item", units=12)
        self.assertEqual(second.fee_amount, 300)  # items 11, 12 and 13
        with self.assertRaisesMessage(handling.InvalidStep, "未超出免费额度"):
            handling.send_fee_notice(self.a, by=self.olga, method="item", units=1)
        third = application(self.township, received_on=self.received, status="received")
        handling.send_fee_notice(third, by=self.olga, method="item", units=3)
        self.assertEqual(third.fee_amount, 300)  # items 14–16 of the month
        self.assertEqual(third.fee_pay_by, compute_deadline(self.today, 20,
                                                            from_next_day=True).due)  # fmt: skip
        self.assertEqual(third.status, "fee")
        with self.assertRaises(handling.InvalidStep):
            handling.send_fee_notice(third, by=self.olga, method="page", units=50)
        self.assertEqual(handling.close_unpaid(today=third.fee_pay_by), 0)
        # Closed the day after, and dated that day, not the day the job happens to run.
        after = third.fee_pay_by + timedelta(days=1)
        self.assertEqual(handling.close_unpaid(today=after), 2)
        third.refresh_from_db()
        self.assertEqual((third.status, third.outcome, third.closed_on), ("closed", "6.2", after))
        self.assertIn("收费通知", third.reply)
        self.assertIn(f"{after:%Y}年{after.month}月{after.day}日", third.reply)

    def test_a_paid_fee_resumes_the_clock(self) -> None:
        self.receive()
        handling.send_fee_notice(self.a, by=self.olga, method="page", units=31)
        self.assertEqual(self.a.fee_amount, 10)
        handling.fee_paid(self.a, by=self.olga, on=self.today)
        self.assertEqual(self.a.status, "received")
        self.assertEqual(self.a.pauses.get().end, self.today)

    def test_every_outcome_closes_with_its_letter(self) -> None:
        """All 20 rows of table 三; refusals name their article; every letter has remedies."""
        basis = {"1": "第三十六条", "2": "第三十七条", "3.1": "第十四条", "3.2": "第十四条",
                 "3.3": "第十四条", "3.4": "第十五条", "3.5": "第十六条", "3.6": "第十六条",
                 "3.7": "第十六条", "3.8": "第三十六条", "4.1": "第三十六条", "4.2": "第三十八条",
                 "4.3": "第三十条", "5.1": "第三十九条", "5.2": "第三十六条",
                 "5.3": "第三十九条", "5.4": "第三十五条", "5.5": "不予处理",
                 "6.1": "第三十条", "6.2": "信息处理费", "6.3": "作如下处理"}  # fmt: skip
        self.assertEqual(set(basis), set(Outcome.values))
        # The list (予以公开, 部分公开, 8 + 3 + 5 + 3) makes 21 rows; it says 20.
        self.assertEqual(len(Outcome.values), 21)
        for code in Outcome.values:
            with self.subTest(outcome=code):
                a = application(self.township, received_on=self.received, status="received")
                # (四)1 says which of its answers it is (issue 11's other items).
                extra = {"not_held": "absent"} if code == "4.1" else {}
                handling.close(a, by=self.olga, outcome=code, details="附件：补助明细表", **extra)
                self.assertEqual((a.status, a.outcome, a.closed_on), ("closed", code, self.today))
                self.assertIn(basis[code], a.reply)
                self.assertIn("60日内", a.reply)
                self.assertIn("6个月内", a.reply)
                self.assertIn("附件：补助明细表", a.reply)
                self.assertIn(a.tracking_code, a.reply)

    def test_closing_twice_is_refused(self) -> None:
        self.receive()
        handling.close(self.a, by=self.olga, outcome="1", details="")
        with self.assertRaises(handling.InvalidStep):
            handling.close(self.a, by=self.olga, outcome="2", details="")


class StaffSideTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = application(self.township, name="李四", phone="13912345678",
                             description="=HYPERLINK(\"http://evil\")")  # fmt: skip

    def test_the_office_handles_others_do_not_see(self) -> None:
        change = f"{ADMIN}{self.a.pk}/change/"
        self.client.force_login(self.olga)
        page = self.client.get(change)
        self.assertContains(page, "确认收到")
        self.assertContains(page, "13912345678")  # the handling staff's own view
        self.client.force_login(self.pete)  # another township's office
        # The admin hides it: once by redirecting, now as "not found" (issue 10).
        self.assertEqual(self.client.get(change).status_code, 404)
        self.assertNotContains(self.client.get(ADMIN), "李")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(ADMIN).status_code, 403)
        handling.assign(self.a, by=self.olga, department=self.civil)
        self.assertEqual(self.client.get(change).status_code, 200)  # 民政办 now holds it

    def test_steps_through_the_staff_views(self) -> None:
        self.client.force_login(self.olga)
        step = f"{ADMIN}{self.a.pk}/step/"
        response = self.client.post(step + "confirm/", {"confirm-on": "2099-01-01"})
        self.assertContains(response, "不能晚于今天", status_code=409)
        today = timezone.localdate().isoformat()
        self.assertEqual(self.client.post(step + "confirm/", {"confirm-on": today}).status_code,
                         302)  # fmt: skip
        response = self.client.post(step + "close/", {"close-outcome": "", "close-details": ""})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            step + "close/",
            {
                "close-outcome": "4.1",
                "close-not_held": "absent",
                "close-details": "请向县自然资源局申请。",
            },  # fmt: skip
        )
        self.assertEqual(response.status_code, 302)
        self.a.refresh_from_db()
        self.assertEqual(self.a.outcome, "4.1")
        letter = self.client.get(f"{ADMIN}{self.a.pk}/letter/")
        self.assertContains(letter, "请向县自然资源局申请。")

    def test_lists_and_exports_mask_personal_data_and_escape_formulas(self) -> None:
        self.client.force_login(self.olga)
        listing = self.client.get(ADMIN)
        self.assertContains(listing, "李*")
        self.assertNotContains(listing, "13912345678")
        response = self.client.get(f"{ADMIN}export/")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(rows[0][4:7], ("李*", "35*************" + valid_id()[-3:], "139****5678"))
        self.assertEqual(rows[0][7], '\'=HYPERLINK("http://evil")')
        text = "".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
        self.assertNotIn("13912345678", text)
        self.assertNotIn(valid_id(), text)

    def test_registering_a_paper_application_sets_the_receipt_date(self) -> None:
        self.client.force_login(self.olga)
        received = date.today() - timedelta(days=2)
        response = self.client.post(f"{ADMIN}add/", {
            "submission_key": "s" * 32, "channel": "in_person", "received_on": received.isoformat(),
            "applicant_type": "person", "name": "赵六", "id_type": "resident_id",
            "id_number": valid_id(), "phone": "0596-5261234", "description": "村道修建资金",
            "delivery_form": "paper", "delivery_channel": "pickup",
            "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302, response.content[:3000])
        a = Application.objects.get(name="赵六")
        self.assertEqual(
            (a.status, a.received_on, a.township, a.channel),
            ("received", received, self.township, "in_person"),
        )
        response = self.client.post(f"{ADMIN}add/", {
            "submission_key": "t" * 32, "channel": "in_person", "applicant_type": "person",
            "name": "钱七", "id_type": "passport", "id_number": "E12345678",
            "phone": "0596-5261234", "description": "x", "delivery_form": "paper",
            "delivery_channel": "pickup", "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
        })  # fmt: skip
        self.assertContains(response, "请填写该渠道的收到申请日期")


class DeadlineWarningTests(BaseTestCase):
    def test_nearly_due_and_overdue_head_the_to_do_list_and_are_mailed(self) -> None:
        today = timezone.localdate()
        due_soon = application(self.township, received_on=today - timedelta(days=26),
                               status="received", description="快到期的申请")  # fmt: skip
        overdue = application(self.township, received_on=today - timedelta(days=60),
                              status="received", description="已逾期的申请")  # fmt: skip
        fresh = application(self.township, received_on=today, status="received",
                            description="刚收到的申请")  # fmt: skip
        self.client.force_login(self.olga)
        page = self.client.get("/admin/")
        urgent = page.context["todo"][0]
        self.assertEqual(str(urgent[0]), "逾期或5个工作日内到期的申请")
        codes = [a.tracking_code for a in urgent[2]]
        self.assertEqual(codes[0], overdue.tracking_code)  # most urgent first
        self.assertNotIn(fresh.tracking_code, codes)
        self.assertContains(page, "已逾期")
        left = working_days_left(today, handling.deadline_for(due_soon).due)
        self.assertEqual(due_soon.tracking_code in codes, left <= 5)
        mail.outbox.clear()
        self.olga.email = "olga@example.gov.cn"
        self.olga.save()
        call_command("remind_applications", stdout=io.StringIO())
        subjects = [m.subject for m in mail.outbox]
        self.assertTrue(any(overdue.tracking_code in s for s in subjects))
        self.assertFalse(any(fresh.tracking_code in s for s in subjects))
        self.assertTrue(all("13812341234" not in s and "王小明" not in s for s in subjects))


class MissingCalendarTests(BaseTestCase):
    def test_a_deadline_in_a_year_without_a_calendar_is_flagged_not_guessed(self) -> None:
        CalendarYear.objects.filter(year=2027).delete()  # the State Council notice is not out
        a = application(self.township, received_on=date(2026, 12, 21), status="received",
                        description="年底收到的申请")  # fmt: skip
        deadline = handling.deadline_for(a)
        self.assertIsNone(deadline.due)
        self.assertEqual(deadline.missing_years, [2027])
        self.client.force_login(self.olga)
        page = self.client.get("/admin/")
        flagged = [q for q in page.context["todo"] if str(q[0]).startswith("等待录入")]
        self.assertEqual([x.tracking_code for x in flagged[0][2]], [a.tracking_code])
        change = self.client.get(f"{ADMIN}{a.pk}/change/")
        self.assertContains(change, "2027年的工作日历尚未录入")


class AnswerByMailTests(BaseTestCase):
    def test_the_answer_is_mailed_with_the_files_provided(self) -> None:
        a = application(self.township, received_on=date(2026, 3, 2), status="received")
        ReplyFile.objects.create(application=a, file=ContentFile(b"%PDF-1.4 x", name="x.pdf"),
                                 original_name="补助明细.pdf", extension="pdf",
                                 content_type="application/pdf", size=10)  # fmt: skip
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            handling.close(a, by=self.olga, outcome="1", details="见附件")
        message = mail.outbox[-1]
        self.assertEqual(message.to, ["wang@example.com"])
        self.assertIn("第三十六条", message.body)
        self.assertEqual([name for name, _data, _type in message.attachments], ["补助明细.pdf"])
        self.assertNotIn("王小明", message.subject)
