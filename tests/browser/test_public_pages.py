"""The public pages in a real browser at 360 px and 1280 px, with the demo township."""

from __future__ import annotations

import json

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from disclosure.models import Notice
from portal.models import SiteProfile
from tests.base import LiveDataMixin

from .conftest import SCREENSHOTS
from .layout_probe import LAYOUT_JS

WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
# Issue #11 item 12: the header took 280 px of a 740 px phone screen, and a notice's title
# started 673 px down, under its details table.
PHONE_HEADER_PX = {"standard": 150, "elder": 210}


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

    def latest_notice(self) -> Notice:
        return (
            Notice.objects.published()
            .filter(attachments__isnull=False, interprets__isnull=True)
            .order_by("-published_at")
            .first()
        )

    def test_a_phone_shows_the_title_in_the_first_screen(self) -> None:
        notice = self.latest_notice()
        pages = {"home": "/", "list": "/notices/", "notice": f"/notices/{notice.pk}/",
                 "search": "/search/?q=低保", "guide": "/guide/", "apply": "/apply/"}  # fmt: skip
        figures = {}
        for mode, limit in PHONE_HEADER_PX.items():
            context = self.browser.new_context(viewport={"width": 360, "height": 740},
                                               locale="zh-CN")  # fmt: skip
            if mode == "elder":
                context.add_cookies([{"name": "elder", "value": "1", "url": self.live_server_url}])
            page = context.new_page()
            for name, path in pages.items():
                page.goto(self.live_server_url + path)
                page.screenshot(path=SCREENSHOTS / f"layout-{name}-{mode}-360.png")
                figures[f"{mode} {name}"] = found = page.evaluate(LAYOUT_JS)
                assert found["header"] <= limit, (mode, name, found)
                # One search box: the page's own on home and search, the header's elsewhere.
                assert found["search_boxes"] == 1, (mode, name, found)
                assert found["title_y"] < 740 - 120, (mode, name, found)
            page.goto(self.live_server_url + pages["notice"])
            title = page.locator("main h1").bounding_box()
            table = page.locator(".notice-meta").bounding_box()
            assert title["y"] + title["height"] <= table["y"], "the title comes first"
            assert page.locator("main h1").inner_text() == notice.title
            # The columns that do not fit scroll inside the menu, never the page.
            assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
            last = page.locator(".site-nav a").last
            last.focus()
            assert last.is_visible() and last.bounding_box()["x"] + 20 < 360
            context.close()
        print("\nheader height and title y at 360 x 740:", json.dumps(figures, indent=1))

    def test_one_search_box_on_a_desktop_too(self) -> None:
        page = self.browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        for path, box in (
            ("/", "#home-q"),
            ("/search/?q=低保", "#id_q"),
            ("/notices/", "#header-q"),
        ):
            page.goto(self.live_server_url + path)
            found = page.evaluate(LAYOUT_JS)
            assert found["search_boxes"] == 1, (path, found)
            assert page.locator(box).is_visible(), path
            assert found["header"] <= 110, (path, found)
        page.close()

    def test_the_footer_shows_the_government_website_mark_when_set(self) -> None:
        """规范 footer: 网站标识码, ICP and 公安备案 beside the 党政机关网站标识 (rule 42)."""
        page = self.browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page.goto(self.live_server_url + "/")
        assert page.locator(".gov-mark").count() == 0  # the demo has none: nothing to show

        profile = SiteProfile.objects.get()
        profile.government_mark_url = "https://bszs.conac.cn/sitename?method=show&id=0123ABCD"
        profile.save()  # bumps the public version: the cached footer is redrawn
        page.goto(self.live_server_url + "/")
        mark = page.get_by_role("link", name="党政机关网站标识：本网站的开办信息")
        assert mark.get_attribute("href") == profile.government_mark_url
        assert mark.inner_text().strip() == "党政机关"
        assert page.evaluate("getComputedStyle(document.querySelector('.gov-mark'))"
                             ".backgroundColor") == "rgb(200, 22, 29)"  # fmt: skip
        codes = page.locator(".site-marks p")
        assert "网站标识码" in codes.inner_text()
        mark_box, codes_box = mark.bounding_box(), codes.bounding_box()
        assert abs(mark_box["y"] - codes_box["y"]) < 80, "beside the codes, not elsewhere"
        page.locator(".site-footer").screenshot(path=SCREENSHOTS / "footer-mark-phone.png")
        page.close()
