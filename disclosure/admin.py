from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from .models import Attachment, Notice
from .uploads import clean_upload


class AttachmentForm(forms.ModelForm):
    """Validates the upload by its content and stores what `clean_upload` returns."""

    class Meta:
        model = Attachment
        fields = ["title", "file", "position"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload is not self.initial.get("file"):
            self._clean_upload = clean_upload(upload)
        return upload

    def save(self, commit: bool = True) -> Attachment:
        attachment = super().save(commit=False)
        cleaned = getattr(self, "_clean_upload", None)
        if cleaned is not None:
            attachment.extension = cleaned.extension
            attachment.content_type = cleaned.content_type
            attachment.original_name = cleaned.display_name
            attachment.size = len(cleaned.content)
            attachment.file = ContentFile(cleaned.content, name=f"upload.{cleaned.extension}")
        if commit:
            attachment.save()
        return attachment


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    readonly_fields = ["original_name", "extension", "size"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organization",
        "catalog_node",
        "status",
        "published_at",
        "index_number",
    ]
    list_filter = ["status", "kind", "disclosure_mode", "validity"]
    search_fields = ["title", "document_number", "index_number"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["catalog_node", "organization", "superseded_by", "interprets"]
    readonly_fields = ["status", "index_number", "published_at", "views", "created_by"]
    inlines = [AttachmentInline]
    actions = None  # no bulk delete or bulk status changes on notices
    fieldsets = [
        (None, {"fields": ["title", "summary", "body", "kind", "catalog_node", "organization"]}),
        (
            _("Document"),
            {
                "fields": [
                    "document_number",
                    "written_date",
                    "formed_date",
                    "validity",
                    "validity_changed_on",
                    "superseded_by",
                    "interprets",
                    "posting_ends_on",
                ]
            },
        ),
        (_("Disclosure attribute"), {"fields": ["disclosure_mode", "non_disclosure_reason"]}),
        (
            _("Record"),
            {"fields": ["status", "published_at", "index_number", "views", "created_by"]},
        ),
    ]

    def save_model(self, request, obj: Notice, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
