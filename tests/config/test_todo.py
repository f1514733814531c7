"""Each person's to-do page (issue 10): what they need, in the order of the work, nothing
empty shouting at them, real names, a preview link on every notice row, constant queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from applications.models import Application
from applications.permissions import applications_handled_by
from config import admin_site
from disclosure.models import Notice
from tests import factories
from tests.applications.test_handling import application
from tests.base import BaseTestCase

INDEX = "/admin/"


def queues(response) -> dict[str, object]:
    return {queue.key: queue for queue in response.context["todo"]}


class ClerkTodoTests(BaseTestCase):
    def setUp(self) -> None:
        self.alice.first_name = "李秀梅"
        self.alice.save()
        self.client.force_login(self.alice)

    def test_drafts_returned_and_what_i_submitted(self) -> None:
        """The clerk's queues: drafts, returned with the reason's first line, and submitted
        notices still in review, at which step and since when (issue 10: they vanished)."""
        factories.notice(self.civil, title="我的草稿一", published=False)
        returned = factories.in_state(self, "submitted@leader", title="被退回的通知")
        returned.return_for_changes(self.lena, reason="请补充资金来源\n另：附件名单需脱敏")
        factories.in_state(self, "submitted@supervisor", title="在监督小组的通知")
        factories.in_state(self, "approved", title="等待发布的通知")
        page = self.client.get(INDEX)
        found = queues(page)
        self.assertEqual([n.title for n in found["drafts"].rows], ["我的草稿一"])
        self.assertEqual([n.title for n in found["returned"].rows], ["被退回的通知"])
        self.assertContains(page, "理由：请补充资金来源")
        self.assertNotContains(page, "附件名单需脱敏")  # the first line only
        in_review = {n.title for n in found["submitted"].rows}
        self.assertEqual(in_review, {"在监督小组的通知", "等待发布的通知"})
        self.assertContains(page, "我提交的·审核中")
        self.assertContains(page, "第2步（共2步）·监督小组审核")
        self.assertContains(page, "已审核通过，等待党政办发布")
        self.assertContains(page, "起等待")

    def test_a_prominent_write_button_for_whoever_may_add_notices(self) -> None:
        page = self.client.get(INDEX)
        self.assertContains(page, f'href="{reverse("admin:disclosure_notice_add")}">写新信息')
        self.client.force_login(self.lena)
        self.assertNotContains(self.client.get(INDEX), "写新信息")

    def test_empty_queues_are_one_quiet_line(self) -> None:
        """No red 0: an empty queue is a name in one line, not a section with a count."""
        page = self.client.get(INDEX)
        self.assertNotContains(page, '<span class="todo-count">0</span>')
        self.assertNotContains(page, "<section")
        self.assertContains(page, "暂无待办：")
        self.assertContains(page, "<span>退回给我的</span>")

    def test_rows_link_to_the_change_page_and_the_preview(self) -> None:
        draft = factories.notice(self.civil, title="要预览的草稿", published=False)
        page = self.client.get(INDEX)
        self.assertContains(page, reverse("admin:disclosure_notice_change", args=[draft.pk]))
        try:
            preview = reverse("admin:disclosure_notice_preview", args=[draft.pk])
        except NoReverseMatch:  # the preview arrives with its own change
            self.assertNotContains(page, "预览")
        else:
            self.assertContains(page, f'href="{preview}">预览')

    def test_scheduled_and_recently_published(self) -> None:
        factories.notice(self.civil, title="下周公开的通知",
                         published_at=timezone.now() + timedelta(days=7))  # fmt: skip
        factories.notice(self.civil, title="昨天发布的通知",
                         published_at=timezone.now() - timedelta(days=1))  # fmt: skip
        factories.notice(self.civil, title="去年发布的通知",
                         published_at=timezone.now() - timedelta(days=400))  # fmt: skip
        found = queues(self.client.get(INDEX))
        self.assertEqual([n.title for n in found["scheduled"].rows], ["下周公开的通知"])
        self.assertEqual([n.title for n in found["recent"].rows], ["昨天发布的通知"])

    def test_queries_do_not_grow_with_the_rows(self) -> None:
        """One query per queue, not one per row (names, reasons and steps included)."""
        factories.notice(self.civil, title="草稿", published=False)
        factories.in_state(self, "returned", title="退回")
        factories.in_state(self, "submitted@supervisor", title="审核中")
        self.client.get(INDEX)  # the first page of a site makes its version row
        with CaptureQueriesContext(connection) as few:
            self.client.get(INDEX)
        for i in range(4):
            factories.notice(self.civil, title=f"草稿{i}", published=False)
            factories.in_state(self, "returned", title=f"退回{i}")
            factories.in_state(self, "submitted@supervisor", title=f"审核中{i}")
        with CaptureQueriesContext(connection) as many:
            self.client.get(INDEX)
        self.assertEqual(len(many), len(few))


class ReviewerTodoTests(BaseTestCase):
    def test_the_review_queue_comes_first_with_the_submitters_real_name(self) -> None:
        """On a phone the leader's review queue is the first thing on screen."""
        self.alice.first_name = "李秀梅"
        self.alice.save()
        factories.in_state(self, "submitted@leader", title="等我审核的通知")
        self.client.force_login(self.lena)
        page = self.client.get(INDEX)
        todo = page.context["todo"]
        self.assertEqual(todo[0].key, "review")
        self.assertEqual([n.title for n in todo[0].rows], ["等我审核的通知"])
        self.assertContains(page, "提交人 李秀梅")
        html = page.content.decode()
        self.assertEqual(
            html.index("<section"), html.index('<section class="todo-queue todo-review"')
        )

    def test_a_person_without_a_full_name_is_shown_by_username(self) -> None:
        factories.in_state(self, "submitted@leader")
        self.client.force_login(self.lena)
        self.assertContains(self.client.get(INDEX), "提交人 alice")

    def test_the_supervision_group_sees_what_waits_for_it(self) -> None:
        factories.in_state(self, "submitted@supervisor", title="等监督小组会签")
        self.client.force_login(self.sam)
        found = queues(self.client.get(INDEX))
        self.assertEqual([n.title for n in found["review"].rows], ["等监督小组会签"])


class OfficeTodoTests(BaseTestCase):
    def test_ready_to_publish_and_applications_due(self) -> None:
        ready = factories.in_state(self, "approved", title="等待发布的通知")
        overdue = application(self.township, received_on=timezone.localdate() - timedelta(days=60),
                              status="received")  # fmt: skip
        self.client.force_login(self.olga)
        page = self.client.get(INDEX)
        todo = page.context["todo"]
        self.assertEqual(todo[0].key, "due")  # legal deadlines first
        self.assertEqual([a.pk for a in todo[0].rows], [overdue.pk])
        self.assertEqual([n.pk for n in queues(page)["publish"].rows], [ready.pk])
        self.assertContains(page, "已逾期")


class ReaderTodoTests(BaseTestCase):
    """The supervision and leadership groups: true figures of their township."""

    def setUp(self) -> None:
        long_ago = timezone.localdate() - timedelta(days=60)
        self.overdue = application(self.township, department=self.civil, received_on=long_ago,
                                   status="received")  # fmt: skip
        self.elsewhere = application(self.other_township, received_on=long_ago,
                                     status="received")  # fmt: skip
        application(self.township, received_on=timezone.localdate(), status="received")

    def test_overdue_applications_of_their_township(self) -> None:
        """Their dashboard said 0: they handle none (applications_handled_by), yet they read
        the whole township's."""
        self.assertFalse(applications_handled_by(self.sam).exists())
        for reader in (self.sam, self.gail):
            with self.subTest(reader=reader.username):
                self.client.force_login(reader)
                found = queues(self.client.get(INDEX))
                self.assertEqual([a.pk for a in found["overdue"].rows], [self.overdue.pk])
                self.assertEqual(found["overdue"].count, 1)

    def test_notices_waiting_longest_of_their_township_only(self) -> None:
        older = factories.in_state(self, "submitted@leader", title="等了很久的通知")
        newer = factories.in_state(self, "approved", title="刚审核完的通知")
        factories.notice(self.other_civil, title="白沙镇的草稿", published=False)
        self.client.force_login(self.gail)
        page = self.client.get(INDEX)
        waiting = queues(page)["waiting"]
        self.assertEqual([n.pk for n in waiting.rows], [older.pk, newer.pk])
        self.assertNotContains(page, "白沙镇")
        self.assertContains(page, reverse("audit-trail"))

    def test_clerks_and_leaders_get_no_audit_link(self) -> None:
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(INDEX), reverse("audit-trail"))

    def test_queries_do_not_grow_with_the_rows(self) -> None:
        self.client.force_login(self.sam)
        self.client.get(INDEX)  # the first page of a site makes its version row
        with CaptureQueriesContext(connection) as few:
            self.client.get(INDEX)
        long_ago = timezone.localdate() - timedelta(days=60)
        for _ in range(5):
            factories.in_state(self, "submitted@supervisor")
            application(self.township, department=self.civil, received_on=long_ago,
                        status="received")  # fmt: skip
        with CaptureQueriesContext(connection) as many:
            self.client.get(INDEX)
        self.assertEqual(Application.objects.filter(township=self.township).count(), 7)
        self.assertTrue(Notice.objects.filter(status="submitted").exists())
        if not admin_site.DEADLINE_TAKES_CALENDAR:
            # Until applications.handling.deadline_for shares one calendar, each
            # application reads the calendar itself; the notices' rows cost nothing more.
            calendar_reads = [q for q in many if "portal_calendar" in q["sql"]]
            self.assertEqual(
                len(many) - len(calendar_reads),
                len(few) - len([q for q in few if "portal_calendar" in q["sql"]]),
            )
            return
        self.assertEqual(len(many), len(few))
