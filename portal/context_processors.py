from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .scope import get_scope


def site(request: HttpRequest) -> dict:
    """`scope` (the organisation the page speaks for) and `site` (the profile) for base.html."""
    scope = SimpleLazyObject(lambda: get_scope(request))
    return {
        "scope": scope,
        "site": SimpleLazyObject(lambda: get_scope(request).site),
        "elder_mode": request.COOKIES.get("elder") == "1",
    }
