"""A resident applies on a 360 px phone and tracks it; the office answers; the resident
reads the answer."""

from __future__ import annotations

import io

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from demo.township import DEMO_PASSWORD
from tests.applications.test_apply import valid_id
from tests.base import LiveDataMixin

from .conftest import SCREENSHOTS


@pytest.mark.browser
class ApplyInBrowserTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def shot(self, page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def test_apply_track_answer(self) -> None:
        phone = self.browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page = phone.new_page()
        page.goto(self.live_server_url + "/apply/")
        assert page.input_value("#id_id_type") == "resident_id"  # preselected
        page.get_by_label("商业企业").check()  # an organisation gives its licence...
        assert page.input_value("#id_id_type") == "licence"
        page.get_by_label("自然人").check()  # ...a person the resident ID card
        assert page.input_value("#id_id_type") == "resident_id"
        page.fill("#id_name", "王小明")
        page.fill("#id_id_number", "350102199003071235")  # a typo: wrong check digit
        page.fill("#id_phone", "13812341234")
        page.fill("#id_description", "危房改造")
        page.wait_for_selector("#suggestions li")  # published notices are suggested
        assert "危房改造" in page.locator("#suggestions").inner_text()
        self.shot(page, "apply-suggestions-phone")
        page.fill("#id_description", "2025年东坪村危房改造补助资金发放明细")
        page.get_by_label("电子", exact=True).check()
        page.get_by_label("网上查阅").check()
        page.click("button.big-button")
        page.wait_for_load_state()
        # The summary of the problems has the focus and is on the first screen.
        assert page.evaluate("document.activeElement.id") == "error-summary"
        summary = page.locator("#error-summary")
        assert summary.bounding_box()["y"] + summary.bounding_box()["height"] <= 740
        page.screenshot(path=SCREENSHOTS / "apply-error-phone-first-screen.png")
        assert "证件号码：不是有效的居民身份证号" in summary.inner_text()
        summary.get_by_role("link").first.click()  # to the field, the cursor in it
        assert page.evaluate("document.activeElement.id") == "id_id_number"
        assert page.get_attribute("#id_id_number", "aria-invalid") == "true"
        assert "不是有效的居民身份证号" in page.locator("#id_id_number_error").inner_text()
        assert page.input_value("#id_name") == "王小明"  # what was typed is kept
        self.shot(page, "apply-error-phone")
        page.fill("#id_id_number", valid_id())
        page.click("button.big-button")
        page.wait_for_url("**/apply/receipt/")
        code = page.locator(".tracking-code").inner_text().strip()
        assert Application.objects.get(tracking_code=code).name == "王小明"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        self.shot(page, "apply-receipt-phone")

        page.goto(self.live_server_url + "/apply/track/")
        page.fill("#id_code", code.lower().replace("-", " "))
        page.click("button.big-button")
        assert "待确认收到" in page.locator(".tracking").inner_text()
        assert "13812341234" not in page.content()
        self.shot(page, "apply-track-phone")

        # The office confirms receipt and answers.
        office = self.browser.new_context(viewport={"width": 1280, "height": 900})
        staff = office.new_page()
        staff.goto(self.live_server_url + "/admin/login/")
        staff.fill("#id_username", "office")
        staff.fill("#id_password", DEMO_PASSWORD)
        staff.click("input[type=submit]")
        staff.goto(self.live_server_url + "/admin/applications/application/")
        staff.get_by_role("link", name=code).click()
        staff.fill("#id_confirm-on", timezone.localdate().isoformat())
        staff.click("form[action$='/step/confirm/'] button")
        staff.wait_for_selector(".messagelist")
        staff.locator("summary", has_text="答复办结").click()
        staff.select_option("#id_close-outcome", "1")
        staff.fill("#id_close-details", "所需信息见附件《东坪村危房改造补助发放明细表》。")
        self.shot(staff, "apply-office-close")
        staff.click("form[action$='/step/close/'] button")
        staff.wait_for_selector(".messagelist")
        assert Application.objects.get(tracking_code=code).outcome == "1"
        office.close()

        page.goto(self.live_server_url + "/apply/track/")
        page.fill("#id_code", code)
        page.click("button.big-button")
        assert "已答复" in page.locator(".tracking").inner_text()
        letter = page.locator(".reply-letter").inner_text()
        assert "第三十六条" in letter and "王*明" in letter and "王小明" not in letter
        self.shot(page, "apply-answer-phone")
        phone.close()
