"""The staff side's workflow actions: small POST views behind the admin's login.

Each loads the notice through `get_notice_for` (404 for what the user may not
see), validates a small form, calls the model's transition, and redirects.
"Not allowed" is 403; "not possible now" is 409 with the reason in Chinese. A GET
of one of these URLs (a refresh, a bookmarked result page) goes back to the notice's
change page: nothing is done, nothing is shown blank.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Membership

from . import pii
from .models import Notice, NoticeEvent
from .models.workflow import InvalidTransition, PersonalDataFound
from .permissions import can_edit, can_view


def person_name(user) -> str:
    """A person as colleagues know them: the real name, else the username."""
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def log_entries(notice: Notice):
    """The admin's record of saves of this notice (the change form and masking)."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Notice), object_id=str(notice.pk)
    )


def get_notice_for(user, pk: int) -> Notice:
    """The notice if this user may see it; otherwise 404, as if it did not exist."""
    notice = Notice.objects.select_related("catalog_node", "organization").filter(pk=pk).first()
    if notice is None or not can_view(user, notice):
        raise Http404
    return notice


class ActionForm(forms.Form):
    """The input of one workflow action, posted to its transition URL.

    The change form shows `beside_button` of its fields next to the button; the
    action page (after a refusal, or for bad input) shows all of them. Its fields
    are the transition method's keyword arguments.
    """

    beside_button: tuple[str, ...] = ()

    @classmethod
    def for_button(cls, action: str, notice: Notice) -> ActionForm:
        """Unbound, with ids of their own (two forms on one page share field names)."""
        form = cls(auto_id=f"id_{action}_%s", label_suffix="")
        shown = form.fields_beside_button(notice)
        form.fields = {name: field for name, field in form.fields.items() if name in shown}
        return form

    def fields_beside_button(self, notice: Notice) -> tuple[str, ...]:
        """The fields to show next to the button (a form may adjust them for it)."""
        return self.beside_button


class SubmitForm(ActionForm):
    # Asked only once the model has found personal numbers (the action page).
    pii_override_reason = forms.CharField(
        label=gettext_lazy("Reason for submitting with personal numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only when the numbers must be published; the reason is recorded."),
    )


class ApproveForm(ActionForm):
    confidentiality_confirmed = forms.BooleanField(
        label=gettext_lazy(
            "I have done the confidentiality review: nothing secret or private is disclosed"
        ),
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def fields_beside_button(self, notice: Notice) -> tuple[str, ...]:
        if not notice.awaits_confidentiality_review():
            return ("comment",)
        # Required in the browser only: the form never refuses it, the model does (409),
        # so that a comment posted without it is shown back, not lost.
        self.fields["confidentiality_confirmed"].required = True
        return ("confidentiality_confirmed", "comment")


class ReturnForm(ActionForm):
    beside_button = ("reason",)

    reason = forms.CharField(
        label=gettext_lazy("What has to change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishForm(ActionForm):
    at = forms.DateTimeField(
        label=gettext_lazy("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=gettext_lazy("Leave empty to publish now."),
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at and at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return at


class ScheduleForm(PublishForm):
    """The change form's second publish button: the same POST, with the time asked for."""

    beside_button = ("at",)

    def fields_beside_button(self, notice: Notice) -> tuple[str, ...]:
        self.fields["at"].required = True  # in the browser: this button is for a later time
        self.fields["at"].help_text = ""
        return self.beside_button


class WithdrawForm(ActionForm):
    beside_button = ("reason",)

    reason = forms.CharField(
        label=gettext_lazy("Public reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class Action(NamedTuple):
    form: type[ActionForm]
    method: str  # the transition on Notice
    label: str


ACTIONS = {
    "submit": Action(SubmitForm, "submit", gettext_lazy("Submit for review")),
    "approve": Action(ApproveForm, "approve", gettext_lazy("Approve")),
    "return": Action(ReturnForm, "return_for_changes", gettext_lazy("Return for changes")),
    "publish": Action(PublishForm, "publish", gettext_lazy("Publish")),
    "withdraw": Action(WithdrawForm, "withdraw", gettext_lazy("Withdraw")),
}
SECONDARY = {"return", "withdraw"}  # grey buttons: they send back or take down


class Button(NamedTuple):
    action: str  # the transition URL it posts to
    name: str  # for the class workflow-<name>
    label: str
    form: ActionForm
    secondary: bool


def buttons(notice: Notice, actions: list[str]) -> list[Button]:
    """The change form's workflow buttons for `permissions.actions_for`, each with the
    fields of its form it needs; beside 发布, 定时发布 where a time may be set."""
    shown = []
    for name in actions:
        if name not in ACTIONS:
            continue  # 修订 has its own view
        form_class, _method, label = ACTIONS[name]
        shown.append(Button(name, name, label, form_class.for_button(name, notice),
                            name in SECONDARY))  # fmt: skip
        if name == "publish" and notice.may_be_scheduled():
            shown.append(Button(name, "schedule", gettext_lazy("Schedule publication"),
                                ScheduleForm.for_button(name, notice), True))  # fmt: skip
    return shown


def change_url(notice: Notice) -> str:
    return reverse("admin:disclosure_notice_change", args=[notice.pk])


def post_or_back(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """POST runs the action; GET or HEAD (a refresh) returns to the notice it is about,
    after the same visibility check (404), so the URL tells nobody more than the change
    page would; any other method is 405."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return redirect(change_url(get_notice_for(request.user, pk)))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, pk, **kwargs)

    return wrapper


@post_or_back
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    notice = get_notice_for(request.user, pk)
    return run_action(request, notice, action, request.POST)


def run_action(request: HttpRequest, notice: Notice, action: str, data) -> HttpResponse:
    """Validate the action's form from `data`, call the transition, and answer: back to
    the change page with a message, or the action page (400 bad input, 409 not now)."""
    form_class, method, label = ACTIONS[action]
    form = form_class(data)
    context = {"notice": notice, "form": form, "action": action, "label": label}
    if not form.is_valid():
        return render(request, "admin/disclosure/notice/action.html", context, status=400)
    try:
        getattr(notice, method)(request.user, **form.cleaned_data)
    except PersonalDataFound as found:
        context |= {
            "hits": [(hit, hit.label) for hit in found.hits],  # says when a check digit is wrong
            "pii_highlighted_body": pii.highlight_numbers_in_html(notice.body),
            "error": str(found),
            "can_mask": can_edit(request.user, notice),
        }
        return render(request, "admin/disclosure/notice/action.html", context, status=409)
    except InvalidTransition as error:
        context["error"] = str(error)
        return render(request, "admin/disclosure/notice/action.html", context, status=409)
    messages.success(request, _("Done: %(action)s.") % {"action": label})
    return redirect(change_url(notice))


@post_or_back
def mask(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: mask every personal number in the text and in Word/Excel attachments."""
    notice = get_notice_for(request.user, pk)
    if not can_edit(request.user, notice):
        raise PermissionDenied
    unmaskable = []
    with transaction.atomic():
        notice.title, notice.summary = pii.mask_text(notice.title), pii.mask_text(notice.summary)
        notice.body = pii.mask_html(notice.body)
        notice.save(update_fields=["title", "summary", "body", "updated_at"])
        for attachment in notice.attachments.all():
            with attachment.file.open("rb") as f:
                data = f.read()
            if not pii.scan_attachment(data, attachment.extension, attachment.original_name):
                continue
            masked = pii.mask_attachment(data, attachment.extension)
            if masked is None:
                unmaskable.append(attachment.original_name)
                continue
            _replace_file(attachment, masked)
        # As a save of the change form is recorded: a clerk editing the same draft is told
        # who changed it (disclosure.stale), and the history shows it.
        LogEntry.objects.log_actions(
            request.user.pk, [notice], CHANGE, single_object=True,
            change_message=[{"changed": {"fields": ["title", "summary", "body"]}}],
        )  # fmt: skip
    if unmaskable:
        messages.warning(request, _(
            "Numbers were masked in the text. These files cannot be masked automatically; "
            "replace them with masked versions: %(files)s"
        ) % {"files": "、".join(unmaskable)})  # fmt: skip
    else:
        messages.success(request, _("All personal numbers were masked."))
    return redirect(change_url(notice))


def _replace_file(attachment, data: bytes) -> None:
    attachment.file.save(f"masked.{attachment.extension}", ContentFile(data), save=False)
    attachment.size, attachment.sha256 = len(data), hashlib.sha256(data).hexdigest()
    attachment.save(update_fields=["file", "size", "sha256"])


@post_or_back
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or reopen) the revision of a published notice."""
    notice = get_notice_for(request.user, pk)
    try:
        revision = notice.start_revision(request.user)
    except InvalidTransition as error:
        context = {"notice": notice, "error": str(error), "label": _("Revise")}
        return render(request, "admin/disclosure/notice/action.html", context, status=409)
    messages.info(request, _("This is a revision: the public sees the published version until "
                             "this one is approved and published."))  # fmt: skip
    return redirect(change_url(revision))


# --- what the change form shows above and below the fields ---------------------------


def role_label(role: str) -> str:
    Role = Membership.Role
    return str(Role(role).label) if role in Role.values else role


def status_label(status: str) -> str:
    return str(Notice.Status(status).label) if status in Notice.Status.values else status


def review_step(notice: Notice) -> dict | None:
    """第 n 步，共 m 步: whose review it waits for."""
    if notice.status != Notice.Status.SUBMITTED:
        return None
    return {"number": notice.review_step + 1, "total": len(notice.review_chain),
            "role": role_label(notice.review_role)}  # fmt: skip


def last_return(notice: Notice) -> dict | None:
    """The latest return of a returned notice: the reason, who, when."""
    if notice.status != Notice.Status.RETURNED:
        return None
    event = (notice.events.filter(action=NoticeEvent.Action.RETURNED)
             .select_related("actor").order_by("-created", "-pk").first())  # fmt: skip
    if event is None:
        return None
    return {"reason": event.comment, "by": person_name(event.actor), "at": event.created}


def history(notice: Notice) -> list[dict]:
    """Every transition and every save of the form, newest first, in words and names."""
    rows = [
        {
            # A submission's role is the step it goes to, not its submitter's.
            "at": e.created, "by": person_name(e.actor),
            "as": "" if e.action == NoticeEvent.Action.SUBMITTED else role_label(e.role),
            "what": e.get_action_display(),
            "change": f"{status_label(e.old_status)} → {status_label(e.new_status)}",
            "comment": e.comment, "confirmed": e.confidentiality_confirmed,
            "pii_reason": e.pii_override_reason,
        }
        for e in notice.events.select_related("actor")
    ]  # fmt: skip
    rows += [
        {
            "at": entry.action_time, "by": person_name(entry.user),
            "what": _("Created") if entry.action_flag == ADDITION else _("Edited"),
            "detail": "" if entry.action_flag == ADDITION else entry.get_change_message(),
        }
        # A save that changed nothing ("[]") is no step of anyone's work.
        for entry in log_entries(notice).select_related("user").exclude(change_message="[]")
    ]  # fmt: skip
    return sorted(rows, key=lambda row: row["at"], reverse=True)
