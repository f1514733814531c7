"""applications.ratelimit: `take` counts and decides at once, so requests arriving
together get exactly the limit (live server, threads, SQLite and PostgreSQL); and
the client address trusts forwarding headers only from PORTAL_TRUSTED_PROXIES."""

from __future__ import annotations

import http.client
import threading
import uuid
from collections import Counter
from unittest import mock
from urllib.parse import urlencode

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.test import LiveServerTestCase, RequestFactory, TestCase, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from applications import ratelimit
from applications.models import Application, RateLimitHit
from tests.base import LiveDataMixin, build_world

from .test_apply import APPLY, form

TRACK = "/org/qinglan/apply/track/"


# --- take ---------------------------------------------------------------------------------


class TakeTests(TestCase):
    def test_exactly_the_limit_is_let_through_and_refusals_are_not_counted(self) -> None:
        results = [ratelimit.take("apply:203.0.113.9", 3) for _ in range(6)]
        self.assertEqual(results, [True, True, True, False, False, False])
        self.assertEqual(ratelimit.count("apply:203.0.113.9"), 3)

    def test_keys_and_windows_are_counted_apart(self) -> None:
        self.assertTrue(ratelimit.take("a", 1, 60))
        self.assertFalse(ratelimit.take("a", 1, 60))
        self.assertTrue(ratelimit.take("b", 1, 60))
        with mock.patch.object(ratelimit.time, "time", return_value=ratelimit.time.time() + 60):
            self.assertTrue(ratelimit.take("a", 1, 60))  # the next window

    def test_a_limit_of_zero_lets_nothing_through(self) -> None:
        self.assertFalse(ratelimit.take("a", 0))
        self.assertFalse(RateLimitHit.objects.exists())

    def test_give_back_returns_one_attempt_and_never_goes_below_zero(self) -> None:
        self.assertTrue(ratelimit.take("track:x", 1))
        ratelimit.give_back("track:x")
        self.assertTrue(ratelimit.take("track:x", 1))
        self.assertFalse(ratelimit.take("track:x", 1))
        for _ in range(3):
            ratelimit.give_back("track:x")
        self.assertEqual(ratelimit.count("track:x"), 0)
        ratelimit.give_back("track:never-seen")  # nothing to return: no error, no row
        self.assertFalse(RateLimitHit.objects.filter(key="track:never-seen").exists())


# --- client_address -----------------------------------------------------------------------


def address(remote: str = "10.0.0.5", **headers: str) -> str:
    meta = {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    return ratelimit.client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **meta))


SPOOFED = {"x_forwarded_for": "6.6.6.6", "x_real_ip": "7.7.7.7"}


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_no_trusted_proxies_means_no_header_is_believed():
    """Behind the TLS proxy setting, but with PORTAL_TRUSTED_PROXIES empty (the default)."""
    assert address("203.0.113.9", **SPOOFED) == "203.0.113.9"


@override_settings(PORTAL_TRUSTED_PROXIES=["10.0.0.5"])
def test_headers_from_anyone_but_the_proxy_are_ignored():
    assert address("198.51.100.7", **SPOOFED) == "198.51.100.7"


@override_settings(PORTAL_TRUSTED_PROXIES=["10.0.0.0/24"])
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left part is the client's own word
        ("6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),  # two proxies of ours
        ("203.0.113.9:5678", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("6.6.6.6, not-an-address", "10.0.0.5"),  # not what our proxy writes
        ("10.0.0.1", "10.0.0.1"),  # from inside: the nearest proxy
        ("", "10.0.0.5"),
    ],
)
def test_rightmost_untrusted_forwarded_address_is_the_client(forwarded, expected):
    assert address(x_forwarded_for=forwarded, x_real_ip="7.7.7.7") == expected


@override_settings(PORTAL_TRUSTED_PROXIES=["10.0.0.5"], PORTAL_CLIENT_IP_HEADER="X-Real-IP")
def test_x_real_ip_when_that_is_the_proxys_header():
    assert address(x_real_ip="203.0.113.9", x_forwarded_for="6.6.6.6") == "203.0.113.9"
    assert address(x_real_ip="garbage") == "10.0.0.5"
    assert address("198.51.100.7", x_real_ip="203.0.113.9") == "198.51.100.7"


@pytest.mark.parametrize(
    "overrides",
    [{"PORTAL_TRUSTED_PROXIES": ["10.0.0.300"]}, {"PORTAL_CLIENT_IP_HEADER": "Forwarded"}],
    ids=["bad-proxy", "unknown-header"],
)
def test_misconfiguration_is_loud(overrides):
    with override_settings(**({"PORTAL_TRUSTED_PROXIES": ["10.0.0.5"]} | overrides)):
        with pytest.raises(ImproperlyConfigured):
            address()


# --- at the same moment, against a live server -----------------------------------------------

PROBE_LIMIT = 7


@csrf_exempt
def probe(request):
    key = f"probe:{ratelimit.client_address(request)}"
    return HttpResponse(status=200 if ratelimit.take(key, PROBE_LIMIT) else 429)


urlpatterns = [path("probe/", probe)]

CSRF = "c" * 32


class ConcurrentTakeTests(LiveDataMixin, LiveServerTestCase):
    def post_at_once(self, path: str, bodies: list[dict], cookie: str = "") -> Counter:
        host, port = self.server_thread.host, self.server_thread.port
        barrier = threading.Barrier(len(bodies))
        results: list[int] = []

        def worker(body: dict) -> None:
            conn = http.client.HTTPConnection(host, port, timeout=120)
            # Connected first, so the listen backlog does not spread the requests out.
            conn.connect()
            barrier.wait()
            try:
                conn.request("POST", path, urlencode(body), {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={CSRF}{cookie}",
                })  # fmt: skip
                results.append(conn.getresponse().status)
            except OSError as error:  # shown in the failure, not lost in a thread
                results.append(repr(error))
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, args=(body,)) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        counts = Counter(results)
        print(f"\n{connection.vendor} {path} x{len(bodies)}: {dict(counts)}")
        return counts

    @override_settings(ROOT_URLCONF=__name__)
    def test_take_lets_exactly_the_limit_through(self) -> None:
        for n in (12, 100):
            with self.subTest(requests=n):
                RateLimitHit.objects.all().delete()
                counts = self.post_at_once("/probe/", [{}] * n)
                self.assertEqual(counts, Counter({200: PROBE_LIMIT, 429: n - PROBE_LIMIT}))
                self.assertEqual(RateLimitHit.objects.get().count, PROBE_LIMIT)

    @override_settings(APPLY_RATE_LIMIT=5)
    def test_twelve_applications_at_once_make_exactly_the_limit(self) -> None:
        build_world(self)
        bodies = [form(submission_key=uuid.uuid4().hex, csrfmiddlewaretoken=CSRF)
                  for _ in range(12)]  # fmt: skip
        counts = self.post_at_once(APPLY, bodies)
        self.assertEqual(counts, Counter({302: 5, 429: 7}))
        self.assertEqual(Application.objects.count(), 5)

    @override_settings(TRACK_RATE_LIMIT=5)
    def test_twelve_wrong_codes_at_once_get_exactly_the_limit_of_answers(self) -> None:
        build_world(self)
        bodies = [{"code": "AAAA-BBBB-CCCC-DDDD", "csrfmiddlewaretoken": CSRF}] * 12
        counts = self.post_at_once(TRACK, bodies)
        self.assertEqual(counts, Counter({200: 5, 429: 7}))
