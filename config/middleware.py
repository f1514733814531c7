"""Request and response middleware of the portal: a styled page for 405, the framing
policy, and a 400 for input nobody can have typed.

Django's `require_POST` and `require_safe` answer 405 with an empty body, which a browser
shows as a blank page (a staff member refreshing a workflow URL)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render


class NotAllowedPageMiddleware:
    """Renders templates/405.html for a 405 response that has no body of its own, keeping
    its `Allow` header. A 405 that says something (an API's JSON) is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class FramingMiddleware:
    """Lets the sites in PORTAL_FRAME_ANCESTORS embed the public pages (a county portal
    showing a township channel in a frame).

    - Unset (the default): nothing changes, every page is DENY / frame-ancestors 'none'.
    - Set: public pages list those origins in CSP frame-ancestors and drop X-Frame-Options,
      which can name only one origin or none; a browser that knows CSP level 2 ignores
      X-Frame-Options when frame-ancestors is present anyway.
    - The staff side (/admin/) stays DENY: its buttons publish and approve, a frame over
      them is the clickjacking the header is for, and nobody works in the portal inside
      another site.
    Below XFrameOptionsMiddleware and CSPMiddleware, so it speaks before they do.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origins = settings.PORTAL_FRAME_ANCESTORS
        if origins and not request.path_info.startswith("/admin/"):
            response.xframe_options_exempt = True
            replace = dict(getattr(response, "_csp_replace", None) or {})
            replace["frame-ancestors"] = list(origins)
            response._csp_replace = replace
        return response


def _unreadable(raw: bytes) -> bool:
    """NUL, or not UTF-8, once percent-decoded ('+' is a space in a form)."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode()
    except UnicodeDecodeError:
        return True
    return False


class UnreadableInputMiddleware:
    """400 with the portal's page when a query string or form value holds a NUL or bytes
    that are not UTF-8 (`%00`, `%ff`).

    Django would pass them on: invalid UTF-8 becomes U+FFFD, and a NUL reaches the
    database, where PostgreSQL refuses it (500) and SQLite's FTS may choke. No person types
    either; a crafted URL or a broken client does, so it is told plainly, once, here.

    - Query strings: the raw bytes, percent-decoded.
    - Form posts: the raw urlencoded body; for multipart posts (uploads) the parsed field
      values are checked for NUL (their bytes were decoded already; a file's own content
      is the upload checks' business).
    Below CSP and X-Frame-Options, so the 400 page gets their headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._unreadable(request):
            return render(request, "400_unreadable.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _unreadable(request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        try:
            raw = query.encode("iso-8859-1")  # WSGI hands the bytes over as latin-1 (PEP 3333)
        except UnicodeEncodeError:
            raw = query.encode()  # ASGI decoded them already
        if _unreadable(raw):
            return True
        if request.method != "POST":
            return False
        if request.content_type == "application/x-www-form-urlencoded":
            return _unreadable(request.body)
        if request.content_type == "multipart/form-data":
            try:
                fields = request.POST.lists()
            except MultiPartParserError:  # a broken body is as unreadable as a NUL
                return True
            return any("\x00" in text for key, values in fields for text in (key, *values))
        return False
