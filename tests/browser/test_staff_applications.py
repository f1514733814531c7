"""Applications on the staff side in a real browser (issue 10): the supervision group reads
them masked on a phone and cannot handle them; the office confirms receipt with today's
date already filled in. axe-core on every page visited; screenshots to look at."""

from __future__ import annotations

import io
import json

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.utils import timezone

from applications import handling
from applications.models import Application
from catalog.models import Organization
from tests.base import LiveDataMixin

from .staff import StaffBrowserMixin

LIST = "/admin/applications/application/"


@pytest.mark.browser
class StaffApplicationsInBrowserTests(StaffBrowserMixin, LiveDataMixin, StaticLiveServerTestCase):
    screenshot_prefix = "staff-applications"

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        self.found: dict[str, list] = {}

    def login(self, username: str, width: int):
        page = self.new_page(width, 800)
        page.goto(self.live_server_url + "/admin/login/")
        self.check(page, f"login-{width}")
        self.sign_in(page, username)
        return page

    def test_the_supervisor_reads_masked_and_cannot_handle(self) -> None:
        handled = Application.objects.get(name="刘美华")
        for width in (360, 1280):
            page = self.login("supervisor", width)
            page.goto(self.live_server_url + LIST)
            self.check(page, f"supervisor-list-{width}")
            listing = page.locator("#result_list").inner_text()
            assert "刘*华" in listing and "刘美华" not in listing
            assert "陈*国" in listing and "黄*明" in listing  # every one of the township
            page.get_by_role("link", name=handled.tracking_code).click()
            page.wait_for_selector(".apps-readonly-note")
            self.check(page, f"supervisor-application-{width}")
            text = page.locator("#content").inner_text()
            assert "刘*华" in text and "136****2345" in text
            for secret in ("刘美华", "13605962345", handled.id_number):
                assert secret not in page.content()
            assert page.locator(".workflow-button").count() == 0  # no handling buttons
            assert page.locator("[name=_save]").count() == 0  # and nothing to save
            assert "陈雅琴" in page.locator(".apps-history").inner_text()  # real names
            page.context.close()
        assert not self.found, json.dumps(self.found, ensure_ascii=False, indent=1)

    def test_the_office_confirms_receipt_with_today_prefilled(self) -> None:
        new = Application.objects.get(name="陈建国")
        today = timezone.localdate()
        page = self.login("office", 1280)
        page.goto(self.live_server_url + LIST)
        self.check(page, "office-list-1280")
        page.get_by_role("link", name=new.tracking_code).click()
        page.wait_for_selector("#id_confirm-on")
        self.check(page, "office-application-1280")
        assert page.input_value("#id_confirm-on") == today.isoformat()
        assert "13905961234" in page.content()  # the handling staff see the applicant
        page.click("form[action$='/step/confirm/'] button")
        page.wait_for_selector(".messagelist")
        self.check(page, "office-received-1280")
        new.refresh_from_db()
        assert (new.status, new.received_on) == ("received", today)
        page.context.close()

        phone = self.login("office", 360)
        phone.goto(self.live_server_url + f"{LIST}{new.pk}/change/")
        self.check(phone, "office-application-360")
        phone.context.close()
        assert not self.found, json.dumps(self.found, ensure_ascii=False, indent=1)

    def test_a_stale_answer_is_refused_and_the_letter_and_register_form_pass_axe(self) -> None:
        handled = Application.objects.get(name="刘美华")
        office = handled.events.first().actor
        page = self.login("office", 360)
        page.goto(self.live_server_url + f"{LIST}{handled.pk}/change/")
        # A file chosen on a page that someone else's step has made stale.
        page.set_input_files("#id_files-0-file", files=[{
            "name": "低保资金发放明细.pdf", "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4 list",
        }])  # fmt: skip
        finance = Organization.objects.get(short_name="财政所")
        handling.assign(handled, by=office, department=finance)
        page.click("[name=_save]")
        page.wait_for_selector(".errornote")
        self.check(page, "office-stale-files-360")
        assert "重新选择" in page.locator("#application_form").inner_text()
        assert not handled.files.exists()
        page.click("summary:has-text('答复办结')")
        page.select_option("#id_close-outcome", "1")
        typed = "所需信息已在本网站“低保、五保与救助”栏目公开，请查阅。"
        page.fill("#id_close-details", typed)
        # Meanwhile it is passed back to 民政办 in another tab.
        civil = Organization.objects.get(short_name="民政办")
        handling.assign(handled, by=office, department=civil)
        page.click("form[action$='/step/close/'] button")
        page.wait_for_selector(".apps-stale")
        self.check(page, "office-stale-360")
        assert "未保存" in page.locator(".apps-stale").inner_text()
        assert page.input_value("#id_close-details") == typed  # nothing typed is lost
        handled.refresh_from_db()
        assert handled.status != "closed"
        page.click("form[action$='/step/close/'] button")  # read it; answer after all
        page.wait_for_selector(".messagelist")
        handled.refresh_from_db()
        assert handled.status == "closed"
        page.goto(self.live_server_url + f"{LIST}{handled.pk}/letter/")
        self.check(page, "office-letter-360")
        assert "收到您提出的" in page.locator("pre").inner_text()
        page.goto(self.live_server_url + f"{LIST}add/")
        self.check(page, "office-register-360")
        page.context.close()
        assert not self.found, json.dumps(self.found, ensure_ascii=False, indent=1)
