"""Handling an application: each step one function, on the notice workflow's recipe.

One transaction, the row locked, the state checked, the fields saved, one
`ApplicationEvent`; mail after commit. Steps that are not possible in the
current state raise `InvalidStep` (409 with the reason in Chinese).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Organization
from portal.workdays import Pause as CalendarPause
from portal.workdays import compute_deadline, working_days_left

from .fees import fee_per_item, fee_per_page
from .models import Application, ApplicationEvent, Outcome, Pause
from .permissions import applications_handled_by, applications_readable_by, can_approve_extension

Status = Application.Status
Action = ApplicationEvent.Action

REPLY_WORKING_DAYS = 20
CORRECTION_WITHIN = 7  # working days from receipt (条例 art. 30)
CONSULTATION_WORKING_DAYS = 15  # the third party's time to answer (art. 32)
MAX_EXTENSION = 20  # working days, once (art. 33)
FEE_PAY_WITHIN = 20  # working days from the day after the notice (国办函〔2020〕109号)
MAIL_ATTACHMENTS_MAX_BYTES = 15 * 1024 * 1024
OPEN = (Status.PENDING, Status.RECEIVED, Status.CORRECTION, Status.CONSULTING, Status.FEE)
REMIND_AT = (5, 3, 1)  # working days left when the handler is reminded (and listed as due)


class InvalidStep(Exception):
    """Not possible in the application's current state; the message says why."""


def deadline_for(application: Application):
    """The reply deadline with how it was computed (portal.workdays.Deadline), or None
    before the receipt date is known."""
    if application.received_on is None:
        return None
    pauses = [
        CalendarPause(start=p.start, end=p.end, reason=p.get_kind_display())
        for p in application.pauses.all()
    ]
    return compute_deadline(
        application.received_on, REPLY_WORKING_DAYS + application.extension_days, pauses
    )


def applications_due_for(user, today: date) -> tuple[list[Application], list[Application]]:
    """The open applications this person handles that are overdue or due within
    max(REMIND_AT) working days, most urgent first (each with `due` and `days_left`); and
    those whose deadline falls in a year with no calendar entered (flagged, never guessed).
    """
    return _due(applications_handled_by(user), today)


def applications_due_readable_by(user, today: date) -> tuple[list[Application], list[Application]]:
    """As `applications_due_for`, over what this person may read: for the supervision and
    leadership groups, every application of their township (their dashboard's figures)."""
    return _due(applications_readable_by(user), today)


def _due(applications, today: date) -> tuple[list[Application], list[Application]]:
    urgent, no_calendar = [], []
    for application in applications.filter(status__in=OPEN).prefetch_related("pauses"):
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
    return urgent, no_calendar


def _working_day_after(start: date, days: int) -> date | None:
    return compute_deadline(start, days).due


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _expect(application: Application, *statuses: str) -> None:
    if application.status not in statuses:
        raise InvalidStep(
            _("Not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def _record(application: Application, by, action: str, note: str = "", public: bool = True):
    event = ApplicationEvent.objects.create(
        application=application, actor=by, action=action, note=note, public=public
    )
    transaction.on_commit(partial(_mail_applicant, event.pk))
    return event


def _sync(target: Application, fresh: Application) -> None:
    for field in Application._meta.concrete_fields:
        setattr(target, field.attname, getattr(fresh, field.attname))


# --- receipt -----------------------------------------------------------------------------


def confirm_receipt(application: Application, *, by, on: date) -> None:
    """Start the clock: the day both sides confirmed (online, fax, ordinary post) or the day
    signed for (registered post)."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.PENDING)
        if on > timezone.localdate():
            raise InvalidStep(_("The receipt date cannot be in the future."))
        a.received_on, a.status = on, Status.RECEIVED
        a.save(update_fields=["received_on", "status"])
        _record(a, by, Action.RECEIVED, _("Receipt date: %(date)s") % {"date": on})
    _sync(application, a)


def assign(application: Application, *, by, department: Organization) -> None:
    """Pass it to the department holding the information (again, to transfer it)."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, *OPEN)
        a.department = department
        a.save(update_fields=["department"])
        _record(a, by, Action.ASSIGNED, department.name, public=False)
    _sync(application, a)


# --- correction, consultation, extension ------------------------------------------------


def request_correction(application: Application, *, by, what: str, today: date | None = None):
    """Ask once, completely, within 7 working days of receipt; the clock then waits."""
    today = today or timezone.localdate()
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.RECEIVED)
        if a.correction_requested_on:
            raise InvalidStep(_("A correction can be requested only once."))
        last_day = _working_day_after(a.received_on, CORRECTION_WITHIN)
        if last_day is None or today > last_day:
            raise InvalidStep(_("A correction must be requested within 7 working days of receipt."))
        if not what.strip():
            raise InvalidStep(_("Say what the applicant has to correct."))
        a.status, a.correction_requested_on = Status.CORRECTION, today
        a.correction_request = what.strip()
        a.save(update_fields=["status", "correction_requested_on", "correction_request"])
        _record(a, by, Action.CORRECTION_REQUESTED, a.correction_request)
    _sync(application, a)


def correction_received(application: Application, *, by, on: date) -> None:
    """The corrected application arrived: the 20 working days start again from that day."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.CORRECTION)
        a.status, a.received_on = Status.RECEIVED, on
        a.save(update_fields=["status", "received_on"])
        _record(a, by, Action.CORRECTED, _("New receipt date: %(date)s") % {"date": on})
    _sync(application, a)


def start_consultation(application: Application, *, by, third_party: str, sent_on: date) -> None:
    """Ask a third party (art. 32): the clock pauses, for at most 15 working days."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.RECEIVED)
        Pause.objects.create(application=a, kind=Pause.Kind.CONSULTATION, start=sent_on,
                             note=third_party[:200])  # fmt: skip
        a.status = Status.CONSULTING
        a.save(update_fields=["status"])
        _record(a, by, Action.CONSULTATION_STARTED)
    _sync(application, a)


def end_consultation(application: Application, *, by, on: date) -> None:
    """The answer came (or 15 working days passed): the clock runs again."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.CONSULTING)
        pause = a.pauses.get(kind=Pause.Kind.CONSULTATION, end=None)
        limit = _working_day_after(pause.start, CONSULTATION_WORKING_DAYS)
        pause.end = min(on, limit) if limit else on
        pause.save(update_fields=["end"])
        a.status = Status.RECEIVED
        a.save(update_fields=["status"])
        _record(a, by, Action.CONSULTATION_ENDED)
    _sync(application, a)


def extend(
    application: Application, *, by, days: int, reason: str, approved_by,
    today: date | None = None,
) -> None:  # fmt: skip
    """Once, at most 20 working days, approved by the head of the disclosure office,
    before the deadline has passed; the applicant is told."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.RECEIVED, Status.CONSULTING)
        if a.extension_days:
            raise InvalidStep(_("The deadline can be extended only once."))
        if not 1 <= days <= MAX_EXTENSION:
            raise InvalidStep(_("An extension is 1 to 20 working days."))
        if not reason.strip():
            raise InvalidStep(_("Give the reason for the extension."))
        if not can_approve_extension(approved_by, a):
            raise InvalidStep(_("The extension must be approved by the head of the "
                                "disclosure office."))  # fmt: skip
        deadline = deadline_for(a)
        if deadline and deadline.due and (today or timezone.localdate()) > deadline.due:
            raise InvalidStep(_("The deadline has already passed; it cannot be extended."))
        a.extension_days, a.extension_reason = days, reason.strip()
        a.extension_approved_by = approved_by
        a.save(update_fields=["extension_days", "extension_reason", "extension_approved_by"])
        _record(a, by, Action.EXTENDED, _("Extended by %(days)d working days: %(reason)s")
                % {"days": days, "reason": a.extension_reason})  # fmt: skip
    _sync(application, a)


# --- fees --------------------------------------------------------------------------------


def items_this_month(application: Application, month: date) -> int:
    """Items already charged to this applicant this calendar month, township-wide."""
    return sum(
        Application.objects.filter(
            township=application.township, id_number=application.id_number,
            fee_method="item", fee_notice_on__year=month.year, fee_notice_on__month=month.month,
        ).exclude(pk=application.pk).values_list("fee_units", flat=True)
    )  # fmt: skip


def send_fee_notice(application: Application, *, by, method: str, units: int,
                    today: date | None = None) -> None:  # fmt: skip
    """One method per application: per item (counted over the month) or per page."""
    today = today or timezone.localdate()
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.RECEIVED)
        if a.fee_method:
            raise InvalidStep(_("A fee notice has already been sent."))
        if method == "item":
            amount = fee_per_item(items_this_month(a, today), units)
        elif method == "page":
            amount = fee_per_page(units)
        else:
            raise InvalidStep(_("Choose per item or per page."))
        if amount == 0:
            raise InvalidStep(_("Nothing to charge: this is within the free allowance."))
        a.fee_method, a.fee_units, a.fee_amount, a.fee_notice_on = method, units, amount, today
        a.fee_pay_by = _working_day_after(today, FEE_PAY_WITHIN)
        a.status = Status.FEE
        a.save(update_fields=["fee_method", "fee_units", "fee_amount", "fee_notice_on",
                              "fee_pay_by", "status"])  # fmt: skip
        if settings.APPLICATION_FEE_PAUSES_CLOCK:
            Pause.objects.create(application=a, kind=Pause.Kind.FEE, start=today)
        _record(a, by, Action.FEE_NOTICE, _("%(amount)d yuan, to be paid by %(date)s")
                % {"amount": amount, "date": a.fee_pay_by})  # fmt: skip
    _sync(application, a)


def fee_paid(application: Application, *, by, on: date) -> None:
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.FEE)
        a.status, a.fee_paid_on = Status.RECEIVED, on
        a.save(update_fields=["status", "fee_paid_on"])
        a.pauses.filter(kind=Pause.Kind.FEE, end=None).update(end=on)
        _record(a, by, Action.FEE_PAID)
    _sync(application, a)


def close_unpaid(today: date | None = None) -> int:
    """Applications whose fee was not paid by the date: closed with outcome (六)2."""
    today = today or timezone.localdate()
    closed = 0
    for a in Application.objects.filter(status=Status.FEE, fee_pay_by__lt=today):
        close(a, by=None, outcome=Outcome.FEE_UNPAID, details="")
        closed += 1
    return closed


# --- the answer ---------------------------------------------------------------------------


def reply_letter(application: Application, outcome: str, details: str) -> str:
    """The letter for this outcome: legal basis, what is provided or where, and remedies."""
    return render_to_string(
        "applications/reply_letter.txt",
        {
            "application": application,
            "outcome": Outcome(outcome),
            "outcome_code": outcome,
            "details": details.strip(),
            "remedies": settings.APPLICATION_REMEDIES,
            "today": timezone.localdate(),
        },
    ).strip()


def close(application: Application, *, by, outcome: str, details: str) -> None:
    """Answer with exactly one outcome; the reply letter is generated and kept."""
    with transaction.atomic():
        a = _locked(application)
        _expect(a, *OPEN)
        if outcome not in Outcome.values:
            raise InvalidStep(_("Choose one outcome."))
        a.pauses.filter(end=None).update(end=timezone.localdate())
        a.outcome, a.status, a.closed_on = outcome, Status.CLOSED, timezone.localdate()
        a.reply = reply_letter(a, outcome, details)
        a.save(update_fields=["outcome", "status", "closed_on", "reply"])
        _record(a, by, Action.CLOSED, Outcome(outcome).label)
    _sync(application, a)


def _mail_applicant(event_id: int) -> None:
    """Tell the applicant by e-mail when they gave one; the subject carries no personal data."""
    from django.core.mail import EmailMessage

    event = ApplicationEvent.objects.select_related("application").get(pk=event_id)
    a = event.application
    if not event.public or not a.email:
        return
    subject = _("Your application %(code)s: %(step)s") % {
        "code": a.tracking_code, "step": event.get_action_display()
    }  # fmt: skip
    body = render_to_string("applications/email_step.txt", {"application": a, "event": event})
    message = EmailMessage(subject, body, to=[a.email])
    if event.action == Action.CLOSED:
        # The answer goes with the files provided, up to what a mailbox accepts.
        budget = MAIL_ATTACHMENTS_MAX_BYTES
        for item in a.files.all():
            if item.size <= budget:
                with item.file.open("rb") as f:
                    message.attach(item.original_name, f.read(), item.content_type)
                budget -= item.size
    try:
        message.send()
    except OSError:
        import logging

        logging.getLogger(__name__).exception("mail for application event %s failed", event_id)
