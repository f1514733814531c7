"""The staff preview and the staff download: every person × every state, from one table.

The notice is 民政办's, filed under 预决算 (chain: the leader, then the supervision group).
Whoever may see it on the staff side (`permissions.can_view`) opens its preview and its
files in every state; for anyone else the notice does not exist: the same answer as an id
that was never used (404 for staff, the login page for whoever is not staff).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase

STATES = ["draft", "submitted@leader", "submitted@supervisor", "returned", "approved",
          "published", "withdrawn"]  # fmt: skip

LOGIN = "login"

# --- the table: the same in every state ------------------------------------------------
EXPECTED = {
    "alice": 200,  # clerk of 民政办: her department's notice
    "bob": 404,  # clerk of 财政所: another department's
    "lena": 200,  # leader of 民政办: the first step of its chain
    "fred": 404,  # leader of 财政所: not in this chain
    "olga": 200,  # publisher of 党政办: publishes the township's notices
    "sam": 200,  # supervision group: reads the whole township (the second step here)
    "gail": 200,  # leadership group: reads the whole township
    "pete": 404,  # publisher of 白沙镇: another township
    "resident": LOGIN,  # an account with no role: not staff, the staff side asks to log in
    "anonymous": LOGIN,
}

MISSING = 999_999


def cache_control(response) -> set[str]:
    """The directives (the admin's never_cache adds max-age=0, no-cache, must-revalidate)."""
    return {d.strip() for d in response["Cache-Control"].split(",")}


class StaffDownloadMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resident = get_user_model().objects.create_user("resident", password="x-pass-123")

    def login(self, person: str) -> None:
        self.client.logout()
        if person != "anonymous":
            self.client.force_login(getattr(self, person))

    def test_every_cell(self) -> None:
        cells = 0
        for state in STATES:
            notice = factories.in_state(self, state)
            attachment = factories.attachment(notice, name="低保名单.pdf")
            urls = {
                "preview": (reverse("admin:disclosure_notice_preview", args=[notice.pk]),
                            reverse("admin:disclosure_notice_preview", args=[MISSING])),
                "download": (
                    reverse("admin:disclosure_notice_attachment",
                            args=[notice.pk, attachment.pk]),
                    reverse("admin:disclosure_notice_attachment", args=[MISSING, attachment.pk]),
                ),
            }  # fmt: skip
            for person, want in EXPECTED.items():
                self.login(person)
                for view, (url, missing) in urls.items():
                    with self.subTest(person=person, state=state, view=view):
                        self.check_cell(self.client.get(url), self.client.get(missing), want)
                    cells += 1
        self.assertEqual(cells, 7 * 10 * 2)

    def check_cell(self, response, missing, want) -> None:
        if want == 200:
            self.assertEqual(response.status_code, 200)
            self.assertLessEqual({"private", "no-store"}, cache_control(response))
            return
        # Refused exactly as an id that does not exist is.
        self.assertEqual(response.status_code, missing.status_code)
        if want == LOGIN:
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/admin/login/"))
        else:
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("低保名单", response.content.decode())


class StaffDownloadTests(BaseTestCase):
    def setUp(self) -> None:
        self.notice = factories.in_state(self, "submitted@leader", title="2026年低保对象名单公示")
        self.attachment = factories.attachment(
            self.notice, name="低保名单.xlsx", data=b"PK\x03\x04 not really a workbook"
        )
        self.attachment.content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.attachment.save(update_fields=["content_type"])
        self.url = reverse(
            "admin:disclosure_notice_attachment", args=[self.notice.pk, self.attachment.pk]
        )

    def test_the_leader_downloads_the_file_with_the_public_downloads_headers(self) -> None:
        """Issue 10: the reviewer opens the 低保 list before signing, as a download only."""
        self.client.force_login(self.lena)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"PK\x03\x04 not really a workbook")
        self.assertEqual(response["Content-Type"], self.attachment.content_type)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn(quote("低保名单.xlsx"), response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertLessEqual({"private", "no-store"}, cache_control(response))

    def test_an_attachment_of_another_notice_is_not_found(self) -> None:
        other = factories.in_state(self, "draft", title="另一条")
        self.client.force_login(self.lena)
        url = reverse("admin:disclosure_notice_attachment", args=[other.pk, self.attachment.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_public_download_still_refuses_it(self) -> None:
        """The staff door does not open the public one: a notice in review stays 404 there."""
        self.client.force_login(self.lena)
        public = reverse("notice-attachment", args=[self.notice.pk, self.attachment.pk])
        self.assertEqual(self.client.get(public).status_code, 404)

    def test_only_get(self) -> None:
        self.client.force_login(self.lena)
        self.assertEqual(self.client.post(self.url).status_code, 405)


class PreviewTests(BaseTestCase):
    def setUp(self) -> None:
        self.notice = factories.in_state(
            self, "submitted@leader", title="2026年低保对象名单公示",
            body="<p>经村民代表会议评议，拟纳入低保对象如下。</p>",
        )  # fmt: skip
        self.attachment = factories.attachment(self.notice, name="低保名单.pdf")
        self.url = reverse("admin:disclosure_notice_preview", args=[self.notice.pk])

    def test_the_public_page_under_a_banner(self) -> None:
        self.client.force_login(self.lena)
        response = self.client.get(self.url)
        self.assertTemplateUsed(response, "disclosure/notice_detail.html")
        self.assertContains(response, "预览·尚未公开")
        self.assertContains(response, "当前状态：审核中")
        self.assertContains(response, "经村民代表会议评议")
        self.assertContains(response, "<h1>2026年低保对象名单公示</h1>", html=True)

    def test_attachment_links_go_to_the_staff_download(self) -> None:
        self.client.force_login(self.lena)
        page = self.client.get(self.url).content.decode()
        staff = reverse(
            "admin:disclosure_notice_attachment", args=[self.notice.pk, self.attachment.pk]
        )
        public = reverse("notice-attachment", args=[self.notice.pk, self.attachment.pk])
        self.assertIn(f'href="{staff}"', page)
        self.assertNotIn(f'href="{public}"', page)
        self.assertNotIn(self.attachment.file.name, page)  # never the storage path
        self.assertNotIn("/media", page)
        self.assertNotIn("None", page)  # a draft has no index number yet: said in words

    def test_a_public_notice_says_so(self) -> None:
        published = factories.in_state(self, "published", title="已公开的公告")
        self.client.force_login(self.sam)
        response = self.client.get(reverse("admin:disclosure_notice_preview", args=[published.pk]))
        self.assertContains(response, "预览·本信息已公开")
        self.assertContains(response, f'href="{published.get_absolute_url()}"')
        self.assertNotContains(response, "尚未公开")

    def test_a_preview_is_not_a_view(self) -> None:
        published = factories.in_state(self, "published")
        self.client.force_login(self.olga)
        self.client.get(reverse("admin:disclosure_notice_preview", args=[published.pk]))
        published.refresh_from_db()
        self.assertEqual(published.views, 0)

    def test_withdrawn_and_scheduled(self) -> None:
        self.client.force_login(self.olga)
        withdrawn = factories.in_state(self, "withdrawn")
        page = self.client.get(reverse("admin:disclosure_notice_preview", args=[withdrawn.pk]))
        self.assertContains(page, "已撤回")
        scheduled = factories.in_state(self, "approved", title="定时发布的公告")
        scheduled.publish(self.olga, at=timezone.now() + timedelta(days=2))
        page = self.client.get(reverse("admin:disclosure_notice_preview", args=[scheduled.pk]))
        self.assertContains(page, "已定时发布")
        self.assertEqual(Notice.objects.get(pk=scheduled.pk).status, "published")
