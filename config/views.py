"""Home page, disclosure guide, health check, the page a refused form post shows."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from disclosure.counts import public_tree
from disclosure.publication import public_notices
from portal.scope import get_scope

HOME_LATEST = 10


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    notices = public_notices(request)
    tree = public_tree(request)
    context = {
        "latest": list(notices.for_list().rows(0, HOME_LATEST)),
        "top_nodes": tree.roots,
        "annual_reports_node": tree.by_path.get("other/annual-reports"),
        "disclosure_rules_node": tree.by_path.get("documents/disclosure-rules"),
    }
    return render(request, "portal/home.html", context)


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """The disclosure guide (公开指南): site profile texts plus the disclosure office's details."""
    scope = get_scope(request)
    township = scope.township
    office = township.disclosure_office if township else None
    tree = public_tree(request)
    context = {
        "township": township,
        "office": office,
        "missing": office.missing_guide_fields() if office else None,
        "top_nodes": tree.roots,
    }
    return render(request, "portal/guide.html", context)


ELDER_COOKIE = "elder"


@require_safe
def display_mode(request: HttpRequest) -> HttpResponse:
    """Switch the large-print, high-contrast mode (长辈版) on or off; remembered in a cookie.

    A plain link, so it works without JavaScript on any phone; it changes nothing but
    how pages look, so a GET is fine.
    """
    # The home page by name: under a county portal's prefix "/" is the county's.
    home_url = reverse("home")
    target = request.GET.get("next", home_url)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = home_url
    response = HttpResponseRedirect(target)
    if request.GET.get("mode") == "elder":
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(ELDER_COOKIE)
    return response


@never_cache  # answers for the database now, never from the page cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form post refused by the CSRF check, in the portal's words and look.

    Django's own page speaks of "CSRF tokens" to a clerk whose form sat open over lunch;
    this one says what happened and what to do, and, unlike Django's, renders with the
    request (the site's header, footer and the way back to the to-do list).
    """
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
