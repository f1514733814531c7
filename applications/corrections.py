"""A resident's request to correct a record about them (条例 art. 41).

Not an application for information: it is not counted in annual-report table 三 (which
counts `Application` outcomes only) and has its own short workflow.

- A person or an organisation with evidence that a record the government holds about
  them is inaccurate asks for it to be corrected (public form, no account).
- The township's office handles it, in one of three ways, each a transition below:
  corrected (saying what was changed); forwarded to the organ competent to correct it
  (named, with how to reach it: the organ without competence forwards it or points the
  person there); or not corrected, with the reason.
- Each transition: one transaction, the row locked, the state checked (`InvalidTransition`,
  409), the actor checked (`PermissionDenied`, 403), the fields saved, one event; the
  resident is told by mail after commit when they gave an address.
"""

from __future__ import annotations

import secrets
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _

from catalog.models import Organization
from portal.crypto import EncryptedCharField

# Letters that cannot be misread (as the tracking codes), with a prefix of its own so that
# nobody types it into the application tracking page.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"GZ-{raw[:4]}-{raw[4:]}"


def evidence_path(instance: RecordCorrection, filename: str) -> str:
    return f"record-corrections/{uuid.uuid4().hex}.{instance.evidence_extension}"


class InvalidTransition(Exception):
    """Not possible in the request's current state; the message says why (409)."""


class RecordCorrection(models.Model):
    class RequesterType(models.TextChoices):
        PERSON = "person", _("Natural person")
        ORGANISATION = "organisation", _("Legal person or other organisation")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, being checked")
        CORRECTED = "corrected", _("Corrected")
        FORWARDED = "forwarded", _("Forwarded to the competent organ")
        REFUSED = "refused", _("Not corrected")

    township = models.ForeignKey(
        Organization, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference number"), max_length=12, unique=True,
                                 default=new_reference, editable=False)  # fmt: skip
    # The form's one-time key: a double click finds the request it already made.
    submission_key = models.CharField(  # noqa: DJ001 (NULL for none: unique)
        max_length=64, unique=True, null=True, editable=False
    )
    requester_type = models.CharField(_("who is asking"), max_length=20,
                                      choices=RequesterType.choices)  # fmt: skip
    name = models.CharField(_("name or organisation name"), max_length=100)
    # Encrypted in the database (portal.crypto), as an application's.
    id_number = EncryptedCharField(_("identity document number"), max_length=40)
    phone = EncryptedCharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)

    # The resident's words (their help texts are on the public form, addressed to them).
    record = models.CharField(_("which record"), max_length=200)
    inaccuracy = models.TextField(_("what is wrong, and what it should say"))
    evidence = models.TextField(_("your evidence"))
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True,
                                     max_length=200)  # fmt: skip
    evidence_name = models.CharField(_("file name"), max_length=150, blank=True, editable=False)
    evidence_extension = models.CharField(max_length=8, blank=True, editable=False)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)

    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.RECEIVED, editable=False)  # fmt: skip
    # What was corrected, or why it was not (shown to the resident).
    answer = models.TextField(_("answer"), blank=True, editable=False)
    competent_organ = models.CharField(_("competent organ"), max_length=100, blank=True,
                                       editable=False)  # fmt: skip
    competent_contact = models.CharField(_("its contact details"), max_length=200, blank=True,
                                         editable=False)  # fmt: skip
    decided_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("record-correction request")
        verbose_name_plural = _("record-correction requests")
        ordering = ["-submitted_at"]
        # The office's list of requests waiting for an answer.
        indexes = [models.Index(fields=["township", "status"], name="recordcorrection_queue")]
        constraints = [
            # Answered means a date and words for the resident; forwarded names the organ.
            models.CheckConstraint(
                condition=Q(status="received", decided_on__isnull=True)
                | (~Q(status="received") & Q(decided_on__isnull=False) & ~Q(answer="")),
                name="recordcorrection_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status="forwarded")
                | (~Q(competent_organ="") & ~Q(competent_contact="")),
                name="recordcorrection_forwarded_names_organ",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.record[:30]}"

    # --- transitions -----------------------------------------------------------------

    def correct(self, *, by, answer: str) -> None:
        """The record was wrong and is corrected; `answer` says what was changed."""
        self._answer(by, self.Status.CORRECTED, answer,
                     _now("Say what was corrected."))  # fmt: skip

    def forward(self, *, by, organ: str, contact: str, answer: str = "") -> None:
        """Not this township's record to correct: passed to the organ that may, and the
        resident told which (art. 41: forward it, or tell the person where to go)."""
        organ, contact = organ.strip(), contact.strip()
        if not organ or not contact:
            raise InvalidTransition(_now("Name the competent organ and how to reach it."))
        answer = answer.strip() or _now(
            "Your request has been forwarded to %(organ)s, which is competent to correct "
            "this record (contact: %(contact)s)."
        ) % {"organ": organ, "contact": contact}
        self._answer(by, self.Status.FORWARDED, answer, "", organ=organ, contact=contact)

    def refuse(self, *, by, reason: str) -> None:
        """Not corrected (e.g. the evidence does not show the record is wrong): the reason
        is required, and told to the resident."""
        self._answer(by, self.Status.REFUSED, reason,
                     _now("Give the reason it is not corrected."))  # fmt: skip

    def _answer(self, by, status: str, answer: str, missing: str, *, organ: str = "",
                contact: str = "") -> None:  # fmt: skip
        from .permissions import can_handle_correction

        answer = answer.strip()
        with transaction.atomic():
            locked = RecordCorrection.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.RECEIVED:
                raise InvalidTransition(
                    _now("Already answered: “%(status)s”.")
                    % {"status": locked.get_status_display()}
                )
            if not can_handle_correction(by, locked):
                raise PermissionDenied
            if not answer:
                raise InvalidTransition(missing)
            locked.status, locked.answer, locked.decided_on = status, answer, timezone.localdate()
            locked.competent_organ, locked.competent_contact = organ, contact
            locked.save(update_fields=["status", "answer", "decided_on", "competent_organ",
                                       "competent_contact"])  # fmt: skip
            locked.record_event(by, status, answer)
        for field in ("status", "answer", "decided_on", "competent_organ", "competent_contact"):
            setattr(self, field, getattr(locked, field))

    def record_event(self, by, action: str, note: str = "") -> RecordCorrectionEvent:
        event = RecordCorrectionEvent.objects.create(correction=self, actor=by, action=action,
                                                     note=note)  # fmt: skip
        transaction.on_commit(partial(mail_requester, event.pk))
        return event


class RecordCorrectionEvent(models.Model):
    """One step of a record-correction request, for the record."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Request received")
        CORRECTED = "corrected", _("Record corrected")
        FORWARDED = "forwarded", _("Forwarded to the competent organ")
        REFUSED = "refused", _("Not corrected")

    correction = models.ForeignKey(RecordCorrection, on_delete=models.PROTECT,
                                   related_name="events")  # fmt: skip
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("record-correction step")
        verbose_name_plural = _("record-correction steps")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d} {self.get_action_display()}"


def mail_requester(event_id: int) -> None:
    """Tell the resident by e-mail when they gave one; the subject names no person."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    event = RecordCorrectionEvent.objects.select_related("correction__township").get(pk=event_id)
    correction = event.correction
    if not correction.email:
        return
    subject = _now("Your record-correction request %(reference)s: %(step)s") % {
        "reference": correction.reference, "step": event.get_action_display(),
    }  # fmt: skip
    body = render_to_string("applications/record_correction_email.txt",
                            {"c": correction, "event": event})  # fmt: skip
    try:
        EmailMessage(subject, body, to=[correction.email]).send()
    except OSError:
        import logging

        logging.getLogger(__name__).exception("mail for record correction %s failed", event_id)
