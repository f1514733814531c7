"""Feeds, sitemap, CSV and the large-print mode: public notices only, Chinese intact."""

from __future__ import annotations

import csv
import io

from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase


class ChannelTests(BaseTestCase):
    def setUp(self) -> None:
        self.public = factories.notice(self.civil, title="2026年第三季度低保名单公示",
                                       catalog="key-areas/social-assistance")  # fmt: skip
        self.draft = factories.notice(self.civil, title="未发布的草稿", published=False,
                                      catalog="key-areas/social-assistance")  # fmt: skip
        self.formula = factories.notice(self.civil, title="=HYPERLINK(\"http://x\")",
                                        catalog="key-areas/social-assistance")  # fmt: skip

    def test_feeds_list_public_notices_only(self) -> None:
        for url in ["/feeds/notices/rss/", "/feeds/notices/atom/",
                    "/feeds/catalog/key-areas/atom/", "/feeds/catalog/key-areas/rss/",
                    "/feeds/org/qinglan-civil/atom/", "/feeds/org/qinglan/rss/"]:  # fmt: skip
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertIn("2026年第三季度低保名单公示", body)
                self.assertNotIn("未发布的草稿", body)
        self.assertNotContains(self.client.get("/feeds/org/baisha/atom/"), "低保名单")
        self.assertEqual(self.client.get("/feeds/org/nowhere/atom/").status_code, 404)

    def test_sitemap_lists_public_notices_only(self) -> None:
        index = self.client.get("/sitemap.xml")
        self.assertContains(index, "sitemap-notices.xml")
        notices = self.client.get("/sitemap-notices.xml").content.decode()
        self.assertIn(f"/notices/{self.public.pk}/", notices)
        self.assertNotIn(f"/notices/{self.draft.pk}/", notices)

    def test_csv_of_a_catalog_node(self) -> None:
        response = self.client.get("/catalog/key-areas/export.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = b"".join(response.streaming_content).decode("utf-8")
        self.assertTrue(text.startswith("\ufeff索引号,标题"))
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        titles = [row[1] for row in rows[1:]]
        self.assertIn("2026年第三季度低保名单公示", titles)
        self.assertNotIn("未发布的草稿", titles)
        self.assertIn('\'=HYPERLINK("http://x")', titles)  # never a live formula
        self.assertEqual(rows[1][6], "有效")

    def test_large_print_mode_is_remembered(self) -> None:
        page = self.client.get("/notices/")
        self.assertContains(page, "长辈版（大字）")
        self.assertNotContains(page, 'class="elder"')
        response = self.client.get("/display/", {"mode": "elder", "next": "/notices/"})
        self.assertEqual(response["Location"], "/notices/")
        for url in ["/", "/notices/", f"/notices/{self.public.pk}/"]:
            with self.subTest(url=url):
                page = self.client.get(url)
                self.assertContains(page, '<body class="elder">')
                self.assertContains(page, "标准版")
        self.client.get("/display/", {"mode": "standard", "next": "/"})
        self.assertNotContains(self.client.get("/"), 'class="elder"')
        evil = self.client.get("/display/", {"mode": "elder", "next": "https://evil.example/"})
        self.assertEqual(evil["Location"], "/")

    def test_the_count_of_public_notices_is_unchanged(self) -> None:
        self.assertEqual(Notice.objects.published().count(), 2)
