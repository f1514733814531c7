"""依申请公开: a resident's application, its clock, and the one outcome it ends with."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Organization
from portal.crypto import EncryptedCharField

from .keys import applicant_key, information_key

# Crockford's base32 without I, L, O, U: easy to read aloud and to type on a phone.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_tracking_code(text: str) -> str:
    """What a resident types → the stored form: case, spaces, dashes and look-alikes forgiven."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class Outcome(models.TextChoices):
    """The 20 leaf rows of annual-report table 三 (国办公开办函〔2021〕30号)."""

    DISCLOSED = "1", _("(一) Disclosed")
    PARTLY = "2", _("(二) Partly disclosed")
    SECRET = "3.1", _("(三)1 State secret")
    LAW_FORBIDS = "3.2", _("(三)2 Other laws or regulations forbid disclosure")
    SECURITY = "3.3", _("(三)3 Endangers the 'three securities and one stability'")
    THIRD_PARTY = "3.4", _("(三)4 Protects a third party's lawful rights")
    INTERNAL = "3.5", _("(三)5 Internal affairs")
    PROCESS = "3.6", _("(三)6 Process information")
    ENFORCEMENT = "3.7", _("(三)7 Administrative enforcement case file")
    INQUIRY = "3.8", _("(三)8 Administrative inquiry matter")
    NOT_HELD = "4.1", _("(四)1 This organ does not hold the information")
    NEEDS_MAKING = "4.2", _("(四)2 No existing information; it would have to be made")
    STILL_UNCLEAR = "4.3", _("(四)3 Still unclear after correction")
    PETITION = "5.1", _("(五)1 Petition, report or complaint")
    REPEAT = "5.2", _("(五)2 Repeat application")
    PUBLICATION = "5.3", _("(五)3 Asks for a public publication")
    MASS = "5.4", _("(五)4 Mass repeated applications without good reason")
    CONFIRM = "5.5", _("(五)5 Asks to confirm or re-issue information already obtained")
    NO_CORRECTION = "6.1", _("(六)1 Not corrected in time")
    FEE_UNPAID = "6.2", _("(六)2 Fee not paid in time")
    OTHER = "6.3", _("(六)3 Other")


class NotHeld(models.TextChoices):
    """The two answers that table 三 counts in row (四)1, told apart in the letter (条例 art.
    36(4) and (5)): the information does not exist at all, or it is another organ's, whose
    name and contact the applicant must be given when it can be determined."""

    ABSENT = "absent", _("After a search: the information does not exist (art. 36(4))")
    ELSEWHERE = "elsewhere", _("Another organ's information; that organ is known (art. 36(5))")
    UNKNOWN = "unknown", _("Another organ's information; which organ cannot be determined "
                           "(art. 36(5))")  # fmt: skip


class Application(models.Model):
    class ApplicantType(models.TextChoices):
        PERSON = "person", _("Natural person")
        BUSINESS = "business", _("Commercial enterprise")
        RESEARCH = "research", _("Research institution")
        CHARITY = "charity", _("Social welfare organisation")
        LEGAL = "legal", _("Legal service organisation")
        OTHER = "other", _("Other organisation")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident ID card")
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other identity document")
        LICENCE = "licence", _("Business licence or registration certificate")

    class Channel(models.TextChoices):
        # The receipt date depends on it (条例 art. 31).
        ONLINE = "online", _("Online form")
        IN_PERSON = "in_person", _("In person")
        REGISTERED_POST = "registered_post", _("Registered post")
        POST = "post", _("Ordinary post")
        FAX = "fax", _("Fax")
        EMAIL = "email", _("E-mail")
        ORAL = "oral", _("Oral (form filled in by staff)")

    class DeliveryForm(models.TextChoices):
        PAPER = "paper", _("Paper")
        ELECTRONIC = "electronic", _("Electronic")

    class DeliveryChannel(models.TextChoices):
        POST = "post", _("By post")
        EMAIL = "email", _("By e-mail")
        PICKUP = "pickup", _("Collect in person")
        ONLINE = "online", _("Read online")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for receipt to be confirmed")
        RECEIVED = "received", _("Being handled")
        CORRECTION = "correction", _("Waiting for the applicant's correction")
        CONSULTING = "consulting", _("Third party consulted")
        FEE = "fee", _("Waiting for the fee")
        CLOSED = "closed", _("Answered")

    township = models.ForeignKey(
        Organization, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Organization, verbose_name=_("handling department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="applications",
    )  # fmt: skip
    tracking_code = models.CharField(
        _("tracking code"), max_length=19, unique=True, default=new_tracking_code, editable=False
    )
    # The form's one-time key: a double click or a resubmitted form finds the
    # application it already made instead of making a second one.
    submission_key = models.CharField(  # noqa: DJ001 (NULL for staff-registered ones: unique)
        max_length=64, unique=True, null=True, editable=False
    )

    applicant_type = models.CharField(_("applicant type"), max_length=20,
                                      choices=ApplicantType.choices)  # fmt: skip
    name = models.CharField(_("name or organisation name"), max_length=100)
    id_type = models.CharField(_("identity document"), max_length=20, choices=IdType.choices)
    # Encrypted in the database (portal.crypto); found by applicant_key below.
    id_number = EncryptedCharField(_("identity document number"), max_length=40)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = EncryptedCharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)

    description = models.TextField(
        _("information requested"),
        help_text=_("The title, the document number, or a description specific enough to find it."),
    )
    document_number = models.CharField(_("document number of the information"), max_length=100,
                                       blank=True)  # fmt: skip
    delivery_form = models.CharField(_("form"), max_length=20, choices=DeliveryForm.choices)
    delivery_channel = models.CharField(_("how to receive it"), max_length=20,
                                        choices=DeliveryChannel.choices)  # fmt: skip

    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    received_on = models.DateField(
        _("receipt date"), null=True, blank=True,
        help_text=_("The clock starts here: in person, the day handed in; registered post, the "
                    "day signed for; ordinary post, online and fax, the day both sides confirm."),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING, editable=False)  # fmt: skip
    correction_requested_on = models.DateField(_("correction requested on"), null=True,
                                               blank=True, editable=False)  # fmt: skip
    correction_request = models.TextField(_("what to correct"), blank=True, editable=False)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0,
                                                      editable=False)  # fmt: skip
    extension_reason = models.TextField(_("reason for the extension"), blank=True, editable=False)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("extension approved by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    fee_method = models.CharField(_("fee method"), max_length=10, blank=True, editable=False)
    fee_units = models.PositiveIntegerField(_("items or pages"), default=0, editable=False)
    fee_amount = models.PositiveIntegerField(_("fee (yuan)"), default=0, editable=False)
    fee_notice_on = models.DateField(_("fee notice sent on"), null=True, blank=True,
                                     editable=False)  # fmt: skip
    fee_pay_by = models.DateField(_("pay by"), null=True, blank=True, editable=False)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices, blank=True,
                               editable=False)  # fmt: skip
    # Row (四)1 only: which answer it is, and the organ the applicant is sent to.
    not_held = models.CharField(_("why this organ cannot provide it"), max_length=10,
                                choices=NotHeld.choices, blank=True, editable=False)  # fmt: skip
    holder_name = models.CharField(_("organ responsible for the information"), max_length=100,
                                   blank=True, editable=False)  # fmt: skip
    holder_contact = models.CharField(_("that organ's contact details"), max_length=200,
                                      blank=True, editable=False)  # fmt: skip
    # Row (五)2 only: the earlier answer the letter refers to (条例 art. 36(6)).
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("earlier application answered"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    reply = models.TextField(_("reply letter"), blank=True, editable=False)
    closed_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )  # fmt: skip
    # Derived in save() from the ID number and the request (applications.keys): what the
    # repeat hint, the Art. 44 flag and the fee count look applications up by. The
    # applicant's is a keyed hash, so the column gives no number away.
    applicant_key = models.CharField(_("applicant (keyed hash of the ID number)"),
                                     max_length=64, default="", editable=False)  # fmt: skip
    information_key = models.CharField(_("information (normalised)"), max_length=160,
                                       default="", editable=False)  # fmt: skip

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["township", "status"], name="application_queue"),
            # The repeat hint: this applicant's earlier answers (applications.matching).
            models.Index(fields=["township", "applicant_key"], name="application_same_applicant"),
            # The Art. 44 flag: who else asked for this information.
            models.Index(fields=["township", "information_key"], name="application_same_info"),
        ]
        constraints = [
            # Closed means exactly one outcome; open means none yet.
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome=""))
                | (~Q(status="closed") & Q(outcome="")),
                name="application_closed_has_one_outcome",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=20), name="application_extension_at_most_20"
            ),  # fmt: skip
            # A (四)1 answer's kind and organ belong to (四)1 answers only; a known organ
            # comes with its name and contact (条例 art. 36(5)).
            models.CheckConstraint(condition=Q(not_held="") | Q(outcome="4.1"),
                                   name="application_not_held_only_row_4_1"),
            models.CheckConstraint(
                condition=~Q(not_held="elsewhere") | (~Q(holder_name="") & ~Q(holder_contact="")),
                name="application_known_holder_named",
            ),
            models.CheckConstraint(condition=Q(repeat_of__isnull=True) | Q(outcome="5.2"),
                                   name="application_repeat_of_only_row_5_2"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.description[:30]}"

    def save(self, *args, **kwargs) -> None:
        # Derived values, no side effect: kept in step with what they are derived from.
        self.applicant_key = applicant_key(self.id_number)
        self.information_key = information_key(self.description, self.document_number)
        super().save(*args, **kwargs)


class Pause(models.Model):
    """Time that does not count: third-party consultation, waiting for the fee."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Third-party consultation")
        FEE = "fee", _("Waiting for the fee")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end or '…'}"


class ApplicationEvent(models.Model):
    """One step of the handling, for the applicant's tracking page and the record."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Application submitted")
        REGISTERED = "registered", _("Application registered by staff")
        RECEIVED = "received", _("Receipt confirmed")
        ASSIGNED = "assigned", _("Passed to a department")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        CORRECTED = "corrected", _("Corrected application received")
        CONSULTATION_STARTED = "consultation_started", _("Third party consulted")
        CONSULTATION_ENDED = "consultation_ended", _("Third party's answer received")
        EXTENDED = "extended", _("Deadline extended")
        FEE_NOTICE = "fee_notice", _("Fee notice sent")
        FEE_PAID = "fee_paid", _("Fee paid")
        CLOSED = "closed", _("Answered")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    action = models.CharField(_("what"), max_length=30, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    # Shown to the applicant on the tracking page (internal notes are not).
    public = models.BooleanField(default=True)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d} {self.get_action_display()}"


class RateLimitHit(models.Model):
    """Counts per key and time window, in the database so that every worker agrees."""

    key = models.CharField(max_length=150)
    window = models.BigIntegerField()  # window number: unix time // window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="ratelimit_unique")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"


def reply_file_path(instance: ReplyFile, filename: str) -> str:
    import uuid

    return f"replies/{uuid.uuid4().hex}.{instance.extension}"


class ReplyFile(models.Model):
    """A file provided with the answer; the applicant downloads it from the tracking page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=reply_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)

    class Meta:
        verbose_name = _("file provided")
        verbose_name_plural = _("files provided")

    def __str__(self) -> str:
        return self.original_name


# Record-correction requests (条例 art. 41) are their own small type, in their own module.
from .corrections import RecordCorrection, RecordCorrectionEvent  # noqa: E402, F401
