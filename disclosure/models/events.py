"""The audit trail: one append-only row per workflow transition."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete an audit event."""


class NoticeEventQuerySet(models.QuerySet):
    # Bulk changes bypass save() and delete(), so they are refused here too; the
    # database triggers (migration 0003) refuse what gets past the ORM.
    def update(self, **kwargs):
        raise ImmutableRecordError("Notice events cannot be changed.")

    def delete(self):
        raise ImmutableRecordError("Notice events cannot be deleted.")

    def bulk_update(self, *args, **kwargs):
        raise ImmutableRecordError("Notice events cannot be changed.")


class NoticeEvent(models.Model):
    """Who did what to which notice, when, with which comment, on which content."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled for publication")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REVISED = "revised", _("Revision published")

    notice = models.ForeignKey(
        "disclosure.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
        related_name="events",
    )  # fmt: skip
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="notice_events",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    old_status = models.CharField(_("from"), max_length=20)
    new_status = models.CharField(_("to"), max_length=20)
    role = models.CharField(_("as"), max_length=20, blank=True)
    step = models.PositiveSmallIntegerField(_("review step"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    confidentiality_confirmed = models.BooleanField(
        _("confidentiality review confirmed"), default=False
    )
    pii_override_reason = models.TextField(
        _("reason for submitting with personal numbers"), blank=True
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = NoticeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_action_display()} · {self.notice_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecordError("Notice events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Notice events cannot be deleted.")
