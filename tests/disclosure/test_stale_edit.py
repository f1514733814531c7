"""Two clerks edit the same draft: the second save, based on a stale page, is refused.

The refusal says what changed, who changed it and when; the second clerk's typing stays
in the form, which now carries the new version, so saving again after reading goes
through (issue 10, disclosure.stale).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Membership
from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase


def form_data(response) -> dict:
    """What the browser would post back: every field of the change form as rendered
    (the hidden version token included) and the attachments' management form."""
    data = {}
    form = response.context["adminform"].form
    for bound in form:
        if getattr(bound.field.widget, "input_type", None) == "file":
            continue
        value = bound.value()
        if value is None:
            continue
        data[bound.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for sub in formset.forms:
            for bound in sub:
                if bound.name in ("file", "DELETE"):
                    continue
                value = bound.value()
                if value not in (None, ""):
                    data[bound.html_name] = value
    return data


class StaleEditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alice.first_name = "李秀梅"
        cls.alice.save(update_fields=["first_name"])
        cls.amy = get_user_model().objects.create_user(
            "amy", password="x-pass-123", is_staff=True, first_name="王芳"
        )
        Membership.objects.create(user=cls.amy, organization=cls.civil, role="clerk")

    def setUp(self) -> None:
        self.draft = factories.notice(
            self.civil, published=False, title="关于发放高龄津贴的公示",
            body="<p>原来的正文</p>", catalog="key-areas/livelihood-funds", kind="publicity",
        )  # fmt: skip
        self.url = reverse("admin:disclosure_notice_change", args=[self.draft.pk])
        self.first, self.second = Client(), Client()
        self.first.force_login(self.alice)
        self.second.force_login(self.amy)

    def open_both(self) -> tuple[dict, dict]:
        return form_data(self.first.get(self.url)), form_data(self.second.get(self.url))

    def test_the_second_save_is_refused_and_nothing_is_lost(self) -> None:
        mine, theirs = self.open_both()
        saved = self.first.post(self.url, mine | {"title": "李秀梅改的标题",
                                                  "body": "<p>李秀梅改的正文</p>"})  # fmt: skip
        self.assertEqual(saved.status_code, 302)

        refused = self.second.post(
            self.url, theirs | {"title": "王芳改的标题", "summary": "王芳写的摘要"}
        )
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "未保存：您打开本页后，有人修改了这条信息")
        self.assertContains(refused, "李秀梅：保存了修改")  # who
        self.assertContains(refused, "有变动的内容：标题、正文。")  # which fields
        self.assertContains(refused, 'value="王芳改的标题"')  # what was typed is kept
        self.assertContains(refused, "王芳写的摘要")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "李秀梅改的标题")  # the first save stands
        self.assertIn("李秀梅改的正文", self.draft.body)
        self.assertEqual(self.draft.summary, "摘要")

    def test_saving_again_after_reading_the_message_goes_through(self) -> None:
        mine, theirs = self.open_both()
        self.first.post(self.url, mine | {"title": "李秀梅改的标题"})
        refused = self.second.post(self.url, theirs | {"title": "王芳改的标题"})
        again = self.second.post(self.url, form_data(refused))  # the page as re-rendered
        self.assertEqual(again.status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "王芳改的标题")

    def test_a_save_on_a_current_page_goes_through(self) -> None:
        mine, _theirs = self.open_both()
        response = self.first.post(self.url, mine | {"title": "新标题"})
        self.assertEqual(response.status_code, 302)
        again = form_data(self.first.get(self.url))
        self.assertEqual(self.first.post(self.url, again | {"title": "再改"}).status_code, 302)

    def test_a_colleague_saving_without_changes_refuses_nobody(self) -> None:
        mine, theirs = self.open_both()
        self.assertEqual(self.first.post(self.url, mine).status_code, 302)  # 保存, nothing new
        response = self.second.post(self.url, theirs | {"title": "王芳改的标题"})
        self.assertEqual(response.status_code, 302)

    def test_a_replaced_attachment_is_named(self) -> None:
        mine, theirs = self.open_both()
        factories.attachment(self.draft, name="名单.pdf")  # the other clerk's upload
        response = self.second.post(self.url, theirs | {"title": "王芳改的标题"})
        self.assertContains(response, "有变动的内容：附件。")
        self.assertContains(response, "他人于")  # nobody known: at least when

    def test_masking_meanwhile_says_who(self) -> None:
        _mine, theirs = self.open_both()
        Notice.objects.filter(pk=self.draft.pk).update(body="<p>身份证号 11010519491231002X</p>")
        response = self.first.post(reverse("admin:disclosure_notice_mask", args=[self.draft.pk]))
        self.assertEqual(response.status_code, 302)
        response = self.second.post(self.url, theirs | {"title": "王芳改的标题"})
        self.assertContains(response, "李秀梅：保存了修改")
        self.assertContains(response, "正文")

    def test_a_made_up_token_is_refused(self) -> None:
        _mine, theirs = self.open_both()
        response = self.second.post(self.url, theirs | {"version": "not-a-token"})
        self.assertContains(response, "本页已过期")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "关于发放高龄津贴的公示")

    def test_the_chosen_files_must_be_chosen_again(self) -> None:
        """A file input cannot be filled in again by the server: the message says so."""
        mine, theirs = self.open_both()
        self.first.post(self.url, mine | {"title": "李秀梅改的标题"})
        upload = SimpleUploadedFile("名单.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        response = self.second.post(self.url, theirs | {
            "attachments-TOTAL_FORMS": "1", "attachments-0-file": upload,
            "attachments-0-title": "名单", "attachments-0-position": "0",
        })  # fmt: skip
        self.assertContains(response, "您选择的文件没有上传，请重新选择。")
        self.assertFalse(self.draft.attachments.exists())
