"""config.limits: an oversize request body is refused with 413 before it is read or
spooled to disk (security.md §1.5 and test figure 22).

With the test client (the body is a stream that fails the test if anything reads it) and
with a live server, where a raw socket streams 100 MB while a watcher measures what
lands in FILE_UPLOAD_TEMP_DIR.
"""

from __future__ import annotations

import io
import os
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import LiveServerTestCase, RequestFactory, override_settings

from config.limits import RequestBodyLimitMiddleware, RequestBodyTooLarge, refused
from disclosure.models import Attachment, Notice
from tests.base import BaseTestCase, LiveDataMixin, build_world
from tests.disclosure.test_admin_upload import form_data
from tests.disclosure.upload_builders import make_pdf

MB = 1024 * 1024
# filesizeformat keeps number and unit together with a no-break space.
APPLY = "/org/qinglan/apply/"
NOTICE_ADD = "/admin/disclosure/notice/add/"
CHUNK = 64 * 1024  # Django's upload chunk


class Unreadable(io.RawIOBase):
    """A request body that fails the test when anything reads it."""

    def read(self, *args):
        raise AssertionError("the refused body was read")

    readline = read


def unread_post(client, path: str, length: int, content_type: str = "multipart/form-data"):
    # Test-client extras go into the WSGI environ last, so they replace its input.
    return client.generic(
        "POST", path, b"", content_type,
        **{"wsgi.input": Unreadable(), "CONTENT_LENGTH": str(length)},
    )  # fmt: skip


def big_pdf(size: int) -> bytes:
    pdf = make_pdf()
    return pdf + b"%" + b"x" * (size - len(pdf) - 1)


class CountingHandler(FileUploadHandler):
    """Between the cap handler and the temporary-file handler: counts what would be written."""

    received: list[int] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        CountingHandler.received.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class TestClientLimits(BaseTestCase):
    def assert_refused_page(self, response, limit: str) -> None:
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "提交的内容过大", status_code=413)
        self.assertContains(response, limit, status_code=413)
        # The headers every page of the portal has: the 413 page is rendered below them.
        self.assertIn("frame-ancestors", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_anonymous_oversize_body_refused_unread(self) -> None:
        response = unread_post(self.client, APPLY, 100 * MB)
        self.assert_refused_page(response, "1.0\xa0MB")
        self.assertContains(response, "本表单一次最多接收", status_code=413)
        self.assertNotContains(response, "单个文件", status_code=413)

    @override_settings(REQUEST_BODY_MAX_BYTES=20_000)
    def test_anonymous_cap_is_exact(self) -> None:
        def post(size: int):
            filler = "x" * (size - len("description="))
            return self.client.post(APPLY, f"description={filler}",
                                    content_type="application/x-www-form-urlencoded")  # fmt: skip

        self.assertEqual(post(20_000).status_code, 200)  # the form again, with its errors
        self.assertEqual(post(20_001).status_code, 413)

    def test_forged_session_cookie_gets_the_anonymous_cap(self) -> None:
        self.client.cookies[settings.SESSION_COOKIE_NAME] = uuid.uuid4().hex
        self.assertEqual(unread_post(self.client, NOTICE_ADD, 2 * MB).status_code, 413)

    def test_logged_in_non_staff_gets_the_anonymous_cap(self) -> None:
        resident = get_user_model().objects.create_user("resident", password="x-password-123")
        self.client.force_login(resident)
        self.assertEqual(unread_post(self.client, NOTICE_ADD, 2 * MB).status_code, 413)

    def test_stale_staff_session_gets_the_anonymous_cap(self) -> None:
        self.client.force_login(self.alice)
        self.alice.set_password("another-password-456")
        self.alice.save()
        self.assertEqual(unread_post(self.client, NOTICE_ADD, 2 * MB).status_code, 413)

    def test_staff_body_over_the_upload_cap_refused_unread(self) -> None:
        self.client.force_login(self.alice)
        response = unread_post(self.client, NOTICE_ADD, settings.UPLOAD_REQUEST_BODY_MAX_BYTES + 1)
        self.assert_refused_page(response, "22.5\xa0MB")
        self.assertContains(response, "单个文件最大 20.0\xa0MB", status_code=413)
        self.assertContains(response, "返回我的待办", status_code=413)

    def test_staff_attachment_over_the_anonymous_cap_is_stored(self) -> None:
        self.client.force_login(self.alice)
        upload = SimpleUploadedFile("名单.pdf", big_pdf(3 * MB))
        data = form_data(organization=self.civil.pk, **{"attachments-0-file": upload})
        response = self.client.post(NOTICE_ADD, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Attachment.objects.get(original_name="名单.pdf").size, 3 * MB)

    def test_public_form_that_takes_a_file_gets_the_upload_cap(self) -> None:
        for path in ("/apply/record-correction/", "/org/qinglan/apply/record-correction/"):
            with self.subTest(path=path):
                upload = SimpleUploadedFile("证明.pdf", big_pdf(3 * MB))
                response = self.client.post(path, {"name": "王小明", "evidence_file": upload})
                self.assertEqual(response.status_code, 200)  # the form, with its errors

    def test_file_over_its_cap_stops_the_parser_and_the_view(self) -> None:
        CountingHandler.received = []
        temp = tempfile.mkdtemp(prefix="limits-upload-")
        handlers = ["config.limits.UploadCapHandler", f"{__name__}.CountingHandler",
                    "django.core.files.uploadhandler.TemporaryFileUploadHandler"]  # fmt: skip
        self.client.force_login(self.alice)
        # The fields come first, the file last: the view must not run on the fields alone.
        upload = SimpleUploadedFile("名单.pdf", big_pdf(MB))
        data = form_data(organization=self.civil.pk, **{"attachments-0-file": upload})
        with override_settings(ATTACHMENT_MAX_BYTES=200_000, IMAGE_MAX_BYTES=100_000,
                               FILE_UPLOAD_HANDLERS=handlers, FILE_UPLOAD_TEMP_DIR=temp,
                               FILE_UPLOAD_MAX_MEMORY_SIZE=0):  # fmt: skip
            response = self.client.post(NOTICE_ADD, data)
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "单个文件最大 195.3\xa0KB", status_code=413)
        self.assertLessEqual(sum(CountingHandler.received), 200_000)
        self.assertGreater(sum(CountingHandler.received), 200_000 - CHUNK)
        self.assertEqual(os.listdir(temp), [])
        self.assertFalse(Notice.objects.filter(title__startswith="2026年高龄").exists())

    def test_body_without_a_length_is_capped_while_read(self) -> None:
        # A server that passes a stream without CONTENT_LENGTH (Django's WSGI request
        # then reads nothing at all; an ASGI server, or a terminated stream, would).
        request = RequestFactory().post(APPLY, b"", content_type="application/octet-stream")
        request.META.pop("CONTENT_LENGTH", None)
        request._stream = io.BytesIO(b"x" * (3 * MB))
        # Read as the multipart parser reads (request.body has its own check for fields).
        middleware = RequestBodyLimitMiddleware(lambda r: r.read())
        with self.assertRaises(RequestBodyTooLarge):
            middleware(request)
        self.assertEqual(refused(request), settings.REQUEST_BODY_MAX_BYTES)


class TempDirWatcher(threading.Thread):
    """Polls a directory every few milliseconds; keeps the largest total size seen."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path, self.peak, self.files_seen, self.running = path, 0, 0, True

    def run(self) -> None:
        while self.running:
            total = 0
            with os.scandir(self.path) as entries:
                for entry in entries:
                    self.files_seen = max(self.files_seen, 1)
                    try:
                        total += entry.stat().st_size
                    except FileNotFoundError:
                        pass
            self.peak = max(self.peak, total)
            time.sleep(0.002)

    def stop(self) -> None:
        self.running = False
        self.join(timeout=5)


CSRF = "c" * 32


class LiveServerLimits(LiveDataMixin, LiveServerTestCase):
    def setUp(self) -> None:
        build_world(self)
        self.temp = tempfile.mkdtemp(prefix="limits-live-")
        self.watcher = TempDirWatcher(self.temp)
        self.watcher.start()
        self.settings = override_settings(FILE_UPLOAD_TEMP_DIR=self.temp)
        self.settings.enable()

    def tearDown(self) -> None:
        self.watcher.stop()
        self.settings.disable()
        super().tearDown()

    def session_for(self, user) -> str:
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.save()
        return session.session_key

    def stream(self, path: str, content_type: str, head: bytes, size: int, tail: bytes = b"",
               cookies: str = f"csrftoken={CSRF}") -> tuple[int, bytes, int]:  # fmt: skip
        """POST head + `size` filler bytes + tail through a raw socket, reading the answer
        while still sending. Returns (status, body, bytes sent before the answer came)."""
        length = len(head) + size + len(tail)
        host, port = self.server_thread.host, self.server_thread.port
        sock = socket.create_connection((host, port), timeout=60)
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\nCookie: {cookies}\r\nX-CSRFToken: {CSRF}\r\n\r\n".encode()
        )
        answered = threading.Event()
        sent = [0]

        def send() -> None:
            try:
                sock.sendall(head)
                block = b"x" * CHUNK
                left = size
                while left > 0 and not answered.is_set():
                    sent[0] += sock.send(block[: min(left, CHUNK)])
                    left = length - len(head) - len(tail) - sent[0]
                if not answered.is_set():
                    sock.sendall(tail)
            except OSError:
                pass  # the server may close once it has answered

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        raw = b""
        while b"\r\n\r\n" not in raw:
            raw += sock.recv(65536)
        at_answer = sent[0]
        header, _, body = raw.partition(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        declared = next(int(v) for k, _, v in (line.partition(": ") for line in lines[1:])
                        if k.lower() == "content-length")  # fmt: skip
        while len(body) < declared:
            body += sock.recv(65536)
        answered.set()
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        sender.join(timeout=10)
        return int(lines[0].split()[1]), body, at_answer

    def test_anonymous_100mb_refused_before_anything_is_spooled(self) -> None:
        status, body, sent = self.stream(APPLY, "application/x-www-form-urlencoded",
                                         b"description=", 100 * MB)  # fmt: skip
        self.assertEqual(status, 413)
        self.assertIn("提交的内容过大".encode(), body)
        self.assertLess(sent, 100 * MB)  # answered while the body was still coming
        self.assertEqual((self.watcher.files_seen, self.watcher.peak), (0, 0))

    def test_staff_100mb_refused_before_anything_is_spooled(self) -> None:
        cookies = f"csrftoken={CSRF}; {settings.SESSION_COOKIE_NAME}={self.session_for(self.alice)}"
        status, body, _sent = self.stream(NOTICE_ADD, "multipart/form-data; boundary=b",
                                          b"", 100 * MB, cookies=cookies)  # fmt: skip
        self.assertEqual(status, 413)
        self.assertIn("单个文件最大 20.0\xa0MB".encode(), body)
        self.assertEqual((self.watcher.files_seen, self.watcher.peak), (0, 0))

    @override_settings(ATTACHMENT_MAX_BYTES=2 * MB, IMAGE_MAX_BYTES=MB)
    def test_staff_file_over_its_cap_stops_at_the_cap_plus_one_chunk(self) -> None:
        cookies = f"csrftoken={CSRF}; {settings.SESSION_COOKIE_NAME}={self.session_for(self.alice)}"
        fields = {"csrfmiddlewaretoken": CSRF, "title": "2026年高龄津贴发放名单公示"}
        head = b"".join(
            f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ) + (
            b'--b\r\nContent-Disposition: form-data; name="attachments-0-file"; '
            b'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n'
        )
        status, body, _sent = self.stream(NOTICE_ADD, "multipart/form-data; boundary=b",
                                          head, 10 * MB, tail=b"\r\n--b--\r\n",
                                          cookies=cookies)  # fmt: skip
        self.assertEqual(status, 413)
        self.assertIn("单个文件最大 2.0\xa0MB".encode(), body)
        time.sleep(0.05)  # one more look by the watcher
        print(f"\ntemporary file at most {self.watcher.peak} bytes (cap {2 * MB})")
        self.assertEqual(self.watcher.files_seen, 1)  # the file did start on disk...
        self.assertLessEqual(self.watcher.peak, 2 * MB + CHUNK)  # ...and stopped at the cap
        self.assertEqual(list(Path(self.temp).iterdir()), [])  # and was deleted
        self.assertFalse(Notice.objects.exists())
