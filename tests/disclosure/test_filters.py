"""The /notices/ filters: catalog node (with children), organisation, kind, year, validity."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase

SHANGHAI = ZoneInfo("Asia/Shanghai")


class NoticeFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        n = factories.notice
        cls.budget = n(
            cls.finance,
            title="2025年镇级预算公开",
            catalog="finance/budget",
            kind=Notice.Kind.FINANCE,
            published_at=datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI),
        )
        cls.subsidy = n(
            cls.civil,
            title="2026年低保标准调整通知",
            catalog="key-areas/social-assistance",
            kind=Notice.Kind.DOCUMENT,
            published_at=datetime(2026, 1, 1, 0, 10, tzinfo=SHANGHAI),
        )
        cls.old = n(
            cls.civil,
            title="2024年低保标准（已废止）",
            catalog="key-areas/social-assistance",
            validity=Notice.Validity.REPEALED,
            validity_changed_on=date(2026, 1, 1),
            published_at=datetime(2024, 6, 1, 9, 0, tzinfo=SHANGHAI),
        )
        cls.village_news = n(
            cls.village,
            title="东坪村道路硬化完工",
            catalog="news/highlights",
            kind=Notice.Kind.NEWS,
            published_at=datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI),
        )

    def titles(self, **params) -> set[str]:
        response = self.client.get(reverse("notice-list"), params)
        self.assertEqual(response.status_code, 200)
        return {n.title for n in response.context["notices"]}

    def test_no_filter_lists_all_newest_first(self) -> None:
        response = self.client.get(reverse("notice-list"))
        self.assertEqual(
            [n.title for n in response.context["notices"]],
            [self.village_news.title, self.subsidy.title, self.budget.title, self.old.title],
        )

    def test_catalog_node_includes_children(self) -> None:
        top = factories.node("key-areas")
        self.assertEqual(self.titles(catalog=top.pk), {self.subsidy.title, self.old.title})
        self.assertEqual(
            self.titles(catalog=factories.node("finance/budget").pk), {self.budget.title}
        )

    def test_organisation_includes_what_is_below_it(self) -> None:
        self.assertEqual(
            self.titles(organization=self.civil.pk), {self.subsidy.title, self.old.title}
        )
        self.assertEqual(len(self.titles(organization=self.township.pk)), 4)

    def test_kind(self) -> None:
        self.assertEqual(self.titles(kind="news"), {self.village_news.title})

    def test_year_uses_beijing_time(self) -> None:
        """23:30 on 31 Dec and 00:10 on 1 Jan Beijing time fall in their own years."""
        self.assertEqual(self.titles(year=2025), {self.budget.title})
        self.assertEqual(self.titles(year=2026), {self.subsidy.title, self.village_news.title})

    def test_validity(self) -> None:
        self.assertEqual(self.titles(validity="repealed"), {self.old.title})

    def test_title_words_all_match(self) -> None:
        self.assertEqual(self.titles(q="低保 2026"), {self.subsidy.title})
        self.assertEqual(self.titles(q="低保"), {self.subsidy.title, self.old.title})

    def test_filters_combine(self) -> None:
        self.assertEqual(
            self.titles(q="低保", validity="in_force", year=2026), {self.subsidy.title}
        )

    def test_bad_choice_shows_a_chinese_message_and_keeps_input(self) -> None:
        response = self.client.get(reverse("notice-list"), {"kind": "nonsense", "q": "低保"})
        self.assertContains(response, "选择一个有效的选项")
        self.assertContains(response, 'value="低保"')

    def test_pages_keep_the_filters(self) -> None:
        for i in range(25):
            factories.notice(
                self.civil, title=f"临时救助公示第{i}期", catalog="key-areas/social-assistance"
            )
        response = self.client.get(reverse("notice-list"), {"q": "临时救助"})
        self.assertContains(response, "q=%E4%B8%B4%E6%97%B6%E6%95%91%E5%8A%A9&amp;page=2")
        page2 = self.client.get(reverse("notice-list"), {"q": "临时救助", "page": 2})
        self.assertEqual(len(page2.context["notices"]), 5)
