"""Issue 11, item 2 (and the 公示 period of item 1): what a notice must carry to be
submitted, by kind, refused in Chinese naming the missing field; 内容概述 on its page."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from catalog.models import CatalogNode
from disclosure.models import Notice
from disclosure.models.workflow import GUARDS, REQUIRED_TO_SUBMIT, InvalidTransition
from disclosure.permissions import actions_for
from tests import factories
from tests.base import BaseTestCase

COMPLETE = {"summary": "本镇森林防火期野外用火管控措施", "formed_date": date(2026, 11, 20)}
DOCUMENT = {**COMPLETE, "document_number": "青政〔2026〕8号", "written_date": date(2026, 11, 18)}


def change_url(notice: Notice) -> str:
    return reverse("admin:disclosure_notice_change", args=[notice.pk])


class RequirementsByKindTests(BaseTestCase):
    def draft(self, kind: str, catalog: str = "documents/normative", **fields) -> Notice:
        values = {"summary": "", "formed_date": None, "document_number": "",
                  "written_date": None, **fields}  # fmt: skip
        return factories.notice(self.civil, published=False, kind=kind, catalog=catalog, **values)

    def refused(self, notice: Notice) -> str:
        with self.assertRaises(InvalidTransition) as refused:
            notice.submit(self.alice)
        notice.refresh_from_db()
        self.assertEqual((notice.status, notice.events.count()), ("draft", 0))
        return str(refused.exception)

    def test_a_normative_document_needs_its_number_and_written_date(self) -> None:
        notice = self.draft("document", **COMPLETE)
        self.assertEqual(self.refused(notice), "提交审核前请填写：文号、成文日期。")
        Notice.objects.filter(pk=notice.pk).update(document_number="青政〔2026〕8号")
        notice.refresh_from_db()
        self.assertEqual(self.refused(notice), "提交审核前请填写：成文日期。")
        Notice.objects.filter(pk=notice.pk).update(written_date=date(2026, 11, 18))
        notice.refresh_from_db()
        notice.submit(self.alice)
        self.assertEqual(notice.status, "submitted")

    def test_every_notice_needs_its_content_summary_and_formed_date(self) -> None:
        for kind in Notice.Kind.values:
            with self.subTest(kind=kind):
                notice = self.draft(kind, catalog="news/announcements")
                expected = ["summary", "formed_date"]
                if kind == "document":
                    expected += ["document_number", "written_date"]
                self.assertEqual(notice.missing_metadata(), expected)
                if kind != "interpretation":  # which first says what it interprets
                    message = self.refused(notice)
                    self.assertIn("内容概述、生成日期", message)
                    self.assertEqual("文号" in message, kind == "document")

    def test_an_announcement_needs_no_document_number(self) -> None:
        notice = self.draft("announcement", catalog="news/announcements", **COMPLETE)
        notice.submit(self.alice)
        self.assertEqual(notice.status, "submitted")

    def test_the_rule_is_declared_once_with_the_guard(self) -> None:
        self.assertIn("lacks_metadata", GUARDS["submit"].requires)
        self.assertEqual(
            {name for name, kinds in REQUIRED_TO_SUBMIT if kinds is None},
            {"summary", "formed_date"},
        )

    def test_the_button_stays_and_says_why_when_pressed(self) -> None:
        notice = self.draft("document")
        self.assertIn("submit", actions_for(self.alice, notice))
        self.client.force_login(self.alice)
        url = reverse("admin:disclosure_notice_transition", args=[notice.pk, "submit"])
        response = self.client.post(url)
        self.assertContains(
            response, "提交审核前请填写：内容概述、生成日期、文号、成文日期。", status_code=409
        )


class PostingPeriodGuardTests(BaseTestCase):
    def draft(self, **fields) -> Notice:
        return factories.notice(
            self.civil, published=False, kind="publicity",
            catalog="key-areas/social-assistance", **COMPLETE, **fields,
        )  # fmt: skip

    @override_settings(POSTING_WORKING_DAYS=None)
    def test_a_publicity_without_any_period_is_refused(self) -> None:
        notice = self.draft()
        with self.assertRaisesMessage(InvalidTransition, "公示须设定公示期"):
            notice.submit(self.alice)
        CatalogNode.objects.filter(path="key-areas").update(posting_working_days=7)
        notice.refresh_from_db()
        notice.submit(self.alice)  # the node's period, inherited from 重点领域
        self.assertEqual((notice.status, notice.posting_working_days), ("submitted", 7))

    def test_blank_means_the_site_default_fixed_at_submission(self) -> None:
        notice = self.draft()
        notice.submit(self.alice)
        self.assertEqual(notice.posting_working_days, 7)
        CatalogNode.objects.filter(path="key-areas/social-assistance").update(
            posting_working_days=10
        )
        notice.refresh_from_db()
        self.assertEqual(notice.posting_working_days, 7)  # reviewed as submitted

    def test_only_a_publicity_has_a_period(self) -> None:
        notice = factories.notice(self.civil, published=False, kind="news",
                                  catalog="news/highlights", posting_working_days=5)  # fmt: skip
        with self.assertRaises(ValidationError) as error:
            notice.full_clean()
        self.assertIn("posting_working_days", error.exception.message_dict)


class SaveAndSubmitFormTests(BaseTestCase):
    """保存并提交审核 says what is missing beside each field, saves nothing, keeps it all."""

    def post(self, notice: Notice, **fields):
        data = {
            "title": "青岚镇森林防火期野外用火管控通告", "summary": "", "body": "<p>正文</p>",
            "kind": notice.kind, "catalog_node": notice.catalog_node_id,
            "validity": "in_force", "disclosure_mode": "proactive", "_submit": "1",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000", **fields,
        }  # fmt: skip
        data = {name: value for name, value in data.items() if value is not None}
        self.client.force_login(self.alice)
        return self.client.post(change_url(notice), data)

    def test_missing_fields_are_marked_and_nothing_is_lost(self) -> None:
        notice = factories.notice(self.civil, published=False, kind="document",
                                  catalog="documents/normative", title="草稿",
                                  summary="", document_number="")  # fmt: skip
        response = self.post(notice, document_number="青政〔2026〕8号")
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        self.assertEqual(set(errors), {"summary", "formed_date", "written_date"})
        self.assertEqual(errors["summary"], ["每条公开信息提交审核前都必须填写此项。"])
        self.assertEqual(errors["written_date"], ["“文件”类信息提交审核前必须填写此项。"])
        self.assertContains(response, "青岚镇森林防火期野外用火管控通告")  # what was typed
        self.assertContains(response, "青政〔2026〕8号")
        notice.refresh_from_db()
        self.assertEqual((notice.title, notice.status), ("草稿", "draft"))  # nothing saved

    def test_a_plain_save_of_an_incomplete_draft_is_fine(self) -> None:
        notice = factories.notice(self.civil, published=False, kind="document",
                                  catalog="documents/normative", summary="")  # fmt: skip
        response = self.post(notice, _submit=None)  # 保存, not 保存并提交审核
        self.assertEqual(response.status_code, 302)
        notice.refresh_from_db()
        self.assertEqual(
            (notice.title, notice.status), ("青岚镇森林防火期野外用火管控通告", "draft")
        )

    def test_complete_it_submits(self) -> None:
        notice = factories.notice(self.civil, published=False, kind="document",
                                  catalog="documents/normative")  # fmt: skip
        response = self.post(notice, summary=DOCUMENT["summary"], formed_date="2026-11-20",
                             document_number="青政〔2026〕8号",
                             written_date="2026-11-18")  # fmt: skip
        self.assertEqual(response.status_code, 302)
        notice.refresh_from_db()
        self.assertEqual(notice.status, "submitted")


class ContentSummaryOnThePageTests(BaseTestCase):
    def test_the_detail_page_shows_the_content_summary_and_formed_date(self) -> None:
        notice = factories.notice(self.civil, kind="document", catalog="documents/normative",
                                  **DOCUMENT)  # fmt: skip
        page = self.client.get(notice.get_absolute_url())
        self.assertContains(page, "内容概述")
        self.assertContains(page, DOCUMENT["summary"])
        self.assertContains(page, "生成日期")
        self.assertContains(page, "2026-11-20")
        self.assertContains(page, "青政〔2026〕8号")
