"""Mail to the next person in the chain, sent after the transition has committed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from catalog.models import Membership
from catalog.roles import holders

from .models import Notice, NoticeEvent

logger = logging.getLogger(__name__)


def recipients(event: NoticeEvent) -> list[str]:
    """Who acts next: the step's reviewers, the office's publishers, or the author."""
    notice = event.notice
    if event.action in ("submitted", "approved") and notice.status == Notice.Status.SUBMITTED:
        users = holders(notice.review_role, notice.organization)
    elif notice.status == Notice.Status.APPROVED:
        users = holders(Membership.Role.PUBLISHER, notice.organization)
    elif event.action in ("returned", "published", "scheduled", "withdrawn"):
        users = get_user_model().objects.filter(pk=notice.submitted_by_id or notice.created_by_id)
    else:
        users = get_user_model().objects.none()
    return sorted({u.email for u in users if u.email and u.pk != event.actor_id})


def notify(event_id: int) -> None:
    event = NoticeEvent.objects.select_related("notice__organization", "actor").get(pk=event_id)
    to = recipients(event)
    if not to:
        return
    context = {
        "event": event,
        "notice": event.notice,
        "url": settings.PORTAL_BASE_URL
        + reverse("admin:disclosure_notice_change", args=[event.notice_id]),
    }
    # The subject names the action and the title only: never personal data.
    subject = render_to_string("emails/notice_event_subject.txt", context).strip()
    body = render_to_string("emails/notice_event.txt", context)
    try:
        send_mail(subject, body, None, to)
    except OSError:
        # The transition has happened; a mail server outage must not undo it.
        logger.exception("mail for notice event %s failed", event_id)
