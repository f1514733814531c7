"""Issue 11 in a real browser: a resident asks for a record to be corrected on a 360 px
phone (errors next to the fields, what was typed kept) and the office forwards it; the
office sees the 重复申请 hint, the Art. 44 flag and the (四)1 choices on an application,
and the flag on its to-do list. axe-core on every page; screenshots to look at."""

from __future__ import annotations

import io

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.utils import timezone

from applications import handling
from applications.corrections import RecordCorrection
from applications.models import Application
from tests.applications.test_apply import valid_id
from tests.base import LiveDataMixin

from .staff import StaffBrowserMixin

APPLICATIONS = "/admin/applications/application/"
CORRECTIONS = "/admin/applications/recordcorrection/"


@pytest.mark.browser
class RecordCorrectionInBrowserTests(StaffBrowserMixin, LiveDataMixin, StaticLiveServerTestCase):
    screenshot_prefix = "replies"

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def test_a_resident_asks_on_a_phone_and_the_office_forwards_it(self) -> None:
        page = self.new_page(360, 740)
        page.goto(self.live_server_url + "/apply/record-correction/")
        self.check(page, "form-360")
        page.get_by_label("自然人").check()
        page.fill("#id_name", "王小明")
        page.fill("#id_id_number", "350102199003071235")  # a typo: wrong check digit
        page.fill("#id_phone", "13812341234")
        page.fill("#id_record", "2026年东坪村低保名单")
        page.fill("#id_evidence", "户口簿首页和本人页")
        page.click("button.big-button")  # "what is wrong" left empty
        page.wait_for_selector(".has-error")
        errors = page.locator(".has-error").all_inner_texts()
        assert any("不是有效的居民身份证号" in e for e in errors)
        assert any("这个字段是必填项" in e for e in errors)
        assert page.input_value("#id_record") == "2026年东坪村低保名单"  # kept
        self.check(page, "form-errors-360")
        page.fill("#id_id_number", valid_id())
        page.fill("#id_inaccuracy", "名单上我家人口写成2人，实际为4人。")
        page.click("button.big-button")
        page.wait_for_url("**/apply/record-correction/received/")
        reference = page.locator(".tracking-code").inner_text().strip()
        self.check(page, "receipt-360")
        page.context.close()

        for width in (360, 1280):
            office = self.login("office", width)
            office.goto(self.live_server_url + CORRECTIONS)
            self.check(office, f"office-list-{width}")
            office.get_by_role("link", name=reference).click()
            office.wait_for_selector(".workflow")
            self.check(office, f"office-request-{width}")
            assert "王小明" in office.locator("#content").inner_text()
            if width == 1280:
                office.click("summary:has-text('转送有权更正的机关')")
                office.fill("#id_forward-organ", "云溪县民政局")
                office.fill("#id_forward-contact", "0596-5260101，云溪县城关路12号")
                office.click("form[action$='/step/forward/'] button")
                office.wait_for_selector(".messagelist")
                self.check(office, "office-forwarded-1280")
            office.context.close()
        assert RecordCorrection.objects.get(reference=reference).status == "forwarded"

        reader = self.login("supervisor", 360)
        reader.goto(self.live_server_url + CORRECTIONS)
        reader.get_by_role("link", name=reference).click()
        reader.wait_for_selector(".apps-readonly-note")
        self.check(reader, "supervisor-request-360")
        assert "王小明" not in reader.content()
        reader.context.close()
        self.assert_no_violations()

    def test_the_office_sees_the_repeat_hint_the_flag_and_the_not_held_choices(self) -> None:
        today = timezone.localdate()
        answered = Application.objects.get(name="黄志明")  # answered by the demo
        fields = {
            "township": answered.township, "applicant_type": "person", "id_type": "resident_id",
            "delivery_form": "electronic", "delivery_channel": "online", "channel": "online",
        }  # fmt: skip
        again = Application.objects.create(
            name="黄志明", id_number=answered.id_number.lower(), phone=answered.phone,
            description="申请公开青岚镇2025年耕地地力保护补贴的发放标准和依据。", **fields,
        )  # fmt: skip
        others = [
            Application.objects.create(name=name, id_number=number, phone="13900000000",
                                       description=answered.description, **fields)
            for name, number in (("林芳", "350925199001011224"), ("吴强", "350925198802023319"))
        ]  # fmt: skip
        for a in (again, *others):
            handling.confirm_receipt(a, by=None, on=today)
        for width in (360, 1280):
            page = self.login("office", width)
            self.check(page, f"todo-{width}")
            queue = page.locator(".todo-proactive")
            assert "建议转为主动公开" in queue.inner_text()
            assert again.tracking_code in queue.inner_text()
            page.goto(f"{self.live_server_url}{APPLICATIONS}{again.pk}/change/")
            page.wait_for_selector(".apps-repeat")
            assert answered.tracking_code in page.locator(".apps-repeat").inner_text()
            assert "3位不同的申请人" in page.locator(".apps-proactive").inner_text()
            page.click("summary:has-text('答复办结')")
            page.select_option("#id_close-outcome", "4.1")
            self.check(page, f"application-hints-{width}")
            page.context.close()
        self.assert_no_violations()
