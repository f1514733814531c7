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
from portal.workdays import Calendar, working_days_left

from . import clock
from .clock import calendar_waits, shown_date
from .fees import fee_notice_text, item_lines, items_earlier_in_month, page_lines
from .models import Application, ApplicationEvent, NotHeld, Outcome, Pause
from .permissions import applications_handled_by, applications_readable_by, can_approve_extension

Status = Application.Status
Action = ApplicationEvent.Action

# The limits in working days (7 for a correction, 15 for a third party, 20 to pay) are
# in applications.clock, with the deadlines counted from them.
MAX_EXTENSION = 20  # working days, once (art. 33)
MAIL_ATTACHMENTS_MAX_BYTES = 15 * 1024 * 1024
OPEN = (Status.PENDING, Status.RECEIVED, Status.CORRECTION, Status.CONSULTING, Status.FEE)
REMIND_AT = (5, 3, 1)  # working days left when the handler is reminded (and listed as due)


class InvalidStep(Exception):
    """Not possible in the application's current state; the message says why."""


def deadline_for(application: Application, *, calendar: Calendar | None = None):
    """The reply deadline with how it was computed (portal.workdays.Deadline), or None
    before the receipt date is known; a consultation pauses it for at most 15 working
    days. Pass one `calendar` for a list of applications (its reads, once)."""
    return clock.reply_deadline(application, calendar=calendar)


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
    """Each application also gets `waits` (clock.calendar_waits): every limit of it that
    waits for a calendar puts it in the second list, not only the reply deadline."""
    urgent, no_calendar = [], []
    calendar = Calendar()
    for application in applications.filter(status__in=OPEN).prefetch_related("pauses"):
        deadline = deadline_for(application, calendar=calendar)
        application.waits = calendar_waits(application, calendar=calendar)
        application.due, application.days_left = None, None
        if application.waits:
            no_calendar.append(application)
        if deadline is None or deadline.due is None:
            continue
        left = working_days_left(today, deadline.due, calendar=calendar)
        if left is not None and left <= max(REMIND_AT):
            application.due, application.days_left = deadline.due, left
            urgent.append(application)
    urgent.sort(key=lambda a: a.days_left)
    return urgent, no_calendar


def _answer_due(application: Application) -> str:
    """The reply deadline for a note to the applicant: the date, or 待定."""
    deadline = deadline_for(application)
    return shown_date(deadline.due if deadline else None)


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
        _record(a, by, Action.RECEIVED, _("Receipt date: %(date)s. Answer due by: %(due)s.")
                % {"date": shown_date(on), "due": _answer_due(a)})  # fmt: skip
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
        # Not known while the window runs into a year without a calendar: allowed then,
        # never refused on a guess (the office sees it waiting, clock.calendar_waits).
        if clock.correction_window(a).has_passed(today):
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
        _record(a, by, Action.CORRECTED, _("New receipt date: %(date)s. Answer due by: %(due)s.")
                % {"date": shown_date(on), "due": _answer_due(a)})  # fmt: skip
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
        # With the cap in a year without a calendar the answer's day is stored; the cap
        # still applies, on every count (clock.clock_pauses), once the year is entered.
        limit = clock.consultation_cap(pause.start).due
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
        # Unknown (a year without a calendar, an open pause) is not "passed".
        if deadline and deadline.has_passed(today or timezone.localdate()):
            raise InvalidStep(_("The deadline has already passed; it cannot be extended."))
        a.extension_days, a.extension_reason = days, reason.strip()
        a.extension_approved_by = approved_by
        a.save(update_fields=["extension_days", "extension_reason", "extension_approved_by"])
        _record(a, by, Action.EXTENDED,
                _("Extended by %(days)d working days, answer due by: %(due)s. Reason: %(reason)s")
                % {"days": days, "reason": a.extension_reason, "due": _answer_due(a)})  # fmt: skip
    _sync(application, a)


# --- fees --------------------------------------------------------------------------------


def send_fee_notice(application: Application, *, by, method: str, units: int,
                    today: date | None = None) -> None:  # fmt: skip
    """One method per application: per item (this one's places among the applicant's
    items of its receipt month) or per page. The notice (the event's note, mailed) states
    the basis, the standard with its bands, the amount, the pay-by date (待定 while its year
    has no calendar) and how to pay."""
    today = today or timezone.localdate()
    with transaction.atomic():
        a = _locked(application)
        _expect(a, Status.RECEIVED)
        if a.fee_method:
            raise InvalidStep(_("A fee notice has already been sent."))
        if method == "item":
            lines = item_lines(items_earlier_in_month(a), units)
        elif method == "page":
            lines = page_lines(units)
        else:
            raise InvalidStep(_("Choose per item or per page."))
        amount = sum(line.subtotal for line in lines)
        if amount == 0:
            raise InvalidStep(_("Nothing to charge: this is within the free allowance."))
        pay_by = clock.fee_pay_by(a, notice_on=today)
        a.fee_method, a.fee_units, a.fee_amount, a.fee_notice_on = method, units, amount, today
        a.fee_pay_by, a.status = pay_by.due, Status.FEE
        a.save(update_fields=["fee_method", "fee_units", "fee_amount", "fee_notice_on",
                              "fee_pay_by", "status"])  # fmt: skip
        if settings.APPLICATION_FEE_PAUSES_CLOCK:
            Pause.objects.create(application=a, kind=Pause.Kind.FEE, start=today)
        _record(a, by, Action.FEE_NOTICE, fee_notice_text(a, lines=lines, pay_by=pay_by,
                                                          today=today))  # fmt: skip
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


def settle_pay_by_dates(today: date | None = None) -> int:
    """Pay-by dates that were 待定 and can be known now (the office entered the year): each
    is stored and the applicant is sent it (a second fee notice event, mailed). How many."""
    today = today or timezone.localdate()
    calendar, settled = Calendar(), 0
    for a in Application.objects.filter(status=Status.FEE, fee_pay_by=None):
        pay_by = clock.fee_pay_by(a, calendar=calendar)
        if pay_by is None or pay_by.due is None:
            continue
        with transaction.atomic():
            locked = _locked(a)
            if locked.status != Status.FEE or locked.fee_pay_by is not None:
                continue  # paid or settled meanwhile
            locked.fee_pay_by = pay_by.due
            locked.save(update_fields=["fee_pay_by"])
            note = fee_notice_text(locked, pay_by=pay_by, today=today, settled=True)
            _record(locked, None, Action.FEE_NOTICE, note)
        settled += 1
    return settled


def close_unpaid(today: date | None = None) -> int:
    """Applications whose fee was not paid by the pay-by date: closed with outcome (六)2,
    on `today`.

    - A pay-by date that is 待定 (its year had no calendar) closes nothing. It is settled
      first, once the office has entered the year, and closes only once it has passed:
      never early.
    """
    today = today or timezone.localdate()
    settle_pay_by_dates(today)
    closed = 0
    for a in Application.objects.filter(status=Status.FEE, fee_pay_by__lt=today):
        close(a, by=None, outcome=Outcome.FEE_UNPAID, details="", on=today)
        closed += 1
    return closed


# --- the answer ---------------------------------------------------------------------------


def reply_letter(application: Application, outcome: str, details: str) -> str:
    """The letter for this outcome: legal basis, what is provided or where, and remedies."""
    return render_to_string(
        "applications/reply_letter.txt",
        {
            "application": application,
            # (四)1 and (五)2 read their kind, organ and earlier answer from the application.
            "not_held": application.not_held,
            "repeat_of": application.repeat_of,
            "outcome": Outcome(outcome),
            "outcome_code": outcome,
            "details": details.strip(),
            "remedies": settings.APPLICATION_REMEDIES,
            "today": application.closed_on or timezone.localdate(),
        },
    ).strip()


def close(
    application: Application, *, by, outcome: str, details: str, not_held: str = "",
    holder_name: str = "", holder_contact: str = "", repeat_of: Application | None = None,
    on: date | None = None,
) -> None:  # fmt: skip
    """Answer with exactly one outcome, dated `on` (today by default); the reply letter is
    generated and kept.

    - (四)1 says which answer it is (`not_held`, a `NotHeld`): the information does not
      exist; or it is another organ's, named with its contact when known
      (`holder_name`, `holder_contact`), or said to be undeterminable (art. 36(4), (5)).
    - (五)2 may name the earlier answer it repeats (`repeat_of`): one of this applicant's
      answered applications (applications.matching); the letter cites it.
    - These belong to their outcome only: with another outcome they are refused.
    """
    holder_name, holder_contact = holder_name.strip(), holder_contact.strip()
    with transaction.atomic():
        a = _locked(application)
        _expect(a, *OPEN)
        if outcome not in Outcome.values:
            raise InvalidStep(_("Choose one outcome."))
        _check_not_held(outcome, not_held, holder_name, holder_contact)
        _check_repeat_of(a, outcome, repeat_of)
        day = on or timezone.localdate()
        a.pauses.filter(end=None).update(end=day)
        a.outcome, a.status, a.closed_on = outcome, Status.CLOSED, day
        a.not_held, a.holder_name, a.holder_contact = not_held, holder_name, holder_contact
        a.repeat_of = repeat_of
        a.reply = reply_letter(a, outcome, details)
        a.save(update_fields=["outcome", "status", "closed_on", "reply", "not_held",
                              "holder_name", "holder_contact", "repeat_of"])  # fmt: skip
        _record(a, by, Action.CLOSED, Outcome(outcome).label)
    _sync(application, a)


def _check_not_held(outcome: str, not_held: str, name: str, contact: str) -> None:
    if outcome != Outcome.NOT_HELD:
        if not_held or name or contact:
            raise InvalidStep(_("The responsible organ belongs to a (四)1 answer only."))
        return
    if not_held not in NotHeld.values:
        raise InvalidStep(_("Say whether the information does not exist or is another "
                            "organ's, and whether that organ is known."))  # fmt: skip
    if not_held == NotHeld.ELSEWHERE and not (name and contact):
        raise InvalidStep(_("Give the responsible organ's name and contact details, or "
                            "choose that it cannot be determined."))  # fmt: skip
    if not_held != NotHeld.ELSEWHERE and (name or contact):
        raise InvalidStep(_("An organ is named only when it is known."))


def _check_repeat_of(a: Application, outcome: str, repeat_of: Application | None) -> None:
    from .matching import earlier_answers

    if repeat_of is None:
        return
    if outcome != Outcome.REPEAT:
        raise InvalidStep(_("An earlier answer is named for a repeat application only."))
    if repeat_of.pk not in {e.pk for e in earlier_answers(a)}:
        raise InvalidStep(_("That is not an earlier answer to this applicant."))


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
