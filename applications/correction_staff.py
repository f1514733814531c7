"""The office's steps on a record-correction request, as small POST views behind the
admin's login, and the evidence file for those who handle it."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from .corrections import InvalidTransition, RecordCorrection
from .permissions import can_handle_correction, can_read_correction


def get_correction_for(user, pk: int, *, handle: bool = True) -> RecordCorrection:
    """The request if this person may read it (404 otherwise), and handle it with
    `handle` (403 for a reader: they know it exists)."""
    correction = RecordCorrection.objects.select_related("township").filter(pk=pk).first()
    if correction is None or not can_read_correction(user, correction):
        raise Http404
    if handle and not can_handle_correction(user, correction):
        raise PermissionDenied
    return correction


class AnswerForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _text(label, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip


class CorrectForm(AnswerForm):
    answer = _text(gettext_lazy("What was corrected (the resident is told)"))


class ForwardForm(AnswerForm):
    organ = forms.CharField(label=gettext_lazy("Competent organ"), max_length=100,
                            help_text=gettext_lazy("e.g. 云溪县民政局"))  # fmt: skip
    contact = forms.CharField(label=gettext_lazy("Its contact details"), max_length=200,
                              help_text=gettext_lazy("Telephone and address, as the resident "
                                                     "can use them."))  # fmt: skip
    answer = _text(gettext_lazy("Note to the resident (optional)"), required=False, rows=2)


class RefuseForm(AnswerForm):
    reason = _text(gettext_lazy("Why it is not corrected (the resident is told)"))


# step → (label, form, the model method, its keyword arguments)
STEPS = {
    "correct": (gettext_lazy("Mark as corrected"), CorrectForm, "correct", ("answer",)),
    "forward": (gettext_lazy("Forward to the competent organ"), ForwardForm, "forward",
                ("organ", "contact", "answer")),
    "refuse": (gettext_lazy("Refuse to correct"), RefuseForm, "refuse", ("reason",)),
}  # fmt: skip


def steps_for(correction: RecordCorrection) -> list[tuple[str, str, forms.Form]]:
    if correction.status != RecordCorrection.Status.RECEIVED:
        return []
    return [(name, label, form(prefix=name)) for name, (label, form, *_r) in STEPS.items()]


def _change_url(pk: int) -> str:
    return reverse("admin:applications_recordcorrection_change", args=[pk])


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    if request.method != "POST":
        # A refresh, or a link followed: back to the request, never a blank 405.
        get_correction_for(request.user, pk, handle=False)
        return redirect(_change_url(pk))
    correction = get_correction_for(request.user, pk)
    label, form_class, method, arguments = STEPS[name]
    form = form_class(request.POST, prefix=name)
    context = {**admin.site.each_context(request), "c": correction, "form": form,
               "label": label, "step": name,
               "title": f"{label}：{correction.reference}"}  # fmt: skip
    template = "admin/applications/recordcorrection/step.html"
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        getattr(correction, method)(by=request.user,
                                    **{k: form.cleaned_data[k] for k in arguments})  # fmt: skip
    except InvalidTransition as error:
        context["error"] = str(error)
        return render(request, template, context, status=409)
    messages.success(request, _("Done: %(step)s.") % {"step": label})
    return redirect(_change_url(pk))


@require_safe
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The resident's evidence file, for those who handle the request only (it is personal
    data the readers see masked); with the public downloads' safe headers."""
    correction = get_correction_for(request.user, pk)
    if not correction.evidence_file:
        raise Http404
    response = FileResponse(
        correction.evidence_file.open("rb"), as_attachment=True,
        filename=correction.evidence_name or f"evidence.{correction.evidence_extension}",
        content_type=correction.evidence_type or "application/octet-stream",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
