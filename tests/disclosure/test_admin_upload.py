"""Uploading through the staff side: bad files are refused in Chinese and leave nothing behind."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Attachment, Notice
from tests import factories
from tests.base import BaseTestCase


def form_data(**extra) -> dict:
    data = {
        "title": "2026年高龄津贴发放名单公示",
        "summary": "",
        "body": "<p>正文</p>",
        "kind": "publicity",
        "catalog_node": factories.node("key-areas/livelihood-funds").pk,
        "validity": "in_force",
        "disclosure_mode": "proactive",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-title": "名单",
        "attachments-0-position": "0",
    }
    data.update(extra)
    return data


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class AdminUploadTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)  # clerk of 民政办
        self.before = set(stored_files())

    def post(self, upload) -> object:
        data = form_data(organization=self.civil.pk, **{"attachments-0-file": upload})
        return self.client.post("/admin/disclosure/notice/add/", data)

    def test_html_renamed_jpg_is_refused_and_nothing_is_stored(self) -> None:
        response = self.post(SimpleUploadedFile("名单.jpg", b"<html><script>alert(1)</script>"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "该文件的内容都不是 PDF、Word、Excel、OFD、JPEG 或 PNG 文件")
        self.assertContains(response, 'value="2026年高龄津贴发放名单公示"')  # what was typed stays
        self.assertFalse(Notice.objects.filter(title__startswith="2026年高龄").exists())
        self.assertEqual(set(stored_files()), self.before)

    def test_empty_file_is_refused(self) -> None:
        response = self.post(SimpleUploadedFile("名单.pdf", b""))
        self.assertContains(response, "所提交的是空文件")  # Django's own check comes first
        self.assertEqual(set(stored_files()), self.before)

    def test_good_image_is_stored_reencoded_under_a_server_name(self) -> None:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
        payload = buffer.getvalue() + b"<html><script>alert(1)</script></html>"
        response = self.post(SimpleUploadedFile("../../现场照片\u202e.png", payload))
        self.assertEqual(response.status_code, 302)
        attachment = Attachment.objects.get(notice__title__startswith="2026年高龄")
        self.assertEqual(attachment.original_name, "现场照片.png")
        self.assertEqual(attachment.content_type, "image/png")
        stored = Path(attachment.file.path)
        self.assertRegex(stored.name, r"^[0-9a-f]{32}\.png$")
        self.assertNotIn(b"<html", stored.read_bytes())
        self.assertEqual(attachment.size, stored.stat().st_size)
