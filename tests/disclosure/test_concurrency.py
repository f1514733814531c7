"""20 simultaneous "publish" requests for one notice: one publication, one index
number, one event, and no server error. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections import Counter

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import LiveServerTestCase

from disclosure.models import Notice, NoticeEvent
from tests import factories
from tests.base import LiveDataMixin, build_world

REQUESTS = 20
CSRF = "c" * 32  # a token the test chooses; the cookie and the header agree


class ConcurrentPublishTests(LiveDataMixin, LiveServerTestCase):
    def setUp(self) -> None:
        build_world(self)
        self.notice = factories.in_state(self, "approved", catalog="news/highlights")

    def session_for(self, user) -> str:
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.save()
        return session.session_key

    def post(self, url: str, session: str) -> int:
        request = urllib.request.Request(
            url, data=b"", method="POST",
            headers={"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF,
                     "Referer": self.live_server_url + "/admin/"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def test_exactly_one_publication(self) -> None:
        session = self.session_for(self.olga)
        url = f"{self.live_server_url}/admin/disclosure/notice/{self.notice.pk}/workflow/publish/"
        barrier = threading.Barrier(REQUESTS)
        results: list[int] = []

        def worker() -> None:
            barrier.wait()
            results.append(self.post(url, session))

        # urllib follows the 302 to the change page, so success reads as 200.
        threads = [threading.Thread(target=worker) for _ in range(REQUESTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        counts = Counter(results)
        print(f"\n{connection.vendor}: {dict(counts)}")
        self.assertEqual(counts, Counter({200: 1, 409: REQUESTS - 1}))
        self.notice.refresh_from_db()
        self.assertEqual(self.notice.status, Notice.Status.PUBLISHED)
        self.assertEqual(Notice.objects.exclude(index_number=None).count(), 1)
        self.assertEqual(
            NoticeEvent.objects.filter(notice=self.notice, action="published").count(), 1
        )
