"""What the staff browser tests share: a page at a size, signed in as a demo account, and
one check per page visited (a screenshot, axe-core, no sideways scroll)."""

from __future__ import annotations

import json

import pytest

from demo.township import DEMO_PASSWORD

from .axe import require_axe, violations
from .conftest import SCREENSHOTS


class StaffBrowserMixin:
    """For a LiveDataMixin + StaticLiveServerTestCase; `screenshot_prefix` names the files."""

    screenshot_prefix = "staff"

    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        require_axe()
        self.browser = browser
        self.found: dict[str, list] = {}

    def new_page(self, width: int, height: int = 900):
        # bypass_csp: the test injects axe-core; the site's own CSP stays strict.
        context = self.browser.new_context(viewport={"width": width, "height": height},
                                           bypass_csp=True, locale="zh-CN")  # fmt: skip
        return context.new_page()

    def sign_in(self, page, username: str) -> None:
        page.goto(self.live_server_url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("[type=submit]")
        page.wait_for_url("**/admin/")

    def login(self, username: str, width: int, height: int = 900):
        page = self.new_page(width, height)
        self.sign_in(page, username)
        return page

    def check(self, page, name: str) -> None:
        """A screenshot to look at; axe's violations and a sideways scroll are collected."""
        page.screenshot(path=SCREENSHOTS / f"{self.screenshot_prefix}-{name}.png",
                        full_page=True)  # fmt: skip
        problems = violations(page)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > page.viewport_size["width"]:
            problems.append({"id": "page scrolls sideways", "scrollWidth": scroll})
        if problems:
            self.found[name] = problems

    def assert_no_violations(self) -> None:
        assert not self.found, json.dumps(self.found, ensure_ascii=False, indent=1)
