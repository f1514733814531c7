"""The handling steps as small POST views behind the admin's login."""

from __future__ import annotations

import io

from openpyxl import Workbook

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog.models import Organization

from . import handling
from .models import Application, Outcome
from .permissions import applications_handled_by, can_handle
from .privacy import mask_id, mask_name, mask_phone

Status = Application.Status


def get_application_for(user, pk: int) -> Application:
    """The application if this person handles it; 404 otherwise, as if it did not exist."""
    application = Application.objects.select_related("township").filter(pk=pk).first()
    if application is None or not can_handle(user, application):
        raise Http404
    return application


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip


class ConfirmForm(forms.Form):
    on = _date_field(gettext_lazy("Receipt date"))


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=gettext_lazy("Department"),
                                        queryset=Organization.objects.none())  # fmt: skip

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organization.objects.filter(
            parent=application.township
        )


class CorrectionForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("What the applicant has to correct (all at once)"),
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ConsultForm(forms.Form):
    third_party = forms.CharField(label=gettext_lazy("Third party consulted"), max_length=200)
    sent_on = _date_field(gettext_lazy("Letter sent on"))


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=gettext_lazy("Working days"), min_value=1, max_value=20,
                              initial=20)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    approved_by = forms.ModelChoiceField(label=gettext_lazy("Approved by"), queryset=None)

    def __init__(self, *args, application: Application, **kwargs) -> None:
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        office = application.township.disclosure_office_id
        self.fields["approved_by"].queryset = get_user_model().objects.filter(
            memberships__organization_id=office, memberships__role="leader"
        )


class FeeForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Method"), widget=forms.RadioSelect,
                               choices=[("item", gettext_lazy("Per item (counted over the month)")),
                                        ("page", gettext_lazy("Per page"))])  # fmt: skip
    units = forms.IntegerField(label=gettext_lazy("Items or pages"), min_value=1)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    details = forms.CharField(
        label=gettext_lazy("What is provided, where to find it, or the reasons"),
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip


# step → (label, form, the handling function, its keyword arguments, states shown in)
STEPS = {
    "confirm": (gettext_lazy("Confirm receipt"), ConfirmForm, handling.confirm_receipt, ("on",),
                (Status.PENDING,)),
    "assign": (gettext_lazy("Pass to a department"), AssignForm, handling.assign,
               ("department",), handling.OPEN),
    "correction": (gettext_lazy("Request a correction"), CorrectionForm,
                   handling.request_correction, ("what",), (Status.RECEIVED,)),
    "corrected": (gettext_lazy("Corrected application received"), ConfirmForm,
                  handling.correction_received, ("on",), (Status.CORRECTION,)),
    "consult": (gettext_lazy("Consult a third party"), ConsultForm, handling.start_consultation,
                ("third_party", "sent_on"), (Status.RECEIVED,)),
    "answered": (gettext_lazy("Third party answered"), ConfirmForm, handling.end_consultation,
                 ("on",), (Status.CONSULTING,)),
    "extend": (gettext_lazy("Extend the deadline"), ExtendForm, handling.extend,
               ("days", "reason", "approved_by"), (Status.RECEIVED, Status.CONSULTING)),
    "fee": (gettext_lazy("Send a fee notice"), FeeForm, handling.send_fee_notice,
            ("method", "units"), (Status.RECEIVED,)),
    "paid": (gettext_lazy("Fee paid"), ConfirmForm, handling.fee_paid, ("on",), (Status.FEE,)),
    "close": (gettext_lazy("Answer and close"), CloseForm, handling.close,
              ("outcome", "details"), handling.OPEN),
}  # fmt: skip


def make_form(step: str, application: Application, data=None) -> forms.Form:
    form_class = STEPS[step][1]
    kwargs = {"application": application} if form_class in (AssignForm, ExtendForm) else {}
    return form_class(data, prefix=step, **kwargs)


def steps_for(application: Application) -> list[tuple[str, str, forms.Form]]:
    return [
        (step, label, make_form(step, application))
        for step, (label, _form, _func, _args, states) in STEPS.items()
        if application.status in states
    ]


@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    application = get_application_for(request.user, pk)
    label, _form, function, arguments, _states = STEPS[name]
    form = make_form(name, application, request.POST)
    context = {"a": application, "form": form, "label": label, "step": name}
    if not form.is_valid():
        return render(request, "admin/applications/application/step.html", context, status=400)
    try:
        function(application, by=request.user, **{k: form.cleaned_data[k] for k in arguments})
    except handling.InvalidStep as error:
        context["error"] = str(error)
        return render(request, "admin/applications/application/step.html", context, status=409)
    messages.success(request, _("Done: %(step)s.") % {"step": label})
    return redirect(reverse("admin:applications_application_change", args=[application.pk]))


def reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply letter as a page to print."""
    application = get_application_for(request.user, pk)
    if not application.reply:
        raise Http404
    return render(request, "admin/applications/application/letter.html", {"a": application})


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell Excel or WPS will never run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export(request: HttpRequest) -> HttpResponse:
    """The applications this person handles, as XLSX, with masked personal data."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("applications")[:31]
    sheet.append([str(h) for h in (
        _("Tracking code"), _("Receipt date"), _("Status"), _("Outcome"), _("Applicant"),
        _("Identity document"), _("Telephone"), _("Information requested"),
    )])  # fmt: skip
    rows = applications_handled_by(request.user).order_by("submitted_at")
    for a in rows.iterator(chunk_size=500):
        sheet.append([safe_cell(v) for v in (
            a.tracking_code, a.received_on, a.get_status_display(), a.get_outcome_display(),
            mask_name(a.name), mask_id(a.id_number), mask_phone(a.phone), a.description,
        )])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename=applications.xlsx"
    return response
