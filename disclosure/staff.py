"""The staff side's workflow actions: small POST views behind the admin's login.

Each loads the notice through `get_notice_for` (404 for what the user may not
see), validates a small form, calls the model's transition, and redirects.
"Not allowed" is 403; "not possible now" is 409 with the reason in Chinese.
"""

from __future__ import annotations

from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import pii
from .models import Notice
from .models.workflow import InvalidTransition, PersonalDataFound
from .permissions import can_edit, can_view


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


KIND_LABELS = {
    pii.Kind.ID_CARD: gettext_lazy("ID card number"),
    pii.Kind.MOBILE: gettext_lazy("Mobile number"),
    pii.Kind.BANK_CARD: gettext_lazy("Bank card number"),
}


def change_url(notice: Notice) -> str:
    return reverse("admin:disclosure_notice_change", args=[notice.pk])


@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    notice = get_notice_for(request.user, pk)
    form_class, method, label = ACTIONS[action]
    form = form_class(request.POST)
    context = {"notice": notice, "form": form, "action": action, "label": label}
    if not form.is_valid():
        return render(request, "admin/disclosure/notice/action.html", context, status=400)
    try:
        getattr(notice, method)(request.user, **form.cleaned_data)
    except PersonalDataFound as found:
        context |= {
            "hits": [(hit, KIND_LABELS[hit.kind]) for hit in found.hits],
            "error": str(found),
            "can_mask": can_edit(request.user, notice),
        }
        return render(request, "admin/disclosure/notice/action.html", context, status=409)
    except InvalidTransition as error:
        context["error"] = str(error)
        return render(request, "admin/disclosure/notice/action.html", context, status=409)
    messages.success(request, _("Done: %(action)s.") % {"action": label})
    return redirect(change_url(notice))


@require_POST
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
    if unmaskable:
        messages.warning(request, _(
            "Numbers were masked in the text. These files cannot be masked automatically; "
            "replace them with masked versions: %(files)s"
        ) % {"files": "、".join(unmaskable)})  # fmt: skip
    else:
        messages.success(request, _("All personal numbers were masked."))
    return redirect(change_url(notice))


def _replace_file(attachment, data: bytes) -> None:
    import hashlib

    attachment.file.save(f"masked.{attachment.extension}", ContentFile(data), save=False)
    attachment.size, attachment.sha256 = len(data), hashlib.sha256(data).hexdigest()
    attachment.save(update_fields=["file", "size", "sha256"])


@require_POST
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
