"""Only published, proactively disclosed notices whose time has come reach the public.

Every non-public state is tried against every public URL, attachments included,
and a hidden notice must answer exactly like an id that does not exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase

REASON = "涉及个人隐私，依据《条例》第十五条不予公开"

# name → fields for factories.notice
NON_PUBLIC = {
    "draft": {"published": False, "status": Notice.Status.DRAFT},
    "submitted": {"published": False, "status": Notice.Status.SUBMITTED},
    "returned": {"published": False, "status": Notice.Status.RETURNED},
    "approved": {"published": False, "status": Notice.Status.APPROVED},
    "withdrawn": {"status": Notice.Status.WITHDRAWN},
    "future publish time": {"published_at": timezone.now() + timedelta(days=3)},
    "on application": {
        "disclosure_mode": Notice.Mode.ON_APPLICATION,
        "non_disclosure_reason": REASON,
    },
    "not disclosed": {
        "disclosure_mode": Notice.Mode.NOT_DISCLOSED,
        "non_disclosure_reason": REASON,
    },
}


class VisibilityTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.public = factories.notice(
            cls.civil, title="公开的低保名单公示", catalog="key-areas/social-assistance"
        )
        cls.public_file = factories.attachment(cls.public, name="公开名册.pdf")
        cls.hidden = {}
        for i, (name, fields) in enumerate(NON_PUBLIC.items()):
            n = factories.notice(
                cls.civil, title=f"隐藏通知{i}号", catalog="key-areas/social-assistance", **fields
            )
            cls.hidden[name] = (n, factories.attachment(n, name=f"隐藏附件{i}.pdf"))

    def pages(self) -> list[str]:
        return [
            reverse("home"),
            reverse("notice-list"),
            reverse("notice-list") + "?q=隐藏",
            reverse("catalog-index"),
            reverse("catalog-node", args=["key-areas"]),
            reverse("catalog-node", args=["key-areas/social-assistance"]),
            "/org/qinglan/",
            "/org/qinglan/notices/",
            "/org/qinglan-civil/catalog/key-areas/social-assistance/",
        ]

    def test_the_public_notice_is_everywhere(self) -> None:
        """The control case: the public notice is listed, readable and downloadable."""
        for url in self.pages()[:2] + self.pages()[4:]:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "公开的低保名单公示")
        self.assertEqual(self.client.get(self.public.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(self.public_file.get_absolute_url()).status_code, 200)

    def test_hidden_notices_are_listed_nowhere(self) -> None:
        """No list, catalog page or home page names a non-public notice."""
        for url in self.pages():
            body = self.client.get(url).content.decode()
            for name, (notice, _file) in self.hidden.items():
                with self.subTest(url=url, state=name):
                    self.assertNotIn(notice.title, body)

    def test_hidden_notices_are_not_counted(self) -> None:
        """Catalog counts count only public notices (1 here, not 9)."""
        response = self.client.get(reverse("catalog-node", args=["key-areas/social-assistance"]))
        self.assertEqual(response.context["item"].count, 1)
        self.assertEqual(response.context["page_obj"].paginator.count, 1)

    def test_hidden_notice_and_its_attachment_are_404_like_a_missing_id(self) -> None:
        """Detail and download answer exactly as for an id that never existed."""
        for prefix in ("", "/org/qinglan"):
            missing_detail_url = reverse("notice-detail", args=[999999])
            missing_file_url = reverse("notice-attachment", args=[999999, 999999])
            missing_detail = self.client.get(prefix + missing_detail_url)
            missing_file = self.client.get(prefix + missing_file_url)
            self.assertEqual(missing_detail.status_code, 404)
            for name, (notice, attachment) in self.hidden.items():
                with self.subTest(state=name, prefix=prefix):
                    detail = self.client.get(prefix + notice.get_absolute_url())
                    download = self.client.get(prefix + attachment.get_absolute_url())
                    self.assertEqual(download.status_code, 404)
                    # Identical but for the address the visitor typed (echoed in a link).
                    self.assertEqual(
                        download.content.replace(attachment.get_absolute_url().encode(), b"X"),
                        missing_file.content.replace(missing_file_url.encode(), b"X"),
                    )
                    if name == "withdrawn":  # keeps its page: 410 with the reason (issue 3)
                        self.assertEqual(detail.status_code, 410)
                        continue
                    self.assertEqual(detail.status_code, 404)
                    self.assertEqual(
                        detail.content.replace(notice.get_absolute_url().encode(), b"X"),
                        missing_detail.content.replace(missing_detail_url.encode(), b"X"),
                    )

    def test_attachment_of_a_public_notice_under_another_notice_id_is_404(self) -> None:
        """A public file cannot be reached through a hidden notice's URL, or vice versa."""
        hidden_notice, hidden_file = self.hidden["draft"]
        url = reverse("notice-attachment", args=[hidden_notice.pk, self.public_file.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("notice-attachment", args=[self.public.pk, hidden_file.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_future_notice_appears_when_its_time_comes(self) -> None:
        """Publishing later needs no job: the time alone decides."""
        notice, _ = self.hidden["future publish time"]
        self.assertFalse(Notice.objects.published().filter(pk=notice.pk).exists())
        later = timezone.now() + timedelta(days=4)
        self.assertTrue(Notice.objects.published(now=later).filter(pk=notice.pk).exists())
        self.assertTrue(notice.is_published(now=later))

    def test_notices_of_another_township_are_outside_its_scope(self) -> None:
        """/org/<township>/ shows only that township's notices; other ids are 404 there."""
        other = factories.notice(
            self.other_civil, title="白沙镇临时救助公示", catalog="key-areas/social-assistance"
        )
        self.assertContains(self.client.get("/org/baisha/notices/"), "白沙镇临时救助公示")
        self.assertNotContains(self.client.get("/org/qinglan/notices/"), "白沙镇临时救助公示")
        self.assertEqual(self.client.get(f"/org/qinglan/notices/{other.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/org/nowhere/notices/").status_code, 404)
        # The county site lists both.
        self.assertContains(self.client.get("/notices/"), "白沙镇临时救助公示")
