"""The staff side for applications: register, handle step by step, answer."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Organization
from catalog.roles import organizations_for
from disclosure.uploads import CleanUploadFormMixin

from . import staff
from .forms import ApplicationForm
from .handling import deadline_for
from .models import Application, ApplicationEvent, ReplyFile
from .permissions import applications_handled_by, can_handle, can_register
from .privacy import mask_id, mask_name, mask_phone


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
        self.fields["received_on"].widget = forms.DateInput(attrs={"type": "date"})

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
    model = ReplyFile
    form = ReplyFileForm
    extra = 1
    readonly_fields = ["original_name", "size"]

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is not None and obj.status != Application.Status.CLOSED

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return True


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "masked_name", "status", "received_on", "due", "department"]
    list_filter = ["status", "channel", "outcome"]
    list_select_related = ["department", "township"]
    search_fields = ["tracking_code", "description"]
    actions = None
    inlines = [ReplyFileInline]
    change_form_template = "admin/applications/application/change_form.html"
    change_list_template = "admin/applications/application/change_list.html"
    readonly_fields = [
        "tracking_code", "status", "channel", "received_on", "correction_requested_on",
        "correction_request", "extension_days", "extension_reason", "extension_approved_by",
        "fee_method", "fee_units", "fee_amount", "fee_notice_on", "fee_pay_by", "fee_paid_on",
        "outcome", "closed_on", "department",
    ]  # fmt: skip

    def get_queryset(self, request):
        return applications_handled_by(request.user).prefetch_related("pauses")

    def has_module_permission(self, request) -> bool:
        return (
            request.user.is_active
            and applications_handled_by(request.user).exists()
            or (can_register(request.user))
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return (
            obj is None
            and self.has_module_permission(request)
            or (obj is not None and can_handle(request.user, obj))
        )

    def has_add_permission(self, request) -> bool:
        return can_register(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        # The applicant's data is the applicant's: staff change it only through steps.
        return (
            obj is None
            and can_register(request.user)
            or (
                obj is not None
                and can_handle(request.user, obj)
                and obj.status != Application.Status.CLOSED
            )
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RegisterForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return RegisterForm.Meta.fields
        return [*ApplicationForm.Meta.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*ApplicationForm.Meta.fields, *self.readonly_fields]

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
            path("export/", wrap(staff.export), name="applications_export"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "steps": staff.steps_for(obj) if can_handle(request.user, obj) else [],
                "deadline": deadline_for(obj),
                "events": obj.events.select_related("actor"),
                "masked": {"id": mask_id(obj.id_number), "phone": mask_phone(obj.phone)},
            }
        return super().change_view(request, object_id, form_url, extra_context)
