"""The notice's change form in a real browser (issue 10): the clerk previews a draft, opens
its attachment and submits; the leader, on a 360 px phone, sees the state and the buttons
at the top, opens the attachment and approves; the office returns it and the clerk, on a
phone, reads why at the top. axe-core on every page visited; the page itself never
scrolls sideways on the phone; screenshots to look at."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from catalog.models import Organization
from disclosure.models import Notice
from tests import factories
from tests.base import LiveDataMixin

from .staff import StaffBrowserMixin

TITLE = "青岚镇2026年12月城乡低保对象名单公示"
BODY = "<p>经村民代表会议评议、镇人民政府审核，拟纳入城乡最低生活保障对象如下，公示期7天。</p>"
PDF = b"%PDF-1.4\n% the 2026 December list\n"


@pytest.mark.browser
class StaffNoticeInBrowserTests(StaffBrowserMixin, LiveDataMixin, StaticLiveServerTestCase):
    screenshot_prefix = "staff-notice"

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        clerk = get_user_model().objects.get(username="clerk")  # 李秀梅, 民政办
        self.notice = factories.notice(
            Organization.objects.get(short_name="民政办"), published=False, title=TITLE,
            body=BODY, summary="12月拟纳入城乡低保对象名单（个人信息已脱敏）。", kind="publicity",
            catalog="key-areas/livelihood-funds",
            created_by=clerk,
        )  # fmt: skip
        factories.attachment(self.notice, name="12月低保对象名单.pdf", data=PDF)
        self.change = f"/admin/disclosure/notice/{self.notice.pk}/change/"
        self.found: dict[str, list] = {}

    def download(self, page, selector: str) -> tuple[str, bytes]:
        with page.expect_download() as info:
            page.locator(selector).first.click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    def test_clerk_previews_and_submits_leader_approves_on_a_phone(self) -> None:
        # The clerk: the add form (its attachment inputs are labelled), then the draft.
        page = self.login("clerk", 1280)
        page.goto(self.live_server_url + "/admin/disclosure/notice/add/")
        self.check(page, "add-1280")
        page.goto(self.live_server_url + self.change)
        assert "状态：草稿" in page.locator(".notice-status").inner_text()
        self.check(page, "draft-clerk-1280")

        # 预览 opens the page as the public will see it, in a new window.
        with page.context.expect_page() as opened:
            page.get_by_role("link", name="预览", exact=True).click()
        preview = opened.value
        preview.wait_for_load_state()
        assert preview.locator(".preview-banner").is_visible()
        assert "预览·尚未公开" in preview.locator(".preview-banner").inner_text()
        assert "拟纳入城乡最低生活保障对象" in preview.locator(".notice-body").inner_text()
        self.check(preview, "preview-1280")
        name, data = self.download(preview, ".attachments a")  # from the preview, too
        assert (name, data) == ("12月低保对象名单.pdf", PDF)
        preview.close()

        # The attachment row: name, type, size; 下载 gives the file itself.
        row = page.locator(".attachment-row").first.inner_text()
        assert "12月低保对象名单.pdf" in row and "PDF" in row and "字节" in row
        assert "attachments/" not in page.content().replace("/attachments/", "")
        name, data = self.download(page, ".attachment-row .attachment-download")
        assert (name, data) == ("12月低保对象名单.pdf", PDF)

        # 保存并提交审核, at the top.
        page.locator(".notice-top button[name=_submit]").click()
        page.wait_for_selector(".messagelist")
        self.notice.refresh_from_db()
        assert self.notice.status == "submitted"
        assert "状态：审核中" in page.locator(".notice-status").inner_text()
        self.check(page, "submitted-clerk-1280")
        page.context.close()

        # The leader, on a phone: the state and the buttons first, nothing sideways.
        page = self.login("leader", 360, 740)
        self.check(page, "todo-leader-360")
        page.goto(self.live_server_url + self.change)
        self.check(page, "review-leader-360")
        status = page.locator(".notice-status").bounding_box()
        approve = page.locator(".workflow-approve button").bounding_box()
        fields = page.locator("#notice_form").bounding_box()
        assert status["y"] < 740  # in the first screen
        assert approve["y"] < fields["y"]  # above the notice's fields
        assert "第 1 步" in page.locator(".notice-status").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        name, data = self.download(page, ".notice-files .attachment-download")
        assert (name, data) == ("12月低保对象名单.pdf", PDF)

        with page.context.expect_page() as opened:
            page.get_by_role("link", name="预览", exact=True).click()
        opened.value.wait_for_load_state()
        self.check(opened.value, "preview-leader-360")
        opened.value.close()

        page.check("input[name=confidentiality_confirmed]")
        page.fill("#id_approve_comment", "同意公示")
        page.locator(".workflow-approve button").click()
        page.wait_for_selector(".messagelist")
        self.notice.refresh_from_db()
        assert self.notice.status == "approved"  # 民生资金: the leader's review alone
        assert self.notice.events.filter(action="approved", actor__username="leader").exists()
        self.check(page, "approved-leader-360")
        history = page.locator(".history-list").inner_text()
        assert history.index("周明辉") < history.index("李秀梅")  # newest first, real names
        page.context.close()

        # The office sends it back; the clerk, on a phone, reads why at the top.
        page = self.login("office", 1280)
        page.goto(self.live_server_url + self.change)
        self.check(page, "approved-office-1280")
        page.fill("#id_return_reason", "名单中第3户的家庭人口不全，请补充后再提交。")
        page.locator(".workflow-return button").click()
        page.wait_for_selector(".messagelist")
        page.context.close()
        page = self.login("clerk", 360, 740)
        page.goto(self.live_server_url + self.change)
        top = page.locator(".notice-top").inner_text()
        assert "状态：已退回修改" in top and "第3户的家庭人口不全" in top and "陈雅琴" in top
        assert page.locator(".notice-top button[name=_submit]").is_visible()
        self.check(page, "returned-clerk-360")
        page.context.close()

        assert not self.found, json.dumps(self.found, ensure_ascii=False, indent=1)
        assert Notice.objects.filter(pk=self.notice.pk).exists()
