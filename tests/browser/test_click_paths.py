"""How much work two staff tasks take, held where the staff-workspace rework brought them.

- The clerk (李秀梅, 民政办) signs in, starts a 公示 from the to-do page, fills it (title,
  summary, body, kind, catalog node, formed date, one PDF) and sends it with 保存并提交审核.
- The leader (周明辉) signs in, opens the notice waiting for him, downloads its attachment,
  reads the preview in its own tab, closes it, records the confidentiality review, approves.

At 1280×800 and on a 360×740 phone, counted as a person works: clicks (links, buttons,
checkboxes, selects, the file input, closing a tab), fields typed into, page loads in every
tab, and the vertical scroll needed to bring each clicked control into view (the nearest of
equal controls). Clicks and loads are held exactly, the scroll under a bound. Measured
before the rework (8c13afb), the same tasks took 7 clicks / 5 loads and 8 clicks / 8 loads
with two 404s (the attachment, the public page of an unpublished notice); the clerk's
scroll was 3,782 px (1280) and 6,538 px (360)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from demo.township import DEMO_PASSWORD
from disclosure.models import Notice
from tests.base import LiveDataMixin

from .staff import StaffBrowserMixin

SUMMARY = "2026年12月拟新纳入城乡最低生活保障对象名单，公示期7个工作日。"
BODY = "经村民代表会议评议、镇人民政府审核，拟纳入城乡最低生活保障对象如下，公示期7天。"
CATALOG = "\u3000低保、五保与救助"
# A one-page PDF: the upload gate goes by the bytes, not the name.
PDF = (
    b"%PDF-1.3\n1 0 obj\n<< /Type /Pages /Count 1 /Kids [ 3 0 R ] >>\nendobj\n"
    b"2 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Resources << >> /MediaBox [ 0 0 595 842 ] /Parent 1 0 R >>\n"
    b"endobj\ntrailer\n<< /Size 4 /Root 2 0 R >>\n%%EOF\n"
)


@dataclass(frozen=True)
class Expected:
    clicks: int
    fields: int
    loads: int
    scroll_under: int  # px, about 25% above what was measured (in the comments)


EXPECTED = {
    (1280, 800): {
        "clerk": Expected(6, 7, 4, 700),  # 527 px
        "leader": Expected(7, 2, 5, 1100),  # 858 px
    },
    (360, 740): {
        "clerk": Expected(6, 7, 4, 1550),  # 1,226 px
        "leader": Expected(7, 2, 5, 1400),  # 1,085 px
    },
}


@dataclass
class Work:
    """What one task cost, counted as the controls are used."""

    clicks: int = 0
    fields: int = 0
    loads: int = 0
    scroll: int = 0
    failures: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        def on_page(page) -> None:
            page.on("load", lambda _page: self._loaded())
            page.on("response", self._answered)

        context.on("page", on_page)

    def _loaded(self) -> None:
        self.loads += 1

    def _answered(self, response) -> None:
        request = response.request
        if request.is_navigation_request() and response.status >= 400:
            self.failures.append(f"{response.status} {request.method} {request.url}")

    def reach(self, page, locator):
        """The nearest visible one of equal controls, scrolled into view; returns it."""
        candidates = [c for c in locator.all() if c.is_visible()] or [locator.first]
        height = page.viewport_size["height"]

        def distance(candidate) -> float:
            box = candidate.bounding_box()
            return max(0, -box["y"], box["y"] + box["height"] - height)

        target = min(candidates, key=distance)
        before = page.evaluate("window.scrollY")
        target.scroll_into_view_if_needed()
        return target, abs(page.evaluate("window.scrollY") - before)

    def click(self, page, locator, what: str):
        target, moved = self.reach(page, locator)
        self.clicks += 1
        self.scroll += moved
        self.steps.append(f"click {what} (+{moved} px)")
        return target

    def fill(self, page, locator, value: str, what: str) -> None:
        target, _moved = self.reach(page, locator)
        self.fields += 1
        self.steps.append(f"fill {what}")
        target.fill(value)

    def type_into_editor(self, page, locator, value: str) -> None:
        target, _moved = self.reach(page, locator)
        self.fields += 1
        self.steps.append("type 正文")
        target.click()  # focusing the editor is part of typing into it
        page.keyboard.insert_text(value)

    def select(self, page, locator, label: str) -> None:
        self.click(page, locator, f"select {label.strip()}").select_option(label=label)

    def report(self) -> str:
        return "\n".join([*self.steps, *self.failures])


@pytest.mark.browser
class ClickPathTests(StaffBrowserMixin, LiveDataMixin, StaticLiveServerTestCase):
    screenshot_prefix = "click-path"

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp_dir = tmp_path

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        self.found: dict[str, list] = {}

    def start(self, size: tuple[int, int], work: Work):
        # The office's time zone: the date fields then give no clock-skew warning.
        context = self.browser.new_context(
            viewport={"width": size[0], "height": size[1]}, bypass_csp=True, locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )  # fmt: skip
        work.watch(context)
        return context.new_page()

    def sign_in_counted(self, work: Work, page, username: str) -> None:
        page.goto(self.live_server_url + "/admin/login/")
        work.fill(page, page.locator("#id_username"), username, "用户名")
        work.fill(page, page.locator("#id_password"), DEMO_PASSWORD, "密码")
        work.click(page, page.locator("[type=submit]"), "登录").click()
        page.wait_for_url("**/admin/")

    def clerk_sends_a_notice(self, size: tuple[int, int], title: str, tmp: Path) -> Work:
        work = Work()
        page = self.start(size, work)
        self.sign_in_counted(work, page, "clerk")
        work.click(page, page.get_by_role("link", name="写新信息"), "写新信息").click()
        page.wait_for_url("**/notice/add/")
        self.check(page, f"add-{size[0]}")
        work.fill(page, page.locator("#id_title"), title, "标题")
        work.fill(page, page.locator("#id_summary"), SUMMARY, "内容概述")
        work.type_into_editor(page, page.locator(".body-editor[data-ready=true] .ProseMirror"),
                              BODY)  # fmt: skip
        work.select(page, page.locator("#id_kind"), "公示")
        work.select(page, page.locator("#id_catalog_node"), CATALOG)
        work.fill(page, page.locator("#id_formed_date"), "2026-12-02", "生成日期")
        chooser = work.click(page, page.locator("#id_attachments-0-file"), "选择文件")
        with page.expect_file_chooser() as chosen:
            chooser.click()
        chosen.value.set_files(str(tmp))
        work.fields += 1  # the file chosen is the field's content
        submit = page.locator("button[name=_submit]")
        work.click(page, submit, "保存并提交审核").click()
        page.wait_for_selector(".messagelist")
        assert "状态：审核中" in page.locator(".notice-status").inner_text(), work.report()
        assert "低保对象名单.pdf" in page.locator(".notice-files").inner_text()
        self.check(page, f"submitted-{size[0]}")
        page.context.close()
        return work

    def leader_approves(self, size: tuple[int, int], notice: Notice) -> Work:
        work = Work()
        page = self.start(size, work)
        self.sign_in_counted(work, page, "leader")
        work.click(page, page.get_by_role("link", name=notice.title), "待我审核").click()
        page.wait_for_url(f"**/notice/{notice.pk}/change/")
        self.check(page, f"review-{size[0]}")

        link = work.click(page, page.locator(".notice-files .attachment-download"), "下载附件")
        with page.expect_download() as downloaded:
            link.click()
        assert Path(downloaded.value.path()).read_bytes() == PDF

        link = work.click(page, page.get_by_role("link", name="预览", exact=True), "预览")
        with page.context.expect_page() as opened:
            link.click()
        preview = opened.value
        preview.wait_for_load_state()
        assert "预览·尚未公开" in preview.locator(".preview-banner").inner_text()
        assert SUMMARY in preview.inner_text("body")
        self.check(preview, f"preview-{size[0]}")
        work.clicks += 1  # closing the preview's tab
        preview.close()

        work.click(page, page.locator("input[name=confidentiality_confirmed]"), "保密审查").check()
        work.click(page, page.locator(".workflow-approve button"), "审核通过").click()
        page.wait_for_selector(".messagelist")
        notice.refresh_from_db()
        assert notice.status == Notice.Status.APPROVED, work.report()
        self.check(page, f"approved-{size[0]}")
        page.context.close()
        return work

    def walk(self, size: tuple[int, int]) -> None:
        title = f"青岚镇2026年12月城乡低保对象名单公示（{size[0]}）"
        tmp = self.tmp_dir / "低保对象名单.pdf"
        tmp.write_bytes(PDF)
        clerk = self.clerk_sends_a_notice(size, title, tmp)
        notice = Notice.objects.get(title=title)
        assert notice.status == Notice.Status.SUBMITTED and notice.attachments.count() == 1
        leader = self.leader_approves(size, notice)
        for who, work in [("clerk", clerk), ("leader", leader)]:
            expected = EXPECTED[size][who]
            counted = (work.clicks, work.fields, work.loads)
            assert counted == (expected.clicks, expected.fields, expected.loads), (
                f"{who} at {size}: clicks, fields, loads {counted}\n{work.report()}"
            )
            assert work.scroll < expected.scroll_under, f"{who}: {work.scroll} px\n{work.report()}"
            assert not work.failures, work.report()
        self.assert_no_violations()

    def test_at_a_desk(self) -> None:
        self.walk((1280, 800))

    def test_on_a_phone(self) -> None:
        self.walk((360, 740))
