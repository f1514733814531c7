"""Daily (cron): mail the handlers of applications with 5, 3 or 1 working days left or
overdue; send the pay-by dates that became known (the office entered the next year's
calendar) and close those whose fee was not paid in time (outcome (六)2)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.handling import (
    OPEN,
    REMIND_AT,
    close_unpaid,
    deadline_for,
    settle_pay_by_dates,
)
from applications.models import Application
from applications.permissions import can_handle
from portal.workdays import Calendar, working_days_left


class Command(BaseCommand):
    help = "Remind handlers of nearly-due and overdue applications; close unpaid ones."

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        settled = settle_pay_by_dates(today)
        self.stdout.write(f"pay-by dates sent now that they are known: {settled}")
        closed = close_unpaid(today)
        self.stdout.write(f"closed for an unpaid fee: {closed}")
        staff = list(get_user_model().objects.filter(is_active=True, memberships__isnull=False)
                     .exclude(email="").distinct())  # fmt: skip
        sent, calendar = 0, Calendar()
        for application in Application.objects.filter(status__in=OPEN).iterator(chunk_size=200):
            deadline = deadline_for(application, calendar=calendar)
            if deadline is None or deadline.due is None:
                continue
            left = working_days_left(today, deadline.due, calendar=calendar)
            if left is None or (left not in REMIND_AT and left >= 0):
                continue
            to = [u.email for u in staff if can_handle(u, application)]
            if to:
                # The subject names the code and the date only: no personal data.
                subject = _("Application %(code)s: answer due %(date)s") % {
                    "code": application.tracking_code, "date": deadline.due
                }  # fmt: skip
                state = (_("Overdue.") if left < 0
                         else _("%(days)d working days left.") % {"days": left})  # fmt: skip
                send_mail(subject, f"{state} {_('Please handle it on the staff side.')}", None, to)
                sent += 1
        self.stdout.write(f"reminders sent: {sent}")
