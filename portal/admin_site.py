"""The staff side: the Django admin, titled for the township, opening on a to-do list."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TODO_ROWS = 10


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal_index.html"
    site_url = "/"

    def each_context(self, request):
        from .models import SiteProfile

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
    from disclosure.models import Notice
    from disclosure.permissions import (
        notices_editable_by,
        notices_publishable_by,
        notices_reviewable_by,
        notices_visible_to,
    )

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


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


REMIND_AT = (5, 3, 1)  # working days left when the handler is reminded


def application_deadlines(user, today) -> tuple[tuple, tuple]:
    """Applications overdue or due within 5 working days, most urgent first; and those
    whose deadline falls in a year with no calendar entered (flagged, never guessed)."""
    from applications.handling import OPEN, deadline_for
    from applications.permissions import applications_handled_by
    from portal.workdays import working_days_left

    urgent, no_calendar = [], []
    handled = applications_handled_by(user).filter(status__in=OPEN).prefetch_related("pauses")
    for application in handled:
        deadline = deadline_for(application)
        if deadline is not None and deadline.missing_years:
            application.due, application.days_left = None, None
            no_calendar.append(application)
        if deadline is None or deadline.due is None:
            continue
        left = working_days_left(today, deadline.due)
        if left is not None and left <= max(REMIND_AT):
            application.due, application.days_left = deadline.due, left
            urgent.append(application)
    urgent.sort(key=lambda a: a.days_left)
    return (
        (_("Applications overdue or due within 5 working days"), len(urgent), urgent[:TODO_ROWS]),
        (_("Deadlines waiting for next year's working-day calendar"), len(no_calendar),
         no_calendar[:TODO_ROWS]),
    )  # fmt: skip
