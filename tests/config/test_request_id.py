"""A request id on every log line, on the 500 page and in a response header; a proxy's
X-Request-ID believed only from PORTAL_TRUSTED_PROXIES; __Host- cookies under HTTPS
(issue 12, item 8)."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from config.request_id import HEADER, RequestIdFilter, RequestIdMiddleware, current
from tests.base import BaseTestCase

log = logging.getLogger("tests.request_id")


def noisy(request) -> HttpResponse:
    log.warning("looked at %s", request.path)
    return HttpResponse("ok")


def boom(request) -> HttpResponse:
    raise RuntimeError("secret detail: /srv/portal/settings.py SELECT * FROM auth_user")


urlpatterns = [path("noisy/", noisy), path("boom/", boom), path("", include("config.urls"))]


class Captured:
    """Log lines as the console handler writes them (its filter and format)."""

    def __init__(self, *loggers: str) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(RequestIdFilter())
        self.handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["portal"]
                                                    ["format"]))  # fmt: skip
        self.loggers = [logging.getLogger(name) for name in loggers]

    def __enter__(self) -> Captured:
        for logger in self.loggers:
            logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc) -> None:
        for logger in self.loggers:
            logger.removeHandler(self.handler)

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()


@override_settings(ROOT_URLCONF=__name__)
class RequestIdTests(BaseTestCase):
    def test_each_response_names_its_request_and_each_log_line_too(self) -> None:
        with Captured("tests.request_id") as captured:
            first = self.client.get("/noisy/")
            second = self.client.get("/noisy/")
        ids = [first[HEADER], second[HEADER]]
        self.assertNotEqual(ids[0], ids[1])
        self.assertRegex(ids[0], r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
        self.assertEqual(captured.lines[0].split(" [")[1].split("]")[0], ids[0])
        self.assertIn(f"[{ids[1]}] tests.request_id: looked at /noisy/", captured.lines[1])
        self.assertEqual(current(), "-")  # nothing left behind for the next request

    def test_a_page_from_the_page_cache_gets_its_own(self) -> None:
        with self.settings(PUBLIC_PAGE_CACHE_SECONDS=600):
            first, second = self.client.get("/"), self.client.get("/")
        self.assertNotEqual(first[HEADER], second[HEADER])

    def test_pages_refused_before_the_view_carry_it_too(self) -> None:
        for status, response in [
            (404, self.client.get("/no-such-page/")),
            (405, self.client.put("/org/qinglan/apply/")),
            (200, self.client.get("/")),
        ]:
            with self.subTest(status=status):
                self.assertEqual(response.status_code, status)
                self.assertTrue(response.has_header(HEADER))

    def test_the_console_handler_of_the_settings_adds_it(self) -> None:
        handlers = [h for h in logging.getLogger().handlers
                    if any(isinstance(f, RequestIdFilter) for f in h.filters)]  # fmt: skip
        self.assertTrue(handlers)
        self.assertIn("%(request_id)s", handlers[0].formatter._fmt)
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "outside", None, None)
        handlers[0].filters[0].filter(record)
        self.assertEqual(record.request_id, "-")

    def test_the_500_page_quotes_the_id_that_the_log_line_has(self) -> None:
        client = Client(raise_request_exception=False)
        with Captured("django.request") as captured:
            response = client.get("/boom/")
        self.assertEqual(response.status_code, 500)
        rid = response[HEADER]
        page = response.content.decode()
        self.assertIn(f"<code>{rid}</code>", page)
        self.assertIn("来电时请告知此错误编号", page)
        self.assertNotIn("secret detail", page)
        self.assertNotIn("Traceback", page)
        errors = [line for line in captured.lines if "Internal Server Error: /boom/" in line]
        self.assertEqual(len(errors), 1)
        self.assertIn(f"[{rid}]", errors[0])

    def test_the_500_page_renders_outside_a_request(self) -> None:
        page = render_to_string("500.html")  # what Django's handler does, no context
        self.assertIn("服务器出错了", page)
        self.assertNotIn("<code>", page)


class ProxyHeaderTests(BaseTestCase):
    """RequestIdMiddleware alone: which X-Request-ID it takes."""

    def seen(self, remote: str, given: str) -> str:
        request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_REQUEST_ID=given)
        return RequestIdMiddleware(lambda r: HttpResponse(current()))(request).content.decode()

    def test_taken_only_from_a_trusted_proxy(self) -> None:
        nginx = "4f8c2a1e9b7d4c3a8e6f1b2d3c4a5e6f"
        self.assertNotEqual(self.seen("10.0.0.5", nginx), nginx)  # no proxies: nobody's
        with override_settings(PORTAL_TRUSTED_PROXIES=["10.0.0.0/24"]):
            self.assertEqual(self.seen("10.0.0.5", nginx), nginx)
            self.assertNotEqual(self.seen("203.0.113.7", nginx), nginx)  # a client's own

    def test_a_header_that_is_not_a_plain_token_is_replaced(self) -> None:
        with override_settings(PORTAL_TRUSTED_PROXIES=["10.0.0.5"]):
            for given in ["abc def 123456", "x" * 200, "1234567\nINFO forged line", "短"]:
                with self.subTest(given=given):
                    self.assertNotEqual(self.seen("10.0.0.5", given), given)
                    self.assertRegex(self.seen("10.0.0.5", given), r"^[0-9A-Z-]{14}$")


def settings_under(**env: str) -> tuple[str, str]:
    """The cookie names a fresh process gets from the settings with `env`."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
    )
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SECURE_COOKIES"}
    environ |= {"DJANGO_SETTINGS_MODULE": "config.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                         text=True, check=True, cwd=settings.BASE_DIR)  # fmt: skip
    return tuple(out.stdout.split())


class CookieNameTests(BaseTestCase):
    def test_host_prefixed_under_https_plain_over_http(self) -> None:
        self.assertEqual(settings_under(DJANGO_SECURE_COOKIES="1"),
                         ("__Host-sessionid", "__Host-csrftoken", "True"))  # fmt: skip
        self.assertEqual(settings_under(), ("sessionid", "csrftoken", "False"))

    def test_the_browser_gets_them_as_host_cookies_require(self) -> None:
        """Secure, Path=/, no Domain: otherwise a browser drops a __Host- cookie."""
        from tests.applications.test_apply import APPLY, form

        secure = {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                  "SESSION_COOKIE_NAME": "__Host-sessionid",
                  "CSRF_COOKIE_NAME": "__Host-csrftoken"}  # fmt: skip
        with override_settings(**secure):
            page = self.client.get(APPLY, secure=True)  # the form sets the CSRF cookie
            sent = self.client.post(APPLY, form(), secure=True)  # the receipt, by session
        cookies = [page.cookies["__Host-csrftoken"], sent.cookies["__Host-sessionid"]]
        for cookie in cookies:
            with self.subTest(cookie=cookie.key):
                self.assertTrue(cookie["secure"])
                self.assertEqual(cookie["path"], "/")
                self.assertEqual(cookie["domain"], "")
        self.assertTrue(cookies[1]["httponly"])
        self.assertNotIn("sessionid", sent.cookies)
