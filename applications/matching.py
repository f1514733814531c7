"""Applications that ask again: the same applicant (重复申请, 条例 art. 36(6)) or several
applicants (consider proactive disclosure, art. 44). How "same" is decided: applications.keys.

- **Repeat hint.** One indexed query (township, applicant key: the keyed hash of the
  normalised ID number, applications.keys) gives this applicant's earlier answered
  applications; among those few rows, the ones asking for the same information (same
  key, or words alike) are the hint. An earlier application
  abandoned (no correction, fee unpaid) was never answered, and an earlier 重复申请 answer
  points further back: neither counts as "already answered".
- **Art. 44 flag.** Distinct applicants (applicant keys) of the township whose
  applications have the same information key and are still open or were answered by
  disclosing it (in full or in part). The flag rises at PROACTIVE_AFTER of them, unless
  the information was answered as withheld (三) or not available here (四): then it is
  not disclosable proactively either. One query (a correlated count per application).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from portal.workdays import Calendar, working_days_left

from .keys import same_information
from .models import Application, Outcome
from .permissions import applications_handled_by, office_townships

CLOSED = Application.Status.CLOSED
# Answers that did not answer (the applicant gave up) or only pointed to an earlier answer.
NOT_AN_ANSWER = (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID, Outcome.REPEAT)
DISCLOSED = (Outcome.DISCLOSED, Outcome.PARTLY)
# Withheld (三) and not available here (四): the information cannot go out proactively.
NOT_DISCLOSABLE = Q(outcome__startswith="3.") | Q(outcome__startswith="4.")


def proactive_after() -> int:
    """How many different applicants make the Art. 44 flag rise (a setting, default 3)."""
    return settings.APPLICATION_PROACTIVE_APPLICANTS


def earlier_answers(application: Application, readable: QuerySet | None = None) -> list:
    """This applicant's earlier answered applications of the same township, newest first,
    each with `same` (asks for the same information). `readable` limits them to what the
    person looking may open (a department handler does not see the office's others)."""
    if not application.applicant_key:
        return []
    rows = Application.objects.filter(
        township_id=application.township_id, applicant_key=application.applicant_key,
        status=CLOSED,
    ).exclude(pk=application.pk).exclude(outcome__in=NOT_AN_ANSWER)  # fmt: skip
    if application.submitted_at:
        rows = rows.filter(submitted_at__lt=application.submitted_at)
    if readable is not None:
        rows = rows.filter(pk__in=readable.values("pk"))
    earlier = list(rows.order_by("-closed_on", "-pk")[:20])
    for row in earlier:
        row.same = same_information(application, row)
    return earlier


def repeats(application: Application, readable: QuerySet | None = None) -> list:
    """The hint: earlier answers to this applicant for the same information."""
    return [row for row in earlier_answers(application, readable) if row.same]


def _applicants_asking() -> Subquery:
    """Per application: the distinct applicants asking for its information (open, or
    answered by disclosing it)."""
    same = Application.objects.filter(
        township_id=OuterRef("township_id"), information_key=OuterRef("information_key")
    ).filter(~Q(status=CLOSED) | Q(outcome__in=DISCLOSED))
    counted = (
        same.order_by().values("information_key").annotate(n=Count("applicant_key", distinct=True))
    )
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def with_proactive_flag(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """The applications annotated with `applicants_asking` and filtered to those whose
    information several applicants asked for (see the module's doc)."""
    refused = Application.objects.filter(
        township_id=OuterRef("township_id"), information_key=OuterRef("information_key"),
        status=CLOSED,
    ).filter(NOT_DISCLOSABLE)  # fmt: skip
    return (
        queryset.exclude(information_key="")
        .annotate(applicants_asking=_applicants_asking())
        .filter(applicants_asking__gte=proactive_after())
        .exclude(Exists(refused))
    )


def applicants_asking(application: Application) -> int:
    """For one application's page: how many applicants asked for this information, when
    that raises the flag; 0 otherwise."""
    flagged = with_proactive_flag(Application.objects.filter(pk=application.pk)).first()
    return flagged.applicants_asking if flagged else 0


def proactive_candidates_for(user, today: date, limit: int) -> tuple[int, list]:
    """The office's to-do queue: its open applications whose information several
    applicants asked for, oldest first; each row with `due` and `days_left` (as the other
    application queues) and `applicants_asking`. Only applications whose clock runs: the
    flag is a question for the answer, and the row says when the answer is due."""
    from .handling import deadline_for  # handling asks this module about repeats

    office = applications_handled_by(user).filter(
        township_id__in=office_townships(user), received_on__isnull=False
    ).exclude(status=CLOSED)  # fmt: skip
    flagged = with_proactive_flag(office).select_related("department").order_by("received_on",
                                                                                  "pk")  # fmt: skip
    rows = list(flagged.prefetch_related("pauses")[:limit])
    count = len(rows) if len(rows) < limit else flagged.order_by().count()
    calendar = Calendar()  # one calendar's reads for all the rows
    for row in rows:
        deadline = deadline_for(row, calendar=calendar)
        row.due = deadline.due if deadline else None
        row.days_left = working_days_left(today, row.due, calendar=calendar) if row.due else None
    return count, rows
