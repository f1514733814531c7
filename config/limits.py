"""Request body caps: an oversize body is refused with 413 before it is read, let alone
spooled to a temporary file (security.md §1.5, ASVS 5.2.1; test figure 22).

Django has no such cap of its own: DATA_UPLOAD_MAX_MEMORY_SIZE leaves file data out,
and the multipart parser writes every file to FILE_UPLOAD_TEMP_DIR before any view or
form can look at its size. So, in three places:

- `RequestBodyLimitMiddleware`, first in MIDDLEWARE, so that nothing (the CSRF check
  reads the form) has touched the body yet. It compares CONTENT_LENGTH with the cap of
  this request: REQUEST_BODY_MAX_BYTES for everyone, UPLOAD_REQUEST_BODY_MAX_BYTES for a
  logged-in staff member and for the public forms that take a file
  (PUBLIC_UPLOAD_URL_NAMES). A refused request keeps an empty body. Every body is also
  read through a counting stream that stops at the cap, for servers that do not pass a
  length.
- `UploadCapHandler`, first in FILE_UPLOAD_HANDLERS: stops the parser once one file
  passes the largest per-file cap (ATTACHMENT_MAX_BYTES / IMAGE_MAX_BYTES), so at most
  that plus one chunk reaches the temporary file, and the view never runs on the part
  that was read.
- `RequestTooLargePageMiddleware`, below CSP and X-Frame-Options and above anything that
  reads the body: answers every refused request with templates/413.html, which then
  gets the same security headers as the other error pages.

The proxy in front should refuse first (nginx `client_max_body_size`, see README).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare

from portal.middleware import SCOPE_PREFIX

# The cap that refused this request, on the request; absent while it is within its caps.
_REFUSED = "body_limit_refused"
_LIMIT = "body_limit"


class RequestBodyTooLarge(RequestDataTooBig):
    """Raised where a body or a file passes its cap while being read. Django answers a
    RequestDataTooBig with 400 and keeps the view from running; the page middleware
    turns that answer into the 413 page."""


def refuse(request: HttpRequest, limit: int) -> None:
    setattr(request, _REFUSED, limit)


def refused(request: HttpRequest) -> int | None:
    return getattr(request, _REFUSED, None)


def upload_file_cap() -> int:
    """The largest file any upload form accepts; clean_upload applies the cap per type."""
    return max(settings.ATTACHMENT_MAX_BYTES, settings.IMAGE_MAX_BYTES)


def declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def body_limit(request: HttpRequest) -> int:
    """The cap for this request's body. Only worked out in full (a session read, a URL
    resolved) for a body larger than REQUEST_BODY_MAX_BYTES or of unknown length."""
    if _staff_session(request) or _public_upload_url(request):
        return settings.UPLOAD_REQUEST_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def _staff_session(request: HttpRequest) -> bool:
    # Above SessionMiddleware and AuthenticationMiddleware, so this does what they would:
    # a cookie alone proves nothing, only a session of an active staff member whose
    # password has not changed since. Read-only: if the session is stale, the
    # middlewares below end it as usual.
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    backend_path = session.get(auth.BACKEND_SESSION_KEY)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS or not session_hash:
        return False
    raw_id = session.get(auth.SESSION_KEY)
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(raw_id)
    except (ValidationError, TypeError, ValueError):  # a forged or stale value
        return False
    if user_id is None:
        return False
    user = auth.load_backend(backend_path).get_user(user_id)
    if user is None or not (user.is_active and user.is_staff):
        return False
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(session_hash, known) for known in hashes)


def _public_upload_url(request: HttpRequest) -> bool:
    names = settings.PUBLIC_UPLOAD_URL_NAMES
    if not names:
        return False
    # OrganizationScopeMiddleware has not moved /org/<slug>/ out of the path yet.
    path = request.path_info
    scoped = SCOPE_PREFIX.match(path)
    if scoped and not scoped["rest"].startswith("/admin/"):
        path = scoped["rest"]
    try:
        match = resolve(path, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.view_name in names


class _CappedStream:
    """The request's input, read through a counter: past `limit` bytes the request is
    refused and reading raises, whatever the client declared."""

    def __init__(self, stream, limit: int, request: HttpRequest) -> None:
        self._stream, self._left, self._request = stream, limit, request
        self._limit = limit

    def _bounded(self, size: int | None) -> int:
        # Never ask for more than one byte past the cap, so an unbounded read() of a
        # huge body cannot fill memory before the count says no.
        if size is None or size < 0:
            return self._left + 1
        return min(size, self._left + 1)

    def _count(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            refuse(self._request, self._limit)
            raise RequestBodyTooLarge("Request body exceeded its cap (config.limits).")
        return data

    def read(self, size: int | None = -1, /) -> bytes:
        return self._count(self._stream.read(self._bounded(size)))

    def readline(self, size: int | None = -1, /) -> bytes:
        return self._count(self._stream.readline(self._bounded(size)))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)  # close() and the rest, as the stream has them


class RequestBodyLimitMiddleware:
    """First in MIDDLEWARE: refuses a body over its cap before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is not None and length <= settings.REQUEST_BODY_MAX_BYTES:
            limit = settings.REQUEST_BODY_MAX_BYTES
        else:
            limit = body_limit(request)
        setattr(request, _LIMIT, limit)
        if length is not None and length > limit:
            refuse(request, limit)
            # Nothing below may read what was refused, even by mistake.
            request.META["CONTENT_LENGTH"] = "0"
            request._stream = LimitedStream(io.BytesIO(), 0)
        else:
            request._stream = _CappedStream(request._stream, limit, request)
        response = self.get_response(request)
        if refused(request) and response.status_code != 413:
            # RequestTooLargePageMiddleware is missing from MIDDLEWARE: still say 413.
            return too_large_page(request)
        return response


class RequestTooLargePageMiddleware:
    """Below CSP and X-Frame-Options, above the first reader of the body
    (UnreadableInputMiddleware, the CSRF check): the 413 page for a refused request,
    whether refused before this point or while the body was read below it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not refused(request):
            response = self.get_response(request)
            if not refused(request):
                return response
        return too_large_page(request)


def too_large_page(request: HttpRequest) -> HttpResponse:
    limit = getattr(request, _LIMIT, settings.REQUEST_BODY_MAX_BYTES)
    uploads = limit >= settings.UPLOAD_REQUEST_BODY_MAX_BYTES
    context = {
        "limit": filesizeformat(limit),
        "file_limit": filesizeformat(upload_file_cap()) if uploads else None,
    }
    return render(request, "413.html", context, status=413)


class UploadCapHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: the chunk that would take a file past
    `upload_file_cap()` never reaches the temporary file. The parser stops without
    reading the rest of the body (connection_reset), the partial file is deleted, and
    the request fails before any view sees the fields read so far."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.cap = upload_file_cap()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.cap:
            refuse(self.request, self.cap)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file

    def upload_complete(self) -> None:
        if self.request is not None and refused(self.request):
            raise RequestBodyTooLarge("An uploaded file exceeded its cap (config.limits).")
