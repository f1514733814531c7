"""A styled page for 405: Django's `require_POST` and `require_safe` answer with an empty
body, which a browser shows as a blank page (a staff member refreshing a workflow URL)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
