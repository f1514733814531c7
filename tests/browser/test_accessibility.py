"""axe-core (WCAG 2.1 A/AA) on the public pages at 360 px and 1280 px, in the standard
and the large-print mode; screenshots of each for people to look at."""

from __future__ import annotations

import io
import json

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from disclosure.models import Notice
from portal.models import SiteProfile
from tests.base import LiveDataMixin

from .axe import require_axe, violations
from .conftest import SCREENSHOTS


@pytest.mark.browser
class AccessibilityTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        require_axe()
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        # The footer's 党政机关网站标识 is checked too (the demo has no registration).
        profile = SiteProfile.objects.get()
        profile.government_mark_url = "https://bszs.conac.cn/sitename?method=show&id=0123ABCD"
        profile.save()

    def test_public_pages_have_no_violations(self) -> None:
        notice = Notice.objects.published().filter(attachments__isnull=False).first()
        pages = {"home": "/", "list": "/notices/", "detail": f"/notices/{notice.pk}/",
                 "guide": "/guide/", "catalog": "/catalog/finance/", "apply": "/apply/",
                 "search": "/search/?q=低保"}  # fmt: skip
        found = {}
        for mode in ("standard", "elder"):
            for width in (360, 1280):
                # bypass_csp: the test injects axe-core; the site's own CSP stays strict.
                context = self.browser.new_context(viewport={"width": width, "height": 800},
                                                   bypass_csp=True, locale="zh-CN")  # fmt: skip
                if mode == "elder":
                    context.add_cookies([{"name": "elder", "value": "1",
                                          "url": self.live_server_url}])  # fmt: skip
                page = context.new_page()
                for name, path in pages.items():
                    response = page.goto(self.live_server_url + path)
                    if response.status == 404 and name == "search":
                        continue  # search arrives with its own issue
                    page.screenshot(path=SCREENSHOTS / f"a11y-{name}-{mode}-{width}.png",
                                    full_page=True)  # fmt: skip
                    problems = violations(page)
                    if problems:
                        found[f"{name} {mode} {width}px"] = problems
                context.close()
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
