"""The review workflow in a real browser: clerk → leader (on a phone) → office → public."""

from __future__ import annotations

import io

import pytest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from demo.township import DEMO_PASSWORD
from disclosure.models import Notice
from tests.base import LiveDataMixin

from .conftest import SCREENSHOTS

TITLE = "关于开展2026年冬季农村消防安全检查的通知"


@pytest.mark.browser
class WorkflowInBrowserTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def login(self, username: str, width: int = 1280):
        context = self.browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(self.live_server_url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    def shot(self, page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def test_clerk_leader_office_public(self) -> None:
        # The clerk of 民政办 writes a notice and submits it.
        page = self.login("clerk")
        self.shot(page, "admin-todo-clerk")
        page.goto(self.live_server_url + "/admin/disclosure/notice/add/")
        page.fill("#id_title", TITLE)
        page.locator(".body-editor[data-ready=true] .ProseMirror").click()
        page.keyboard.insert_text("请各村于12月10日前完成辖区内独居老人住房的消防安全检查。")
        page.fill("#id_summary", "请各村于12月10日前完成独居老人住房的消防安全检查。")
        page.fill("#id_formed_date", "2026-12-01")
        page.select_option("#id_kind", "announcement")
        page.select_option("#id_catalog_node", label="\u3000通知公告")
        page.click("input[name=_continue]")
        page.wait_for_selector(".workflow-submit")
        self.shot(page, "admin-notice-draft")
        page.click(".workflow-submit button")
        page.wait_for_selector(".messagelist")
        notice = Notice.objects.get(title=TITLE)
        assert notice.status == "submitted" and notice.organization.short_name == "民政办"
        page.context.close()

        # The supervising leader approves on a phone, with the confidentiality review.
        page = self.login("leader", width=360)
        assert TITLE in page.locator(".todo").inner_text()
        self.shot(page, "admin-todo-leader-phone")
        page.get_by_role("link", name=TITLE).first.click()
        page.check("input[name=confidentiality_confirmed]")
        page.fill("#id_approve_comment", "同意发布")
        self.shot(page, "admin-notice-review-phone")
        page.click(".workflow-approve button")
        page.wait_for_selector(".messagelist")
        notice.refresh_from_db()
        assert notice.status == "approved"
        page.context.close()

        # The office publishes.
        page = self.login("office")
        page.get_by_role("link", name=TITLE).first.click()
        page.click(".workflow-publish button")
        page.wait_for_selector(".messagelist")
        self.shot(page, "admin-notice-published")
        notice.refresh_from_db()
        assert notice.is_published() and notice.index_number
        page.context.close()

        # A resident finds it on the public list.
        page = self.browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(self.live_server_url + "/notices/")
        assert page.locator(".notice-list li").first.inner_text().startswith(TITLE)
        page.get_by_role("link", name=TITLE).click()
        assert notice.index_number in page.content()
        page.close()
