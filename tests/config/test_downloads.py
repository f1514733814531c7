"""Every file the portal serves leaves as a download with the same headers (issue 12,
item 8; security.md test figure 23): attachment, the Chinese name in RFC 5987 form, the
type the server determined, nosniff, a CSP that forbids everything; private and
no-store for what one person may read. One helper: portal.downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.core.files.base import ContentFile
from django.urls import reverse

from applications import handling
from applications.models import Outcome, ReplyFile
from applications.views import TRACKED_KEY
from portal.downloads import SANDBOX, file_download
from tests import factories
from tests.applications.test_handling import application
from tests.applications.test_record_correction import png, request
from tests.base import BaseTestCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


class DownloadHeaderTests(BaseTestCase):
    def setUp(self) -> None:
        self.notice = factories.notice(self.civil, title="2026年低保对象名单公示")
        self.draft = factories.notice(self.civil, title="草稿", published=False)
        self.attachment = factories.attachment(self.notice, name="低保名单.pdf")
        self.draft_file = factories.attachment(self.draft, name="草稿附件.pdf")
        self.answered = application(self.township)
        handling.confirm_receipt(self.answered, by=self.olga, on=self.answered.submitted_at.date())
        handling.close(self.answered, by=self.olga, outcome=Outcome.DISCLOSED, details="见附件。")
        # A reply file whose bytes are HTML: the type stored at upload is what is sent.
        self.reply = ReplyFile.objects.create(
            application=self.answered, file=ContentFile(HTML, name="x.pdf"),
            original_name="答复附件.pdf", extension="pdf", content_type="application/pdf",
            size=len(HTML),
        )  # fmt: skip
        self.correction = request(self.township)
        self.correction.evidence_file = png()
        self.correction.evidence_name, self.correction.evidence_extension = "户口簿.png", "png"
        self.correction.evidence_type = "image/png"
        self.correction.save()

    def downloads(self):
        """(name, response, content type, file name, private) for each way a file leaves."""
        yield ("public attachment",
               self.client.get(reverse("notice-attachment",
                                       args=[self.notice.pk, self.attachment.pk])),
               "application/pdf", "低保名单.pdf", False)  # fmt: skip
        session = self.client.session
        session[TRACKED_KEY] = self.answered.pk
        session.save()
        yield ("resident's reply file",
               self.client.get(reverse("application-file", args=[self.reply.pk])),
               "application/pdf", "答复附件.pdf", True)  # fmt: skip
        self.client.force_login(self.olga)
        yield ("staff preview attachment",
               self.client.get(reverse("admin:disclosure_notice_attachment",
                                       args=[self.draft.pk, self.draft_file.pk])),
               "application/pdf", "草稿附件.pdf", True)  # fmt: skip
        yield ("staff reply file",
               self.client.get(reverse("admin:applications_reply_file",
                                       args=[self.answered.pk, self.reply.pk])),
               "application/pdf", "答复附件.pdf", True)  # fmt: skip
        yield ("staff export",
               self.client.get("/admin/applications/application/export/"),
               XLSX, "applications.xlsx", True)  # fmt: skip
        yield ("evidence file",
               self.client.get(reverse("admin:applications_recordcorrection_evidence",
                                       args=[self.correction.pk])),
               "image/png", "户口簿.png", True)  # fmt: skip

    def test_every_file_leaves_with_the_same_headers(self) -> None:
        seen = 0
        for name, response, content_type, filename, private in self.downloads():
            with self.subTest(download=name):
                self.assertEqual(response.status_code, 200)
                disposition = response["Content-Disposition"]
                self.assertTrue(disposition.startswith("attachment;"), disposition)
                if filename.isascii():
                    self.assertIn(f'filename="{filename}"', disposition)
                else:
                    self.assertIn(f"filename*=utf-8''{quote(filename)}", disposition)
                self.assertEqual(response["Content-Type"], content_type)
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Content-Security-Policy"], SANDBOX)
                if private:
                    self.assertLessEqual({"private", "no-store"}, directives(response))
                else:
                    self.assertNotIn("private", directives(response))
                seen += 1
        self.assertEqual(seen, 6)

    def test_the_bytes_are_the_files(self) -> None:
        downloads = {name: response for name, response, *_ in self.downloads()}
        self.assertEqual(b"".join(downloads["resident's reply file"].streaming_content), HTML)
        self.assertEqual(downloads["staff export"].content[:2], b"PK")

    def test_a_reply_file_is_the_applicants_after_the_code_only(self) -> None:
        url = reverse("application-file", args=[self.reply.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class HelperTests(BaseTestCase):
    def test_a_header_cannot_be_added_through_the_file_name(self) -> None:
        for body in (b"x", ContentFile(b"x")):
            response = file_download(body, filename='a"\r\nSet-Cookie: x=1.txt')
            with self.subTest(kind=type(body).__name__):
                self.assertNotIn("\n", response["Content-Disposition"])
                self.assertFalse(response.has_header("Set-Cookie"))
                self.assertEqual(response["Content-Type"], "application/octet-stream")
