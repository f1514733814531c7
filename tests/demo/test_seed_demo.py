"""The demo township: what it loads, that it loads once, and that every page renders with it."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pypdf
from docx import Document

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from catalog.models import CatalogNode, Membership, Organization
from disclosure.models import Attachment, Notice
from disclosure.models.posting import count_posting, office_date
from disclosure.permissions import notices_publishable_by, notices_reviewable_by


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    return {
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
        "notices": Notice.objects.count(),
        "attachments": Attachment.objects.count(),
        "files": len(files),
    }


class SeedDemoCommandTests(TestCase):
    @override_settings(DEBUG=False)
    def test_it_refuses_production_without_force(self) -> None:
        with self.assertRaisesMessage(CommandError, "DEBUG is off"):
            call_command("seed_demo", stdout=io.StringIO())
        self.assertFalse(Organization.objects.exists())

    def test_running_twice_changes_nothing(self) -> None:
        seed()
        first = snapshot()
        output = seed()
        self.assertIn("already loaded", output)
        self.assertEqual(snapshot(), first)

    def test_it_prints_every_demo_account(self) -> None:
        output = seed()
        for username in [
            "clerk",
            "clerk2",
            "leader",
            "leader2",
            "office",
            "supervisor",
            "group",
            "admin",
        ]:
            self.assertRegex(output, rf"\n  {username}\s")
        self.assertIn("qinglan-demo-2026", output)
        self.assertIn("分管领导（民政办、社会事务办）", output)
        self.assertIn("notices: ", output)  # progress with counts


class DemoTownshipTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        seed()

    def test_offices_villages_and_community(self) -> None:
        township = Organization.objects.get(slug="qinglan")
        names = set(township.children.values_list("short_name", flat=True))
        self.assertLessEqual(
            {"党政办", "民政办", "财政所", "农业农村办", "自然资源所", "社会事务办"}, names
        )
        kinds = list(township.children.values_list("kind", flat=True))
        self.assertEqual(kinds.count("village"), 4)
        self.assertEqual(kinds.count("community"), 1)
        self.assertEqual(township.disclosure_office.short_name, "党政办")

    def test_enough_public_notices_over_two_years_and_the_catalog(self) -> None:
        public = Notice.objects.published()
        self.assertGreaterEqual(public.count(), 80)
        years = {d.year for d in public.dates("published_at", "year")}
        self.assertGreaterEqual(len(years), 2)
        used = set(public.values_list("catalog_node__parent__path", flat=True))
        top = set(CatalogNode.objects.filter(parent=None).values_list("path", flat=True))
        self.assertEqual(used, top)  # every top-level area has something

    def test_non_public_states_exist(self) -> None:
        hidden = Notice.objects.exclude(pk__in=Notice.objects.published())
        states = set(hidden.values_list("status", flat=True))
        self.assertLessEqual({"draft", "submitted", "returned", "withdrawn"}, states)
        self.assertTrue(hidden.exclude(disclosure_mode="proactive").exists())
        self.assertTrue(hidden.filter(status="published").exists())  # scheduled for later

    def test_every_reviewer_and_the_office_has_work_waiting(self) -> None:
        """Each demo account's to-do page shows real work (issue 10): a notice waits for a
        leader, the supervision group, the leadership group and the office, several with
        attachments; the supervision group sees an overdue application."""
        User = get_user_model()
        waiting = {
            "leader": notices_reviewable_by(User.objects.get(username="leader")),
            "supervisor": notices_reviewable_by(User.objects.get(username="supervisor")),
            "group": notices_reviewable_by(User.objects.get(username="group")),
            "office": notices_publishable_by(User.objects.get(username="office")),
        }
        for username, notices in waiting.items():
            with self.subTest(username=username):
                self.assertTrue(notices.filter(attachments__isnull=False).exists())
        for username in ["clerk", "leader", "supervisor", "group", "office"]:
            with self.subTest(page=username):
                self.client.force_login(User.objects.get(username=username))
                page = self.client.get(reverse("admin:index"))
                self.assertContains(page, 'class="todo-row')
        self.client.force_login(User.objects.get(username="supervisor"))
        todo = {q.key: q for q in self.client.get(reverse("admin:index")).context["todo"]}
        self.assertGreaterEqual(todo["overdue"].count, 1)
        self.assertGreaterEqual(todo["review"].count, 1)

    def test_attachments_are_real_files_of_each_type(self) -> None:
        kinds = set(Attachment.objects.values_list("extension", flat=True))
        self.assertLessEqual({"pdf", "xlsx", "docx"}, kinds)
        for attachment in Attachment.objects.all():
            with self.subTest(name=attachment.original_name), attachment.file.open("rb") as f:
                data = f.read()
                self.assertEqual(len(data), attachment.size)
                if attachment.extension == "pdf":
                    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
                    self.assertIn(attachment.title[:4], text.replace("\n", ""))
                elif attachment.extension == "xlsx":
                    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
                    self.assertGreaterEqual(sheet.max_row, 3)
                else:
                    self.assertTrue(Document(io.BytesIO(data)).paragraphs)

    def test_no_unmasked_personal_numbers_in_public_text(self) -> None:
        """The demo shows masked lists, as the rules require (138****1234, 35***…123)."""
        import re

        pattern = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")
        for notice in Notice.objects.all():
            with self.subTest(title=notice.title):
                self.assertIsNone(pattern.search(notice.title + notice.summary + notice.body))

    def test_every_public_page_renders_with_the_demo_data(self) -> None:
        pages = [
            reverse("home"),
            reverse("notice-list"),
            reverse("catalog-index"),
            reverse("guide"),
            reverse("notice-list") + "?page=2",
        ]
        pages += [node.get_absolute_url() for node in CatalogNode.objects.all()]
        for url in pages:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        for notice in Notice.objects.published():
            with self.subTest(notice=notice.title):
                self.assertContains(self.client.get(notice.get_absolute_url()), notice.index_number)
        for attachment in Attachment.objects.published():
            with self.subTest(attachment=attachment.original_name):
                self.assertEqual(self.client.get(attachment.get_absolute_url()).status_code, 200)
        guide = self.client.get(reverse("guide"))
        self.assertContains(guide, "青岚镇党政综合办公室")
        self.assertNotContains(guide, 'role="alert"')

    def test_every_demo_notice_passes_its_own_rules(self) -> None:
        """Issue 11: what a submission requires of its kind (内容概述, 生成日期; 文号 and
        成文日期 for a 文件; a 公示's period), for every demo notice, drafts included."""
        for notice in Notice.objects.select_related("catalog_node"):
            with self.subTest(title=notice.title):
                self.assertIsNone(notice.lacking("submit"))
                notice.full_clean(exclude=["superseded_by"])

    def test_postings_are_counted_in_working_days(self) -> None:
        postings = Notice.objects.filter(kind="publicity", status="published")
        self.assertGreaterEqual(postings.count(), 25)
        for notice in postings:
            with self.subTest(title=notice.title):
                start, days = office_date(notice.published_at), notice.posting_working_days
                last, estimated = count_posting(start, days)
                self.assertEqual(notice.posting_end_estimate if estimated
                                 else notice.posting_ends_on, last)  # fmt: skip
        # 任前公示 of 2025-09-22, 5 working days: Sunday 28 September was worked.
        appointments = postings.get(title="青岚镇拟任职干部任前公示")
        self.assertEqual(appointments.posting_ends_on.isoformat(), "2025-09-28")

    def test_some_postings_current_the_others_over(self) -> None:
        current = Notice.objects.published().filter(kind="publicity")
        self.assertLessEqual(
            {
                "青岚镇2026年种粮大户补贴对象公示",
                "青岚镇2026年第三季度城乡最低生活保障金发放情况公示",
            },
            set(current.values_list("title", flat=True)),
        )
        dibao = current.get(title__contains="2026年第三季度城乡最低生活保障金")
        self.assertContains(self.client.get(dibao.get_absolute_url()), "低保对象变动名单")
        ended = Notice.objects.posting_ended()
        self.assertGreaterEqual(ended.count(), 20)
        old_dibao = ended.get(title__contains="2025年第一季度城乡最低生活保障金")
        page = self.client.get(old_dibao.get_absolute_url())
        self.assertContains(page, "公示期已满")
        self.assertNotContains(page, "低保对象变动名单")  # neither the list nor its file
        self.assertNotContains(page, "/attachments/")
        appointment = ended.get(title="青岚镇拟任职干部任前公示")  # its node keeps nothing
        page = self.client.get(appointment.get_absolute_url())
        self.assertEqual(page.status_code, 410)
        self.assertNotContains(page, appointment.title, status_code=410)
