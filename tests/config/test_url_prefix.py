"""A township channel served inside the county's portal (SCRIPT_NAME, FORCE_SCRIPT_NAME):
every link and the stylesheet under the prefix, cached navigation never crossing from a
prefixed page to an unprefixed one (in either order), and framing by the county portal
allowed only when a setting names it."""

from __future__ import annotations

from html.parser import HTMLParser

from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import get_script_name
from django.test import Client, override_settings
from django.test.client import ClientHandler
from django.urls import set_script_prefix

from config.settings import frame_ancestors
from tests import factories
from tests.base import BaseTestCase

PREFIX = "/county/qinglan"
PREFIXED_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.static_storage.PrefixedStaticFilesStorage"},
}
COUNTY = "https://www.yunxi.gov.cn"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value and value.startswith("/"):
                self.links.append(value)


class _ServerHandler(ClientHandler):
    """As the WSGI server's handler (WSGIHandler.__call__), which the test client's is
    not: the script prefix of each request is its SCRIPT_NAME (or FORCE_SCRIPT_NAME)."""

    def __call__(self, environ):
        set_script_prefix(get_script_name(environ))
        try:
            return super().__call__(environ)
        finally:
            set_script_prefix("/")


class ServerClient(Client):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.handler = _ServerHandler(enforce_csrf_checks=False)


def site_links(response) -> list[str]:
    """Every link, script, stylesheet and form target that is a path on this host."""
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.links


def directive(response, name: str) -> str:
    parts = [p.strip() for p in response["Content-Security-Policy"].split(";")]
    return next(p for p in parts if p.startswith(name + " "))


class PrefixTests(BaseTestCase):
    client_class = ServerClient

    def setUp(self) -> None:
        # The production storage's URLs (without the manifest), after the suite-wide
        # fixture that puts Django's plain storage in.
        self.enterContext(override_settings(STORAGES=PREFIXED_STORAGE))
        self.notice = factories.notice(self.civil, title="关于低保对象的公示")

    def prefixed(self, url: str):
        return self.client.get(url, SCRIPT_NAME=PREFIX)

    def assert_all_prefixed(self, response, prefix: str = PREFIX) -> None:
        links = site_links(response)
        self.assertGreater(len(links), 10)
        self.assertEqual([link for link in links if not link.startswith(prefix + "/")], [])

    def assert_none_prefixed(self, response) -> None:
        links = site_links(response)
        self.assertGreater(len(links), 10)
        self.assertEqual([link for link in links if link.startswith("/county/")], [])

    def test_every_link_and_the_stylesheet_are_under_the_prefix(self) -> None:
        for url in ("/", "/notices/", self.notice.get_absolute_url(), "/apply/", "/search/?q=低保"):
            with self.subTest(url=url):
                response = self.prefixed(url)
                self.assertEqual(response.status_code, 200)
                self.assert_all_prefixed(response)
                self.assertContains(response, f'href="{PREFIX}/static/css/portal.css"')

    def test_prefixed_first_then_unprefixed(self) -> None:
        """The bug: one prefixed request, and 8 of the links on / pointed into the county."""
        for url in ("/", "/notices/", "/guide/"):
            with self.subTest(url=url):
                self.assert_all_prefixed(self.prefixed(url))
                plain = self.client.get(url)
                self.assert_none_prefixed(plain)
                self.assertContains(plain, 'href="/static/css/portal.css"')

    def test_unprefixed_first_then_prefixed(self) -> None:
        for url in ("/", "/notices/", "/guide/"):
            with self.subTest(url=url):
                self.assert_none_prefixed(self.client.get(url))
                self.assert_all_prefixed(self.prefixed(url))

    def test_both_orders_with_the_whole_page_cache_on(self) -> None:
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=600):
            for _ in range(2):  # the second round is served from the cache
                self.assert_all_prefixed(self.prefixed("/"))
                self.assert_none_prefixed(self.client.get("/"))
            self.assertEqual(self.client.get("/")["X-Page-Cache"], "hit")
            self.assertEqual(self.prefixed("/")["X-Page-Cache"], "hit")

    def test_an_organisation_scope_under_the_prefix(self) -> None:
        """Links keep /org/<slug>/; the stylesheet is the site's, where WhiteNoise serves it."""
        scoped = self.prefixed("/org/qinglan-civil/notices/")
        self.assertEqual(scoped.status_code, 200)
        links = [link for link in site_links(scoped) if "/static/" not in link]
        self.assertEqual([x for x in links if not x.startswith(f"{PREFIX}/org/qinglan-civil/")], [])
        self.assertContains(scoped, f'href="{PREFIX}/static/css/portal.css"')
        self.assert_none_prefixed(self.client.get("/notices/"))
        self.assert_all_prefixed(self.prefixed("/notices/"))

    @override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
    def test_the_stylesheet_link_is_served(self) -> None:
        client = ServerClient()  # a new handler, so WhiteNoise reads the settings above
        page = client.get("/", SCRIPT_NAME=PREFIX)
        href = next(link for link in site_links(page) if link.endswith("portal.css"))
        css = client.get(href.removeprefix(PREFIX), SCRIPT_NAME=PREFIX)
        self.assertEqual(css.status_code, 200)
        self.assertIn(b".site-header", b"".join(css.streaming_content))

    def test_the_large_print_switch_returns_under_the_prefix(self) -> None:
        # Without a usable `next` the switch goes home: the township's home, not the county's "/".
        for query in ("mode=elder", "mode=elder&next=https://evil.example/"):
            response = self.prefixed(f"/display/?{query}")
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], PREFIX + "/", query)

    @override_settings(FORCE_SCRIPT_NAME=PREFIX + "/")
    def test_force_script_name(self) -> None:
        response = self.client.get("/notices/")
        self.assert_all_prefixed(response)
        self.assertContains(response, f'href="{PREFIX}/static/css/portal.css"')

    def test_the_staff_side_under_the_prefix(self) -> None:
        self.client.force_login(self.alice)
        response = self.prefixed("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'href="{PREFIX}/static/css/')
        self.assertNotContains(response, 'href="/static/')


class FramingTests(BaseTestCase):
    client_class = ServerClient

    def test_by_default_no_site_may_frame_any_page(self) -> None:
        for url in ("/", "/notices/", "/admin/login/", "/no-such-page/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(directive(response, "frame-ancestors"), "frame-ancestors 'none'")

    @override_settings(PORTAL_FRAME_ANCESTORS=[COUNTY, "https://*.yunxi.gov.cn"])
    def test_the_county_portal_may_frame_the_public_pages(self) -> None:
        factories.notice(self.civil, title="可嵌入的通知")
        for url in ("/", "/notices/", "/no-such-page/", "/notices/?q=a%00b"):
            with self.subTest(url=url):
                response = self.client.get(url, SCRIPT_NAME=PREFIX)
                self.assertNotIn("X-Frame-Options", response)
                self.assertEqual(
                    directive(response, "frame-ancestors"),
                    f"frame-ancestors {COUNTY} https://*.yunxi.gov.cn",
                )
                self.assertIn("object-src 'none'", response["Content-Security-Policy"])

    @override_settings(PORTAL_FRAME_ANCESTORS=[COUNTY], PUBLIC_PAGE_CACHE_SECONDS=600)
    def test_a_cached_page_is_framed_the_same(self) -> None:
        self.client.get("/")
        hit = self.client.get("/")
        self.assertEqual(hit["X-Page-Cache"], "hit")
        self.assertNotIn("X-Frame-Options", hit)
        self.assertEqual(directive(hit, "frame-ancestors"), f"frame-ancestors {COUNTY}")

    @override_settings(PORTAL_FRAME_ANCESTORS=[COUNTY])
    def test_the_staff_side_is_never_framed(self) -> None:
        for url in ("/admin/login/", "/admin/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(directive(response, "frame-ancestors"), "frame-ancestors 'none'")

    def test_the_setting_takes_host_sources_only(self) -> None:
        self.assertEqual(frame_ancestors([COUNTY, "'self'", "yunxi.gov.cn:8443"]),
                         [COUNTY, "'self'", "yunxi.gov.cn:8443"])  # fmt: skip
        for bad in (f"{COUNTY}; script-src *", "https://a b", "'unsafe-inline'", "*"):
            with self.subTest(bad=bad), self.assertRaises(ImproperlyConfigured):
                frame_ancestors([bad])
