"""The application's clock: the reply deadline and every step's time limit, each a
`portal.workdays.Deadline` counted on the office's calendar.

A limit that runs into a year the office has not entered yet (December, before the State
Council's holiday notice) is not known: its `due` is None and `missing_years` names the
year. Every step treats that as the reply deadline does:

- the step is allowed: nobody is refused on a guess (`Deadline.has_passed` is None);
- the office is told: `calendar_waits` lists what waits for which year, and the
  application is in the to-do queue of deadlines waiting for the calendar;
- the applicant is shown 待定 (`shown_date`), never "None" and never a guessed date;
- nothing is lost: the limit is computed again on every read, so the third party's
  15-working-day cap or the fee's pay-by date applies as soon as the year is entered
  (`handling.settle_pay_by_dates` then stores a pay-by date and sends it to the applicant).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.workdays import Calendar, Deadline, Pause, compute_deadline

from .models import Application
from .models import Pause as ClockPause

Status = Application.Status

REPLY_WORKING_DAYS = 20  # art. 33
CORRECTION_WITHIN = 7  # working days from receipt (art. 30)
CONSULTATION_WORKING_DAYS = 15  # the third party's time to answer (art. 32)
FEE_PAY_WITHIN = 20  # working days from the day after the notice (国办函〔2020〕109号)


def consultation_cap(start: date, *, calendar: Calendar | None = None) -> Deadline:
    """The last day of the third party's 15 working days from the letter sent on `start`;
    days after it are not paused, answered or not (art. 32: the organ then decides)."""
    return compute_deadline(start, CONSULTATION_WORKING_DAYS, calendar=calendar)


def clock_pauses(application: Application, *, calendar: Calendar | None = None) -> list[Pause]:
    """The pauses as the count sees them: a consultation answered after its cap stops at the
    cap. The cap is applied here, on every read, and not only when the answer is recorded:
    recorded while the cap's year had no calendar, the stored end is the answer's day."""
    pauses = []
    for p in application.pauses.all():
        end = p.end
        if p.kind == ClockPause.Kind.CONSULTATION and end is not None:
            cap = consultation_cap(p.start, calendar=calendar).due
            if cap is not None and end > cap:
                end = cap
        pauses.append(Pause(start=p.start, end=end, reason=p.get_kind_display()))
    return pauses


def reply_deadline(
    application: Application, *, calendar: Calendar | None = None
) -> Deadline | None:
    """The reply deadline with how it was computed, or None before the receipt date is
    known."""
    if application.received_on is None:
        return None
    calendar = calendar or Calendar()
    return compute_deadline(
        application.received_on,
        REPLY_WORKING_DAYS + application.extension_days,
        clock_pauses(application, calendar=calendar),
        calendar=calendar,
    )


def correction_window(
    application: Application, *, calendar: Calendar | None = None
) -> Deadline | None:
    """The last day on which a correction may be requested (7 working days from receipt)."""
    if application.received_on is None:
        return None
    return compute_deadline(application.received_on, CORRECTION_WITHIN, calendar=calendar)


def fee_pay_by(
    application: Application,
    *,
    notice_on: date | None = None,
    calendar: Calendar | None = None,
) -> Deadline | None:
    """The last day to pay: 20 working days counted from the day after the notice, as 109号
    says in so many words (whatever WORKDAY_COUNT_FROM_NEXT_DAY says for the others).
    None before a notice was sent."""
    notice_on = notice_on or application.fee_notice_on
    if notice_on is None:
        return None
    return compute_deadline(notice_on, FEE_PAY_WITHIN, from_next_day=True, calendar=calendar)


@dataclass(frozen=True)
class CalendarWait:
    """A limit of an open step that waits for a year's working-day calendar."""

    step: str
    years: tuple[int, ...]

    def __str__(self) -> str:
        return _(
            "%(step)s: to be determined; the working-day calendar for %(years)s is not "
            "entered yet (Site › Calendar years)."
        ) % {"step": self.step, "years": "、".join(map(str, self.years))}


def calendar_waits(
    application: Application, *, calendar: Calendar | None = None
) -> list[CalendarWait]:
    """What of this open application cannot be dated until the office enters a year: the
    reply deadline, the last day for a correction, the third party's answer, the fee's
    pay-by date. [] for a closed application or when everything is known."""
    if application.status == Status.CLOSED:
        return []
    calendar = calendar or Calendar()
    limits = [(_("Answer due by"), reply_deadline(application, calendar=calendar))]
    if application.status == Status.RECEIVED and not application.correction_requested_on:
        window = correction_window(application, calendar=calendar)
        limits.append((_("Last day to request a correction"), window))
    if application.status == Status.CONSULTING:
        for p in application.pauses.all():
            if p.kind == ClockPause.Kind.CONSULTATION and p.end is None:
                cap = consultation_cap(p.start, calendar=calendar)
                limits.append((_("Third party's answer due by"), cap))
    if application.status == Status.FEE and application.fee_pay_by is None:
        limits.append((_("Fee to be paid by"), fee_pay_by(application, calendar=calendar)))
    return [
        CalendarWait(str(step), tuple(limit.missing_years))
        for step, limit in limits
        if limit is not None and limit.missing_years
    ]


def shown_date(day: date | None) -> str:
    """A limit as the applicant reads it: the date, or 待定 while it cannot be known."""
    if day is None:
        return _("to be determined")
    return date_format(day, "DATE_FORMAT")
