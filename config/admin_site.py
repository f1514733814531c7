"""The staff side: the Django admin, titled for the township, opening on each person's to-do list.

What the list holds follows the roles a person holds (`catalog.roles`), in the order the
work should be done:

- a reviewer (supervising leader, supervision group, leadership group): what waits for
  their review comes first, so that on a phone it is the first thing on screen;
- whoever handles applications: those overdue or due within 5 working days;
- the office (publishers): what is approved and ready to publish;
- a clerk: returned (with the reason's first line), drafts, submitted by them and still in
  review (at which step, since when), scheduled, recently published;
- the supervision and leadership groups: the township's overdue applications and the
  notices that have waited longest, read through their read rights, not the handlers'.

Each queue costs one query for its first rows (plus a count when there are more); nothing
is asked per row. Empty queues are listed in one quiet line, not as sections.
"""

from __future__ import annotations

import inspect
from datetime import date, timedelta

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import permissions as application_permissions
from applications.handling import OPEN, applications_due_for, deadline_for
from applications.matching import proactive_candidates_for
from applications.models import Application
from catalog.models import Membership
from catalog.roles import organizations_for
from disclosure.models import Notice, NoticeEvent
from disclosure.permissions import (
    notices_editable_by,
    notices_publishable_by,
    notices_reviewable_by,
    notices_visible_to,
)
from portal.models import SiteProfile
from portal.workdays import Calendar, working_days_left

from . import audit

Role = Membership.Role
Status = Notice.Status
TODO_ROWS = 10
RECENT_DAYS = 14
# A notice that has waited longer than this at one step is flagged on the groups' list.
WAITING_TOO_LONG = timedelta(days=3)
REVIEWING_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.LEADERSHIP)
READING_ROLES = (Role.SUPERVISOR, Role.LEADERSHIP)


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal_index.html"
    logout_template = "admin/logged_out.html"
    password_change_template = "admin/password_change_form.html"
    password_change_done_template = "admin/password_change_done.html"
    index_title = _("Workbench")
    site_url = "/"
    # The sidebar lists every model to a clerk who needs three of them; the header's
    # own short menu (base_site.html) replaces it.
    enable_nav_sidebar = False

    def each_context(self, request):
        context = super().each_context(request)
        profile = SiteProfile.load()
        name = profile.name if profile else _("Government information disclosure")
        context["site_header"] = _("%(site)s · staff") % {"site": name}
        context["site_title"] = name
        context["staff_menu"] = staff_menu(request, context["available_apps"])
        return context

    def index(self, request, extra_context=None):
        todo = todo_lists(request.user)
        extra_context = {
            **(extra_context or {}),
            "todo": todo,
            "todo_empty": [queue.title for queue in todo if not queue.count],
            "add_notice_url": add_notice_url(self, request),
            "audit_url": reverse("audit-trail") if audit.can_read_audit(request.user) else "",
        }
        return super().index(request, extra_context)


def add_notice_url(site: admin.AdminSite, request) -> str:
    """The 写新信息 button's address, for whoever the notice admin lets add one."""
    if not site.is_registered(Notice):
        return ""
    if not site.get_model_admin(Notice).has_add_permission(request):
        return ""
    return reverse("admin:disclosure_notice_add")


def staff_menu(request, available_apps: list[dict]) -> list[tuple[str, str]]:
    """The header's few links: the to-do list, the lists this person may open, the audit."""
    urls = {
        (app["app_label"], model["object_name"]): model.get("admin_url")
        for app in available_apps
        for model in app["models"]
    }
    menu = [(str(_("Workbench")), reverse("admin:index"))]
    for key, label in [
        (("disclosure", "Notice"), _("Notices")),
        (("applications", "Application"), _("Applications")),
    ]:
        if urls.get(key):
            menu.append((str(label), urls[key]))
    if audit.can_read_audit(request.user):
        menu.append((str(_("Audit trail")), reverse("audit-trail")))
    return menu


# --- the queues ---------------------------------------------------------------------------


class Queue(tuple):
    """One queue of the to-do list: `(title, count, rows)` as a tuple (how callers and tests
    unpack it), with the page's extras as attributes.

    - `key`: a stable name (CSS class, tests);
    - `kind`: "notice" or "application", the row template to use;
    - `more_url`: the full list, when the page shows only the first rows.
    """

    def __new__(cls, key: str, title, count: int, rows: list, *, kind: str = "notice",
                more_url: str = "") -> Queue:  # fmt: skip
        queue = super().__new__(cls, (title, count, rows))
        queue.key, queue.kind, queue.more_url = key, kind, more_url
        return queue

    @property
    def title(self):
        return self[0]

    @property
    def count(self) -> int:
        return self[1]

    @property
    def rows(self) -> list:
        return self[2]


def todo_lists(user) -> list[Queue]:
    """Each person's queues, in the order they should be worked (see the module's doc)."""
    today = timezone.localdate()
    queues: list[Queue] = []
    if any(organizations_for(user, role) for role in REVIEWING_ROLES):
        queues.append(notice_queue("review", _("Waiting for my review"),
                                   notices_reviewable_by(user), oldest_first=True))  # fmt: skip
    if application_permissions.applications_handled_by(user).exists():
        queues += application_deadlines(user, today)
    if organizations_for(user, Role.PUBLISHER):
        queues.append(proactive_queue(user, today))
        queues.append(notice_queue("publish", _("Ready to publish"),
                                   notices_publishable_by(user), oldest_first=True))  # fmt: skip
    if organizations_for(user, Role.CLERK):
        queues += clerk_queues(user)
    if any(organizations_for(user, role) for role in READING_ROLES) or user.is_superuser:
        queues += reader_queues(user, today)
    if organizations_for(user, Role.CLERK) or organizations_for(user, Role.PUBLISHER):
        queues += published_queues(user)
    return queues


def clerk_queues(user) -> list[Queue]:
    editable = notices_editable_by(user)
    in_review = Notice.objects.filter(
        submitted_by=user.pk, status__in=[Notice.Status.SUBMITTED, Notice.Status.APPROVED]
    )
    return [
        notice_queue("returned", _("Returned to me"), editable.filter(status=Status.RETURNED)),
        notice_queue("drafts", _("My drafts"), editable.filter(status=Status.DRAFT)),
        notice_queue("submitted", _("Submitted by me · in review"), in_review),
    ]


def published_queues(user) -> list[Queue]:
    """Scheduled and recently published: of the organisations this person writes or
    publishes for (a reader's whole township would drown them)."""
    now = timezone.now()
    mine = organizations_for(user, Role.CLERK) | organizations_for(user, Role.PUBLISHER)
    published = Notice.objects.filter(organization_id__in=mine, status=Notice.Status.PUBLISHED)
    recent = published.filter(published_at__lte=now,
                              published_at__gt=now - timedelta(days=RECENT_DAYS))  # fmt: skip
    return [
        notice_queue("scheduled", _("Scheduled"), published.filter(published_at__gt=now),
                     order="published_at"),
        notice_queue("recent", _("Published in the last 14 days"), recent,
                     order="-published_at"),
    ]  # fmt: skip


def reader_queues(user, today: date) -> list[Queue]:
    """The supervision and leadership groups: true figures of everything they may read."""
    overdue = overdue_applications(applications_readable_by(user), today)
    waiting = notices_visible_to(user).filter(
        status__in=[Notice.Status.SUBMITTED, Notice.Status.APPROVED]
    )
    return [
        Queue("overdue", _("Overdue applications"), len(overdue), overdue[:TODO_ROWS],
              kind="application"),
        notice_queue("waiting", _("Notices waiting longest"), waiting, oldest_first=True),
    ]  # fmt: skip


# --- notices ------------------------------------------------------------------------------


def _last_event(field: str, **conditions) -> Subquery:
    events = NoticeEvent.objects.filter(notice=OuterRef("pk"), **conditions)
    return Subquery(events.order_by("-created", "-id").values(field)[:1])


def notice_queue(
    key: str, title, queryset: QuerySet[Notice], *, oldest_first: bool = False,
    order: str = "-updated_at",
) -> Queue:  # fmt: skip
    """The first rows of a notice queue, each with what its row shows, in one query.

    - `waiting_since`: the time of its last workflow step (when it reached where it is);
    - `return_reason`: the latest return's reason, first line only;
    - `preview_url`, `people`: see `_decorate`.
    """
    queryset = queryset.select_related("organization", "submitted_by", "created_by").annotate(
        waiting_since=_last_event("created"),
        last_return=_last_event("comment", action=NoticeEvent.Action.RETURNED),
    )
    queryset = (
        queryset.order_by("waiting_since", "id")
        if oldest_first
        else queryset.order_by(order, "-id")
    )
    rows = list(queryset[:TODO_ROWS])
    count = len(rows) if len(rows) < TODO_ROWS else queryset.order_by().count()
    now = timezone.now()
    for notice in rows:
        _decorate(notice, now)
    return Queue(key, title, count, rows, more_url=_more_url(key))


def _decorate(notice: Notice, now) -> None:
    notice.preview_url = preview_url(notice.pk)
    notice.submitter_name = person_name(notice.submitted_by)
    notice.author_name = person_name(notice.created_by)
    notice.reason_line = first_line(notice.last_return)
    notice.step_label = step_label(notice)
    since = notice.waiting_since
    notice.waiting_too_long = (
        since is not None
        and notice.status in (Notice.Status.SUBMITTED, Notice.Status.APPROVED)
        and now - since > WAITING_TOO_LONG
    )


def step_label(notice: Notice) -> str:
    """Where a notice in the workflow waits, in words: 第2步（共3步）·监督小组."""
    if notice.status == Notice.Status.APPROVED:
        return str(_("approved, waiting for the office to publish"))
    if notice.status != Notice.Status.SUBMITTED:
        return ""
    role = Role(notice.review_role).label if notice.review_role in Role.values else ""
    return str(_("step %(step)s of %(total)s · %(role)s")) % {
        "step": notice.review_step + 1, "total": len(notice.review_chain) or 1, "role": role,
    }  # fmt: skip


def preview_url(pk: int) -> str:
    """The staff preview of a notice; empty while that view is not installed."""
    try:
        return reverse("admin:disclosure_notice_preview", args=[pk])
    except NoReverseMatch:
        return ""


def first_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else ""


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


QUEUE_FILTERS = {
    "returned": "status__exact=returned",
    "drafts": "status__exact=draft",
    "publish": "status__exact=approved",
    "scheduled": "status__exact=published",
    "recent": "status__exact=published",
    "review": "status__exact=submitted",
    "submitted": "status__exact=submitted",
    "waiting": "status__exact=submitted",
}


def _more_url(key: str) -> str:
    return reverse("admin:disclosure_notice_changelist") + "?" + QUEUE_FILTERS.get(key, "")


# --- applications -------------------------------------------------------------------------


def applications_readable_by(user) -> QuerySet[Application]:
    """The applications this person may read: the applications app's read rights once they
    exist (`applications.permissions.applications_readable_by`, being added); until then
    the same rule stated here: the handlers' own, plus every application of a township
    where this person holds a township-wide reading role. Remove the fallback when the
    app's function has landed."""
    readable = getattr(application_permissions, "applications_readable_by", None)
    if readable is not None:
        return readable(user)
    if user.is_authenticated and user.is_superuser:
        return Application.objects.all()
    townships = set().union(*(organizations_for(user, role) for role in READING_ROLES))
    handled = application_permissions.applications_handled_by(user)
    return Application.objects.filter(township_id__in=townships) | handled


# Whether `deadline_for` shares one calendar across a list (its reads, once); without that
# argument each application reads the calendar itself (queries grow with the list).
DEADLINE_TAKES_CALENDAR = "calendar" in inspect.signature(deadline_for).parameters


def overdue_applications(queryset: QuerySet[Application], today: date) -> list[Application]:
    """The open ones past their deadline, longest overdue first, each with `due` and
    `days_left` (negative); one query for them and their pauses, one calendar for all."""
    calendar = Calendar()
    overdue = []
    open_ones = queryset.filter(status__in=OPEN).select_related("department")
    for application in open_ones.prefetch_related("pauses"):
        deadline = (
            deadline_for(application, calendar=calendar)
            if DEADLINE_TAKES_CALENDAR
            else deadline_for(application)
        )
        if deadline is None or deadline.due is None:
            continue
        left = working_days_left(today, deadline.due, calendar=calendar)
        if left is not None and left < 0:
            application.due, application.days_left = deadline.due, left
            overdue.append(application)
    overdue.sort(key=lambda a: a.days_left)
    return overdue


def proactive_queue(user, today: date) -> Queue:
    """The office's open applications for information several applicants asked for:
    consider proactive disclosure (条例 art. 44; the rule in applications.matching)."""
    count, rows = proactive_candidates_for(user, today, TODO_ROWS)
    return Queue("proactive", _("Consider proactive disclosure: asked for by several applicants"),
                 count, rows, kind="application")  # fmt: skip


def application_deadlines(user, today: date) -> list[Queue]:
    """The handlers' two application queues: due soon or overdue; and deadlines that fall
    in a year whose calendar is not entered yet (only when there are any)."""
    urgent, no_calendar = applications_due_for(user, today)
    due = _("Applications overdue or due within 5 working days")
    queues = [Queue("due", due, len(urgent), urgent[:TODO_ROWS], kind="application")]
    if no_calendar:
        waiting = _("Deadlines waiting for next year's working-day calendar")
        queues.append(Queue("no-calendar", waiting, len(no_calendar), no_calendar[:TODO_ROWS],
                            kind="application"))  # fmt: skip
    return queues
