"""Scope the public pages to one organisation: /org/<slug>/notices/ is /notices/
for that township only.

The prefix is moved into the script prefix, so every `reverse()` and `{% url %}`
on the page keeps the scope without any view or template knowing about it,
exactly as when the portal is mounted under a sub-path of a county portal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from asgiref.local import Local

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, set_script_prefix

SCOPE_PREFIX = re.compile(r"^/org/(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)$")

# The script prefix as the server gave it (SCRIPT_NAME / FORCE_SCRIPT_NAME), while a
# scoped request has /org/<slug>/ added to the live one. Per thread and per task, as
# Django keeps the script prefix itself.
_site_root = Local()


def site_root_prefix() -> str:
    """Where the portal itself is mounted ("/" or "/county/town/"), without an
    organisation's scope: what is served once for the whole site (static files) lives
    there, not under /org/<slug>/."""
    return getattr(_site_root, "prefix", None) or get_script_prefix()


class OrganizationScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope_slug = None
        match = SCOPE_PREFIX.match(request.path_info)
        if match and not match["rest"].startswith("/admin/"):
            request.scope_slug = match["slug"]
            request.path_info = match["rest"]
            prefix = get_script_prefix()
            _site_root.prefix = prefix
            set_script_prefix(f"{prefix}org/{match['slug']}/")
            try:
                return self.get_response(request)
            finally:
                # The prefix is per thread: put it back so that nothing after
                # this request (a test, the next request on a reused thread
                # before its handler resets it) builds scoped URLs by accident.
                set_script_prefix(prefix)
                _site_root.prefix = None
        return self.get_response(request)
