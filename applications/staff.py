"""The handling steps as small POST views behind the admin's login; the letter, the
reply files and the export, for those who handle an application and (masked) for the
supervision and leadership groups who read it."""

from __future__ import annotations

import io

from openpyxl import Workbook

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from catalog.models import Organization
from portal.downloads import file_download

from . import handling, matching, stale
from .models import Application, NotHeld, Outcome, ReplyFile
from .permissions import applications_readable_by, can_handle, can_read, can_read_some
from .privacy import mask_id, mask_letter, mask_name, mask_phone, person_name

Status = Application.Status
# <input type="date"> takes ISO dates only; the zh-Hans input format (2026/03/05)
# would leave it empty, so the widgets say their format.
ISO_DATE = "%Y-%m-%d"


def get_application_for(user, pk: int, *, handle: bool = True) -> Application:
    """The application if this person may read it (and handle it, with `handle`).

    - Someone who may not read it is told it does not exist (404).
    - A reader who may not handle it is refused (403): they know it exists.
    """
    application = Application.objects.select_related("township").filter(pk=pk).first()
    if application is None or not can_read(user, application):
        raise Http404
    if handle and not can_handle(user, application):
        raise PermissionDenied
    return application


def _date_field(label) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    return forms.DateField(label=label, initial=timezone.localdate, widget=widget)


class StepForm(stale.StaleFormMixin, forms.Form):
    """A step's form, with the version token of the page it was rendered on."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")  # the labels stand above their fields
        super().__init__(*args, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class ConfirmForm(StepForm):
    on = _date_field(gettext_lazy("Receipt date"))


class AssignForm(StepForm):
    department = forms.ModelChoiceField(label=gettext_lazy("Department"),
                                        queryset=Organization.objects.none())  # fmt: skip

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organization.objects.filter(
            parent=application.township
        )


class CorrectionForm(StepForm):
    what = forms.CharField(label=gettext_lazy("What the applicant has to correct (all at once)"),
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ConsultForm(StepForm):
    third_party = forms.CharField(label=gettext_lazy("Third party consulted"), max_length=200)
    sent_on = _date_field(gettext_lazy("Letter sent on"))


class ExtendForm(StepForm):
    days = forms.IntegerField(label=gettext_lazy("Working days"), min_value=1, max_value=20,
                              initial=20)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    approved_by = PersonChoiceField(label=gettext_lazy("Approved by"), queryset=None)

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        office = application.township.disclosure_office_id
        self.fields["approved_by"].queryset = get_user_model().objects.filter(
            memberships__organization_id=office, memberships__role="leader"
        )


class FeeForm(StepForm):
    method = forms.ChoiceField(label=gettext_lazy("Method"), widget=forms.RadioSelect,
                               choices=[("item", gettext_lazy("Per item (counted over the month)")),
                                        ("page", gettext_lazy("Per page"))])  # fmt: skip
    units = forms.IntegerField(label=gettext_lazy("Items or pages"), min_value=1)


class EarlierAnswerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        label = _("%(code)s · answered %(date)s · %(outcome)s · %(what)s") % {
            "code": obj.tracking_code, "date": obj.closed_on, "outcome": obj.get_outcome_display(),
            "what": obj.description[:24],
        }  # fmt: skip
        return label + (_(" (same information)") if getattr(obj, "same", False) else "")


class CloseForm(StepForm):
    """The answer. (四)1 and (五)2 ask a little more, told next to the field when missing:
    which (四)1 answer it is and the organ's name and contact when known (art. 36(5)); and
    the earlier answer a repeat application refers to, among this applicant's (art. 36(6))."""

    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    not_held = forms.ChoiceField(
        label=gettext_lazy("For (四)1: why this organ cannot provide it"),
        choices=NotHeld.choices, required=False, widget=forms.RadioSelect,
    )  # fmt: skip
    holder_name = forms.CharField(
        label=gettext_lazy("Organ responsible for the information"), max_length=100,
        required=False, help_text=gettext_lazy("When it is known, e.g. 云溪县自然资源局."),
    )  # fmt: skip
    holder_contact = forms.CharField(
        label=gettext_lazy("That organ's contact details"), max_length=200, required=False,
        help_text=gettext_lazy("Telephone and address, as the applicant can use them."),
    )  # fmt: skip
    repeat_of = EarlierAnswerField(
        label=gettext_lazy("For (五)2: the earlier answer to this applicant"),
        queryset=Application.objects.none(), required=False,
    )  # fmt: skip
    details = forms.CharField(
        label=gettext_lazy("What is provided, where to find it, or the reasons"),
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, application: Application, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        readable = applications_readable_by(user) if user is not None else None
        self.earlier = matching.earlier_answers(application, readable)
        field = self.fields["repeat_of"]
        field.queryset = Application.objects.filter(pk__in=[e.pk for e in self.earlier])
        # The choices in the order found (same information first), each knowing `same`.
        ordered = sorted(self.earlier, key=lambda e: not e.same)
        field.choices = [("", "---------")] + [(e.pk, field.label_from_instance(e))
                                               for e in ordered]  # fmt: skip
        same = [e for e in ordered if e.same]
        if same:
            field.initial = same[0].pk
        if not self.earlier:
            del self.fields["repeat_of"]

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome != Outcome.NOT_HELD:
            data["not_held"], data["holder_name"], data["holder_contact"] = "", "", ""
        elif not data.get("not_held"):
            self.add_error("not_held", _("Choose which: it does not exist, or another organ "
                                         "holds it (known or not)."))  # fmt: skip
        elif data["not_held"] != NotHeld.ELSEWHERE:
            data["holder_name"], data["holder_contact"] = "", ""
        else:
            for name in ("holder_name", "holder_contact"):
                if not data.get(name, "").strip():
                    self.add_error(
                        name,
                        _(
                            "Needed when the responsible organ is known; "
                            "otherwise choose that it cannot be determined."
                        ),
                    )
        if outcome != Outcome.REPEAT:
            data["repeat_of"] = None
        elif "repeat_of" in self.fields and not data.get("repeat_of"):
            self.add_error("repeat_of", _("Choose the earlier answer this application "
                                          "repeats."))  # fmt: skip
        data.setdefault("repeat_of", None)
        return data


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
              ("outcome", "details", "not_held", "holder_name", "holder_contact", "repeat_of"),
              handling.OPEN),
}  # fmt: skip


def make_form(step: str, application: Application, data=None, token: str | None = None,
              user=None):  # fmt: skip
    form_class = STEPS[step][1]
    kwargs = {"application": application} if form_class in (AssignForm, ExtendForm) else {}
    if form_class is CloseForm:
        kwargs = {"application": application, "user": user}
    form = form_class(data, prefix=step, **kwargs)
    form.add_version_field(token)
    return form


def steps_for(application: Application, user=None) -> list[tuple[str, str, forms.Form]]:
    token = stale.token_for(application)
    return [
        (step, label, make_form(step, application, token=token, user=user))
        for step, (label, _form, _func, _args, states) in STEPS.items()
        if application.status in states
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    if request.method != "POST":
        # A refresh, or a link followed: back to the application, never a blank 405.
        get_application_for(request.user, pk, handle=False)
        return redirect(reverse("admin:applications_application_change", args=[pk]))
    application = get_application_for(request.user, pk)
    label, _form, function, arguments, _states = STEPS[name]
    form = make_form(name, application, request.POST, user=request.user)
    # The admin's frame (menu, names) around the page: the site the project configured.
    context = {**admin.site.each_context(request), "a": application, "form": form,
               "label": label, "step": name,
               "title": f"{label}：{application.tracking_code}"}  # fmt: skip
    if not form.is_valid():
        return render(request, "admin/applications/application/step.html", context, status=400)
    try:
        with transaction.atomic():
            # Compared under the lock the step itself takes next, in the same
            # transaction, so nobody can slip a change in between.
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if form.refuse_if_stale(locked):
                return render(request, "admin/applications/application/step.html",
                              {**context, "a": locked}, status=409)  # fmt: skip
            function(application, by=request.user,
                     **{k: form.cleaned_data[k] for k in arguments})  # fmt: skip
    except handling.InvalidStep as error:
        context["error"] = str(error)
        return render(request, "admin/applications/application/step.html", context, status=409)
    messages.success(request, _("Done: %(step)s.") % {"step": label})
    return redirect(reverse("admin:applications_application_change", args=[application.pk]))


@require_safe
def reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply letter as a page to print; readers who do not handle it get it with
    the applicant's data masked."""
    application = get_application_for(request.user, pk, handle=False)
    if not application.reply:
        raise Http404
    text = application.reply
    if not can_handle(request.user, application):
        text = mask_letter(text, application)
    return render(request, "admin/applications/application/letter.html",
                  {"a": application, "text": text})  # fmt: skip


@require_safe
def reply_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file provided with the answer, for whoever may read the application; served
    with the public downloads' headers, never from a storage path."""
    application = get_application_for(request.user, pk, handle=False)
    item = ReplyFile.objects.filter(application=application, pk=file_pk).first()
    if item is None:
        raise Http404
    return file_download(item.file.open("rb"), filename=item.original_name,
                         content_type=item.content_type, private=True)  # fmt: skip


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell Excel or WPS will never run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """The applications this person may read, as XLSX, with masked personal data (the
    same for those who handle them: a spreadsheet travels)."""
    if not can_read_some(request.user):
        raise PermissionDenied
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("applications")[:31]
    sheet.append([str(h) for h in (
        _("Tracking code"), _("Receipt date"), _("Status"), _("Outcome"), _("Applicant"),
        _("Identity document"), _("Telephone"), _("Information requested"),
    )])  # fmt: skip
    rows = applications_readable_by(request.user).order_by("submitted_at")
    for a in rows.iterator(chunk_size=500):
        sheet.append([safe_cell(v) for v in (
            a.tracking_code, a.received_on, a.get_status_display(), a.get_outcome_display(),
            mask_name(a.name), mask_id(a.id_number), mask_phone(a.phone), a.description,
        )])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return file_download(
        buffer.getvalue(), filename="applications.xlsx", private=True,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
