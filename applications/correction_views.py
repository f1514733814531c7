"""The resident's side of a record-correction request (条例 art. 41): the form and its
receipt. No account; one request per submission key (a double click makes one)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.scope import get_scope

from . import ratelimit
from .correction_forms import RecordCorrectionForm
from .corrections import RecordCorrection
from .privacy import mask_id, mask_name, mask_phone

SESSION_KEY = "applications.record_correction"


@require_http_methods(["GET", "POST"])
def request_correction(request: HttpRequest) -> HttpResponse:
    township = get_scope(request).township
    # Counted apart from applications, at the same rate a person could apply.
    key = f"record-correction:{ratelimit.client_address(request)}"
    if request.method == "POST":
        existing = RecordCorrection.objects.filter(
            submission_key=request.POST.get("submission_key") or None
        ).first()
        if existing:  # a double click or a resubmitted form
            return _done(request, existing)
        form = RecordCorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            correction = _save(form, township, key, settings.APPLY_RATE_LIMIT)
            if correction is None:
                return render(request, "applications/limited.html", status=429)
            return _done(request, correction)
    else:
        form = RecordCorrectionForm()
    return render(request, "applications/record_correction.html",
                  {"form": form, "township": township})  # fmt: skip


class _OverLimit(Exception):
    pass


def _save(form: RecordCorrectionForm, township, key: str, limit: int) -> RecordCorrection | None:
    """As `applications.views._save`: the limit is taken after the insert, in its
    transaction, so a double click never uses it up and a refused request is rolled back
    (with the evidence file it wrote)."""
    correction = form.save(commit=False)
    correction.township = township
    correction.submission_key = form.cleaned_data["submission_key"]
    cleaned = form.cleaned_upload
    if cleaned is not None:
        # The checked (re-encoded) content under a server-made name; the resident's file
        # name is only a label.
        correction.evidence_extension = cleaned.extension
        correction.evidence_type = cleaned.content_type
        correction.evidence_name = cleaned.display_name
        correction.evidence_file = ContentFile(cleaned.content, name=f"e.{cleaned.extension}")
    try:
        with transaction.atomic():
            correction.save()
            correction.record_event(None, "submitted")
            if not ratelimit.take(key, limit, 3600):
                raise _OverLimit
    except (IntegrityError, _OverLimit) as refused:
        if correction.evidence_file:
            correction.evidence_file.delete(save=False)  # the rolled-back row's file
        if isinstance(refused, _OverLimit):
            return None
        # Two identical posts at once: the other one won; show its receipt.
        return RecordCorrection.objects.get(submission_key=correction.submission_key)
    return correction


def _done(request: HttpRequest, correction: RecordCorrection) -> HttpResponse:
    request.session[SESSION_KEY] = correction.pk
    return redirect("record-correction-receipt")


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    correction = (
        RecordCorrection.objects.filter(pk=request.session.get(SESSION_KEY))
        .select_related("township")
        .first()
    )
    if correction is None:
        return redirect("record-correction")
    return render(request, "applications/record_correction_receipt.html", {
        "c": correction, "masked_name": mask_name(correction.name),
        "masked_id": mask_id(correction.id_number), "masked_phone": mask_phone(correction.phone),
    })  # fmt: skip
