"""What the staff pages and the letters say (issue 10): 您 for a person and 贵单位 for an
organisation, today's date where a step asks for one, real names, human sizes."""

from __future__ import annotations

from datetime import date

from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from applications import handling
from applications.models import Outcome, ReplyFile
from catalog.models import Membership
from tests.base import BaseTestCase

from .test_handling import ADMIN, application

RECEIVED = date(2026, 3, 2)
# What (四)1 asks for besides the outcome: which answer it is (issue 11, item 7).
MORE = {"4.1": {"not_held": "elsewhere", "holder_name": "云溪县自然资源局",
                "holder_contact": "0596-5260000"}}  # fmt: skip


class LetterWordingTests(BaseTestCase):
    def answer(self, applicant_type: str, outcome: str, **fields) -> str:
        a = application(self.township, applicant_type=applicant_type, received_on=RECEIVED,
                        status="received", **fields)  # fmt: skip
        handling.close(a, by=self.olga, outcome=outcome, details="", **MORE.get(outcome, {}))
        return a.reply

    def test_a_person_is_addressed_as_nin(self) -> None:
        letter = self.answer("person", "1")
        self.assertIn("收到您提出的政府信息公开申请", letter)
        self.assertNotIn("贵单位", letter)
        self.assertNotIn("（单位）", letter)

    def test_an_organisation_is_addressed_as_guidanwei_in_every_outcome(self) -> None:
        for code in Outcome.values:
            with self.subTest(outcome=code):
                letter = self.answer("business", code, name="青岚镇兴农合作社")
                self.assertIn("收到贵单位提出的政府信息公开申请", letter)
                self.assertNotIn("您", letter)

    def test_a_letter_is_plain_text_not_html_escaped(self) -> None:
        letter = self.answer("person", "1", description='"村道" & <桥梁> 资金')
        self.assertIn('申请获取："村道" & <桥梁> 资金', letter)

    def test_the_mail_to_an_organisation_says_guidanwei(self) -> None:
        a = application(self.township, applicant_type="business", name="青岚镇兴农合作社")
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            handling.confirm_receipt(a, by=self.olga, on=RECEIVED)
        self.assertIn("贵单位的申请", mail.outbox[0].body)
        self.assertNotIn("您", mail.outbox[0].body)


class StaffPageWordsTests(BaseTestCase):
    def setUp(self) -> None:
        self.olga.first_name = "陈雅琴"
        self.olga.save()
        self.client.force_login(self.olga)

    def test_receipt_defaults_to_today(self) -> None:
        """<input type="date"> takes ISO dates only: today, as 2026-03-05."""
        a = application(self.township)
        page = self.client.get(f"{ADMIN}{a.pk}/change/")
        self.assertContains(page, f'name="confirm-on" value="{timezone.localdate():%Y-%m-%d}"')

    def test_staff_are_shown_by_their_real_names(self) -> None:
        head = self.lena
        head.first_name = "周明辉"
        head.save()
        Membership.objects.create(user=head, organization=self.office, role="leader")
        a = application(self.township, received_on=RECEIVED, status="received",
                        created_by=self.olga)  # fmt: skip
        handling.extend(a, by=self.olga, days=5, reason="需调取档案", approved_by=head,
                        today=RECEIVED)  # fmt: skip
        page = self.client.get(f"{ADMIN}{a.pk}/change/").content.decode()
        history = page[page.index('id="history-title"') :]
        self.assertIn("陈雅琴", history)  # 办理记录
        registered = page[page.index("登记人") :][:200]
        self.assertIn("陈雅琴", registered)  # 登记人
        approved = page[page.index("延长批准人") :][:200]
        self.assertIn("周明辉", approved)
        self.assertNotIn(">olga<", page)
        self.assertNotIn(">lena<", page)
        self.assertIn(f'<option value="{head.pk}">周明辉</option>', page)  # the extend form

    def test_reply_files_show_name_type_and_human_size_never_the_path(self) -> None:
        a = application(self.township, received_on=RECEIVED, status="received")
        item = ReplyFile.objects.create(
            application=a, file=ContentFile(b"%PDF-1.4 x", name="x.pdf"),
            original_name="补助明细.pdf", extension="pdf", content_type="application/pdf",
            size=2546,
        )  # fmt: skip
        page = self.client.get(f"{ADMIN}{a.pk}/change/")
        self.assertContains(page, "补助明细.pdf")
        self.assertContains(page, "2.5\xa0KB")
        self.assertContains(page, f"{ADMIN}{a.pk}/files/{item.pk}/")
        self.assertNotContains(page, item.file.name)
        self.assertNotContains(page, "2546")
        download = self.client.get(f"{ADMIN}{a.pk}/files/{item.pk}/")
        self.assertEqual(download["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertIn("attachment", download["Content-Disposition"])
