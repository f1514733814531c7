"""The staff side: per-role lists, the to-do index, buttons, and no way around the workflow."""

from __future__ import annotations

import io

from docx import Document

from django.urls import reverse

from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase


def change_url(notice: Notice) -> str:
    return reverse("admin:disclosure_notice_change", args=[notice.pk])


class StaffListTests(BaseTestCase):
    def setUp(self) -> None:
        self.civil_draft = factories.notice(self.civil, title="民政办草稿", published=False)
        self.finance_draft = factories.notice(self.finance, title="财政所草稿", published=False)

    def test_each_person_sees_their_organisations_only(self) -> None:
        changelist = reverse("admin:disclosure_notice_changelist")
        for person, sees, hidden in [
            (self.alice, "民政办草稿", "财政所草稿"),
            (self.bob, "财政所草稿", "民政办草稿"),
            (self.lena, "民政办草稿", "财政所草稿"),
        ]:
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(changelist)
                self.assertContains(response, sees)
                self.assertNotContains(response, hidden)
        self.client.force_login(self.sam)  # township-wide, read-only
        response = self.client.get(changelist)
        self.assertContains(response, "民政办草稿")
        self.assertContains(response, "财政所草稿")

    def test_another_organisations_draft_does_not_exist_for_you(self) -> None:
        """404, not 403: bob never learns that 民政办 has this draft."""
        self.client.force_login(self.bob)
        for url in [
            change_url(self.civil_draft),
            reverse("admin:disclosure_notice_history", args=[self.civil_draft.pk]),
            reverse("admin:disclosure_notice_mask", args=[self.civil_draft.pk]),
        ]:
            with self.subTest(url=url):
                response = self.client.get(url) if "mask" not in url else self.client.post(url)
                self.assertIn(response.status_code, (302, 404))
                if response.status_code == 302:  # the admin redirects unknown ids to its index
                    self.assertNotIn(
                        str(self.civil_draft.pk),
                        response["Location"].split("?")[0].replace("/admin/", ""),
                    )
        missing = self.client.get(reverse("admin:disclosure_notice_change", args=[999999]))
        hidden = self.client.get(change_url(self.civil_draft))
        self.assertEqual(hidden.status_code, missing.status_code)

    def test_a_reviewer_reads_but_cannot_edit(self) -> None:
        self.client.force_login(self.lena)
        response = self.client.get(change_url(self.civil_draft))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')
        response = self.client.post(change_url(self.civil_draft), {"title": "改了"})
        self.assertEqual(response.status_code, 403)
        self.civil_draft.refresh_from_db()
        self.assertEqual(self.civil_draft.title, "民政办草稿")


class ChangeFormTests(BaseTestCase):
    def test_only_the_buttons_this_person_may_press_now(self) -> None:
        notice = factories.in_state(self, "submitted@leader", catalog="news/highlights")
        for person, shown, absent in [
            (self.alice, [], ["审核通过", "提交审核", "发布"]),
            (self.lena, ["审核通过", "退回修改", "保密审查"], ["提交审核", "撤回"]),
            (self.olga, [], ["审核通过", "退回修改"]),
        ]:
            with self.subTest(person=person.username):
                self.client.force_login(person)
                page = self.client.get(change_url(notice)).content.decode()
                form_buttons = page[page.index('id="workflow-title"') :]
                for label in shown:
                    self.assertIn(label, form_buttons)
                for label in absent:
                    self.assertNotIn(f">{label}</button>", form_buttons)

    def test_history_shows_who_did_what(self) -> None:
        notice = factories.in_state(self, "approved", catalog="news/highlights")
        self.client.force_login(self.olga)
        page = self.client.get(change_url(notice))
        self.assertContains(page, "办理记录")
        self.assertContains(page, "已完成保密审查")
        self.assertContains(page, ">发布</button>")
        self.assertContains(page, ">定时发布</button>")
        self.assertContains(page, ">退回修改</button>")

    def test_schedule_from_the_form(self) -> None:
        notice = factories.in_state(self, "approved", catalog="news/highlights")
        self.client.force_login(self.olga)
        url = reverse("admin:disclosure_notice_transition", args=[notice.pk, "publish"])
        response = self.client.post(url, {"at": "2020-01-01T09:00"})
        self.assertContains(response, "请选择将来的时间", status_code=400)
        self.assertContains(response, 'value="2020-01-01T09:00"', status_code=400)
        response = self.client.post(url, {"at": "2099-01-01T09:00"})
        self.assertEqual(response.status_code, 302)
        notice.refresh_from_db()
        self.assertTrue(notice.is_scheduled())
        self.assertEqual(notice.events.last().action, "scheduled")

    def test_posting_workflow_fields_changes_nothing(self) -> None:
        """status, published_at, index_number, organisation are not in the form at all."""
        notice = factories.notice(self.civil, title="草稿", published=False)
        self.client.force_login(self.alice)
        data = {
            "title": "草稿二",
            "summary": "",
            "body": "<p>x</p>",
            "kind": "news",
            "catalog_node": factories.node("news/highlights").pk,
            "validity": "in_force",
            "disclosure_mode": "proactive",
            "status": "published",
            "published_at": "2020-01-01",
            "index_number": "FAKE/2020-00001",
            "organization": self.finance.pk,
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "_saveasnew": "1",
        }
        response = self.client.post(change_url(notice), data)
        self.assertEqual(response.status_code, 302)
        notice.refresh_from_db()
        self.assertEqual(
            (
                notice.title,
                notice.status,
                notice.published_at,
                notice.index_number,
                notice.organization,
            ),
            ("草稿二", "draft", None, None, self.civil),
        )
        self.assertEqual(Notice.objects.count(), 1)  # "save as new" is off

    def test_no_bulk_actions(self) -> None:
        factories.notice(self.civil, published=False)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("admin:disclosure_notice_changelist"))
        self.assertNotContains(response, 'name="action"')

    def test_a_clerk_can_only_file_for_their_own_organisation(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("admin:disclosure_notice_add"))
        choices = [str(o) for o in response.context["adminform"].form.fields["organization"]
                   .queryset]  # fmt: skip
        self.assertEqual(choices, ["青岚镇民政办公室"])


class TodoIndexTests(BaseTestCase):
    def test_each_person_sees_their_queue_with_counts(self) -> None:
        waiting = factories.in_state(self, "submitted@leader", title="等待领导审核的公示")
        returned = factories.in_state(self, "returned", title="被退回的草稿")
        ready = factories.in_state(self, "approved", title="等待发布的通知")
        self.client.force_login(self.lena)
        page = self.client.get(reverse("admin:index"))
        self.assertContains(page, "待我审核")
        self.assertContains(page, waiting.title)
        self.assertNotContains(page, ready.title)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("admin:index"))
        self.assertContains(page, "退回给我的")
        self.assertContains(page, returned.title)
        self.client.force_login(self.olga)
        page = self.client.get(reverse("admin:index"))
        self.assertContains(page, "待发布")
        self.assertContains(page, ready.title)
        todo = dict((str(title), count) for title, count, _rows in page.context["todo"])
        self.assertEqual(todo["待发布"], 1)

    def test_the_admin_is_titled_for_the_site(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("admin:index")), "云溪县政务公开 · 工作人员")


class WordImportTests(BaseTestCase):
    def test_a_clerk_creates_a_notice_from_a_word_file(self) -> None:
        document = Document()
        document.add_paragraph("青岚镇人民政府文件")
        document.add_paragraph("青政发〔2026〕9号")
        document.add_paragraph("关于做好2026年冬季森林防火工作的通知")
        document.add_paragraph("各村（居）委会、镇直各单位：")
        document.add_paragraph("入冬以来，我镇降水偏少，森林火险等级持续偏高。")
        buffer = io.BytesIO()
        document.save(buffer)
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.alice)
        response = self.client.post(reverse("admin:disclosure_notice_add"), {
            "source_docx": SimpleUploadedFile("防火通知.docx", buffer.getvalue()),
            "title": "", "summary": "", "body": "", "kind": "announcement",
            "catalog_node": factories.node("news/announcements").pk,
            "organization": self.civil.pk, "validity": "in_force",
            "disclosure_mode": "proactive",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        notice = Notice.objects.get()
        self.assertEqual(notice.title, "关于做好2026年冬季森林防火工作的通知")
        self.assertEqual(notice.document_number, "青政发〔2026〕9号")
        self.assertIn("森林火险等级持续偏高", notice.body)
        self.assertEqual(notice.created_by, self.alice)

    def test_a_bad_word_file_is_refused_at_the_field(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.alice)
        response = self.client.post(reverse("admin:disclosure_notice_add"), {
            "source_docx": SimpleUploadedFile("通知.docx", b"not a word file"),
            "title": "我填的标题", "kind": "announcement",
            "catalog_node": factories.node("news/announcements").pk,
            "organization": self.civil.pk, "validity": "in_force",
            "disclosure_mode": "proactive",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
        self.assertContains(response, "不是有效的 Word .docx 文件")
        self.assertContains(response, 'value="我填的标题"')
        self.assertFalse(Notice.objects.exists())
