from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .public import public_state
from .scope import get_scope


def site(request: HttpRequest) -> dict:
    """`scope` (the organisation the page speaks for) and `site` (the profile) for base.html."""
    scope = SimpleLazyObject(lambda: get_scope(request))
    return {
        "scope": scope,
        "site": SimpleLazyObject(lambda: get_scope(request).site),
        "elder_mode": request.COOKIES.get("elder") == "1",
        # Keys the cached parts of base.html (the navigation, the footer).
        "public_version": SimpleLazyObject(lambda: public_state(request).version),
    }
