"""The resident's side: apply (no account), a receipt, and tracking by code."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from disclosure.publication import public_notices
from portal.downloads import file_download
from portal.scope import get_scope

from . import ratelimit
from .forms import ApplicationForm, TrackForm
from .handling import deadline_for
from .models import Application, ApplicationEvent, ReplyFile
from .privacy import mask_id, mask_name, mask_phone

SESSION_KEY = "applications.mine"
TRACKED_KEY = "applications.tracked"


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    scope = get_scope(request)
    township = scope.township
    key = f"apply:{ratelimit.client_address(request)}"
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        existing = Application.objects.filter(
            submission_key=request.POST.get("submission_key") or None
        ).first()
        if existing:  # a double click or a resubmitted form
            return _done(request, existing)
        if form.is_valid():
            application = _save(form, township, key, settings.APPLY_RATE_LIMIT)
            if application is None:
                return render(request, "applications/limited.html", status=429)
            return _done(request, application)
    else:
        form = ApplicationForm()
    return render(request, "applications/apply.html", {"form": form, "township": township})


class _OverLimit(Exception):
    pass


def _save(form: ApplicationForm, township, key: str, limit: int) -> Application | None:
    """The new application, the one an identical post saved first, or None when the
    address has used up its limit.

    The limit is taken inside the saving transaction, after the insert: a second copy of
    the same form fails on the unique submission key before it takes a turn (a double
    click never uses up the limit or sees a 429), and a refused one is rolled back.
    `ratelimit.take` counts and decides in one statement, so concurrent posts from one
    address never pass the limit."""
    application = form.save(commit=False)
    application.township = township
    application.channel = Application.Channel.ONLINE
    application.submission_key = form.cleaned_data["submission_key"]
    try:
        with transaction.atomic():
            application.save()
            ApplicationEvent.objects.create(
                application=application, action=ApplicationEvent.Action.SUBMITTED
            )
            if not ratelimit.take(key, limit, 3600):
                raise _OverLimit
    except IntegrityError:
        # Two identical posts at once: the other one won; show its receipt.
        return Application.objects.get(submission_key=application.submission_key)
    except _OverLimit:
        return None
    return application


def _done(request: HttpRequest, application: Application) -> HttpResponse:
    # The code goes into the session, never into a URL (it is the key to the file).
    request.session[SESSION_KEY] = application.pk
    return redirect("application-receipt")


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_KEY)
    application = Application.objects.filter(pk=pk).select_related("township").first()
    if application is None:
        return redirect("application-apply")
    return render(request, "applications/receipt.html", {"a": application,
                                                         **masked(application)})  # fmt: skip


def masked(application: Application) -> dict[str, str]:
    return {
        "masked_name": mask_name(application.name),
        "masked_id": mask_id(application.id_number),
        "masked_phone": mask_phone(application.phone),
    }


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    form = TrackForm(request.POST or None)
    context: dict = {"form": form}
    key = f"track:{ratelimit.client_address(request)}"
    if request.method == "POST":
        # Every attempt takes a turn at once (guesses in parallel cannot slip through); a
        # right code gives its turn back, so only wrong codes use up the limit.
        if form.is_valid() and not ratelimit.take(key, settings.TRACK_RATE_LIMIT, 3600):
            return render(request, "applications/limited.html", status=429)
        if form.is_valid():
            application = (
                Application.objects.filter(tracking_code=form.cleaned_data["code"])
                .select_related("township")
                .first()
            )
            if application is None:
                form.add_error("code", _("No application has this code. Check it and try again."))
            else:
                ratelimit.give_back(key, 3600)
                # Downloads of the files provided need the code to have been shown.
                request.session[TRACKED_KEY] = application.pk
                context |= {
                    "a": application,
                    "deadline": deadline_for(application),
                    "events": application.events.filter(public=True),
                    "files": application.files.all() if application.reply else [],
                    # The letter names the applicant; anyone holding the code sees it.
                    "reply": application.reply.replace(
                        application.name, mask_name(application.name)
                    ),
                    **masked(application),
                }
    return render(request, "applications/track.html", context)


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """Published notices whose titles contain the words typed so far (at most 5)."""
    words = [w for w in request.GET.get("q", "").split() if len(w) >= 2][:3]
    if not words:
        return JsonResponse({"results": []})
    notices = public_notices(request)
    for word in words:
        notices = notices.filter(title__icontains=word)
    results = [
        {"title": n.title, "url": n.get_absolute_url()}
        for n in notices.only("id", "title").order_by("-published_at")[:5]
    ]
    return JsonResponse({"results": results})


@require_safe
def reply_file(request: HttpRequest, pk: int) -> FileResponse:
    """A file provided with the answer, for whoever just looked the application up."""
    item = ReplyFile.objects.filter(
        pk=pk, application_id=request.session.get(TRACKED_KEY), application__status="closed"
    ).first()
    if item is None:
        raise Http404
    # The headers of every file served (portal.downloads); the applicant's own: private.
    return file_download(item.file.open("rb"), filename=item.original_name,
                         content_type=item.content_type, private=True)  # fmt: skip
