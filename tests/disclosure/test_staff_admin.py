"""The staff side: per-role lists, the to-do index, buttons, and no way around the workflow."""

from __future__ import annotations

import io
import re

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


class ChangeFormTopTests(BaseTestCase):
    """Issue 10: the change form says first what the person needs."""

    def setUp(self) -> None:
        self.alice.first_name = "李秀梅"
        self.alice.save(update_fields=["first_name"])
        self.lena.first_name = "周明辉"
        self.lena.save(update_fields=["first_name"])

    def test_status_return_reason_and_actions_come_before_the_fields(self) -> None:
        notice = factories.in_state(self, "returned", title="被退回的公示")
        self.client.force_login(self.alice)
        page = self.client.get(change_url(notice)).content.decode()
        fields = page.index('id="notice_form"')
        self.assertLess(page.index("状态：已退回修改"), fields)
        self.assertLess(page.index("退回原因"), fields)
        self.assertLess(page.index("请补充说明"), fields)
        self.assertLess(page.index("周明辉 于"), fields)  # who returned it, and when
        self.assertLess(page.index(">保存并提交审核</button>"), fields)

    def test_the_step_it_waits_at_in_words(self) -> None:
        notice = factories.in_state(self, "submitted@supervisor")
        self.client.force_login(self.sam)
        self.assertContains(
            self.client.get(change_url(notice)), "第 2 步，共 2 步：等待监督小组审核"
        )

    def test_preview_replaces_view_on_site_and_save_and_add_another_is_gone(self) -> None:
        notice = factories.in_state(self, "draft")
        self.client.force_login(self.alice)
        page = self.client.get(change_url(notice))
        preview = reverse("admin:disclosure_notice_preview", args=[notice.pk])
        self.assertContains(page, f'href="{preview}"')
        self.assertContains(page, ">预览</a>")
        self.assertNotContains(page, "viewsitelink")
        self.assertNotContains(page, "在站点上查看")
        self.assertNotContains(page, "_addanother")
        self.assertContains(page, 'name="_continue"')
        add = self.client.get(reverse("admin:disclosure_notice_add"))
        self.assertNotContains(add, "_addanother")
        self.assertContains(add, ">保存并提交审核</button>")

    def test_names_not_usernames(self) -> None:
        notice = factories.in_state(self, "approved", catalog="news/highlights")
        Notice.objects.filter(pk=notice.pk).update(created_by=self.alice)
        self.client.force_login(self.olga)
        page = self.client.get(change_url(notice)).content.decode()
        self.assertIn("李秀梅", page)  # 创建人, submitted by, the history
        self.assertIn("周明辉", page)
        self.assertNotRegex(page, r">\s*(alice|lena)\s*<")

    def test_history_newest_first_in_words(self) -> None:
        notice = factories.in_state(self, "published", catalog="news/highlights")
        self.client.force_login(self.olga)
        page = self.client.get(change_url(notice)).content.decode()
        history = page[page.index('id="history-title"') :]
        self.assertLess(history.index("已发布"), history.index("提交审核"))
        self.assertIn("草稿 → 审核中", history)
        self.assertIn("已审核 → 已发布", history)
        for raw in (">draft", "submitted →", "→ published"):
            self.assertNotIn(raw, history)

    def test_the_rarely_used_fields_are_folded_with_help(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(reverse("admin:disclosure_notice_add")).content.decode()
        for heading in ("信息内容", "放在哪个目录", "日期", "有效性和公开属性（一般不用改）"):
            self.assertIn(heading, page)
        folded = page[page.index("有效性和公开属性") - 400 : page.index("有效性和公开属性")]
        self.assertIn("<details>", folded)
        self.assertIn("新文件选“有效”", page)


class AttachmentRowTests(BaseTestCase):
    def setUp(self) -> None:
        self.notice = factories.in_state(self, "draft")
        self.attachment = factories.attachment(self.notice, name="低保名单.pdf", data=b"x" * 2546)
        self.download = reverse(
            "admin:disclosure_notice_attachment", args=[self.notice.pk, self.attachment.pk]
        )

    def test_name_type_size_and_download_never_the_path(self) -> None:
        for person, state in [(self.alice, "draft"), (self.lena, "submitted@leader")]:
            with self.subTest(person=person.username):
                if state != "draft":
                    self.notice.submit(self.alice)
                self.client.force_login(person)
                page = self.client.get(change_url(self.notice)).content.decode()
                self.assertIn("低保名单.pdf", page)
                self.assertIn("PDF，2.5\xa0KB", page)
                self.assertIn(f'href="{self.download}"', page)
                self.assertIn("下载", page)
                self.assertNotIn(self.attachment.file.name, page)
                self.assertNotIn("目前", page)
                self.assertNotIn(">2546<", page)

    def test_every_attachment_input_has_a_label(self) -> None:
        """axe (critical): the add form's attachment inputs had no label."""
        self.client.force_login(self.alice)
        for url in (reverse("admin:disclosure_notice_add"), change_url(self.notice)):
            page = self.client.get(url).content.decode()
            ids = [
                i for tag, i in re.findall(
                    r'(<(?:input|select|textarea)[^>]*id="(id_attachments-[^"]+)")', page)
                if 'type="hidden"' not in tag
            ]  # fmt: skip
            self.assertTrue(ids)
            for input_id in ids:
                with self.subTest(url=url, input=input_id):
                    self.assertIn(f'for="{input_id}"', page)


class SaveAndSubmitTests(BaseTestCase):
    def post_data(self, notice: Notice, **extra) -> dict:
        return {
            "title": notice.title, "summary": "本通知的内容概述", "formed_date": "2026-12-01",
            "document_number": notice.document_number or "青政〔2026〕1号",
            "written_date": "2026-11-30", "body": "<p>改过的正文</p>", "kind": notice.kind,
            "catalog_node": notice.catalog_node_id,
            "validity": "in_force", "disclosure_mode": "proactive",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
            **extra,
        }  # fmt: skip

    def test_it_saves_the_edits_then_submits(self) -> None:
        notice = factories.in_state(self, "draft", catalog="news/highlights")
        self.client.force_login(self.alice)
        response = self.client.post(change_url(notice), self.post_data(notice, _submit="1"))
        self.assertRedirects(response, change_url(notice), fetch_redirect_response=False)
        notice.refresh_from_db()
        self.assertEqual(notice.status, "submitted")
        self.assertIn("改过的正文", notice.body)
        self.assertEqual(notice.events.get().content_hash, notice.content_hash())

    def test_personal_numbers_stop_the_submission_not_the_save(self) -> None:
        notice = factories.in_state(self, "draft", catalog="news/highlights")
        self.client.force_login(self.alice)
        data = self.post_data(notice, _submit="1", body="<p>身份证号 11010519491231002X</p>")
        response = self.client.post(change_url(notice), data)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "您的修改已保存", status_code=409)
        notice.refresh_from_db()
        self.assertEqual(notice.status, "draft")
        self.assertIn("11010519491231002X", notice.body)

    def test_a_new_notice_can_be_saved_and_submitted_at_once(self) -> None:
        self.client.force_login(self.alice)
        data = self.post_data(
            Notice(title="新写的通知", kind="announcement",
                   catalog_node=factories.node("news/announcements")),
            organization=self.civil.pk, _submit="1",
        )  # fmt: skip
        response = self.client.post(reverse("admin:disclosure_notice_add"), data)
        notice = Notice.objects.get(title="新写的通知")
        self.assertRedirects(response, change_url(notice), fetch_redirect_response=False)
        self.assertEqual(notice.status, "submitted")

    def test_a_refused_submission_names_the_files_it_did_not_keep(self) -> None:
        """Issue 10: with 内容概述 missing, 保存并提交审核 saved nothing and the chosen PDF
        vanished from the page; the next click submitted the notice without it, silently."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from demo.documents import make_pdf

        self.client.force_login(self.alice)
        data = self.post_data(
            Notice(title="低保对象名单公示", kind="announcement",
                   catalog_node=factories.node("news/announcements")),
            organization=self.civil.pk, _submit="1", summary="",
            **{"attachments-TOTAL_FORMS": "1", "attachments-0-title": "名单",
               "attachments-0-position": "0",
               "attachments-0-file": SimpleUploadedFile(
                   "名单.pdf", make_pdf("低保对象名单", ["张*明"]), "application/pdf")},
        )  # fmt: skip
        response = self.client.post(reverse("admin:disclosure_notice_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Notice.objects.filter(title="低保对象名单公示").exists())
        self.assertContains(response, "“名单.pdf”尚未保存，请重新选择这个文件。")
        self.assertContains(response, "您选择的附件也没有上传")
        self.assertContains(response, 'value="低保对象名单公示"')  # what was typed is kept

    def test_a_new_notice_opens_with_the_cursor_in_the_title(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(reverse("admin:disclosure_notice_add")).content.decode()
        self.assertRegex(page, r'<input[^>]*name="title"[^>]*autofocus')
        self.assertNotIn("admin/js/change_form.js", page)  # it would focus the 保存 button
        self.assertEqual(page.count("autofocus"), 1)

    def test_a_save_after_a_colleague_submitted_gives_back_what_was_typed(self) -> None:
        """Issue 10: the draft was submitted while the page was open; the save was a bare
        403 and the typed text was lost."""
        notice = factories.in_state(self, "draft", catalog="news/highlights")
        notice.submit(self.alice)  # from another window, or by a colleague
        self.client.force_login(self.alice)
        data = self.post_data(notice, body="<p>新加的一段：东坪村公示栏已张贴。</p>",
                              summary="改过的概述")  # fmt: skip
        response = self.client.post(change_url(notice), data)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "您这次填写的内容没有保存", status_code=409)
        self.assertContains(response, "新加的一段：东坪村公示栏已张贴。", status_code=409)
        self.assertContains(response, "改过的概述", status_code=409)
        self.assertNotContains(response, "&lt;p&gt;", status_code=409)  # text to copy, not HTML
        notice.refresh_from_db()
        self.assertEqual(notice.status, "submitted")
        self.assertNotIn("新加的一段", notice.body)
        # Someone of another department learns nothing: refused as any unknown id is.
        self.client.force_login(self.bob)
        other = self.client.post(change_url(notice), data)
        unknown = self.client.post(change_url(Notice(pk=987654)), data)
        self.assertEqual((other.status_code, other.get("Location")),
                         (unknown.status_code, unknown.get("Location")))  # fmt: skip

    def test_the_heading_is_the_notice_not_the_admin(self) -> None:
        notice = factories.in_state(
            self, "draft", catalog="news/highlights", title="东坪村道路硬化公示"
        )
        self.client.force_login(self.alice)
        page = self.client.get(change_url(notice)).content.decode()
        self.assertInHTML("<h1>东坪村道路硬化公示</h1>", page)
        self.assertNotIn("修改 公开信息", page)
        self.assertNotIn("查看 公开信息", page)
        add = self.client.get(reverse("admin:disclosure_notice_add")).content.decode()
        self.assertInHTML("<h1>写新信息</h1>", add)

    def test_a_form_without_files_is_not_told_about_files(self) -> None:
        self.client.force_login(self.alice)
        data = self.post_data(
            Notice(title="通知", kind="announcement",
                   catalog_node=factories.node("news/announcements")),
            organization=self.civil.pk, _submit="1", summary="",
        )  # fmt: skip
        response = self.client.post(reverse("admin:disclosure_notice_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "请重新选择这个文件")
        self.assertNotContains(response, "您选择的附件也没有上传")


class WorkflowGetTests(BaseTestCase):
    def test_a_refresh_of_a_workflow_url_returns_to_the_notice(self) -> None:
        """Issue 10: GET on a workflow URL (a refresh after a POST) was a blank 405."""
        notice = factories.in_state(self, "submitted@leader")
        urls = [
            reverse("admin:disclosure_notice_transition", args=[notice.pk, "approve"]),
            reverse("admin:disclosure_notice_mask", args=[notice.pk]),
            reverse("admin:disclosure_notice_revise", args=[notice.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.client.force_login(self.lena)
                response = self.client.get(url)
                self.assertRedirects(response, change_url(notice), fetch_redirect_response=False)
                self.client.force_login(self.bob)  # never learns the notice exists
                self.assertEqual(self.client.get(url).status_code, 404)
        notice.refresh_from_db()
        self.assertEqual((notice.status, notice.events.count()), ("submitted", 1))
