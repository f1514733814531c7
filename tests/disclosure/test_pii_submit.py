"""The 保密审查 assist at submission: planted numbers block it, one click masks them,
an override needs a reason and is audited; the demo township raises no false alarm."""

from __future__ import annotations

import io
import random

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from demo.documents import make_docx, make_pdf, make_xlsx
from disclosure.models import Notice
from disclosure.models.workflow import PersonalDataFound
from tests import factories
from tests.base import BaseTestCase

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(rng: random.Random) -> str:
    body = f"35{rng.randint(1000, 9999)}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}" \
           f"{rng.randint(1, 28):02d}{rng.randint(100, 999)}"  # fmt: skip
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


def bank_card(rng: random.Random) -> str:
    digits = [6, 2] + [rng.randint(0, 9) for _ in range(16)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


class SubmissionScanTests(BaseTestCase):
    def setUp(self) -> None:
        self.rng = random.Random(20261123)
        self.notice = factories.notice(self.civil, published=False, catalog="news/highlights")

    def plant(self, where: str, number: str) -> None:
        line = f"低保对象张*明，号码{number}，住东坪村。"
        if where == "body":
            self.notice.body = f"<p>{line}</p>"
            self.notice.save()
        elif where == "pdf":
            factories.attachment(self.notice, name="名单.pdf", data=make_pdf("名单", [line]))
        elif where == "docx":
            factories.attachment(self.notice, name="名单.docx", data=make_docx("名单", [line]))
        else:
            data = make_xlsx("名单", ["姓名", "号码"], [["张*明", number]])
            factories.attachment(self.notice, name="名单.xlsx", data=data)

    def test_recall_on_planted_numbers_everywhere(self) -> None:
        """Every planted number is found, in the body and in each attachment type."""
        makers = {"id_card": id_number, "mobile": mobile, "bank_card": bank_card}
        found = planted = 0
        for where in ("body", "pdf", "docx", "xlsx"):
            for kind, make in makers.items():
                with self.subTest(where=where, kind=kind):
                    self.notice.attachments.all().delete()
                    self.notice.body = "<p>正文</p>"
                    self.notice.save()
                    number = make(self.rng)
                    self.plant(where, number)
                    hits = self.notice.personal_numbers()
                    planted += 1
                    found += sum(1 for h in hits if h.kind == kind)
                    self.assertEqual([h.kind for h in hits], [kind])
                    self.assertNotIn(number, hits[0].context)
        self.assertEqual((found, planted), (12, 12))

    def test_a_hit_blocks_submission_and_lists_the_places(self) -> None:
        self.plant("xlsx", id_number(self.rng))
        with self.assertRaises(PersonalDataFound) as caught:
            self.notice.submit(self.alice)
        self.assertIn("名单.xlsx", caught.exception.hits[0].place)
        self.notice.refresh_from_db()
        self.assertEqual((self.notice.status, self.notice.events.count()), ("draft", 0))
        self.client.force_login(self.alice)
        url = reverse("admin:disclosure_notice_transition", args=[self.notice.pk, "submit"])
        response = self.client.post(url)
        self.assertContains(response, "未脱敏的个人号码", status_code=409)
        self.assertContains(response, "一键遮盖", status_code=409)
        self.assertContains(response, "身份证号", status_code=409)

    def test_a_mistyped_id_blocks_and_the_findings_say_it_may_be_a_typo(self) -> None:
        good = id_number(self.rng)
        wrong = good[:17] + ("0" if good[17] != "0" else "1")  # 17 digits right, a typo at the end
        self.plant("body", wrong)
        self.client.force_login(self.alice)
        url = reverse("admin:disclosure_notice_transition", args=[self.notice.pk, "submit"])
        response = self.client.post(url)
        self.assertContains(response, "校验位不符", status_code=409)
        self.notice.refresh_from_db()
        self.assertEqual(self.notice.status, "draft")

    def test_one_click_masks_text_and_office_files(self) -> None:
        number = mobile(self.rng)
        self.plant("body", number)
        self.plant("docx", id_number(self.rng))
        self.client.force_login(self.alice)
        response = self.client.post(reverse("admin:disclosure_notice_mask", args=[self.notice.pk]))
        self.assertEqual(response.status_code, 302)
        self.notice.refresh_from_db()
        self.assertIn(f"{number[:3]}****{number[-4:]}", self.notice.body)
        self.assertEqual(self.notice.personal_numbers(), [])
        self.notice.submit(self.alice)
        self.assertEqual(self.notice.status, "submitted")

    def test_a_pdf_cannot_be_masked_but_can_be_overridden_with_a_reason(self) -> None:
        self.plant("pdf", bank_card(self.rng))
        self.client.force_login(self.alice)
        self.client.post(reverse("admin:disclosure_notice_mask", args=[self.notice.pk]))
        self.assertTrue(self.notice.personal_numbers())  # still there: PDFs are not rewritten
        url = reverse("admin:disclosure_notice_transition", args=[self.notice.pk, "submit"])
        reason = "依《征地补偿安置方案》须公开补偿款收款账户"
        self.assertEqual(self.client.post(url, {"pii_override_reason": reason}).status_code, 302)
        event = self.notice.events.get()
        self.assertEqual(event.pii_override_reason, reason)
        self.assertEqual(event.actor, self.alice)


class DemoFalsePositiveTests(TestCase):
    def test_the_demo_township_raises_no_alarm(self) -> None:
        """False positives on 132 realistic notices and 56 attachments: must be 0."""
        call_command("seed_demo", force=True, stdout=io.StringIO())
        scanned = flagged = 0
        for notice in Notice.objects.prefetch_related("attachments"):
            scanned += 1
            hits = notice.personal_numbers()
            flagged += bool(hits)
            with self.subTest(title=notice.title):
                self.assertEqual([(h.kind, h.place) for h in hits], [])
        self.assertGreaterEqual(scanned, 100)
        self.assertEqual(flagged, 0)
