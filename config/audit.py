"""The audit trail (审计记录): every workflow event of notices and applications a person may
see, newest first, in Chinese, filterable, paginated and exportable.

- Who: the supervision group, the leadership group and the office's publishers (they
  work township-wide), and superusers. Everyone else gets 403: the page is no secret (it
  is a staff address like any other), it is a role this person lacks, and the page says
  so plainly rather than pretending the address does not exist.
- What: the events of the organisations this person may see
  (`catalog.roles.visible_organizations`; a superuser sees all). Another township's
  events never appear, neither in the rows nor in the filters' choices.
- Personal data: comments and notes may carry names and numbers. Personal numbers are
  masked in every comment (`disclosure.pii.mask_text`); an application's notes also have
  the applicant's name, ID and phone masked (`applications.privacy`). The export is
  masked the same way, and its cells never run as formulas.
- Cost: a page is a constant number of queries: one for the page's (kind, id) pairs of
  both tables (a UNION ordered by time), one count, one per table for the rows.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import django_filters
from openpyxl import Workbook

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet, Value
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.models import ApplicationEvent
from applications.privacy import mask_id, mask_name, mask_phone
from applications.staff import safe_cell
from catalog.models import Membership, Organization, descendant_ids
from catalog.roles import organizations_for, visible_organizations
from disclosure.models import Notice, NoticeEvent
from disclosure.pii import mask_text

Role = Membership.Role
AUDIT_ROLES = (Role.SUPERVISOR, Role.LEADERSHIP, Role.PUBLISHER)
PER_PAGE = 50
EXPORT_CHUNK = 500
EXPORT_MAX = 100_000  # rows; past it the file says so and asks for a narrower filter
NOTICE, APPLICATION = "n", "a"


def can_read_audit(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or any(organizations_for(user, role) for role in AUDIT_ROLES)


def audit_organizations(user) -> set[int] | None:
    """The organisations whose events this person reads; None: all (a superuser)."""
    return None if user.is_superuser else visible_organizations(user)


# --- the filters --------------------------------------------------------------------------


class AuditForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilter(django_filters.FilterSet):
    """One filter set for both tables: each method filters a queryset of either model
    (`NoticeEvent` or `ApplicationEvent`), so the two halves of the trail always agree."""

    organization = django_filters.ChoiceFilter(
        label=gettext_lazy("Organisation"), method="filter_organization",
        empty_label=gettext_lazy("All organisations"),
    )  # fmt: skip
    person = django_filters.ChoiceFilter(
        label=gettext_lazy("Person"), method="filter_person",
        empty_label=gettext_lazy("Everyone"),
    )  # fmt: skip
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Action"), method="filter_action",
        empty_label=gettext_lazy("All actions"),
    )  # fmt: skip
    start = django_filters.DateFilter(
        label=gettext_lazy("From"), method="filter_start", widget=_date_widget()
    )
    end = django_filters.DateFilter(
        label=gettext_lazy("Until"), method="filter_end", widget=_date_widget()
    )

    class Meta:
        model = NoticeEvent
        fields = ["organization", "person", "action", "start", "end"]
        form = AuditForm

    def __init__(self, data, *, queryset, user, organizations, people) -> None:
        super().__init__(data, queryset=queryset)
        self.user = user
        self.organizations = organizations  # [(id, parent_id, label)] this person may see
        self.filters["organization"].extra["choices"] = [
            (pk, label) for pk, _parent, label in organizations
        ]
        self.filters["person"].extra["choices"] = people
        self.filters["action"].extra["choices"] = [
            (_("Notices"), [(f"{NOTICE}:{v}", label) for v, label in NoticeEvent.Action.choices]),
            (_("Applications"),
             [(f"{APPLICATION}:{v}", label) for v, label in ApplicationEvent.Action.choices]),
        ]  # fmt: skip

    def usable(self) -> bool:
        """No filter given, or valid ones."""
        return not self.is_bound or self.is_valid()

    def apply(self, queryset: QuerySet) -> QuerySet:
        """The valid filters on a queryset of either table."""
        if not self.usable():
            return queryset.none()
        if not self.is_bound:
            return queryset
        for name, value in self.form.cleaned_data.items():
            if value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_organization(self, queryset, name, value):
        # The organisation and everything below it, as the public list filters.
        pairs = [(pk, parent) for pk, parent, _label in self.organizations]
        ids = descendant_ids({int(value)}, pairs)
        if queryset.model is NoticeEvent:
            return queryset.filter(notice__organization_id__in=ids)
        return queryset.filter(
            Q(application__department_id__in=ids) | Q(application__township_id__in=ids)
        )

    def filter_person(self, queryset, name, value):
        return queryset.filter(actor_id=int(value))

    def filter_action(self, queryset, name, value):
        kind, _sep, action = value.partition(":")
        mine = NOTICE if queryset.model is NoticeEvent else APPLICATION
        return queryset.filter(action=action) if kind == mine else queryset.none()

    def filter_start(self, queryset, name, value):
        return queryset.filter(created__gte=_day_start(value))

    def filter_end(self, queryset, name, value):
        return queryset.filter(created__lt=_day_start(value + timedelta(days=1)))


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- the trail ----------------------------------------------------------------------------


@dataclass
class AuditRow:
    kind: str  # 公开信息 / 依申请公开
    created: datetime
    organization: str
    subject: str
    subject_url: str
    action: str
    change: str  # 草稿 → 审核中
    role: str
    actor: str
    comment: str


class AuditTrail:
    """The events one person may read, filtered by `data` (the page's query string)."""

    def __init__(self, user, data) -> None:
        self.user = user
        orgs = audit_organizations(user)
        self.notice_events = NoticeEvent.objects.all()
        self.application_events = ApplicationEvent.objects.all()
        if orgs is not None:
            self.notice_events = self.notice_events.filter(notice__organization_id__in=orgs)
            self.application_events = self.application_events.filter(
                Q(application__township_id__in=orgs) | Q(application__department_id__in=orgs)
            )
        organizations = Organization.objects.order_by("parent_id", "position", "id")
        if orgs is not None:
            organizations = organizations.filter(pk__in=orgs)
        self.filter = AuditFilter(
            data or None,
            queryset=self.notice_events,
            user=user,
            organizations=list(organizations.values_list("id", "parent_id", "name")),
            people=people_choices(orgs),
        )

    def ordered(self) -> QuerySet:
        """(kind, id, created) of every event that passes the filters, newest first."""
        kind = CharField(max_length=1)
        notices = self.filter.apply(self.notice_events).annotate(kind=Value(NOTICE, kind))
        applications = self.filter.apply(self.application_events).annotate(
            kind=Value(APPLICATION, kind)
        )
        pairs = notices.values_list("kind", "id", "created").order_by()
        others = applications.values_list("kind", "id", "created").order_by()
        return pairs.union(others, all=True).order_by("-created", "-id")

    def rows(self, pairs: list[tuple[str, int, datetime]]) -> list[AuditRow]:
        """The rows for these (kind, id, created) triples, in their order: two queries."""
        wanted = {NOTICE: [], APPLICATION: []}
        for kind, pk, _created in pairs:
            wanted[kind].append(pk)
        found = {}
        if wanted[NOTICE]:
            events = NoticeEvent.objects.filter(pk__in=wanted[NOTICE]).select_related(
                "notice__organization", "actor"
            )
            found |= {(NOTICE, e.pk): notice_row(e) for e in events}
        if wanted[APPLICATION]:
            events = ApplicationEvent.objects.filter(pk__in=wanted[APPLICATION]).select_related(
                "application__department", "application__township", "actor"
            )
            found |= {(APPLICATION, e.pk): application_row(e) for e in events}
        return [found[(kind, pk)] for kind, pk, _created in pairs if (kind, pk) in found]


def people_choices(orgs: set[int] | None) -> list[tuple[int, str]]:
    """The people who hold a role in these organisations, by real name, in one query."""
    people = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(
            **({} if orgs is None else {"organization_id__in": orgs})
        ).values("user_id")
    )
    return sorted(
        ((p.pk, person_label(p)) for p in people.only("id", "username", "first_name", "last_name")),
        key=lambda choice: choice[1],
    )


def person_label(user) -> str:
    if user is None:
        return _("the applicant")
    return user.get_full_name() or user.get_username()


def _status_label(value: str) -> str:
    return str(Notice.Status(value).label) if value in Notice.Status.values else value


def notice_row(event: NoticeEvent) -> AuditRow:
    notice = event.notice
    comment = mask_text(event.comment)
    if event.confidentiality_confirmed:
        comment = (comment + " " if comment else "") + _("(confidentiality review confirmed)")
    if event.pii_override_reason:
        comment += " " + _("Submitted with personal numbers because: %(reason)s") % {
            "reason": mask_text(event.pii_override_reason)
        }
    role = str(Role(event.role).label) if event.role in Role.values else ""
    change = f"{_status_label(event.old_status)} → {_status_label(event.new_status)}"
    if event.action == NoticeEvent.Action.SUBMITTED and role:
        # A submission's role is the first step's (who reviews next), not the submitter's.
        change, role = f"{change}（{role}）", ""
    return AuditRow(
        kind=_("Notice"),
        created=event.created,
        organization=notice.organization.label,
        subject=notice.title,
        subject_url=reverse("admin:disclosure_notice_change", args=[notice.pk]),
        action=event.get_action_display(),
        change=change,
        role=role,
        actor=person_label(event.actor),
        comment=comment.strip(),
    )


def mask_note(text: str, application) -> str:
    """A handling note as a reader may see it: personal numbers and the applicant's own
    name, ID number and phone masked wherever the note repeats them."""
    for original, masked in sorted(
        [
            (application.name.strip(), mask_name(application.name)),
            (application.id_number.strip(), mask_id(application.id_number)),
            (application.phone.strip(), mask_phone(application.phone)),
        ],
        key=lambda pair: -len(pair[0]),  # longest first: a name inside another stays masked
    ):
        if original:
            text = text.replace(original, masked)
    return mask_text(text)


def application_row(event: ApplicationEvent) -> AuditRow:
    application = event.application
    where = application.department or application.township
    return AuditRow(
        kind=_("Application"),
        created=event.created,
        organization=where.label,
        subject=application.tracking_code,
        subject_url=reverse("admin:applications_application_change", args=[application.pk]),
        action=event.get_action_display(),
        change="",
        role="",
        actor=person_label(event.actor),
        comment=mask_note(event.note, application).strip(),
    )


# --- the views ----------------------------------------------------------------------------


def _trail_for(request: HttpRequest) -> AuditTrail:
    if not can_read_audit(request.user):
        raise PermissionDenied
    return AuditTrail(request.user, request.GET)


def _query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def audit_trail(request: HttpRequest) -> HttpResponse:
    trail = _trail_for(request)
    valid = trail.filter.usable()
    ordered = trail.ordered() if valid else NoticeEvent.objects.none()
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("Audit trail"),
        "filter": trail.filter,
        "page_obj": page,
        "rows": trail.rows(list(page.object_list)) if valid else [],
        "query_string": _query_string(request),
        "export_url": reverse("audit-export") + "?" + _query_string(request),
    }
    return TemplateResponse(request, "admin/audit/trail.html", context)


EXPORT_HEADERS = (
    gettext_lazy("Time"), gettext_lazy("Organisation"), gettext_lazy("Record type"),
    gettext_lazy("Notice or application"), gettext_lazy("Action"),
    gettext_lazy("Status change"), gettext_lazy("As"), gettext_lazy("By"),
    gettext_lazy("Comment or note"),
)  # fmt: skip


def export_rows(trail: AuditTrail):
    """The export's rows, read EXPORT_CHUNK events at a time (three queries a chunk)."""
    ordered = trail.ordered()
    for start in range(0, EXPORT_MAX, EXPORT_CHUNK):
        pairs = list(ordered[start : start + EXPORT_CHUNK])
        for row in trail.rows(pairs):
            yield [
                timezone.localtime(row.created).strftime("%Y-%m-%d %H:%M"), row.organization,
                str(row.kind), row.subject, str(row.action), row.change, row.role, row.actor,
                row.comment,
            ]  # fmt: skip
        if len(pairs) < EXPORT_CHUNK:
            return
    yield [_("More than %(max)s events: narrow the filter to export the rest.")
           % {"max": EXPORT_MAX}]  # fmt: skip


@require_safe
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as XLSX: written row by row (openpyxl's write-only mode) into a
    temporary file that is then streamed, so memory stays flat however long it is."""
    trail = _trail_for(request)
    if not trail.filter.usable():  # the page says what is wrong with the filter
        return HttpResponseRedirect(reverse("audit-trail") + "?" + _query_string(request))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail")[:31])
    sheet.append([str(h) for h in EXPORT_HEADERS])
    for row in export_rows(trail):
        sheet.append([safe_cell(value) for value in row])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        output, as_attachment=True, filename=f"audit-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
