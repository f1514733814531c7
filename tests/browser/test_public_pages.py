"""The public pages in a real browser at 360 px and 1280 px, with the demo township."""

from __future__ import annotations

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from disclosure.models import Notice
from tests.base import LiveDataMixin

from .conftest import SCREENSHOTS

WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}


@pytest.mark.browser
class PublicPagesInBrowserTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115

    def visit(self, page, path: str, name: str, width: str) -> None:
        response = page.goto(self.live_server_url + path)
        assert response.status == 200, path
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        # Usable on a phone: nothing wider than the screen.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the {width} screen"

    def test_pages_render_and_fit(self) -> None:
        notice = (
            Notice.objects.published()
            .filter(attachments__isnull=False, interprets__isnull=True)
            .order_by("-published_at")
            .first()
        )
        for width, (w, h) in WIDTHS.items():
            page = self.browser.new_page(viewport={"width": w, "height": h}, locale="zh-CN")
            self.visit(page, "/", "home", width)
            assert page.locator("h2#column-title").inner_text() == "政府信息公开"
            assert page.locator(".notice-list li").count() == 10

            self.visit(page, "/notices/", "notices", width)
            assert "条信息" in page.locator(".result-count").inner_text()
            assert not page.locator("#id_kind").is_visible()  # the list comes first on a phone
            page.locator("details.filters summary").click()
            page.select_option("#id_kind", "finance")
            page.get_by_role("button", name="筛选").click()
            page.wait_for_load_state()
            assert "kind=finance" in page.url
            assert page.locator(".notice-list li").count() > 0

            self.visit(page, f"/notices/{notice.pk}/", "notice", width)
            assert page.locator("h1").inner_text() == notice.title
            assert page.locator("th", has_text="索引号").count() == 1
            assert page.locator(".attachments a").count() >= 1
            with page.expect_download() as download:
                page.locator(".attachments a").first.click()
            assert download.value.suggested_filename.endswith((".pdf", ".xlsx", ".docx"))

            self.visit(page, "/catalog/", "catalog", width)
            self.visit(page, "/catalog/key-areas/social-assistance/", "catalog-node", width)
            self.visit(page, "/guide/", "guide", width)
            assert "0596-5261003" in page.content()
            page.close()
