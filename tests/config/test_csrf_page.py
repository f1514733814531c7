"""A form post the CSRF check refuses says so in the portal's words, in its look."""

from __future__ import annotations

from django.test import Client

from tests.base import BaseTestCase


class CsrfFailurePageTests(BaseTestCase):
    def setUp(self) -> None:
        self.browser = Client(enforce_csrf_checks=True)

    def test_an_expired_staff_form_explains_what_to_do(self) -> None:
        self.browser.force_login(self.alice)
        self.browser.get("/admin/")  # the CSRF cookie is set, the form's token is not sent
        response = self.browser.post("/admin/password_change/", {"old_password": "x"})
        self.assertEqual(response.status_code, 403)
        page = response.content.decode()
        self.assertIn("页面已过期", page)
        self.assertIn("复制您填写的内容", page)
        self.assertIn("返回我的待办", page)  # the staff way back
        self.assertNotIn("CSRF", page)
        self.assertIn(self.site_profile_name(), page)  # rendered with the site's header

    def test_a_resident_without_cookies_is_told_to_allow_them(self) -> None:
        response = self.browser.post("/apply/", {"name": "王芳"})
        self.assertEqual(response.status_code, 403)
        page = response.content.decode()
        self.assertIn("Cookie", page)
        self.assertNotIn("CSRF", page)
        self.assertNotIn("返回我的待办", page)

    def site_profile_name(self) -> str:
        from portal.models import SiteProfile

        return SiteProfile.load().name
