"""The staff side's frame in a real browser (issue 10): each demo role signs in, reads their
to-do page at 1280 px and on a 360 px phone, signs out; the supervisor reads the audit
trail; the 403, 404 and 405 pages. axe-core WCAG 2.1 A/AA on every page: 0 violations.
Screenshots under tests/browser/screenshots/staff-*.png."""

from __future__ import annotations

import io
import re

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from tests.base import LiveDataMixin

from .axe import violations
from .conftest import SCREENSHOTS
from .staff import StaffBrowserMixin

ROLES = ["clerk", "leader", "supervisor", "group", "office"]
REVIEWERS = {"leader", "supervisor", "group"}
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
# Lower-case Latin words in what a person reads: framework English left over.
ENGLISH = re.compile(r"\b[a-z]{4,}\b")


@pytest.mark.browser
class StaffPagesTests(StaffBrowserMixin, LiveDataMixin, StaticLiveServerTestCase):
    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        self.found: dict[str, list] = {}

    # --- helpers --------------------------------------------------------------------------

    def page(self, viewport=DESK):
        # bypass_csp: the test injects axe-core; the site's own CSP stays strict.
        context = self.browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
        return context.new_page()

    def check(self, page, name: str) -> None:
        """Screenshot, axe, no horizontal scroll on a phone, no English words."""
        page.screenshot(path=SCREENSHOTS / f"staff-{name}.png", full_page=True)
        problems = violations(page)
        if problems:
            self.found[name] = problems
        width = page.viewport_size["width"]
        if width <= 360:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 360, f"{name}: {scroll} px wide on a 360 px phone"
        english = ENGLISH.findall(page.inner_text("body"))
        assert not english, f"{name}: English on the page: {english[:10]}"

    # --- the tests ------------------------------------------------------------------------

    def test_each_role_signs_in_reads_the_to_do_page_and_signs_out(self) -> None:
        login = self.page(PHONE)
        login.goto(self.live_server_url + "/admin/login/")
        assert "工作人员登录" in login.title()
        self.check(login, "login-360")
        login.fill("#id_username", "clerk")
        login.fill("#id_password", "wrong-password")
        login.click("input[type=submit]")
        assert login.locator("[role=alert]").count() == 1
        self.check(login, "login-error-360")
        login.context.close()
        for role in ROLES:
            with self.subTest(role=role):
                self.to_do_pages(role)
        self.assert_no_violations()

    def to_do_pages(self, role: str) -> None:
        page = self.page(DESK)
        self.sign_in(page, role)
        assert page.title().startswith("工作台 | ")
        assert page.locator(".todo-row").count() > 0, f"{role} has nothing to do"
        assert page.locator(".todo-count", has_text=re.compile(r"^0$")).count() == 0
        self.check(page, f"todo-{role}-1280")
        preview = page.locator("a.todo-preview").first
        if preview.count():
            href = preview.get_attribute("href")
            assert page.request.get(self.live_server_url + href).status == 200
        if role == "clerk":
            page.get_by_role("link", name="写新信息").click()
            page.wait_for_url("**/disclosure/notice/add/")
            page.go_back()
        page.set_viewport_size(PHONE)
        page.reload()
        self.check(page, f"todo-{role}-360")
        if role in REVIEWERS:
            first = page.locator("section.todo-queue").first
            assert "todo-review" in first.get_attribute("class"), f"{role}: review not first"
            assert first.bounding_box()["y"] < PHONE["height"] / 2
        page.click("#logout-form button")
        page.wait_for_url("**/admin/logout/")
        assert "您已安全退出" in page.inner_text("body")
        self.check(page, f"logged-out-{role}-360")
        page.context.close()

    def test_the_audit_trail_and_the_error_pages(self) -> None:
        page = self.page(DESK)
        self.sign_in(page, "supervisor")
        page.get_by_role("link", name="查看审计记录").click()
        page.wait_for_url("**/admin/audit/")
        rows = page.locator(".audit-table tbody tr")
        assert rows.count() > 10
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"the audit trail is {width} px wide at 1280 px"
        self.check(page, "audit-1280")
        page.click(".audit-filters summary")
        page.select_option("#id_action", "n:returned")
        page.click(".audit-buttons button")
        page.wait_for_url("**action=n%3Areturned**")
        actions = page.locator(".audit-table tbody td:nth-child(4)").all_inner_texts()
        assert actions and all(text.startswith("已退回修改") for text in actions), actions
        self.check(page, "audit-filtered-1280")
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("导出Excel")).click()
        assert download.value.suggested_filename.endswith(".xlsx")
        page.set_viewport_size(PHONE)
        page.goto(self.live_server_url + "/admin/audit/")
        self.check(page, "audit-360")
        page.context.close()

        for viewport, size in [(PHONE, "360"), (DESK, "1280")]:
            page = self.page(viewport)
            self.sign_in(page, "clerk")
            for path, status, name in [
                ("/admin/audit/", 403, "403"),
                ("/admin/no-such-page/", 404, "404-staff"),
                ("/notices/999999/", 404, "404-public"),
                ("/admin/logout/", 405, "405"),
            ]:
                response = page.goto(self.live_server_url + path)
                assert response.status == status, f"{path}: {response.status}"
                assert page.locator("h1").count() == 1
                self.check(page, f"{name}-{size}")
            page.context.close()
        self.assert_no_violations()
