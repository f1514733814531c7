"""A request id on every log line, on the 500 page and in the X-Request-ID response header,
so that a resident quoting the page's number leads to the log lines of their request.

- The id: the X-Request-ID of a proxy in PORTAL_TRUSTED_PROXIES (nginx's $request_id,
  so its access log and ours agree), when it is a plain token; otherwise a new random
  one, short enough to read out. A header from anyone else is the client's word: it
  could make two requests look like one, or put words into our logs.
- Kept in a context variable for the time of the request: the logging filter reads it
  for every record (of any logger), and `{% request_id %}` for the 500 page, which
  Django renders without a context. Outside a request both give "-".
- First in MIDDLEWARE, so that whatever any other middleware or the view logs carries
  it; the 500 response is made inside it (Django turns the exception into a response
  below each middleware), so its page and header have it too.

This module is imported by the logging configuration, before the apps are loaded: no
model import at its top.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from contextvars import ContextVar

from django import template
from django.http import HttpRequest, HttpResponse

from portal.addresses import from_trusted_proxy

HEADER = "X-Request-ID"
META = "HTTP_X_REQUEST_ID"
NONE = "-"
# A new id: 12 characters read out easily on the phone (the tracking codes' alphabet, 60
# bits: unique enough among one site's requests of a few years, with the log's time).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What we accept from the proxy: a token, not text (no spaces, quotes or line breaks).
ACCEPTED = re.compile(r"[A-Za-z0-9._:@-]{8,128}")

_current: ContextVar[str] = ContextVar("request_id", default=NONE)


def current() -> str:
    """The id of the request being handled, "-" outside one."""
    return _current.get()


def request_id_for(request: HttpRequest) -> str:
    given = request.META.get(META, "")
    if given and ACCEPTED.fullmatch(given) and from_trusted_proxy(request):
        return given
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record `request_id` (the formatter's %(request_id)s)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current()
        return True


register = template.Library()


@register.simple_tag
def request_id() -> str:
    """The current request's id (a context variable's read cannot fail: the 500 page)."""
    return current()
