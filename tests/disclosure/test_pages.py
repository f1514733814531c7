"""What the public notice pages say: metadata, meta tags, links, QR code, downloads."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Notice
from portal import public
from tests import factories
from tests.base import BaseTestCase

SHANGHAI = ZoneInfo("Asia/Shanghai")


class NoticeDetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.policy = factories.notice(
            cls.civil,
            title="青岚镇临时救助实施办法",
            catalog="documents/normative",
            document_number="青政发〔2026〕3号",
            written_date=date(2026, 2, 27),
            published_at=datetime(2026, 3, 2, 9, 5, tzinfo=SHANGHAI),
            body="<p>第一条　为规范临时救助工作，制定本办法。</p>",
        )
        cls.reading = factories.notice(
            cls.civil,
            title="《青岚镇临时救助实施办法》政策解读",
            catalog="documents/interpretations",
            kind=Notice.Kind.INTERPRETATION,
            interprets=cls.policy,
        )
        cls.old = factories.notice(
            cls.civil,
            title="青岚镇临时救助暂行办法（2020年）",
            catalog="documents/normative",
            validity=Notice.Validity.REPEALED,
            validity_changed_on=date(2026, 3, 2),
            superseded_by=cls.policy,
        )
        cls.file = factories.attachment(
            cls.policy, name="临时救助申请表.pdf", data=b"%PDF-1.4 application form"
        )

    def test_metadata_table(self) -> None:
        """索引号, 发布机构, 文号, 成文日期, 发布日期 (YYYY-MM-DD HH:MM), 主题分类, 有效性."""
        response = self.client.get(self.policy.get_absolute_url())
        for label, value in [
            ("索引号", self.policy.index_number),
            ("发布机构", "青岚镇民政办公室"),
            ("文号", "青政发〔2026〕3号"),
            ("成文日期", "2026-02-27"),
            ("发布日期", "2026-03-02 09:05"),
            ("主题分类", "规范性文件"),
            ("有效性", "有效"),
        ]:
            with self.subTest(label=label):
                self.assertContains(response, f'<th scope="row">{label}</th>')
                self.assertContains(response, value)
        self.assertContains(response, "第一条　为规范临时救助工作")

    def test_government_website_meta_tags(self) -> None:
        response = self.client.get(self.policy.get_absolute_url())
        for tag in [
            '<meta name="SiteName" content="云溪县政务公开">',
            '<meta name="SiteDomain" content="www.yunxi.example.gov.cn">',
            '<meta name="SiteIDCode" content="3509250017">',
            '<meta name="ColumnName" content="规范性文件">',
            '<meta name="ArticleTitle" content="青岚镇临时救助实施办法">',
            '<meta name="PubDate" content="2026-03-02 09:05">',
            '<meta name="ContentSource" content="青岚镇民政办公室">',
        ]:
            with self.subTest(tag=tag):
                self.assertContains(response, tag, html=False)

    def test_policy_and_interpretation_link_both_ways(self) -> None:
        policy_page = self.client.get(self.policy.get_absolute_url())
        self.assertContains(policy_page, "本文件的政策解读")
        self.assertContains(policy_page, f'href="{self.reading.get_absolute_url()}"')
        reading_page = self.client.get(self.reading.get_absolute_url())
        self.assertContains(reading_page, "本文解读的文件")
        self.assertContains(reading_page, f'href="{self.policy.get_absolute_url()}"')

    def test_links_to_hidden_notices_are_not_shown(self) -> None:
        """A draft interpretation is not announced on the public policy page."""
        draft = factories.notice(
            self.civil,
            title="尚未发布的解读",
            published=False,
            kind=Notice.Kind.INTERPRETATION,
            interprets=self.policy,
            catalog="documents/interpretations",
        )
        self.assertNotContains(self.client.get(self.policy.get_absolute_url()), draft.title)

    def test_repealed_document_says_so_and_links_the_new_one(self) -> None:
        response = self.client.get(self.old.get_absolute_url())
        self.assertContains(response, "本文件已于2026-03-02废止")
        self.assertContains(response, f'href="{self.policy.get_absolute_url()}"')
        self.assertContains(self.client.get(self.policy.get_absolute_url()), "本文件替代的文件")

    def test_qr_code_links_to_the_page(self) -> None:
        response = self.client.get(self.policy.get_absolute_url())
        self.assertContains(response, "<svg")
        self.assertContains(response, "本页二维码")
        self.assertContains(response, "手机扫码打开本页")

    def test_views_are_counted(self) -> None:
        self.client.get(self.policy.get_absolute_url())
        self.client.get(self.policy.get_absolute_url())
        self.policy.refresh_from_db()
        self.assertEqual(self.policy.views, 2)

    def test_attachment_is_listed_and_downloads_safely(self) -> None:
        """Chinese file name in Content-Disposition, the right type, nosniff, no rendering."""
        page = self.client.get(self.policy.get_absolute_url())
        self.assertContains(page, "临时救助申请表")
        response = self.client.get(self.file.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 application form")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", response["Content-Security-Policy"])
        self.assertEqual(
            response["Content-Disposition"],
            "attachment; filename*=utf-8''%E4%B8%B4%E6%97%B6%E6%95%91%E5%8A%A9%E7%94%B3%E8%AF%B7"
            "%E8%A1%A8.pdf",
        )


class QueryCountTests(BaseTestCase):
    """Each public page makes a fixed number of queries, for 10 notices as for 1,000.

    - The first visit after a change (cold) computes the counts and choices the public
      version keeps (portal.public); every later visit (warm) makes at most 3 queries.
    - The whole-page cache is off here (tests/conftest.py): these are page-cache misses.
    - Views are counted in batches, as in production (not one write per view).
    """

    def setUp(self) -> None:
        self.enterContext(override_settings(VIEW_COUNT_FLUSH_SECONDS=3600))

    def count_queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(ctx.captured_queries)

    def add_notices(self, n: int) -> None:
        """`n` more public notices in two organisations, in bulk (no signals: bumped here)."""
        now = timezone.now()
        node = factories.node("key-areas/social-assistance")
        start = Notice.objects.count()
        Notice.objects.bulk_create(
            Notice(
                title=f"公告{start + i}", summary="摘要", body="<p>正文</p>", catalog_node=node,
                organization=self.civil if i % 2 else self.finance,
                status=Notice.Status.PUBLISHED, published_at=now - timedelta(minutes=start + i),
                index_number=f"TEST/{start + i:06d}", confidentiality_reviewed_at=now,
            )
            for i in range(n)
        )  # fmt: skip
        public.bump()

    def measure(self, urls: list[str]) -> tuple[dict, dict]:
        cache.clear()
        cold = {url: self.count_queries(url) for url in urls}
        warm = {url: self.count_queries(url) for url in urls}
        return cold, warm

    def test_query_counts_do_not_grow(self) -> None:
        target = factories.notice(self.civil, title="目标", catalog="key-areas/social-assistance")
        factories.attachment(target)
        plain = factories.notice(self.civil, title="无附件", catalog="key-areas/social-assistance")
        self.add_notices(8)
        urls = [
            reverse("home"),
            reverse("notice-list"),
            reverse("notice-list") + "?page=last",  # page 50 of 1,000 reads ids first
            reverse("notice-list") + "?kind=document",
            reverse("catalog-index"),
            reverse("catalog-node", args=["key-areas"]),
            target.get_absolute_url(),
            plain.get_absolute_url(),
            reverse("guide"),
            "/org/qinglan/notices/",
            reverse("search") + "?q=公告",
        ]
        self.assertEqual(Notice.objects.published().count(), 10)
        cold_10, warm_10 = self.measure(urls)
        self.add_notices(990)
        self.assertEqual(Notice.objects.published().count(), 1000)
        cold_1000, warm_1000 = self.measure(urls)
        self.assertEqual(cold_10, cold_1000)
        self.assertEqual(warm_10, warm_1000)
        for url, n in warm_1000.items():
            self.assertLessEqual(n, 3, url)
        # As measured; lower them, don't raise them.
        self.assertEqual(warm_1000[reverse("notice-list")], 2)  # version, rows
        self.assertEqual(warm_1000[plain.get_absolute_url()], 2)  # version, notice
        self.assertEqual(warm_1000[target.get_absolute_url()], 3)  # + its attachment
        # The page really shows 1,000 notices, counted from the cache.
        response = self.client.get(reverse("notice-list"))
        self.assertContains(response, "1000")
        self.assertEqual(response.context["paginator"].count, 1000)
