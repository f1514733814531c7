"""Full-text search (/search/): Chinese words, attachments, only public notices, facets,
escaping, the rebuild command and a fixed number of queries.

The workflow calls `search.index_notice` / `remove_notice` itself; these tests build
notices with the factories and index them by hand, as the workflow would.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from config import urls as portal_urls
from demo.documents import make_docx, make_pdf, make_xlsx
from disclosure import search
from disclosure.models import Notice
from disclosure.search import query as search_query
from disclosure.search import view as search_view
from tests import factories
from tests.base import BaseTestCase

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Until portal/urls.py names the page, the tests mount it themselves (first, so it wins).
# FTS5 and tsquery syntax, SQL, and sizes and characters a form may send.
ODD_QUERIES = [
    '"', '"低保', "低保\"'", "NEAR(低保 预算)", "低保*", "(低保", "低保)", "低保 AND OR NOT",
    "低保 -预算", "title:低保", "^低保", "{title}:低保", "低保 & ! | :*", "' OR 1=1 --",
    "'; DROP TABLE disclosure_notice; --", "\\", "%", "_", "+", "NEAR/2", "低保" * 2000,
    "😀 低保", "低保\u3000预算",
]  # fmt: skip

urlpatterns = [
    path("search/", search.search_page, name="search"),
    *portal_urls.urlpatterns,
]


def indexed_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {search._backend().key} FROM {search.TABLE}")
        return {row[0] for row in cursor.fetchall()}


class SearchTestCase(BaseTestCase):
    def publish(self, title: str, *, organization=None, **fields) -> Notice:
        """A published notice, indexed (the factory calls publication_changed)."""
        return factories.notice(organization or self.civil, title=title, **fields)

    def found(self, query: str, **kwargs) -> list[int]:
        return [hit.notice.pk for hit in search.search(query, **kwargs).page.object_list]


@override_settings(ROOT_URLCONF=__name__)
class WordTests(SearchTestCase):
    def test_two_character_words(self) -> None:
        """低保 and 征地 are found as words, also inside longer ones (低保户)."""
        dibao = self.publish(
            "2026年城乡低保对象名单公示", body="<p>经审核，以下低保户符合条件。</p>"
        )
        zhengdi = self.publish("青岚镇征地补偿安置方案", catalog="key-areas/land-compensation")
        self.publish("关于召开春耕生产会议的通知")
        self.assertEqual(self.found("低保"), [dibao.pk])
        self.assertEqual(self.found("征地"), [zhengdi.pk])
        self.assertEqual(self.found("低保户"), [dibao.pk])

    def test_phrase_needs_every_word_best_first(self) -> None:
        """征地补偿 finds notices with both words; a title match ranks above the body."""
        in_body = self.publish(
            "青岚镇二〇二六年第一批公示", body="<p>本批次征地涉及东坪村，补偿款已足额发放。</p>"
        )
        in_title = self.publish("东坪村征地补偿标准公示", body="<p>具体标准见下表。</p>")
        self.publish("征地范围调整说明", body="<p>范围见附图。</p>")  # no 补偿
        self.publish("困难群众补偿说明")  # no 征地
        self.assertEqual(self.found("征地补偿"), [in_title.pk, in_body.pk])

    def test_long_word_inside_a_longer_one(self) -> None:
        """中华人民共和国 is found where jieba cut 中华人民共和国政府 as one word."""
        notice = self.publish(
            "政府信息公开工作制度", body="<p>根据《中华人民共和国政府信息公开条例》制定。</p>"
        )
        self.assertEqual(self.found("中华人民共和国"), [notice.pk])

    def test_document_number_and_summary(self) -> None:
        """The document number and the summary are searched too."""
        notice = self.publish(
            "临时救助实施办法", document_number="青政发〔2026〕3号", summary="兜底保障"
        )
        self.assertEqual(self.found("青政发〔2026〕3号"), [notice.pk])
        self.assertEqual(self.found("兜底保障"), [notice.pk])

    def test_republished_content_replaces_the_old(self) -> None:
        """A published revision re-indexes the notice: old words go, new words come."""
        notice = self.publish("春耕备耕工作安排")
        notice.title = "秋收秋种工作安排"
        notice.save()
        search.index_notice(notice)
        self.assertEqual(self.found("春耕"), [])
        self.assertEqual(self.found("秋收"), [notice.pk])


@override_settings(ROOT_URLCONF=__name__)
class AttachmentTests(SearchTestCase):
    def test_words_only_in_attachments(self) -> None:
        """危房改造 only in an XLSX, 临时救助 only in a DOCX, 高标准农田 only in a PDF."""
        xlsx = self.publish("2026年第二批补助资金发放情况", body="<p>详见附件。</p>")
        factories.attachment(
            xlsx,
            name="发放表.xlsx",
            data=make_xlsx("发放表", ["户主", "项目"], [["张某", "农村危房改造"]]),
        )
        docx = self.publish("审核情况说明", body="<p>详见附件。</p>")
        factories.attachment(
            docx, name="说明.docx", data=make_docx("说明", ["临时救助对象审核情况"])
        )
        pdf = self.publish("项目验收报告", body="<p>详见附件。</p>")
        factories.attachment(
            pdf, name="报告.pdf", data=make_pdf("验收报告", ["高标准农田建设项目验收合格。"])
        )
        for notice in (xlsx, docx, pdf):
            search.index_notice(notice)  # the workflow indexes after the files are attached
        self.assertEqual(self.found("危房改造"), [xlsx.pk])
        self.assertEqual(self.found("临时救助"), [docx.pk])
        self.assertEqual(self.found("高标准农田"), [pdf.pk])
        response = self.client.get("/search/", {"q": "危房改造"})
        self.assertContains(response, "<mark>危房改造</mark>")
        self.assertContains(response, 'class="badge"')  # "in an attachment"

    def test_unreadable_attachment_does_not_stop_indexing(self) -> None:
        notice = factories.notice(self.civil, title="低保资金发放表")
        attachment = factories.attachment(notice, name="表.xlsx", data=b"not a spreadsheet")
        attachment.file.storage.delete(attachment.file.name)
        search.index_notice(notice)
        self.assertEqual(self.found("低保"), [notice.pk])


@override_settings(ROOT_URLCONF=__name__)
class PublicOnlyTests(SearchTestCase):
    def test_draft_on_application_and_revision_are_never_indexed(self) -> None:
        """Only published, proactive, original notices go into the index."""
        draft = factories.notice(self.civil, title="低保草稿", published=False)
        on_application = factories.notice(
            self.civil,
            title="低保依申请公开",
            disclosure_mode=Notice.Mode.ON_APPLICATION,
            non_disclosure_reason="《条例》第二十七条",
        )
        public = self.publish("低保公示")
        revision = factories.notice(
            self.civil, title="低保修订稿", published=False, revision_of=public
        )
        for notice in (draft, on_application, revision):
            search.index_notice(notice)
        self.assertEqual(indexed_ids(), {public.pk})
        self.assertEqual(self.found("低保"), [public.pk])

    def test_withdrawn_is_removed(self) -> None:
        """Withdrawal removes the row; index_notice on a withdrawn notice removes it too."""
        notice = factories.in_state(self, "published", title="低保名单公示")
        search.index_notice(notice)
        self.assertEqual(self.found("低保"), [notice.pk])
        notice.withdraw(self.olga, reason="名单有误")
        search.remove_notice(notice.pk)
        self.assertEqual(indexed_ids(), set())
        self.assertEqual(self.found("低保"), [])
        search.index_notice(notice)
        self.assertEqual(indexed_ids(), set())

    def test_stale_row_never_shows(self) -> None:
        """Even if a removal was missed, a search checks the notice is public now."""
        notice = self.publish("低保名单公示")
        Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.WITHDRAWN)
        self.assertEqual(self.found("低保"), [])
        self.assertNotContains(self.client.get("/search/", {"q": "低保"}), "低保名单公示")

    def test_scheduled_notice_appears_at_its_time(self) -> None:
        """A future publish time is indexed now and found from that time on, with no job."""
        at = timezone.now() + timedelta(days=1)
        notice = self.publish("征地听证会公告", published_at=at)
        self.assertIn(notice.pk, indexed_ids())
        self.assertEqual(self.found("征地"), [])
        self.assertEqual(self.found("征地", now=at + timedelta(minutes=1)), [notice.pk])

    def test_scope_of_an_organisation_page(self) -> None:
        """/org/<slug>/search/ finds only that organisation's (and its subtree's) notices."""
        ours = self.publish("低保资金发放情况")
        theirs = self.publish("白沙镇低保资金发放情况", organization=self.other_civil)
        self.assertEqual(set(self.found("低保")), {ours.pk, theirs.pk})
        response = self.client.get("/org/qinglan/search/", {"q": "低保"})
        self.assertContains(response, "低保</mark>资金发放情况")
        self.assertNotContains(response, "白沙镇")


@override_settings(ROOT_URLCONF=__name__)
class PageTests(SearchTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def add(title, org, catalog, kind, year):
            at = datetime(year, 6, 1, 9, 0, tzinfo=SHANGHAI)
            notice = factories.notice(org, title=title, catalog=catalog, kind=kind, published_at=at)
            search.index_notice(notice)
            return notice

        cls.a = add("2025年低保资金预算", cls.finance, "finance/budget", "finance", 2025)
        cls.b = add("2026年低保资金预算", cls.finance, "finance/budget", "finance", 2026)
        # An announcement, not a 公示: a 公示 leaves the public site when its posting ends.
        cls.c = add("低保对象名单公示", cls.civil, "key-areas/social-assistance", "announcement",
                    2026)  # fmt: skip
        cls.d = add("低保政策解读", cls.civil, "key-areas/social-assistance", "news", 2026)

    def facet(self, result, name: str) -> dict:
        facet = next(f for f in result.facets if f.name == name)
        return {value.key: value.count for value in facet.values}

    def test_facet_counts(self) -> None:
        result = search.search("低保")
        self.assertEqual(result.total, 4)
        finance, key_areas = factories.node("finance"), factories.node("key-areas")
        self.assertEqual(self.facet(result, "catalog"), {finance.pk: 2, key_areas.pk: 2})
        self.assertEqual(self.facet(result, "organization"), {self.finance.pk: 2, self.civil.pk: 2})
        self.assertEqual(self.facet(result, "kind"), {"finance": 2, "announcement": 1, "news": 1})
        self.assertEqual(self.facet(result, "year"), {2026: 3, 2025: 1})
        years = next(f for f in result.facets if f.name == "year").values
        self.assertEqual([value.key for value in years], [2026, 2025])

    def test_facets_narrow(self) -> None:
        narrowed = search.search("低保", filters=search.SearchFilters(year=2026, kind="finance"))
        self.assertEqual([hit.notice.pk for hit in narrowed.page.object_list], [self.b.pk])
        node = factories.node("key-areas")
        by_node = search.search("低保", filters=search.SearchFilters(catalog=node.pk))
        self.assertEqual(by_node.total, 2)
        by_org = search.search("低保", filters=search.SearchFilters(organization=self.finance.pk))
        self.assertEqual({hit.notice.pk for hit in by_org.page.object_list}, {self.a.pk, self.b.pk})

    def test_page_shows_fragment_node_organisation_date_and_facet_links(self) -> None:
        response = self.client.get("/search/", {"q": "低保 名单"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<mark>低保</mark>对象<mark>名单</mark>公示")
        self.assertContains(response, "低保、五保与救助")  # the notice's catalog node
        self.assertContains(response, "民政办")
        self.assertContains(response, "2026-06-01 09:00")
        self.assertContains(response, 'name="robots" content="noindex"')
        response = self.client.get("/search/", {"q": "低保"})
        self.assertContains(response, 'href="?q=%E4%BD%8E%E4%BF%9D&amp;year=2025"')
        narrowed = self.client.get("/search/", {"q": "低保", "year": "2025", "page": "1"})
        self.assertContains(narrowed, 'href="?q=%E4%BD%8E%E4%BF%9D"')  # remove the filter
        self.assertNotContains(narrowed, "2026年低保资金预算")

    def test_invalid_filters_are_ignored(self) -> None:
        """Hand-edited links never error: a bad value is dropped."""
        for params in ({"year": "abc"}, {"kind": "nope"}, {"catalog": "99999999999999999999999"},
                       {"organization": "-1"}, {"page": "x"}, {"page": "999"}):  # fmt: skip
            response = self.client.get("/search/", {"q": "低保", **params})
            self.assertEqual(response.status_code, 200, params)
            self.assertContains(response, "低保</mark>", msg_prefix=str(params))

    def test_no_results_page_with_suggestions(self) -> None:
        response = self.client.get("/search/", {"q": "拖拉机 购置", "year": "2025"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="no-results"')
        self.assertContains(response, 'href="?q=%E6%8B%96%E6%8B%89%E6%9C%BA"')  # one word
        self.assertContains(response, 'href="?q=%E6%8B%96%E6%8B%89%E6%9C%BA+%E8%B4%AD%E7%BD%AE"')
        self.assertContains(response, 'href="/catalog/"')
        self.assertContains(response, 'href="/apply/"')
        self.assertContains(response, 'href="?q=%E4%BD%8E%E4%BF%9D"')  # an example search

    @override_settings(PUBLIC_PAGE_CACHE_SECONDS=3600)
    def test_not_in_the_page_cache(self) -> None:
        """Typed queries are unbounded: they must not evict the cached public pages."""
        self.client.get("/search/", {"q": "低保"})
        response = self.client.get("/search/", {"q": "低保"})
        self.assertNotIn("X-Page-Cache", response.headers)

    def test_empty_query_shows_the_form(self) -> None:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get("/search/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'type="search"')
        self.assertFalse([q for q in ctx.captured_queries if search.TABLE in q["sql"]])

    def test_injection_looking_input_returns_normally(self) -> None:
        """Quotes, FTS5 and tsquery operators, SQL: all are words or nothing, never syntax."""
        for query in ODD_QUERIES:
            with self.subTest(query=query[:20]):
                search.search(query)
                response = self.client.get("/search/", {"q": query})
                self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.found('"低保*')), 4)
        self.assertEqual(Notice.objects.count(), 4)

    def test_result_count_is_capped(self) -> None:
        with (
            mock.patch.object(search_query, "RESULT_CAP", 3),
            mock.patch.object(search_view, "RESULT_CAP", 3),
        ):
            result = search.search("低保")
            response = self.client.get("/search/", {"q": "低保"})
        self.assertEqual((result.total, result.capped), (3, True))
        self.assertContains(response, "3+")

    def test_pagination(self) -> None:
        with mock.patch.object(search_query, "PAGE_SIZE", 3):
            first = search.search("低保", page=1)
            last = search.search("低保", page="99")
        self.assertEqual(len(first.page.object_list), 3)
        self.assertEqual((last.page.number, len(last.page.object_list)), (2, 1))
        self.assertEqual(first.page.paginator.num_pages, 2)


@override_settings(ROOT_URLCONF=__name__)
class CandidateTests(SearchTestCase):
    """A common word ranks only its newest CANDIDATES matches; a rarer one ranks them all."""

    def setUp(self) -> None:
        super().setUp()
        # Oldest first, so ids grow with time as on a real site. The best 低保 match (in
        # the title, twice) is the oldest; 征地 is best in the older notice's title.
        self.best = self.publish("低保低保名单", body="<p>低保对象。</p>")
        self.zhengdi_title = self.publish("征地补偿方案", body="<p>详见附件。</p>")
        self.plain = [
            self.publish(f"第{i}批资金发放", body=f"<p>第{i}批低保资金已发放。</p>")
            for i in range(4)
        ]
        self.zhengdi_body = self.publish("东坪村公告", body="<p>本次征地涉及东坪村。</p>")
        self.theirs = [
            self.publish(f"白沙镇第{i}批资金", body="<p>低保资金。</p>", organization=org)
            for i, org in enumerate([self.other_civil] * 3)
        ]

    def test_newest_candidates_only_for_a_common_word(self) -> None:
        everything = self.found("低保")
        self.assertEqual(len(everything), 8)
        self.assertEqual(everything[0], self.best.pk)
        newest = sorted(everything, reverse=True)[:3]
        with (
            mock.patch.object(search_query, "CANDIDATES", 3),
            CaptureQueriesContext(connection) as ctx,
        ):
            result = search.search("低保")
        bounded = [hit.notice.pk for hit in result.page.object_list]
        self.assertEqual(len(ctx.captured_queries), 2)
        self.assertEqual(bounded, [pk for pk in everything if pk in newest])  # same order
        self.assertNotIn(self.best.pk, bounded)
        self.assertEqual((result.total, result.capped), (3, True))  # "3+": more matched
        with mock.patch.object(search_query, "CANDIDATES", 9):
            self.assertEqual(self.found("低保"), everything)
            self.assertFalse(search.search("低保").capped)

    def test_selective_word_is_ranked_as_before(self) -> None:
        """Fewer matches than CANDIDATES: every match is ranked, best first."""
        before = self.found("征地")
        self.assertEqual(before, [self.zhengdi_title.pk, self.zhengdi_body.pk])
        with mock.patch.object(search_query, "CANDIDATES", 3):
            result = search.search("征地")
        self.assertEqual([hit.notice.pk for hit in result.page.object_list], before)
        self.assertEqual((result.total, result.capped), (2, False))

    def test_scope_and_filters_narrow_the_candidates(self) -> None:
        """An organisation page, or a facet, still reaches its own older matches when
        newer matches elsewhere outnumber CANDIDATES."""
        ours = {self.best.pk, *(notice.pk for notice in self.plain)}
        township = {self.township.pk, self.civil.pk, self.finance.pk, self.office.pk}
        with mock.patch.object(search_query, "CANDIDATES", 5):
            scoped = self.found("低保", scope_org_ids=township)
            filtered = self.found("低保", filters=search.SearchFilters(organization=self.civil.pk))
        self.assertEqual(scoped[0], self.best.pk)
        self.assertEqual(set(scoped), ours)
        self.assertEqual(set(filtered), ours)


@override_settings(ROOT_URLCONF=__name__)
class EscapingTests(SearchTestCase):
    def test_highlight_is_escaped(self) -> None:
        """Only our <mark> tags are markup: a title or body with <script> shows as text."""
        self.publish(
            "<script>alert(1)</script>低保名单",
            body="<p>1 &lt; 2 &amp; 低保 &lt;b&gt;加粗&lt;/b&gt;</p>",
        )
        response = self.client.get("/search/", {"q": "低保"})
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;<mark>低保</mark>名单")
        self.assertContains(response, "1 &lt; 2 &amp; <mark>低保</mark> &lt;b&gt;加粗&lt;/b&gt;")
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<b>加粗")

    def test_query_is_escaped(self) -> None:
        response = self.client.get("/search/", {"q": "<img src=x onerror=alert(1)>"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<img src=x")


@override_settings(ROOT_URLCONF=__name__)
class RebuildTests(SearchTestCase):
    def test_rebuild_prints_progress_and_gives_the_same_results(self) -> None:
        notices = [self.publish(f"第{i}批低保资金发放") for i in range(5)]
        attached = notices[0]
        factories.attachment(
            attached, name="表.xlsx", data=make_xlsx("表", ["项目"], [["危房改造"]])
        )
        search.index_notice(attached)
        stale = self.publish("低保旧公告")
        Notice.objects.filter(pk=stale.pk).update(status=Notice.Status.WITHDRAWN)
        draft = factories.notice(self.civil, title="低保草稿", published=False)
        before = self.found("低保"), self.found("危房改造")

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.TABLE} WHERE {search._backend().key} = %s",
                           [notices[1].pk])  # fmt: skip
        out = io.StringIO()
        call_command("rebuild_search_index", "--chunk-size", "2", stdout=out)

        self.assertIn("search index: 5/5 (100%), done in", out.getvalue())
        self.assertIn("Search index rebuilt: 5 public notices.", out.getvalue())
        self.assertEqual(indexed_ids(), {n.pk for n in notices})
        self.assertNotIn(draft.pk, indexed_ids())
        self.assertEqual((self.found("低保"), self.found("危房改造")), before)

    def rows(self) -> dict[int, tuple]:
        """Every column of every index row, the segmented text included."""
        if connection.vendor == "sqlite":
            columns = ("rowid, top_node_id, organization_id, kind, year, title, body,"
                       " attachments, body_text, attachment_text")  # fmt: skip
        else:
            columns = ("notice_id, top_node_id, organization_id, kind, year, body_text,"
                       " attachment_text, document::text")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {search.TABLE}")
            return {row[0]: row for row in cursor.fetchall()}

    def test_rebuild_writes_the_rows_index_notice_writes(self) -> None:
        """In worker processes, chunk by chunk, with attachment texts remembered by sha256:
        the same rows, word for word, as indexing each notice on its own."""
        shared = make_xlsx("名单", ["户主", "项目"], [["张某", "农村危房改造"]])
        notices = [
            self.publish(
                f"第{i}批低保资金发放情况", document_number=f"青政发〔2026〕{i}号",
                summary="兜底保障", kind=Notice.Kind.FINANCE,
                body=f"<p>经审核，<b>以下</b>低保户符合条件。联系电话：0596-526100{i}</p>"
                     "<p><a href='/x' title='中华人民共和国政府信息公开条例'>条例</a></p>",
            )
            for i in range(5)
        ]  # fmt: skip
        for notice in notices[:3]:
            factories.attachment(notice, name=f"{notice.pk}号名单.xlsx", data=shared)
        factories.attachment(
            notices[1], name="说明.docx", data=make_docx("说明", ["临时救助对象审核情况"])
        )
        gone = factories.attachment(notices[3], name="表.xlsx", data=shared)
        gone.file.storage.delete(gone.file.name)
        for notice in notices:
            search.index_notice(notice)
        published_one_by_one = self.rows()
        self.assertIn("危房改造", published_one_by_one[notices[2].pk][-1])

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.TABLE}")
        out = io.StringIO()
        call_command("rebuild_search_index", "--chunk-size", "2", "--jobs", "2", stdout=out)
        self.assertEqual(self.rows(), published_one_by_one)
        call_command("rebuild_search_index", "--jobs", "1", stdout=out)  # over existing rows
        self.assertEqual(self.rows(), published_one_by_one)

    def test_rebuild_with_nothing_public(self) -> None:
        out = io.StringIO()
        call_command("rebuild_search_index", stdout=out)
        self.assertIn("search index: 0/0 (100%)", out.getvalue())


@override_settings(ROOT_URLCONF=__name__)
class QueryCountTests(SearchTestCase):
    def search_queries(self) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get("/search/", {"q": "低保 资金"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<mark>低保</mark>")
        return [query["sql"] for query in ctx.captured_queries]

    def add(self, count: int) -> None:
        orgs = (self.civil, self.finance, self.village)
        for i in range(count):
            self.publish(
                f"第{i}批低保资金发放情况", organization=orgs[i % 3], kind=Notice.Kind.FINANCE
            )

    def test_fixed_number_of_queries(self) -> None:
        """10 or 200 matches: the same few queries, and the match is evaluated once; asked
        again before anything is published, the ranking comes from the cache."""
        self.add(10)
        self.search_queries()  # the site's first request stores its public version row
        cache.clear()
        small_cold, small_warm = self.search_queries(), self.search_queries()
        self.add(190)
        cache.clear()
        large_cold, large_warm = self.search_queries(), self.search_queries()
        self.assertEqual(len(small_cold), len(large_cold))
        self.assertEqual(len(small_warm), len(large_warm))
        self.assertLessEqual(len(large_cold), 4, "\n".join(q[:120] for q in large_cold))
        self.assertLessEqual(len(large_warm), 3)
        matches = [[sql for sql in run if " MATCH " in sql or " @@ " in sql]
                   for run in (large_cold, large_warm)]  # fmt: skip
        self.assertEqual([len(m) for m in matches], [1, 0])

    def test_a_remembered_search_follows_publications(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.publish("第一份危房改造对象名单")
        first = self.client.get("/search/", {"q": "危房改造"}).context["result"]
        self.assertEqual(first.total, 1)
        with self.captureOnCommitCallbacks(execute=True):
            second = self.publish("第二份危房改造对象名单")
        again = self.client.get("/search/", {"q": "危房改造"}).context["result"]
        self.assertEqual(again.total, 2)
        with self.captureOnCommitCallbacks(execute=True):
            second.withdraw(self.olga, reason="名单有误")
        self.assertEqual(self.client.get("/search/", {"q": "危房改造"}).context["result"].total, 1)


class WorkflowTests(SearchTestCase):
    """The transitions keep the index current in their own transactions."""

    def approve_all(self, notice: Notice) -> None:
        notice.submit(self.alice)
        notice.approve(self.lena, confidentiality_confirmed=True)
        while notice.status == Notice.Status.SUBMITTED:
            notice.approve({"supervisor": self.sam, "leadership": self.gail}[notice.review_role])

    def test_publish_revise_and_withdraw(self) -> None:
        notice = factories.in_state(self, "published", title="低保对象名单公示")
        self.assertEqual(self.found("低保"), [notice.pk])
        revision = notice.start_revision(self.alice)
        revision.title = "特困供养对象名单公示"
        revision.save()
        self.approve_all(revision)
        self.assertEqual(self.found("特困"), [])  # approved is not published
        revision.publish(self.olga)
        self.assertEqual(self.found("特困"), [notice.pk])
        self.assertEqual(self.found("低保"), [])
        self.assertEqual(indexed_ids(), {notice.pk})  # never the revision itself
        notice.refresh_from_db()
        notice.withdraw(self.olga, reason="名单有误")
        self.assertEqual(self.found("特困"), [])
        self.assertEqual(indexed_ids(), set())

    def test_scheduled_publication(self) -> None:
        notice = factories.in_state(self, "approved", title="征地听证会公告")
        at = timezone.now() + timedelta(days=2)
        notice.publish(self.olga, at=at)
        self.assertEqual(self.found("征地"), [])
        self.assertEqual(self.found("征地", now=at + timedelta(minutes=1)), [notice.pk])
