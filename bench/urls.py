"""The portal's URLs plus /bench/constant/, the stack's limit (anchor B1 of performance.md)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from config import urls as portal_urls


@require_safe
def constant(request: HttpRequest) -> HttpResponse:
    """A constant ~20 KB page through a template and the full middleware stack, no SQL.

    Rendered on every request: the portal's page cache (config.pagecache) is told not
    to keep it, so the anchor stays "the cheapest view", not "a cache hit".
    """
    response = render(request, "bench/constant.html")
    response.no_page_cache = True
    return response


urlpatterns = [path("bench/constant/", constant, name="bench-constant"), *portal_urls.urlpatterns]

# Keep the portal's error handlers, if it defines any.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(portal_urls, _name):
        globals()[_name] = getattr(portal_urls, _name)
