"""长辈版 on a 360 px phone: what elders read is at least 20 px and what they tap at least
60 × 60 (适老化通用设计规范), measured in the browser on the pages they use."""

from __future__ import annotations

import io
import json

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from disclosure.models import Notice
from tests.base import LiveDataMixin

from .conftest import SCREENSHOTS
from .layout_probe import NAMED, SIZES_JS, SMALL_TARGETS_JS, SMALL_TEXT_JS

TEXT_PX = 20
TARGET_PX = 60


def lines(found: dict[str, list]) -> str:
    return "\n".join(f"  {page}: {json.dumps(row, ensure_ascii=False)}"
                     for page, rows in found.items() for row in rows)  # fmt: skip


@pytest.mark.browser
class LargePrintTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def pages(self) -> dict[str, str]:
        notice = Notice.objects.published().filter(attachments__isnull=False).first()
        return {"home": "/", "list": "/notices/", "notice": f"/notices/{notice.pk}/",
                "search": "/search/?q=低保", "guide": "/guide/", "apply": "/apply/",
                "catalog": "/catalog/key-areas/social-assistance/"}  # fmt: skip

    def elder_page(self, width: int = 360):
        context = self.browser.new_context(viewport={"width": width, "height": 740},
                                           locale="zh-CN")  # fmt: skip
        context.add_cookies([{"name": "elder", "value": "1", "url": self.live_server_url}])
        return context, context.new_page()

    def test_text_is_large_and_targets_big_on_a_phone(self) -> None:
        context, page = self.elder_page()
        small_text, small_targets, sizes = {}, {}, {}
        for name, path in self.pages().items():
            assert page.goto(self.live_server_url + path).status == 200, path
            page.screenshot(path=SCREENSHOTS / f"large-print-{name}-360.png", full_page=True)
            sizes[name] = {k: v for k, v in page.evaluate(SIZES_JS, NAMED).items() if v}
            if found := page.evaluate(SMALL_TEXT_JS, TEXT_PX):
                small_text[name] = found
            if found := page.evaluate(SMALL_TARGETS_JS, TARGET_PX):
                small_targets[name] = found
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the screen in 长辈版"
        context.close()
        print("\nfont sizes in 长辈版 at 360 px:", json.dumps(sizes, ensure_ascii=False, indent=1))
        assert not small_text and not small_targets, (
            f"text under {TEXT_PX}px:\n{lines(small_text)}\n"
            f"targets under {TARGET_PX}x{TARGET_PX}:\n{lines(small_targets)}"
        )

    def test_an_error_on_the_form_is_large_too(self) -> None:
        context, page = self.elder_page()
        page.goto(self.live_server_url + "/apply/")
        page.click("button.big-button")
        page.wait_for_selector(".error-summary")
        page.screenshot(path=SCREENSHOTS / "large-print-apply-error-360.png")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert not page.evaluate(SMALL_TEXT_JS, TEXT_PX)
        assert not page.evaluate(SMALL_TARGETS_JS, TARGET_PX)
        context.close()
