"""The staff side for applications: register, handle step by step, answer."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.models import Organization
from catalog.roles import organizations_for
from disclosure.uploads import CleanUploadFormMixin

from . import correction_staff, matching, staff
from .clock import calendar_waits
from .corrections import RecordCorrection
from .forms import ApplicationForm
from .handling import deadline_for
from .models import Application, ApplicationEvent, ReplyFile
from .permissions import (
    applications_readable_by,
    can_handle,
    can_handle_correction,
    can_read,
    can_read_correction,
    can_read_some,
    can_read_some_corrections,
    can_register,
    corrections_readable_by,
)
from .privacy import mask_id, mask_name, mask_phone, person_name
from .stale import StaleFormMixin, token_for


class RegisterForm(ApplicationForm):
    """Staff register an application that came in person, by post, fax, e-mail or orally."""

    submission_key = None  # the admin's own form handles double saves

    class Meta(ApplicationForm.Meta):
        fields = ["channel", "received_on", *ApplicationForm.Meta.fields]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            c for c in Application.Channel.choices if c[0] != Application.Channel.ONLINE
        ]
        # <input type="date"> shows ISO dates only (the zh-Hans format would blank it).
        # No default: for post and fax the receipt date is the day both sides confirm.
        self.fields["received_on"].widget = forms.DateInput(attrs={"type": "date"},
                                                            format="%Y-%m-%d")  # fmt: skip

    def clean(self):
        data = super().clean()
        channel, received = data.get("channel"), data.get("received_on")
        needs_date = channel in (Application.Channel.IN_PERSON, Application.Channel.ORAL,
                                 Application.Channel.REGISTERED_POST,
                                 Application.Channel.EMAIL)  # fmt: skip
        if needs_date and not received:
            self.add_error("received_on", _("Give the receipt date for this channel."))
        if received and received > timezone.localdate():
            self.add_error("received_on", _("The receipt date cannot be in the future."))
        return data


class ReplyFileForm(CleanUploadFormMixin, forms.ModelForm):
    class Meta:
        model = ReplyFile
        fields = ["file"]


class ReplyFileInline(admin.TabularInline):
    """The files provided: name (a staff download), type and size for everyone who
    reads the application; adding and deleting for those who handle it, until it is
    answered. Storage paths never show."""

    model = ReplyFile
    form = ReplyFileForm
    extra = 1
    template = "admin/applications/application/reply_files.html"

    def _handles(self, request, obj) -> bool:
        return (obj is not None and can_handle(request.user, obj)
                and obj.status != Application.Status.CLOSED)  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return self._handles(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._handles(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._handles(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        # Asked without the application too (for the rows' queryset): the
        # application's own admin has already checked that it may be read.
        return obj is None or can_read(request.user, obj)


class ApplicationChangeForm(StaleFormMixin, forms.ModelForm):
    """The change form of a registered application: its fields are read-only (they
    change through the steps), and what is saved here, the files provided, is refused
    when the page is stale."""

    stale_intro = _("Not saved: the application changed after you opened this page. Check "
                    "what changed, choose the files again (a browser does not keep them), "
                    "then save.")  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_version_field(token_for(self.instance) if not self.is_bound else None)

    def clean(self):
        data = super().clean()
        # The admin's change view runs in one transaction: the lock holds until the
        # files are saved, so the comparison cannot be overtaken.
        self.refuse_if_stale(Application.objects.select_for_update().get(pk=self.instance.pk))
        return data


# Shown to the supervision and leadership groups instead of the applicant's data.
PERSONAL = {"name": "masked_name", "id_number": "masked_id_number", "phone": "masked_phone",
            "contact_person": "masked_contact", "email": None, "address": None,
            "postcode": None}  # fmt: skip
# The handling record, each part shown once it has happened.
HANDLING = ["tracking_code", "status", "channel", "received_on", "department", "registrar"]
PARTS = [
    ("correction_requested_on", ["correction_requested_on", "correction_request"]),
    ("extension_days", ["extension_days", "extension_reason", "extension_approver"]),
    ("fee_method", ["fee_way", "fee_units", "fee_amount", "fee_notice_on", "fee_pay_by",
                    "fee_paid_on"]),
    ("outcome", ["outcome", "closed_on"]),
    ("not_held", ["not_held"]),
    ("holder_name", ["holder_name", "holder_contact"]),
    ("repeat_of_id", ["earlier_answer"]),
]  # fmt: skip
FEE_METHODS = {"item": _("Per item (counted over the month)"), "page": _("Per page")}
APPLICANT = ["applicant_type", "name", "contact_person", "id_type", "id_number", "phone",
             "email", "address", "postcode"]  # fmt: skip
REQUEST = ["description", "document_number", "delivery_form", "delivery_channel"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "masked_name", "status", "received_on", "due", "department"]
    list_filter = ["status", "channel", "outcome"]
    list_select_related = ["department", "township"]
    search_fields = ["tracking_code", "description"]
    actions = None
    show_facets = admin.ShowFacets.NEVER  # "show counts" is a framework word, not a need
    inlines = [ReplyFileInline]
    form = ApplicationChangeForm
    change_form_template = "admin/applications/application/change_form.html"
    change_list_template = "admin/applications/application/change_list.html"
    readonly_fields = [
        *HANDLING, *(f for _when, part in PARTS for f in part),
        "masked_name", "masked_id_number", "masked_phone", "masked_contact",
    ]  # fmt: skip

    def get_queryset(self, request):
        return applications_readable_by(request.user).prefetch_related("pauses")

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and can_read_some(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return can_read(request.user, obj)

    def has_add_permission(self, request) -> bool:
        return can_register(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        # The applicant's data is the applicant's: staff change it only through steps.
        if obj is None:
            return can_register(request.user)
        return can_handle(request.user, obj) and obj.status != Application.Status.CLOSED

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = RegisterForm if obj is None else ApplicationChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": RegisterForm.Meta.fields})]
        applicant = APPLICANT
        if not can_handle(request.user, obj):
            applicant = [PERSONAL.get(f, f) for f in APPLICANT if PERSONAL.get(f, f)]
        handled = [*HANDLING]
        for when, part in PARTS:
            if getattr(obj, when):
                handled += part
        return [
            (_("Handling"), {"fields": handled}),
            (_("Applicant"), {"fields": applicant}),
            (_("Information requested"), {"fields": REQUEST}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*APPLICANT, *REQUEST, *self.readonly_fields]

    def save_model(self, request, obj: Application, form, change: bool) -> None:
        if not change:
            # The office registers for its own township (its role covers the township).
            obj.township = Organization.objects.filter(
                pk__in=organizations_for(request.user, "publisher"), kind="township"
            ).first()
            obj.created_by = request.user
            if obj.received_on:
                obj.status = Application.Status.RECEIVED
        super().save_model(request, obj, form, change)
        if not change:
            ApplicationEvent.objects.create(application=obj, actor=request.user,
                                            action=ApplicationEvent.Action.REGISTERED)  # fmt: skip

    @admin.display(description=_("applicant"))
    def masked_name(self, obj: Application) -> str:
        return mask_name(obj.name)

    @admin.display(description=_("identity document number"))
    def masked_id_number(self, obj: Application) -> str:
        return mask_id(obj.id_number)

    @admin.display(description=_("telephone"))
    def masked_phone(self, obj: Application) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("contact person"))
    def masked_contact(self, obj: Application) -> str:
        return mask_name(obj.contact_person) or self.get_empty_value_display()

    @admin.display(description=_("registered by"))
    def registrar(self, obj: Application) -> str:
        return person_name(obj.created_by) if obj.created_by_id else _("the applicant, online")

    @admin.display(description=_("extension approved by"))
    def extension_approver(self, obj: Application) -> str:
        return person_name(obj.extension_approved_by) if obj.extension_approved_by_id else "—"

    @admin.display(description=_("fee method"))
    def fee_way(self, obj: Application) -> str:
        return str(FEE_METHODS.get(obj.fee_method, obj.fee_method))

    @admin.display(description=_("earlier application answered"))
    def earlier_answer(self, obj: Application) -> str:
        earlier = obj.repeat_of
        if earlier is None:
            return "—"
        return _("%(code)s, answered %(date)s") % {"code": earlier.tracking_code,
                                                   "date": earlier.closed_on}  # fmt: skip

    @admin.display(description=_("answer due by"))
    def due(self, obj: Application):
        if obj.status == Application.Status.CLOSED:
            return "—"
        deadline = deadline_for(obj)
        return deadline.due if deadline and deadline.due else "—"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<slug:name>/", wrap(staff.step), name="applications_step"),
            path("<int:pk>/letter/", wrap(staff.reply_letter), name="applications_letter"),
            path("<int:pk>/files/<int:file_pk>/", wrap(staff.reply_file),
                 name="applications_reply_file"),
            path("export/", wrap(staff.export), name="applications_export"),
            *super().get_urls(),
        ]  # fmt: skip

    def _readable_or_404(self, request, object_id) -> Application:
        # The admin would redirect with "does not exist"; a 404 says the same to
        # everyone, whether the application exists elsewhere or not at all.
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self._readable_or_404(request, object_id)
        handles = can_handle(request.user, obj)
        extra_context = {
            **(extra_context or {}),
            # Not the admin's "change"/"view": its fields change only through the steps.
            "title": Application._meta.verbose_name,
            "steps": staff.steps_for(obj, request.user) if handles else [],
            # 重复申请 (art. 36(6)) while it can still be answered so; 多人申请 (art. 44).
            "repeats": matching.repeats(obj, applications_readable_by(request.user))
            if handles and obj.status != Application.Status.CLOSED
            else [],
            "applicants_asking": matching.applicants_asking(obj),
            "proactive_after": matching.proactive_after(),
            "version_token": token_for(obj),
            "reads_only": not handles,
            "deadline": deadline_for(obj),
            # Every limit that waits for next year's calendar, not only the reply's.
            "waits": calendar_waits(obj),
            "events": obj.events.select_related("actor").order_by("-created", "-id"),
            # What is saved here is the files provided: one button, back to this page.
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {"title": _("Register an application"), **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Not the admin's "select … to change".
        extra_context = {"title": Application._meta.verbose_name_plural, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def response_change(self, request, obj):
        messages.success(request, _("Saved."))
        return redirect(reverse("admin:applications_application_change", args=[obj.pk]))

    def history_view(self, request, object_id, extra_context=None):
        self._readable_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


# --- record-correction requests (条例 art. 41) -------------------------------------------

CORRECTION_PERSONAL = {"name": "masked_name", "id_number": "masked_id_number",
                       "phone": "masked_phone", "email": None, "address": None,
                       "evidence_download": None}  # fmt: skip
CORRECTION_REQUESTER = ["requester_type", "name", "id_number", "phone", "email", "address"]
CORRECTION_RECORD = ["record", "inaccuracy", "evidence", "evidence_download"]
CORRECTION_ANSWER = ["reference", "status", "submitted_at", "decided_on", "answer",
                     "competent_organ", "competent_contact"]  # fmt: skip


@admin.register(RecordCorrection)
class RecordCorrectionAdmin(admin.ModelAdmin):
    """Listed and read like applications; answered only through the steps (the office)."""

    list_display = ["reference", "masked_name", "record", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["reference", "record"]
    actions = None
    show_facets = admin.ShowFacets.NEVER
    change_form_template = "admin/applications/recordcorrection/change_form.html"
    readonly_fields = [*CORRECTION_ANSWER, *CORRECTION_REQUESTER, *CORRECTION_RECORD,
                       "masked_name", "masked_id_number", "masked_phone"]  # fmt: skip

    def get_queryset(self, request):
        return corrections_readable_by(request.user).select_related("township")

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and can_read_some_corrections(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return can_read_correction(request.user, obj)

    def has_add_permission(self, request) -> bool:
        return False  # residents send them through the public form

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # answered through the steps, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_fieldsets(self, request, obj=None):
        requester, record = CORRECTION_REQUESTER, CORRECTION_RECORD
        if obj is not None and not can_handle_correction(request.user, obj):
            requester = [CORRECTION_PERSONAL.get(f, f) for f in requester
                         if CORRECTION_PERSONAL.get(f, f)]  # fmt: skip
            record = [f for f in record if f != "evidence_download"]
        answer = [f for f in CORRECTION_ANSWER if obj is None or getattr(obj, f, None)]
        return [
            (_("Handling"), {"fields": answer}),
            (_("Requester"), {"fields": requester}),
            (_("What should be corrected"), {"fields": record}),
        ]

    @admin.display(description=_("requester"))
    def masked_name(self, obj: RecordCorrection) -> str:
        return mask_name(obj.name)

    @admin.display(description=_("identity document number"))
    def masked_id_number(self, obj: RecordCorrection) -> str:
        return mask_id(obj.id_number)

    @admin.display(description=_("telephone"))
    def masked_phone(self, obj: RecordCorrection) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("evidence file"))
    def evidence_download(self, obj: RecordCorrection) -> str:
        if not obj.evidence_file:
            return _("none")
        url = reverse("admin:applications_recordcorrection_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.evidence_name)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<slug:name>/", wrap(correction_staff.step),
                 name="applications_recordcorrection_step"),
            path("<int:pk>/evidence/", wrap(correction_staff.evidence),
                 name="applications_recordcorrection_evidence"),
            *super().get_urls(),
        ]  # fmt: skip

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        handles = can_handle_correction(request.user, obj)
        extra_context = {
            **(extra_context or {}),
            "title": RecordCorrection._meta.verbose_name,
            "steps": correction_staff.steps_for(obj) if handles else [],
            "reads_only": not handles,
            "events": obj.events.select_related("actor").order_by("-created", "-id"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": RecordCorrection._meta.verbose_name_plural,
                         **(extra_context or {})}  # fmt: skip
        return super().changelist_view(request, extra_context)
