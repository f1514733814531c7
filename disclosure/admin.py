"""The staff side for notices: per-role lists, edit only in draft, workflow buttons.

Nothing here changes `status`, `published_at`, the index number or (after
creation) the organisation: those fields are not in any form, there are no
bulk actions, no `list_editable` and no "save as new". Transitions go through
`disclosure.staff` and the model's methods only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogNode, Membership, Organization
from catalog.roles import organizations_for, visible_organizations

from . import staff
from .docx_import import import_docx
from .models import Attachment, Notice, NoticeEvent
from .permissions import actions_for, can_edit, can_view, notices_visible_to
from .publication import publication_changed
from .uploads import CleanUploadFormMixin

Role = Membership.Role


class AttachmentForm(CleanUploadFormMixin, forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file", "position"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    readonly_fields = ["original_name", "extension", "size"]

    # Attachments change only with their notice, and only while it is editable.
    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return obj is None or can_view(request.user, obj)


class CatalogNodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CatalogNode) -> str:
        return "\u3000" * obj.depth + obj.name


class NoticeForm(forms.ModelForm):
    """The clerk's form; a Word file can fill the title and the body."""

    source_docx = forms.FileField(
        label=_("Fill from a Word file"),
        required=False,
        help_text=_(
            "Choose the .docx you already have: the title, document number and body are "
            "filled from it when you save, and you correct what you need."
        ),
    )

    class Meta:
        model = Notice
        fields = [
            "title", "summary", "body", "kind", "catalog_node", "organization",
            "document_number", "written_date", "formed_date", "validity", "validity_changed_on",
            "superseded_by", "interprets", "posting_ends_on", "disclosure_mode",
            "non_disclosure_reason",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False  # a Word file may provide it

    def clean(self):
        data = super().clean()
        upload = data.get("source_docx")
        if upload:
            try:
                imported = import_docx(upload.read())
            except ValidationError as error:
                self.add_error("source_docx", error)
                return data
            data["title"] = data.get("title") or imported.title
            data["body"] = imported.body
            data["document_number"] = data.get("document_number") or imported.document_number
            for field in ("title", "body", "document_number"):
                setattr(self.instance, field, data[field])
            self.imported_messages = imported.messages
        if not data.get("title"):
            self.add_error("title", _("Give the notice a title, or fill it from a Word file."))
        return data


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeForm
    list_display = ["title", "organization", "catalog_node", "status", "published_at",
                    "index_number"]  # fmt: skip
    list_filter = ["status", "kind", "disclosure_mode", "validity"]
    list_select_related = ["organization", "catalog_node"]
    search_fields = ["title", "document_number", "index_number"]
    date_hierarchy = "published_at"
    inlines = [AttachmentInline]
    actions = None  # no bulk delete, no bulk status changes
    save_as = False
    change_form_template = "admin/disclosure/notice/change_form.html"
    WORKFLOW_READONLY = ["status", "index_number", "published_at", "views", "created_by",
                         "submitted_by", "confidentiality_reviewed_by", "revision_of"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["source_docx", "title", "summary", "body", "kind", "catalog_node",
                           "organization"]}),
        (_("Document"), {"fields": ["document_number", "written_date", "formed_date", "validity",
                                    "validity_changed_on", "superseded_by", "interprets",
                                    "posting_ends_on"]}),
        (_("Disclosure attribute"), {"fields": ["disclosure_mode", "non_disclosure_reason"]}),
        (_("Record"), {"fields": WORKFLOW_READONLY}),
    ]  # fmt: skip

    # --- who sees and edits what ----------------------------------------------------

    def get_queryset(self, request):
        return notices_visible_to(request.user).select_related("organization", "catalog_node")

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (
            request.user.is_superuser or bool(visible_organizations(request.user))
        )

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return can_view(request.user, obj)

    def has_add_permission(self, request) -> bool:
        return bool(organizations_for(request.user, Role.CLERK))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a draft that never entered the workflow (it has no audit events).
        return (
            obj is not None
            and obj.status == Notice.Status.DRAFT
            and can_edit(request.user, obj)
            and not obj.events.exists()
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or can_edit(request.user, obj):
            return fieldsets
        # A reviewer reads: the body as it will look, and only what is filled in.
        shown = []
        for title, options in fieldsets:
            fields = [
                "body_preview" if f == "body" else f
                for f in options["fields"]
                if f != "source_docx" and (f in self.ALWAYS_SHOWN or _filled(getattr(obj, f)))
            ]
            if fields:
                shown.append((title, {**options, "fields": fields}))
        return shown

    ALWAYS_SHOWN = {"title", "body", "kind", "catalog_node", "organization", "disclosure_mode",
                    "status"}  # fmt: skip

    @admin.display(description=_("body"))
    def body_preview(self, obj: Notice) -> str:
        # Sanitised when saved (Notice.save), so it is safe to show as HTML.
        return mark_safe(f'<div class="body-preview">{obj.body}</div>')  # noqa: S308

    def get_readonly_fields(self, request, obj=None):
        readonly = [*self.WORKFLOW_READONLY, "body_preview"]
        if obj is not None:
            readonly.append("organization")  # fixed once created: it decides who reviews
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.filter(
                pk__in=organizations_for(user, Role.CLERK)
            )
        elif db_field.name == "catalog_node":
            kwargs["form_class"] = CatalogNodeChoiceField
            kwargs["queryset"] = CatalogNode.objects.order_by("path")
        elif db_field.name in ("interprets", "superseded_by"):
            kwargs["queryset"] = Notice.objects.published().filter(
                organization_id__in=visible_organizations(user)
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organization" and field.queryset.count() == 1:
            field.initial, field.empty_label = field.queryset.first().pk, None
        return field

    def save_model(self, request, obj: Notice, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and obj.status in (Notice.Status.PUBLISHED, Notice.Status.WITHDRAWN):
            publication_changed(obj)  # only a superuser's data fix reaches a public notice
        for message in getattr(form, "imported_messages", []):
            self.message_user(request, message)

    # --- workflow ------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/<slug:action>/", wrap(staff.transition),
                 name="disclosure_notice_transition"),
            path("<int:pk>/mask/", wrap(staff.mask), name="disclosure_notice_mask"),
            path("<int:pk>/revise/", wrap(staff.revise), name="disclosure_notice_revise"),
            *super().get_urls(),
        ]  # fmt: skip

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_saveasnew" in request.POST:
            # save_as is off, but Django honours the flag anyway; a copy would
            # carry another item's content past its review, so drop it.
            request.POST = request.POST.copy()
            del request.POST["_saveasnew"]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_object(request, object_id)
        if notice is not None:
            actions = actions_for(request.user, notice)
            extra_context = {
                **(extra_context or {}),
                "workflow_buttons": staff.buttons(notice, actions),
                "can_revise": "revise" in actions,
                "events": notice.events.select_related("actor"),
            }
        return super().change_view(request, object_id, form_url, extra_context)


def _filled(value) -> bool:
    return value not in (None, "", [])


@admin.register(NoticeEvent)
class NoticeEventAdmin(admin.ModelAdmin):
    """Read-only for everyone: the audit trail is never changed through the admin."""

    list_display = ["created", "notice", "action", "actor", "old_status", "new_status",
                    "confidentiality_confirmed"]  # fmt: skip
    list_filter = ["action", "confidentiality_confirmed"]
    list_select_related = ["notice", "actor"]
    search_fields = ["notice__title", "comment"]
    date_hierarchy = "created"
    actions = None

    def get_queryset(self, request):
        visible = notices_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(notice__in=visible)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (
            request.user.is_superuser or bool(organizations_for(request.user, Role.SUPERVISOR))
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
