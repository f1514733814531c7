"""Files attached to notices. Only ever served through `attachment_download`."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .notices import Notice


def attachment_path(instance: Attachment, filename: str) -> str:
    # Server-generated: the uploader's name never reaches the file system.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class AttachmentQuerySet(models.QuerySet):
    def published(self) -> AttachmentQuerySet:
        return self.filter(notice__in=Notice.objects.published())


class Attachment(models.Model):
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
    # Part of the content hash that an approval records: the reviewer approved
    # these exact bytes.
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
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
