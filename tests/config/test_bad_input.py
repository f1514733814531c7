"""Crafted URLs and form values: ids outside the database's range are 404 (portal.converters),
NUL and bytes that are not UTF-8 are 400 with the portal's page (config.middleware)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from portal.converters import MAX_ID, DatabaseIdConverter
from tests import factories
from tests.base import BaseTestCase


class DatabaseIdConverterTests(BaseTestCase):
    def test_the_range_of_a_big_auto_field(self) -> None:
        converter = DatabaseIdConverter()
        self.assertEqual(converter.to_python(str(MAX_ID)), 2**63 - 1)
        with self.assertRaises(ValueError):
            converter.to_python(str(MAX_ID + 1))
        self.assertEqual(reverse("notice-detail", args=[MAX_ID]), f"/notices/{MAX_ID}/")
        for bad in (0, -1, MAX_ID + 1):
            with self.subTest(bad=bad), self.assertRaises(NoReverseMatch):
                reverse("notice-detail", args=[bad])

    def test_ids_outside_the_range_are_the_404_page(self) -> None:
        notice = factories.notice(self.civil, title="范围内的通知")
        self.assertEqual(self.client.get(f"/notices/{notice.pk}/").status_code, 200)
        for segment in (str(2**63), str(2**64), "9" * 40, "0", "-1", f"0{notice.pk}"):
            for url in (f"/notices/{segment}/", f"/notices/{notice.pk}/attachments/{segment}/",
                        f"/notices/{segment}/attachments/1/", f"/api/notices/{segment}/",
                        f"/apply/files/{segment}/"):  # fmt: skip
                with self.subTest(url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 404)
        self.assertContains(self.client.get(f"/notices/{2**63}/"), "页面不存在", status_code=404)


class UnreadableInputTests(BaseTestCase):
    def assert_refused(self, response) -> None:
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "无法识别这个网址", status_code=400)
        self.assertContains(response, 'class="site-header"', status_code=400)  # the portal's page
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("object-src 'none'", response["Content-Security-Policy"])

    def test_nul_and_invalid_utf8_in_a_query_string(self) -> None:
        for query in ("q=a%00b", "q=%ff", "q=%c0%af", "page=1&q=%e4%bd", "a%00=1", "q=a\x00b"):
            with self.subTest(query=query):
                self.assert_refused(self.client.get(f"/apply/suggest/?{query}"))
        self.assert_refused(self.client.get("/search/", {"q": "低保\x00"}))

    def test_readable_queries_pass(self) -> None:
        factories.notice(self.civil, title="关于低保名单的公示")
        response = self.client.get("/apply/suggest/", {"q": "低保 名单"})
        self.assertEqual(response.json()["results"][0]["title"], "关于低保名单的公示")
        self.assertEqual(self.client.get("/search/?q=%E4%BD%8E%E4%BF%9D+%2B%25").status_code, 200)

    def test_a_form_value(self) -> None:
        self.assert_refused(self.client.post("/apply/", {"name": "张\x00三"}))
        self.assert_refused(
            self.client.post(
                "/apply/", "name=%ff", content_type="application/x-www-form-urlencoded"
            )
        )
        self.client.force_login(self.alice)
        self.assert_refused(self.client.post("/admin/disclosure/notice/add/", {"title": "a\x00"}))

    def test_a_multipart_field_but_not_a_file_with_nul_bytes(self) -> None:
        upload = SimpleUploadedFile("名单.pdf", b"%PDF-1.4\x00\x00binary")
        self.assert_refused(self.client.post("/apply/", {"name": "张\x00三", "f": upload}))
        upload.seek(0)
        response = self.client.post("/apply/", {"name": "张三", "f": upload})
        self.assertNotEqual(response.status_code, 400)

    @override_settings(PORTAL_FRAME_ANCESTORS=["https://www.yunxi.gov.cn"])
    def test_the_400_page_follows_the_framing_setting(self) -> None:
        response = self.client.get("/notices/?q=%00")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("X-Frame-Options", response)

    def test_djangos_own_400_uses_the_styled_page_too(self) -> None:
        """A request Django refuses itself (too many fields, an unknown host) renders
        templates/400.html: in Chinese, and without reading the request again (a 500)."""
        # The test client re-raises what Django logged as suspicious; a server does not.
        self.client.raise_request_exception = False
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3):
            response = self.client.get("/notices/?a=1&b=2&c=3&d=4")
        self.assertContains(response, "无法处理这个请求", status_code=400)
        response = self.client.get("/notices/", HTTP_HOST="evil.example")  # DisallowedHost
        self.assertContains(response, "无法处理这个请求", status_code=400)
