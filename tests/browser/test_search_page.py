"""The search page in a browser with JavaScript off, on a 360 px phone: "did you mean"
for a typo, the 按时间 order, kept through a facet, the next page and a new query."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from tests.base import LiveDataMixin

from .conftest import SCREENSHOTS


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.browser
class SearchPageTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def dates(self, page) -> list[str]:
        return page.eval_on_selector_all(
            ".search-results time", "times => times.map(t => t.getAttribute('datetime'))"
        )

    def test_typo_then_newest_first_without_javascript(self) -> None:
        context = self.browser.new_context(
            viewport={"width": 360, "height": 740}, locale="zh-CN", java_script_enabled=False
        )
        page = context.new_page()
        try:
            page.goto(self.live_server_url + "/search/?q=底保")
            assert "您是不是要找" in page.inner_text(".no-results")
            page.screenshot(path=SCREENSHOTS / "search-did-you-mean-360.png", full_page=True)
            page.click(".did-you-mean a")
            assert params(page.url)["q"] == ["低保"]
            relevance = self.dates(page)
            assert len(relevance) > 1

            page.click(".sort-order a")  # 按时间
            assert params(page.url)["sort"] == ["time"]
            newest_first = self.dates(page)
            assert newest_first == sorted(newest_first, reverse=True)
            assert "按相关度" in page.inner_text(".sort-order a")
            page.screenshot(path=SCREENSHOTS / "search-by-time-360.png", full_page=True)

            page.click(".filters summary")  # <details>: opens without JavaScript
            page.click(".facet-values a >> nth=0")
            kept = params(page.url)
            assert kept["sort"] == ["time"] and kept["q"] == ["低保"], page.url
            narrowed = self.dates(page)
            assert narrowed == sorted(narrowed, reverse=True)

            page.fill("#id_q", "公开")
            page.press("#id_q", "Enter")
            assert params(page.url)["sort"] == ["time"], page.url
            again = self.dates(page)
            assert again and again == sorted(again, reverse=True)
        finally:
            context.close()
