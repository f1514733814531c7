"""Ten identical posts at the same moment (a double click, a flaky network) make one
application. Runs on SQLite and PostgreSQL against the live server."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from django.test import LiveServerTestCase

from applications.models import Application
from tests.base import LiveDataMixin, build_world

from .test_apply import form

POSTS = 10
CSRF = "d" * 32


class DoubleSubmitTests(LiveDataMixin, LiveServerTestCase):
    def setUp(self) -> None:
        build_world(self)

    def post(self, body: bytes) -> int:
        request = urllib.request.Request(
            self.live_server_url + "/org/qinglan/apply/", data=body, method="POST",
            headers={"Cookie": f"csrftoken={CSRF}", "X-CSRFToken": CSRF,
                     "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def test_ten_identical_posts_make_one_application(self) -> None:
        body = urllib.parse.urlencode(form()).encode()
        barrier = threading.Barrier(POSTS)
        results: list[int] = []

        def worker() -> None:
            barrier.wait()
            results.append(self.post(body))

        threads = [threading.Thread(target=worker) for _ in range(POSTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        # Every post ends on the receipt page (urllib follows the redirect): no error.
        self.assertEqual(Counter(results), Counter({200: POSTS}))
        self.assertEqual(Application.objects.count(), 1)
