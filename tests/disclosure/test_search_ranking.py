"""Search ranking (title, catalog node, recency, a year in the query), the 按相关度 /
按时间 order, and "did you mean" for a search that finds nothing.

Every test runs on SQLite and on PostgreSQL alike: the ranking's rules are one SQL for
both (disclosure.search.query), only the text score is the database's own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from config import urls as portal_urls
from disclosure import search
from disclosure.search import pinyin
from disclosure.search import query as search_query
from disclosure.search.suggest import candidates, did_you_mean, node_words
from tests import factories
from tests.base import BaseTestCase

SHANGHAI = ZoneInfo("Asia/Shanghai")

urlpatterns = [
    path("search/", search.search_page, name="search"),
    *portal_urls.urlpatterns,
]


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


class RankingCase(BaseTestCase):
    def publish(self, title: str, *, days: int = 0, at: datetime | None = None, **fields):
        """A published, indexed notice; create them oldest first (ids grow with time)."""
        return factories.notice(
            fields.pop("organization", self.civil),
            title=title,
            published_at=at or days_ago(days) - timedelta(hours=1),
            **fields,
        )

    def found(self, query: str, **kwargs) -> list[int]:
        return [hit.notice.pk for hit in search.search(query, **kwargs).page.object_list]


@override_settings(ROOT_URLCONF=__name__)
class RankingTests(RankingCase):
    def test_title_match_above_a_body_that_repeats_the_word(self) -> None:
        """The title holds the word once; a newer notice repeats it in a long body."""
        in_title = self.publish("东坪村低保对象名单", days=200, body="<p>名单见下表。</p>")
        repeated = "低保资金按月发放，低保对象如有变化及时报告。" * 4
        in_body = self.publish("民政工作情况通报", days=10, body=f"<p>{repeated}</p>")
        self.assertEqual(self.found("低保"), [in_title.pk, in_body.pk])

    def test_recent_above_old_when_the_text_is_alike(self) -> None:
        """The older notice says the word twice, the newer once: the newer is first."""
        old = self.publish("第一批资金发放情况", days=700, body="<p>低保资金、低保对象。</p>")
        new = self.publish("第二批资金发放情况", days=20, body="<p>低保资金已发放。</p>")
        self.assertEqual(self.found("低保"), [new.pk, old.pk])

    def test_the_catalog_node_counts_like_part_of_the_title(self) -> None:
        """The 低保 lists are filed under 低保、五保与救助 and titled 最低生活保障; a
        discipline report under another node, newer than the second list, says 低保
        three times (the demo's 纪委通报, first before the ranking knew the node)."""
        report = self.publish(
            "镇纪委关于典型问题的通报",
            days=120,
            catalog="other/case-handling",
            body="<p>违规办理低保。低保金被截留。低保审核不严。</p>",
        )
        lists = [
            self.publish(
                f"青岚镇2026年第{quarter}季度城乡最低生活保障金发放情况公示",
                days=days,
                catalog="key-areas/social-assistance",
                body="<p>本季度低保金已足额发放。</p>",
            )
            for quarter, days in (("一", 230), ("二", 140), ("三", 50))
        ]
        found = self.found("低保")
        self.assertEqual(found[0], lists[2].pk)  # the newest list first
        self.assertLess(found.index(lists[1].pk), found.index(report.pk))
        self.assertEqual(set(found), {report.pk, *(n.pk for n in lists)})

    def test_a_year_in_the_query_favours_that_year(self) -> None:
        """2025年预算: the 2025 budget before the newer 2026 budget, whose body names 2025
        again and again; without a year the newer one is first."""
        this_year = self.publish(
            "青岚镇2025年财政预算公开",
            at=datetime(2025, 3, 31, 10, tzinfo=SHANGHAI),
            body="<p>本预算经镇人大审议通过。</p>",
        )
        next_year = self.publish(
            "青岚镇2026年财政预算公开",
            at=datetime(2026, 2, 10, 10, tzinfo=SHANGHAI),
            body="<p>2025年预算执行情况：2025年收入完成预算的98%，2025年支出控制在预算内。</p>",
        )
        self.assertEqual(self.found("2025年预算"), [this_year.pk, next_year.pk])
        self.assertEqual(self.found("预算"), [next_year.pk, this_year.pk])
        self.assertEqual(search_query.query_years(search.query_words("2025年 预算"), 2026), [2025])
        self.assertEqual(search_query.query_years(search.query_words("1999 5000"), 2026), [])

    def test_a_common_word_ranks_its_newest_candidates_only(self) -> None:
        """The new parts read nothing beyond CANDIDATES: the bound holds as before."""
        notices = [self.publish(f"第{i}批低保名单", days=100 - i) for i in range(5)]
        with mock.patch.object(search_query, "CANDIDATES", 2):
            result = search.search("低保")
        self.assertEqual([h.notice.pk for h in result.page.object_list],
                         [notices[4].pk, notices[3].pk])  # fmt: skip
        self.assertTrue(result.capped)


@override_settings(ROOT_URLCONF=__name__)
class SortTests(RankingCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        at = timezone.now() - timedelta(days=300)
        cls.best = factories.notice(cls.civil, title="低保对象名单公示", published_at=at,
                                    catalog="key-areas/social-assistance")  # fmt: skip
        cls.newer = [
            factories.notice(
                cls.finance,
                title=f"第{i}批资金",
                body="<p>含低保资金。</p>",
                published_at=at + timedelta(days=10 * i),
            )  # fmt: skip
            for i in range(1, 4)
        ]

    def test_by_time_is_newest_first(self) -> None:
        self.assertEqual(self.found("低保")[0], self.best.pk)
        by_time = self.found("低保", sort=search.Sort.TIME)
        self.assertEqual(by_time, [n.pk for n in reversed(self.newer)] + [self.best.pk])

    def test_the_order_is_kept_in_links_and_in_the_form(self) -> None:
        with mock.patch.object(search_query, "PAGE_SIZE", 2):
            response = self.client.get("/search/", {"q": "低保", "sort": "time"})
        self.assertContains(response, "按相关度</a> · 按时间</p>")  # 按时间 in force: text
        self.assertContains(response, '<a href="?q=%E4%BD%8E%E4%BF%9D">按相关度</a>')
        self.assertContains(response, "q=%E4%BD%8E%E4%BF%9D&amp;sort=time&amp;page=2")  # next page
        finance = f"q=%E4%BD%8E%E4%BF%9D&amp;sort=time&amp;organization={self.finance.pk}"
        self.assertContains(response, f'href="?{finance}"')  # a facet link
        self.assertContains(response, '<input type="hidden" name="sort" value="time">')
        hits = response.context["result"].page.object_list
        self.assertEqual([h.notice.pk for h in hits], [self.newer[2].pk, self.newer[1].pk])

        narrowed = self.client.get(
            "/search/", {"q": "低保", "organization": self.finance.pk, "page": "2"}
        )
        link = f'href="?q=%E4%BD%8E%E4%BF%9D&amp;organization={self.finance.pk}&amp;sort=time"'
        self.assertContains(narrowed, link)  # to page 1 in the other order, facet kept
        self.assertContains(narrowed, "排序： 按相关度 · <a ")
        self.assertNotContains(narrowed, 'name="sort"')

    def test_an_invalid_order_is_relevance(self) -> None:
        response = self.client.get("/search/", {"q": "低保", "sort": "'; DROP"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["result"].page.object_list[0].notice.pk, self.best.pk)

    def test_by_time_makes_the_same_queries(self) -> None:
        self.client.get("/search/", {"q": "资金"})  # the site's public version row
        for sort in ("relevance", "time"):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                self.client.get("/search/", {"q": "低保 资金", "sort": sort})
            matches = [
                q for q in ctx.captured_queries if " MATCH " in q["sql"] or " @@ " in q["sql"]
            ]
            self.assertEqual(len(matches), 1, sort)
            self.assertLessEqual(len(ctx.captured_queries), 4, sort)


@override_settings(ROOT_URLCONF=__name__)
class SuggestionTests(RankingCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dibao = factories.notice(cls.civil, title="城乡最低生活保障金发放情况公示",
                                     body="<p>本季度低保金已足额发放。</p>",
                                     catalog="key-areas/social-assistance")  # fmt: skip
        cls.housing = factories.notice(cls.civil, title="青岚镇农村危房改造对象名单",
                                       catalog="key-areas/housing-renovation")  # fmt: skip

    def test_same_sound_other_character(self) -> None:
        """底保 → 低保: the page says 您是不是要找 with a link to the near query."""
        response = self.client.get("/search/", {"q": "底保"})
        self.assertContains(response, 'class="no-results"')
        self.assertContains(response, "您是不是要找：")
        self.assertContains(response, f'<a href="?q={quote("低保")}"><strong>低保</strong></a>')

    def test_near_sound_in_a_longer_query(self) -> None:
        """危房改照 (cut 危房 改照): only the word not found is replaced, 照 → 造 (zh, z)."""
        self.assertEqual(did_you_mean("危房改照"), "危房改造")
        self.assertEqual(did_you_mean("危房改照 名单"), "危房改造 名单")

    def test_typed_pinyin(self) -> None:
        self.assertEqual(did_you_mean("dibao"), "低保")
        self.assertEqual(did_you_mean("weifanggaizao"), "危房改造")
        self.assertEqual(did_you_mean("DiBao"), "低保")

    def test_no_suggestion_when_each_word_is_found(self) -> None:
        """低保 and 危房 are both found, never together: the page offers the single words."""
        self.assertIsNone(did_you_mean("低保 危房"))
        self.assertIsNone(did_you_mean("拖拉机"))  # nothing near it is in the index
        response = self.client.get("/search/", {"q": "低保 危房"})
        self.assertNotContains(response, "您是不是要找")

    def test_only_words_of_public_notices_are_offered(self) -> None:
        """A notice scheduled for tomorrow is indexed already: its words are not offered."""
        factories.notice(self.civil, title="征地听证会公告", published_at=days_ago(-1))
        self.assertIsNone(did_you_mean("征弟"))
        self.assertEqual(did_you_mean("征弟", now=days_ago(-2)), "征地")

    def test_scope_and_facets(self) -> None:
        """On another township's page, and narrowed to another kind, nothing is offered
        that would find nothing there."""
        self.assertIsNone(did_you_mean("底保", scope_org_ids={self.other_civil.pk}))
        narrowed = search.SearchFilters(kind="finance")
        self.assertIsNone(did_you_mean("底保", filters=narrowed))
        response = self.client.get("/search/", {"q": "底保", "sort": "time", "year": "2026"})
        year = timezone.localtime(self.dibao.published_at).year
        if year == 2026:
            self.assertContains(response, f'href="?q={quote("低保")}&amp;sort=time&amp;year=2026"')

    def test_queries_made_and_remembered(self) -> None:
        """Three short queries after the search itself, none when asked again."""
        self.client.get("/search/", {"q": "低保"})  # the site's public version row
        cache.clear()
        with CaptureQueriesContext(connection) as first:
            self.client.get("/search/", {"q": "底保"})
        with CaptureQueriesContext(connection) as again:
            response = self.client.get("/search/", {"q": "底保"})
        self.assertContains(response, "您是不是要找")
        self.assertLessEqual(len(first.captured_queries), 6)
        self.assertLessEqual(len(again.captured_queries), 2)
        self.assertFalse([q for q in again.captured_queries if search.TABLE in q["sql"]])

    def test_candidates(self) -> None:
        nodes = node_words(["低保、五保与救助", "农村危房改造"])
        self.assertTrue({"低保", "五保", "救助", "危房改造", "农村危房改造"} <= nodes)
        near = candidates("底保", nodes)
        self.assertEqual(near["低保"], max(near.values()))
        self.assertIn("改造", candidates("改照", nodes))
        self.assertEqual(candidates("2026", nodes), {})
        self.assertEqual(candidates("底", nodes), {})


class PinyinTests(BaseTestCase):
    def test_readings_and_near_sounds(self) -> None:
        self.assertIn("di", pinyin.readings("低"))
        self.assertTrue(pinyin.same_sound("底", "低"))
        self.assertTrue(pinyin.near_sound("照", "造"))  # zhao, zao
        self.assertFalse(pinyin.near_sound("照", "低"))
        self.assertEqual(pinyin.fuzzy("zhao"), {"zao"})
        self.assertIn("lv", pinyin.readings("绿"))

    def test_splits(self) -> None:
        self.assertEqual(pinyin.splits("dibao")[0], ("di", "bao"))
        self.assertEqual(pinyin.splits("xian"), [("xian",), ("xi", "an")])
        self.assertEqual(pinyin.splits("pdf"), [])
        self.assertEqual(pinyin.splits("低保"), [])
