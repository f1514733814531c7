"""The staff side: the Django admin, titled for the township, opening on a to-do list."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.handling import applications_due_for
from disclosure.models import Notice
from disclosure.permissions import (
    notices_editable_by,
    notices_publishable_by,
    notices_reviewable_by,
    notices_visible_to,
)
from portal.models import SiteProfile

TODO_ROWS = 10


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal_index.html"
    site_url = "/"

    def each_context(self, request):
        context = super().each_context(request)
        profile = SiteProfile.load()
        name = profile.name if profile else _("Government information disclosure")
        context["site_header"] = _("%(site)s · staff") % {"site": name}
        context["site_title"] = context["site_header"]
        return context

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "todo": todo_lists(request.user)}
        return super().index(request, extra_context)


def todo_lists(user) -> list[tuple[str, int, list]]:
    """Each person's queues, in the order they should be worked: (title, count, first rows)."""
    now = timezone.now()
    visible = notices_visible_to(user)
    queues = [
        (_("Returned to me"), notices_editable_by(user).filter(status=Notice.Status.RETURNED)),
        (_("Waiting for my review"), notices_reviewable_by(user)),
        (_("Ready to publish"), notices_publishable_by(user)),
        (_("My drafts"), notices_editable_by(user).filter(status=Notice.Status.DRAFT)),
        (_("Scheduled"), visible.filter(status=Notice.Status.PUBLISHED, published_at__gt=now)),
        (
            _("Published in the last 14 days"),
            visible.filter(
                status=Notice.Status.PUBLISHED,
                published_at__lte=now,
                published_at__gt=now - timedelta(days=14),
            ),
        ),
    ]
    urgent, no_calendar = application_deadlines(user, timezone.localdate())
    result = [urgent] + ([no_calendar] if no_calendar[1] else [])
    for title, queryset in queues:
        queryset = queryset.select_related("organization").order_by("-updated_at")
        rows = list(queryset[:TODO_ROWS])
        count = len(rows) if len(rows) < TODO_ROWS else queryset.count()
        result.append((title, count, rows))
    return result


def application_deadlines(user, today) -> tuple[tuple, tuple]:
    """The two application queues of the to-do list: (title, count, first rows) each."""
    urgent, no_calendar = applications_due_for(user, today)
    return (
        (_("Applications overdue or due within 5 working days"), len(urgent), urgent[:TODO_ROWS]),
        (_("Deadlines waiting for next year's working-day calendar"), len(no_calendar),
         no_calendar[:TODO_ROWS]),
    )  # fmt: skip
