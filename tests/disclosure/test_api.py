"""The open-data API: public notices and catalog only, paginated, filtered, described."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.base import BaseTestCase


class ApiTests(BaseTestCase):
    def setUp(self) -> None:
        self.public = factories.notice(self.civil, title="2026年低保标准调整的通知",
                                       catalog="key-areas/social-assistance",
                                       document_number="青政发〔2026〕3号")  # fmt: skip
        factories.attachment(self.public, name="标准表.pdf")
        self.hidden = factories.notice(self.civil, title="草稿", published=False)

    def test_list_shows_public_notices_with_metadata(self) -> None:
        data = self.client.get("/api/notices/").json()
        self.assertEqual(data["count"], 1)
        item = data["results"][0]
        self.assertEqual(item["title"], "2026年低保标准调整的通知")
        self.assertEqual(item["index_number"], self.public.index_number)
        self.assertEqual(item["catalog"]["path"], "key-areas/social-assistance")
        self.assertEqual(item["organization"]["name"], "青岚镇民政办公室")
        self.assertTrue(item["url"].endswith(f"/notices/{self.public.pk}/"))

    def test_detail_and_hidden_notices(self) -> None:
        data = self.client.get(f"/api/notices/{self.public.pk}/").json()
        self.assertEqual(data["document_number"], "青政发〔2026〕3号")
        self.assertEqual(data["attachments"][0]["file_name"], "标准表.pdf")
        self.assertEqual(self.client.get(f"/api/notices/{self.hidden.pk}/").status_code, 404)

    def test_filters_pagination_and_bad_input(self) -> None:
        for i in range(25):
            factories.notice(self.finance, title=f"预算公开{i}", catalog="finance/budget")
        data = self.client.get("/api/notices/", {"page_size": 10, "kind": "document"}).json()
        self.assertEqual(data["count"], 26)
        self.assertEqual(len(data["results"]), 10)
        self.assertIn("page=2", data["next"])
        node = factories.node("finance").pk
        self.assertEqual(self.client.get("/api/notices/", {"catalog": node}).json()["count"], 25)
        bad = self.client.get("/api/notices/", {"kind": "nonsense"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("kind", bad.json()["errors"])

    def test_queries_do_not_grow_with_the_page(self) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get("/api/notices/", {"page_size": 50})
            return len(ctx.captured_queries)

        count()  # the first visit after a change computes the count (portal.public)
        small = count()
        for i in range(30):
            factories.notice(self.finance, title=f"公告{i}")
        count()
        self.assertEqual(count(), small)
        self.assertLessEqual(small, 3)

    def test_catalog_and_schema(self) -> None:
        tree = self.client.get("/api/catalog/").json()["catalog"]
        key_areas = next(n for n in tree if n["path"] == "key-areas")
        self.assertEqual(key_areas["count"], 1)
        assistance = next(c for c in key_areas["children"]
                          if c["path"] == "key-areas/social-assistance")  # fmt: skip
        self.assertEqual(assistance["duty"]["deadline_working_days"], 10)
        schema = self.client.get("/api/schema/").json()
        self.assertEqual(schema["openapi"], "3.1.0")
        self.assertEqual(set(schema["paths"]), {"/notices/", "/notices/{id}/", "/catalog/"})
