"""A clerk attaches a file over the cap in a real browser: the upload stops at the cap
(config.limits) and the browser shows the 413 page, in Chinese, in the portal's look;
nothing is stored. axe-core on the page; a screenshot to look at."""

from __future__ import annotations

import io

import pytest

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.test import override_settings

from catalog.models import Organization
from disclosure.models import Attachment
from tests import factories
from tests.base import LiveDataMixin

from .staff import StaffBrowserMixin

MB = 1024 * 1024


@pytest.mark.browser
@override_settings(ATTACHMENT_MAX_BYTES=MB, IMAGE_MAX_BYTES=MB // 2)
class BodyLimitPageTests(StaffBrowserMixin, LiveDataMixin, StaticLiveServerTestCase):
    screenshot_prefix = "body-limit"

    def test_an_attachment_over_the_cap_gets_the_413_page(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        clerk = get_user_model().objects.get(username="clerk")
        notice = factories.notice(Organization.objects.get(short_name="民政办"), published=False,
                                  title="青岚镇2026年12月城乡低保对象名单公示",
                                  created_by=clerk)  # fmt: skip
        before = Attachment.objects.count()
        page = self.login("clerk", 1280)
        page.goto(f"{self.live_server_url}/admin/disclosure/notice/{notice.pk}/change/")
        big = b"%PDF-1.4\n" + b"0" * (3 * MB)
        page.locator("input[type=file]").first.set_input_files(
            {"name": "全年名单.pdf", "mimeType": "application/pdf", "buffer": big}
        )
        with page.expect_navigation():
            page.locator("input[name=_save]").click()
        assert page.locator("h1").inner_text() == "提交的内容过大"
        assert "单个文件最大 1.0\xa0MB" in page.locator(".error-page").inner_text()
        assert page.locator(".error-links a", has_text="返回我的待办").count() == 1
        self.check(page, "staff-413")
        assert Attachment.objects.count() == before
        self.assert_no_violations()
