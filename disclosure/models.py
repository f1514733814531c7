"""Notices (公开信息), their attachments, and who may see them."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogNode, Organization

from .sanitize import sanitize_html


class NoticeQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> NoticeQuerySet:
        """What the public may see: published, proactively disclosed, publish time reached.

        A future publish time is derived here, not by a job: the notice appears
        by itself once `published_at <= now`.
        """
        return self.filter(
            status=Notice.Status.PUBLISHED,
            disclosure_mode=Notice.Mode.PROACTIVE,
            published_at__lte=now or timezone.now(),
        )

    def for_list(self) -> NoticeQuerySet:
        """The columns a public list shows, with the two foreign keys it names."""
        return self.select_related("catalog_node", "organization").only(
            "id",
            "title",
            "kind",
            "published_at",
            "validity",
            "document_number",
            "catalog_node__name",
            "catalog_node__path",
            "organization__name",
            "organization__short_name",
        )


class Notice(models.Model):
    """One disclosed item: a document, a list, a result, a table."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What a department user may set themselves; every other status is reached
    # only through a workflow transition (see the review workflow issue).
    USER_ALLOWED_STATUS = (Status.DRAFT,)

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        INTERPRETATION = "interpretation", _("Interpretation")
        PUBLICITY = "publicity", _("Public notice (公示)")
        ANNOUNCEMENT = "announcement", _("Announcement")
        NEWS = "news", _("Work news")
        SERVICE_GUIDE = "service_guide", _("Service guide")
        FINANCE = "finance", _("Finance")
        CONSULTATION = "consultation", _("Consultation draft")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        REPEALED = "repealed", _("Repealed")

    class Mode(models.TextChoices):
        PROACTIVE = "proactive", _("Proactive disclosure")
        ON_APPLICATION = "on_application", _("Disclosed on application")
        NOT_DISCLOSED = "not_disclosed", _("Not disclosed")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        max_length=500,
        blank=True,
        help_text=_("At most 500 characters; shown in lists and the catalog."),
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Formatting is kept; scripts and styles are removed.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    catalog_node = models.ForeignKey(
        CatalogNode,
        verbose_name=_("catalog node"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("issuing organisation"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("E.g. 白政发〔2026〕12号.")
    )
    written_date = models.DateField(_("written date"), null=True, blank=True)
    formed_date = models.DateField(
        _("formed date"),
        null=True,
        blank=True,
        help_text=_(
            "The day the information was formed or changed; the 20 working days start here."
        ),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("The public sees the notice from this time on."),
    )
    index_number = models.CharField(
        _("index number"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity.choices, default=Validity.IN_FORCE
    )
    validity_changed_on = models.DateField(_("date repealed or expired"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    disclosure_mode = models.CharField(
        _("disclosure attribute"), max_length=20, choices=Mode.choices, default=Mode.PROACTIVE
    )
    non_disclosure_reason = models.TextField(
        _("legal reason for not disclosing proactively"),
        blank=True,
        help_text=_("Required unless the notice is proactively disclosed, e.g. 《条例》第十五条."),
    )
    interprets = models.ForeignKey(
        "self",
        verbose_name=_("interprets"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        help_text=_("For an interpretation: the policy document it explains."),
    )
    posting_ends_on = models.DateField(
        _("posting ends on"),
        null=True,
        blank=True,
        help_text=_("For 公示: the last day of posting."),
    )
    views = models.PositiveIntegerField(_("views"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The public lists: newest first, by catalog node or organisation.
            models.Index(
                fields=["status", "disclosure_mode", "published_at"], name="notice_public"
            ),
            models.Index(fields=["catalog_node", "published_at"], name="notice_node_published"),
            models.Index(fields=["organization", "published_at"], name="notice_org_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="notice_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(index_number__isnull=False),
                name="notice_published_has_index_number",
            ),
            models.CheckConstraint(
                condition=Q(disclosure_mode="proactive") | ~Q(non_disclosure_reason=""),
                name="notice_withheld_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(written_date__isnull=True)
                | Q(formed_date__isnull=True)
                | Q(formed_date__gte=F("written_date")),
                name="notice_formed_not_before_written",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Normalising our own field, not a side effect: nothing unsanitised is
        # ever stored, whichever way the notice was written.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("notice-detail", args=[self.pk])

    def is_published(self, now: datetime | None = None) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.disclosure_mode == self.Mode.PROACTIVE
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    is_published.boolean = True  # type: ignore[attr-defined]
    is_published.short_description = _("public")  # type: ignore[attr-defined]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.disclosure_mode != self.Mode.PROACTIVE and not self.non_disclosure_reason.strip():
            errors["non_disclosure_reason"] = _(
                "Give the legal reason why this notice is not proactively disclosed."
            )
        if self.written_date and self.formed_date and self.formed_date < self.written_date:
            errors["formed_date"] = _("The formed date cannot be before the written date.")
        if self.validity != self.Validity.IN_FORCE and not self.validity_changed_on:
            errors["validity_changed_on"] = _("Give the date the document was repealed or expired.")
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("A notice cannot replace itself.")
        if self.interprets_id and self.interprets_id == self.pk:
            errors["interprets"] = _("A notice cannot interpret itself.")
        if self.kind == self.Kind.INTERPRETATION and not self.interprets_id:
            errors["interprets"] = _("An interpretation must name the policy document it explains.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def count_view(cls, pk: int) -> None:
        cls.objects.filter(pk=pk).update(views=F("views") + 1)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Server-generated: the uploader's name never reaches the file system.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class AttachmentQuerySet(models.QuerySet):
    def published(self) -> AttachmentQuerySet:
        return self.filter(notice__in=Notice.objects.published())


class Attachment(models.Model):
    """A file attached to a notice. Only ever served through `attachment_download`."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Leave empty to use the file name.")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150, editable=False)
    extension = models.CharField(_("type"), max_length=8, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("notice-attachment", args=[self.notice_id, self.pk])

    @property
    def display_title(self) -> str:
        return self.title or self.original_name
