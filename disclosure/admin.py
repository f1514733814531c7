"""The staff side for notices: per-role lists, edit only in draft, workflow buttons.

Nothing here changes `status`, `published_at`, the index number or (after
creation) the organisation: those fields are not in any form, there are no
bulk actions, no `list_editable` and no "save as new". Transitions go through
`disclosure.staff` and the model's methods only.

The change form says what this person needs first: the state in words, the latest
return reason, and what they may do now (staff.buttons), then the fields grouped as a
clerk thinks of them, the attachments by name, type and size (never a storage path),
and the history newest first with real names. 提交审核 on an editable form is a
button of the form itself, 保存并提交审核: it saves what was typed, then submits.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.urls import path
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogNode, Membership, Organization
from catalog.roles import organizations_for, visible_organizations

from . import preview, staff
from .docx_import import import_docx
from .editor import BodyEditor, BodyField
from .models import Attachment, Notice, NoticeEvent
from .models.posting import POSTING_END_FIELDS
from .permissions import actions_for, can_edit, can_view, can_write, notices_visible_to
from .publication import publication_changed
from .sanitize import clean_body
from .staff import person_name
from .stale import StaleFormMixin
from .textextract import html_text
from .uploads import CleanUploadFormMixin

Role = Membership.Role

# --- attachments -------------------------------------------------------------------------


class AttachmentForm(CleanUploadFormMixin, forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file", "position"]
        # A plain file input: Django's shows "目前: attachments/2026/12/….pdf", the storage
        # path; the row shows the file by name above it instead (attachment_inline.html).
        widgets = {"file": forms.FileInput}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The row's heading (attachment_inline.html): the stored file as staff see it.
        self.file_summary = preview.file_summary(self.instance) if self.instance.pk else ""


class AttachmentInline(admin.StackedInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    template = "admin/disclosure/notice/attachment_inline.html"

    def get_fields(self, request, obj=None):
        if obj is not None and not can_edit(request.user, obj):
            return ["title"]  # a reader sees the file by name (the template), and its title
        return ["title", "file", "position"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None or can_edit(request.user, obj) else ["title"]

    # Attachments change only with their notice, and only while it is editable.
    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return obj is None or can_view(request.user, obj)


# --- the notice's form -----------------------------------------------------------------


class CatalogNodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CatalogNode) -> str:
        return "\u3000" * obj.depth + obj.name


# Help in plain words for the fields a clerk rarely needs (folded on the form).
PLAIN_HELP = {
    "validity": _("Whether the document is still in force. A new document is in force."),
    "validity_changed_on": _("Only for an expired or repealed document: the day it stopped "
                             "being in force."),
    "superseded_by": _("Only if a newer document replaces this one: choose the newer one."),
    "interprets": _("Only for a policy interpretation: the document it explains."),
    "disclosure_mode": _("Almost everything is proactively disclosed. Choose another only "
                         "when the law says so, and give the reason below."),
}  # fmt: skip


class NoticeForm(StaleFormMixin, forms.ModelForm):
    """The clerk's form; a Word file can fill the title and the body. A save based on a
    stale page is refused (disclosure.stale). 保存并提交审核 (`submitting`) also asks what
    the submission will (GUARDS["submit"].requires), beside each field, before saving."""

    submitting = False  # set by NoticeAdmin.get_form for 保存并提交审核

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
            "superseded_by", "interprets", "posting_working_days", "disclosure_mode",
            "non_disclosure_reason",
        ]  # fmt: skip
        # The editor for 正文; its field stores typed text as paragraphs (disclosure.editor).
        widgets = {"body": BodyEditor()}
        field_classes = {"body": BodyField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False  # a Word file may provide it
            if not self.instance.pk and not self.is_bound:
                # A new notice opens with the cursor in 标题 (the template drops Django's
                # script, which focused the top 保存 button: Enter saved an empty form).
                self.fields["title"].widget.attrs["autofocus"] = True
        for name, text in PLAIN_HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text
        self.add_version_field()

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self.refuse_if_changed_meanwhile()
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

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds what was typed
        if self.submitting:
            self.refuse_incomplete_submission()

    def refuse_incomplete_submission(self) -> None:
        """What the submission would refuse, said next to each field: nothing is saved and
        nothing typed is lost."""
        notice = self.instance
        kind = notice.get_kind_display()
        for name in notice.missing_metadata():
            if name in self.fields and not self.has_error(name):
                if name in ("summary", "formed_date"):
                    message = _("Every notice needs this before it is submitted.")
                else:
                    message = _("A %(kind)s needs this before it is submitted.") % {"kind": kind}
                self.add_error(name, message)
        if "posting_working_days" in self.fields and not self.has_error("posting_working_days"):
            try:
                lacking = notice.lacks_posting_period()
            except CatalogNode.DoesNotExist:
                lacking = None  # no node chosen: the field's own error says so
            if lacking:
                self.add_error("posting_working_days", lacking)

    def refuse_if_changed_meanwhile(self) -> None:
        """Compare the page's version with the row under its lock. The admin saves inside
        one transaction (changeform_view), so the lock taken here is held until this save
        commits: a second save waits, then finds this one's version."""
        with transaction.atomic():
            locked = Notice.objects.select_for_update().get(pk=self.instance.pk)
        if locked.status not in Notice.USER_ALLOWED_STATUS:
            self.add_error(None, _(
                "Not saved: since you opened this page the notice has moved on (now: "
                "%(status)s) and can no longer be edited. What you typed is still below; "
                "copy what you need."
            ) % {"status": locked.get_status_display()})  # fmt: skip
            return
        self.refuse_if_stale(locked)


# --- the notice's admin ----------------------------------------------------------------


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
    view_on_site = False  # the public URL 404s before publication; 预览 takes its place
    change_form_template = "admin/disclosure/notice/change_form.html"
    WORKFLOW_READONLY = ["status", "index_number", "published_at", "views", "created_by_name",
                         "submitted_by_name", "reviewed_by_name", "revision_of"]  # fmt: skip
    fieldsets = [
        (_("What it is"), {"fields": ["source_docx", "title", "document_number", "summary",
                                      "body", "kind"]}),
        (_("Where in the catalog"), {"fields": ["catalog_node", "organization"]}),
        (_("Dates"), {"fields": ["written_date", "formed_date", "posting_working_days",
                                 "posting_end_display"]}),
        (_("Validity and disclosure attribute"), {
            "classes": ["collapse"],
            "description": _("Usually nothing to change here: a new document is in force and "
                             "proactively disclosed. Open this only for a repealed or replaced "
                             "document, a policy interpretation, or a notice the law keeps "
                             "from proactive disclosure."),
            "fields": ["validity", "validity_changed_on", "superseded_by", "interprets",
                       "disclosure_mode", "non_disclosure_reason"],
        }),
        (_("Record"), {"classes": ["collapse"],
                       "description": _("Kept by the system; nobody edits it."),
                       "fields": WORKFLOW_READONLY}),
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
        # A reviewer reads: the body as it will look, only what is filled in, unfolded.
        shown = []
        for title, options in fieldsets:
            fields = [
                "body_preview" if f == "body" else f
                for f in options["fields"]
                if f != "source_docx" and (f in self.ALWAYS_SHOWN or _filled(_value(obj, f)))
            ]
            if fields:
                shown.append((title, {"fields": fields}))
        return shown

    ALWAYS_SHOWN = {"title", "body", "kind", "catalog_node", "organization", "disclosure_mode",
                    "status"}  # fmt: skip

    @admin.display(description=_("body"))
    def body_preview(self, obj: Notice) -> str:
        # Sanitised when saved (Notice.save), so it is safe to show as HTML.
        return mark_safe(f'<div class="body-preview">{obj.body}</div>')  # noqa: S308

    @admin.display(description=_("posting ends on"))
    def posting_end_display(self, obj: Notice) -> str:
        return posting_end_text(obj)

    @admin.display(description=_("created by"))
    def created_by_name(self, obj: Notice) -> str:
        return person_name(obj.created_by) if obj.created_by_id else "—"

    @admin.display(description=_("submitted by"))
    def submitted_by_name(self, obj: Notice) -> str:
        return person_name(obj.submitted_by) if obj.submitted_by_id else "—"

    @admin.display(description=_("confidentiality review by"))
    def reviewed_by_name(self, obj: Notice) -> str:
        reviewer = obj.confidentiality_reviewed_by
        return person_name(reviewer) if reviewer else "—"

    def get_readonly_fields(self, request, obj=None):
        readonly = [*self.WORKFLOW_READONLY, "body_preview", "posting_end_display"]
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.method == "POST" and "_submit" in request.POST:
            return type(form.__name__, (form,), {"submitting": True})
        return form

    def save_model(self, request, obj: Notice, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
        else:
            # Only what the form holds: the workflow's fields of a row read before the
            # lock (status, review step) are never written back over a transition.
            names = {f.name for f in Notice._meta.concrete_fields}
            fields = [*(n for n in form.fields if n in names), "updated_at"]
            if obj.status == Notice.Status.PUBLISHED and not obj.revision_of_id:
                obj.set_posting_end()  # a data fix of a 公示's period moves its end
                fields += POSTING_END_FIELDS
            obj.save(update_fields=fields)
        if change and obj.status in (Notice.Status.PUBLISHED, Notice.Status.WITHDRAWN):
            publication_changed(obj)  # only a superuser's data fix reaches a public notice
        for message in getattr(form, "imported_messages", []):
            self.message_user(request, message)

    # --- saving, and 保存并提交审核 ---------------------------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        if "_submit" in request.POST:
            return self.submit_saved(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_submit" in request.POST:
            return self.submit_saved(request, obj)
        return super().response_change(request, obj)

    def submit_saved(self, request, obj: Notice):
        """The form is saved (in this transaction); now the submission, as its own button
        would: refused submissions (personal numbers, 409) leave the saved edits saved."""
        messages.info(request, gettext("Your changes were saved."))
        return staff.run_action(request, obj, "submit", {})

    # --- workflow ------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/<slug:action>/", wrap(staff.transition),
                 name="disclosure_notice_transition"),
            path("<int:pk>/mask/", wrap(staff.mask), name="disclosure_notice_mask"),
            path("<int:pk>/revise/", wrap(staff.revise), name="disclosure_notice_revise"),
            path("<int:pk>/preview/", wrap(preview.preview), name="disclosure_notice_preview"),
            path("<int:pk>/attachments/<int:attachment_pk>/", wrap(preview.attachment),
                 name="disclosure_notice_attachment"),
            *super().get_urls(),
        ]  # fmt: skip

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_saveasnew" in request.POST:
            # save_as is off, but Django honours the flag anyway; a copy would
            # carry another item's content past its review, so drop it.
            request.POST = request.POST.copy()
            del request.POST["_saveasnew"]
        if request.method == "POST" and object_id:
            moved_on = self.moved_on_while_editing(request, object_id)
            if moved_on is not None:
                return moved_on
        extra_context = {**(extra_context or {}), "show_save_and_add_another": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def moved_on_while_editing(self, request, object_id):
        """A save of a draft that a colleague submitted (or that was returned, approved…)
        while this page was open: the admin would answer a bare 403 and the typed text
        would be gone. Instead a 409 says what happened and gives back what was typed, for
        the clerk to copy into the notice once it is theirs to edit again."""
        notice = Notice.objects.filter(pk=object_id).first()
        if notice is None or not can_view(request.user, notice) or can_edit(request.user, notice):
            return None  # not theirs to see (404 as before), or still editable
        if not can_write(request.user, notice):
            return None  # never could edit it: the admin's own refusal
        last = notice.events.select_related("actor").order_by("-id").first()
        typed = [
            (Notice._meta.get_field(name).verbose_name, request.POST.get(name, "").strip())
            for name in ("title", "summary", "document_number")
        ]
        # The body as text to copy (the editor posts HTML; sanitised first, never shown raw).
        body = html_text(clean_body(request.POST.get("body", "")))
        typed.append((Notice._meta.get_field("body").verbose_name, body.strip()))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Your changes were not saved"),
            "notice": notice,
            "last": last,
            "last_by": person_name(last.actor) if last and last.actor_id else "",
            "typed": [(label, value) for label, value in typed if value],
        }
        return render(request, "admin/disclosure/notice/not_saved.html", context, status=409)

    def add_view(self, request, form_url="", extra_context=None):
        # Not the admin's "增加 公开信息".
        extra_context = {
            "title": _("Write a new notice"),
            **(extra_context or {}),
            "submit_here": True,
        }
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_object(request, object_id)
        if notice is not None and can_view(request.user, notice):
            extra_context = {
                # Not the admin's "查看/修改 公开信息" over the title: the title is the heading.
                "title": notice.title or _("Notice without a title"),
                "subtitle": None,
                **(extra_context or {}),
                **self.top_of_form(request, notice),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST" and request.FILES:
            self.flag_files_not_saved(request, context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def flag_files_not_saved(self, request, context) -> None:
        """A form shown again with errors saved nothing, and no browser refills a file
        input: each file the clerk chose is named at its row, so it is chosen again
        instead of silently missing from the next save (and from what is submitted)."""
        lost = 0
        for inline in context.get("inline_admin_formsets", []):
            for form in inline.formset.forms:
                upload = request.FILES.get(form.add_prefix("file"))
                if upload is not None and not form.has_error("file"):
                    form.add_error("file", gettext("“%(name)s” was not saved yet: choose it "
                                                   "again.") % {"name": upload.name})  # fmt: skip
                    lost += 1
        if lost:
            messages.warning(request, gettext(
                "Nothing was saved, so the files you chose were not uploaded. Correct what is "
                "marked, choose the files again, then save."))  # fmt: skip

    def top_of_form(self, request, notice: Notice) -> dict:
        """What the change form shows above the fields: state, reason, actions, files."""
        actions = actions_for(request.user, notice)
        editable = can_edit(request.user, notice)
        # On an editable form 提交审核 is the form's own 保存并提交审核 (it saves first).
        submit_here = editable and "submit" in actions
        shown = [a for a in actions if not (submit_here and a == "submit")]
        return {
            "workflow_buttons": staff.buttons(notice, shown),
            "submit_here": submit_here,
            "can_revise": "revise" in actions,
            "preview_url": preview.preview_url(notice),
            "step": staff.review_step(notice),
            "last_return": staff.last_return(notice),
            "files_to_read": [] if editable else [
                preview.file_summary(a) for a in notice.attachments.all()
            ],
            "history": staff.history(notice),
        }  # fmt: skip


def _filled(value) -> bool:
    return value not in (None, "", [])


def _value(obj: Notice, name: str):
    """The stored value behind a field of the form or a display of the admin."""
    if name == "posting_end_display":
        return obj.posting_ends_on or obj.posting_end_estimate
    stored = {"created_by_name": "created_by_id", "submitted_by_name": "submitted_by_id",
              "reviewed_by_name": "confidentiality_reviewed_by_id"}  # fmt: skip
    return getattr(obj, stored.get(name, name), None)


def posting_end_text(notice: Notice) -> str:
    """A 公示's end as staff need it: not yet counted, the day, or 待定 with the reason."""
    if not notice.is_posting():
        return "—"
    if notice.posting_ends_on:
        text = gettext("%(date)s (%(days)s working days from the day after publication)") % {
            "date": date_format(notice.posting_ends_on, "Y-m-d"),
            "days": notice.posting_working_days or "—",
        }
        if notice.posting_has_ended():
            text += gettext("; the posting period is over")
        return text
    if notice.posting_end_estimate:
        return gettext(
            "Pending: about %(date)s counting Monday to Friday, as the working-day calendar "
            "of %(year)d is not entered. It stays public until the office enters it; then "
            "the real end is counted."
        ) % {
            "date": date_format(notice.posting_end_estimate, "Y-m-d"),
            "year": notice.posting_end_estimate.year,
        }
    return gettext("Counted in working days when it is published.")


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
