"""Anonymous public pages are cached, and never stale: publishing, withdrawing and a
scheduled time all refresh them; 304 for what the browser already has."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from config import urls as config_urls
from disclosure.models import Notice
from portal.models import PublicVersion
from tests import factories
from tests.base import BaseTestCase


def a_new_form(request: HttpRequest) -> HttpResponse:
    """A page someone adds later, with a form: nothing registers it anywhere."""
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<input name="q"></form>'
    )
    return HttpResponse(template.render({}, request))


def a_new_page(request: HttpRequest) -> HttpResponse:
    """The control: the same page without a form."""
    return HttpResponse("<p>新栏目</p>")


def a_new_page_with_a_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>记住选择</p>")
    response.set_cookie("choice", "1")
    return response


urlpatterns = [
    path("a-new-form/", a_new_form),
    path("a-new-cookie/", a_new_page_with_a_cookie),
    path("a-new-page/", a_new_page),
    *config_urls.urlpatterns,
]


class PageCacheTests(BaseTestCase):
    def setUp(self) -> None:
        # After the suite-wide fixture that turns the cache off for view tests.
        self.enterContext(override_settings(PUBLIC_PAGE_CACHE_SECONDS=600))

    def get(self, url: str, **headers):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.get(url, **headers)

    def test_second_visit_is_a_hit_with_one_query(self) -> None:
        factories.notice(self.civil, title="已公开的通知")
        first = self.get("/notices/")
        self.assertEqual(first["X-Page-Cache"], "miss")
        with CaptureQueriesContext(connection) as ctx:
            second = self.get("/notices/")
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(len(ctx.captured_queries), 1)  # the version row
        self.assertEqual(second.content, first.content)
        self.assertIn("Content-Security-Policy", second)  # headers still added

    def test_304_when_nothing_changed(self) -> None:
        first = self.get("/")
        again = self.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)

    def test_publishing_and_withdrawing_refresh_every_list(self) -> None:
        notice = factories.in_state(self, "approved", title="刚刚发布的通知",
                                    catalog="news/highlights")  # fmt: skip
        self.assertNotContains(self.get("/notices/"), "刚刚发布的通知")
        with self.captureOnCommitCallbacks(execute=True):
            notice.publish(self.olga)
        self.assertContains(self.get("/notices/"), "刚刚发布的通知")
        self.assertContains(self.get("/"), "刚刚发布的通知")
        with self.captureOnCommitCallbacks(execute=True):
            notice.withdraw(self.olga, reason="有误")
        self.assertNotContains(self.get("/notices/"), "刚刚发布的通知")
        self.assertNotContains(self.get("/"), "刚刚发布的通知")

    def test_a_scheduled_notice_appears_on_time_in_cached_lists(self) -> None:
        notice = factories.in_state(self, "approved", title="定时发布的通知",
                                    catalog="news/highlights")  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            notice.publish(self.olga, at=timezone.now() + timedelta(hours=1))
        self.assertNotContains(self.get("/notices/"), "定时发布的通知")
        # The time comes (moved here rather than waiting an hour).
        Notice.objects.filter(pk=notice.pk).update(published_at=timezone.now())
        PublicVersion.objects.filter(pk=1).update(next_change_at=timezone.now())
        self.assertContains(self.get("/notices/"), "定时发布的通知")

    def test_views_are_still_counted_on_hits(self) -> None:
        notice = factories.notice(self.civil, title="浏览计数")
        for _ in range(3):
            self.get(notice.get_absolute_url())
        notice.refresh_from_db()
        self.assertEqual(notice.views, 3)

    def test_forms_staff_and_logged_in_visitors_are_not_cached(self) -> None:
        self.assertNotIn("X-Page-Cache", self.get("/apply/"))
        self.client.force_login(self.alice)
        self.assertNotIn("X-Page-Cache", self.get("/notices/"))

    def test_large_print_mode_has_its_own_copy(self) -> None:
        self.get("/")
        self.client.cookies["elder"] = "1"
        self.assertContains(self.get("/"), '<body class="elder">')

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_new_page_with_a_form_is_never_cached_by_accident(self) -> None:
        """Issue 9: the response decides (it used the CSRF token), not a list of URLs."""
        self.assertEqual(self.get("/a-new-page/")["X-Page-Cache"], "miss")
        self.assertEqual(self.get("/a-new-page/")["X-Page-Cache"], "hit")
        first = self.get("/a-new-form/")
        self.assertIn("csrfmiddlewaretoken", first.content.decode())
        self.assertNotIn("X-Page-Cache", first)
        second = self.get("/a-new-form/")
        self.assertNotIn("X-Page-Cache", second)
        self.assertIn("csrftoken", second.cookies)  # a fresh token, from the view itself

    @override_settings(ROOT_URLCONF=__name__)
    def test_pages_that_set_a_cookie_or_say_no_store_are_not_cached(self) -> None:
        for _ in range(2):
            self.assertNotIn("X-Page-Cache", self.get("/a-new-cookie/"))
        self.assertNotIn("X-Page-Cache", self.get("/healthz"))
        self.assertNotIn("X-Page-Cache", self.get("/healthz"))
