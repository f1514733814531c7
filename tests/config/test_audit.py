"""The audit trail (issue 10): who reads it, what it lists (never another township's),
newest first, in Chinese with real names, filters, the masked export, constant queries."""

from __future__ import annotations

import io
from datetime import date, timedelta
from unittest import mock

import openpyxl

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import handling
from applications.models import ApplicationEvent
from disclosure.models import NoticeEvent
from tests import factories
from tests.applications.test_handling import application
from tests.base import BaseTestCase

TRAIL = "/admin/audit/"
EXPORT = "/admin/audit/export.xlsx"


class AuditTrailTests(BaseTestCase):
    def setUp(self) -> None:
        for user, name in [(self.alice, "李秀梅"), (self.lena, "周明辉"), (self.olga, "陈雅琴")]:
            user.first_name = name
            user.save()
        self.civil_notice = factories.in_state(self, "approved", title="民政办的低保公示")
        self.finance_notice = factories.notice(self.finance, title="财政所的预算公开")
        self.elsewhere = factories.notice(self.other_civil, title="白沙镇的救助公示")
        self.application = application(self.township, department=self.civil)
        handling.confirm_receipt(self.application, by=self.olga, on=date(2026, 3, 2))
        ApplicationEvent.objects.create(
            application=self.application, actor=self.olga, action="received",
            note="已电话联系王小明 13812341234 核实", public=False,
        )  # fmt: skip
        self.other_application = application(self.other_township, name="赵六")
        handling.confirm_receipt(self.other_application, by=self.pete, on=date(2026, 3, 2))

    def rows(self, user, query: str = ""):
        self.client.force_login(user)
        response = self.client.get(TRAIL + query)
        self.assertEqual(response.status_code, 200)
        return response, response.context["rows"]

    # --- who ------------------------------------------------------------------------------

    def test_supervision_leadership_and_the_office_read_it_others_are_refused(self) -> None:
        """403, not 404: the page is no secret, the role is what is missing (and the
        403 page says so in Chinese)."""
        for person in (self.sam, self.gail, self.olga):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                self.assertEqual(self.client.get(TRAIL).status_code, 200)
                self.assertEqual(self.client.get(EXPORT).status_code, 200)
        for person in (self.alice, self.lena, self.fred):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                refused = self.client.get(TRAIL)
                self.assertEqual(refused.status_code, 403)
                self.assertContains(refused, "无权操作", status_code=403)
                self.assertEqual(self.client.get(EXPORT).status_code, 403)
        self.client.logout()
        self.assertRedirects(self.client.get(TRAIL), f"/admin/login/?next={TRAIL}")

    def test_a_superuser_reads_every_township(self) -> None:
        root = get_user_model().objects.create_superuser("root", password="x-password-123")
        _response, rows = self.rows(root)
        subjects = {row.subject for row in rows}
        self.assertIn("白沙镇的救助公示", subjects)
        self.assertIn(self.other_application.tracking_code, subjects)

    # --- what -----------------------------------------------------------------------------

    def test_every_event_of_the_township_and_never_another_townships(self) -> None:
        response, rows = self.rows(self.sam)
        expected = (
            NoticeEvent.objects.filter(notice__organization__parent=self.township).count()
            + ApplicationEvent.objects.filter(application=self.application).count()
        )
        self.assertEqual(len(rows), expected)
        subjects = {row.subject for row in rows}
        self.assertLessEqual({"民政办的低保公示", "财政所的预算公开"}, subjects)
        self.assertIn(self.application.tracking_code, subjects)
        self.assertNotIn("白沙镇的救助公示", subjects)
        self.assertNotIn(self.other_application.tracking_code, subjects)
        self.assertNotContains(response, "白沙")  # nor in the filters' choices
        _response, theirs = self.rows(self.pete)
        self.assertEqual(
            {row.subject for row in theirs},
            {"白沙镇的救助公示", self.other_application.tracking_code},
        )

    def test_newest_first(self) -> None:
        _response, rows = self.rows(self.gail)
        times = [row.created for row in rows]
        self.assertEqual(times, sorted(times, reverse=True))

    def test_in_chinese_with_real_names(self) -> None:
        response, _rows = self.rows(self.sam)
        for text in ["提交审核", "草稿 → 审核中（分管领导）", "已审核", "周明辉", "李秀梅",
                     "（已确认保密审查）", "确认收到申请", "陈雅琴", "分管领导"]:  # fmt: skip
            with self.subTest(text=text):
                self.assertContains(response, text)
        for row in response.context["rows"]:  # no raw state or username is left
            for text in (str(row.action), row.change, row.role):
                self.assertNotRegex(text, "[a-z]{3,}")
            self.assertNotIn(row.actor, {"alice", "lena", "olga"})

    def test_personal_data_in_notes_is_masked(self) -> None:
        response, _rows = self.rows(self.sam)
        self.assertContains(response, "已电话联系王*明 138****1234 核实")
        self.assertNotContains(response, "13812341234")
        self.assertNotContains(response, "王小明")

    # --- filters --------------------------------------------------------------------------

    def test_filter_by_organisation_includes_what_is_below_it(self) -> None:
        _response, rows = self.rows(self.sam, f"?organization={self.finance.pk}")
        self.assertEqual({row.subject for row in rows}, {"财政所的预算公开"})
        _response, rows = self.rows(self.sam, f"?organization={self.township.pk}")
        self.assertIn(self.application.tracking_code, {row.subject for row in rows})
        self.assertIn("民政办的低保公示", {row.subject for row in rows})

    def test_filter_by_person_and_action(self) -> None:
        _response, rows = self.rows(self.sam, f"?person={self.lena.pk}")
        self.assertEqual({row.actor for row in rows}, {"周明辉"})
        _response, rows = self.rows(self.sam, "?action=n:submitted")
        self.assertEqual({str(row.action) for row in rows}, {"提交审核"})
        self.assertEqual(len(rows), 2)  # the two notices of the township
        _response, rows = self.rows(self.sam, "?action=a:received")
        self.assertEqual({row.subject for row in rows}, {self.application.tracking_code})

    def test_filter_by_date_range(self) -> None:
        today = timezone.localdate()
        _response, rows = self.rows(self.sam, f"?start={today + timedelta(days=1)}")
        self.assertEqual(rows, [])
        _response, everything = self.rows(
            self.sam, f"?start={today - timedelta(days=30)}&end={today}"
        )
        self.assertEqual(len(everything), len(self.rows(self.sam)[1]))
        response, rows = self.rows(self.sam, f"?start={today}&end={today - timedelta(days=1)}")
        self.assertContains(response, "截止日期早于起始日期")
        self.assertEqual(rows, [])

    def test_pages(self) -> None:
        with mock.patch("config.audit.PER_PAGE", 3):
            response, rows = self.rows(self.sam, "?page=2")
            self.assertEqual(len(rows), 3)
            self.assertContains(response, "上一页")
            first = self.rows(self.sam)[1]
        self.assertGreater(first[-1].created, rows[0].created - timedelta(seconds=1))

    # --- export ---------------------------------------------------------------------------

    def test_the_export_is_masked_and_formula_safe(self) -> None:
        ApplicationEvent.objects.create(
            application=self.application, actor=self.olga, action="closed",
            note='=HYPERLINK("http://example.com","点")',
        )  # fmt: skip
        self.client.force_login(self.sam)
        response = self.client.get(EXPORT + "?organization=" + str(self.civil.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = list(sheet.iter_rows(values_only=True))
        self.assertEqual(cells[0][:3], ("时间", "单位", "类别"))
        text = "\n".join(" ".join(str(c) for c in row if c is not None) for row in cells)
        self.assertIn("王*明 138****1234", text)
        self.assertNotIn("13812341234", text)
        self.assertNotIn("财政所的预算公开", text)  # the filter holds
        self.assertIn("'=HYPERLINK", text)
        self.assertNotIn("白沙", text)

    # --- cost -----------------------------------------------------------------------------

    def test_queries_do_not_grow_with_the_rows(self) -> None:
        self.client.force_login(self.sam)
        self.client.get(TRAIL)
        with CaptureQueriesContext(connection) as few:
            self.client.get(TRAIL)
        for _ in range(5):
            factories.in_state(self, "published")
            ApplicationEvent.objects.create(application=self.application, actor=self.olga,
                                            action="assigned", note="转民政办")  # fmt: skip
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(TRAIL)
        self.assertGreater(len(response.context["rows"]), 30)
        self.assertEqual(len(many), len(few))

    def test_the_supervisors_to_do_page_links_here(self) -> None:
        self.client.force_login(self.sam)
        self.assertContains(self.client.get("/admin/"), f'href="{reverse("audit-trail")}"')
