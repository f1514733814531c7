"""The staff side in Chinese from login to logout, in the township's look (issue 10):
titles, header, hidden headers, the 403/404/405 pages."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.test import RequestFactory

from config.middleware import NotAllowedPageMiddleware
from tests.base import BaseTestCase


class StaffFrameTests(BaseTestCase):
    def test_titles_are_the_sites_name_and_workbench_never_the_frameworks(self) -> None:
        self.client.force_login(self.alice)
        index = self.client.get("/admin/")
        self.assertContains(index, "<title>工作台 | 云溪县政务公开</title>")
        self.assertContains(index, "云溪县政务公开 · 工作人员")
        for url in ["/admin/", "/admin/password_change/", "/admin/disclosure/notice/",
                    "/admin/disclosure/notice/add/"]:  # fmt: skip
            with self.subTest(url=url):
                page = self.client.get(url).content.decode()
                self.assertNotIn("Django", page)
                self.assertNotIn("站点管理", page)
                self.assertIn('href="/static/css/staff.css"', page)
                self.assertNotIn("dark_mode.css", page)  # one calm palette

    def test_a_page_rendered_without_the_admins_context_still_has_the_sites_name(self) -> None:
        """A staff view that renders admin/base_site.html without each_context (the
        personal-number page said "Django 管理") gets the site profile's name."""
        request = RequestFactory().get("/admin/disclosure/notice/1/workflow/submit/")
        request.user = self.alice
        page = render_to_string("admin/base_site.html", {"title": "提交审核"}, request=request)
        self.assertIn("<title>提交审核 | 云溪县政务公开</title>", page)
        self.assertIn("云溪县政务公开 · 工作人员", page)
        self.assertNotIn("Django", page)

    def test_login_and_logout_pages(self) -> None:
        login = self.client.get("/admin/login/")
        self.assertContains(login, "工作人员登录")
        self.assertNotContains(login, "Django")
        wrong = self.client.post("/admin/login/", {"username": "alice", "password": "nope"})
        self.assertContains(wrong, 'role="alert"')
        self.client.force_login(self.alice)
        out = self.client.post("/admin/logout/")
        self.assertContains(out, "您已安全退出。")
        self.assertContains(out, "重新登录")
        self.assertNotContains(out, "Django")
        self.assertNotContains(out, "感谢您")

    def test_the_header_names_the_person_and_offers_the_short_menu(self) -> None:
        self.alice.first_name = "李秀梅"
        self.alice.save()
        self.client.force_login(self.alice)
        page = self.client.get("/admin/")
        self.assertContains(page, '<span class="staff-user">李秀梅</span>')
        self.assertContains(page, 'aria-current="page">工作台</a>')
        self.assertContains(page, ">公开信息</a>")
        self.assertNotContains(page, "审计记录</a>")  # a clerk has no audit trail
        self.client.force_login(self.sam)
        self.assertContains(self.client.get("/admin/"), ">审计记录</a>")

    def test_screen_reader_headers_are_chinese(self) -> None:
        """The app list's hidden table headers were read aloud in English."""
        self.client.force_login(self.alice)
        page = self.client.get("/admin/")
        for english in ["Model name", "Add link", "Change or view list link"]:
            self.assertNotContains(page, english)
        self.assertContains(page, '<th scope="col">名称</th>')


class ErrorPageTests(BaseTestCase):
    def test_403_is_the_portals_page_in_chinese(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get("/admin/audit/")
        self.assertContains(page, "无权操作", status_code=403)
        self.assertContains(page, 'href="/static/css/portal.css"', status_code=403)
        self.assertContains(page, "返回我的待办", status_code=403)

    def test_404_for_staff_and_public(self) -> None:
        public = self.client.get("/notices/999999/")
        self.assertContains(public, "页面不存在", status_code=404)
        self.assertNotContains(public, "返回我的待办", status_code=404)
        self.client.force_login(self.alice)
        staff = self.client.get("/admin/no-such-page/")
        self.assertContains(staff, "页面不存在", status_code=404)
        self.assertContains(staff, "返回我的待办", status_code=404)

    def test_405_renders_a_page_and_keeps_allow(self) -> None:
        """require_POST / require_safe answer with an empty body: a blank page before."""
        self.client.force_login(self.alice)
        staff = self.client.get("/admin/logout/")  # the admin signs out by POST only
        self.assertEqual(staff.status_code, 405)
        self.assertContains(staff, "这个地址不能直接打开", status_code=405)
        self.assertIn("POST", staff["Allow"])
        self.client.logout()
        public = self.client.post("/guide/")
        self.assertContains(public, "这个地址不能直接打开", status_code=405)
        self.assertContains(public, 'href="/static/css/portal.css"', status_code=405)
        self.assertIn("Content-Security-Policy", public)

    def test_500_renders_without_a_request(self) -> None:
        """The server-error page needs neither the request nor the database."""
        with self.assertNumQueries(0):
            page = render_to_string("500.html")
        self.assertIn("服务器出错了", page)
        self.assertIn("/static/css/portal.css", page)

    def test_a_405_that_says_something_is_left_alone(self) -> None:
        request = RequestFactory().get("/api/x")
        said = HttpResponseNotAllowed(["POST"], content=b'{"error": "POST only"}')
        self.assertIs(NotAllowedPageMiddleware(lambda r: said)(request), said)
        fine = HttpResponse("ok")
        self.assertIs(NotAllowedPageMiddleware(lambda r: fine)(request), fine)
