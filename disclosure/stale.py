"""Refusing a save based on a stale page: the version token of a notice.

Two clerks of one department may open the same draft. The change form carries a
hidden token describing the version it was rendered from; the save compares it with
the row as it is under the lock (`NoticeForm.clean`, inside the admin's transaction,
after `select_for_update`) and, when they differ, is refused with what changed, the
typed data kept and a fresh token, so that saving again after reading the message
goes through (and then replaces what the other person saved: that is the choice the
message puts to them).

- A per-field digest rather than `updated_at`: it can say *which* fields changed,
  and a colleague who pressed 保存 without changing anything does not refuse anyone.
  `updated_at`, `created_at` and `views` are not compared for that reason.
- The attachments' digest (id, bytes, title, order) is part of it: the other person
  may have replaced the 低保 list.
- Who and when come from the rows every change writes anyway: the admin's LogEntry
  (each save of the change form, and the masking of personal numbers) and the
  workflow's NoticeEvent (each transition); their last ids are in the token, to say
  who, not to decide whether (a save that changed nothing writes a LogEntry too).
- Signed, so that what the page sends back is what the server made; it is not a
  permission (whoever posts it may edit the notice anyway).
- A POST without a token (a script, an old page) is not checked, as for applications.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.admin.models import ADDITION
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Notice
from .staff import log_entries, person_name

SALT = "disclosure.stale"
FIELD = "version"
_UNWATCHED = {"updated_at", "created_at", "views"}


def _digest(value) -> str:
    return hashlib.sha256(str(value).encode()).hexdigest()[:10]


def version_of(notice: Notice) -> dict:
    """The version of the row as stored (read it under the lock to compare)."""
    attachments = list(notice.attachments.values_list("pk", "sha256", "title", "position"))
    return {
        "f": {
            f.attname: _digest(getattr(notice, f.attname))
            for f in Notice._meta.concrete_fields
            if f.attname not in _UNWATCHED
        },  # fmt: skip
        "a": _digest(attachments),
        "e": notice.events.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "l": log_entries(notice).order_by("-pk").values_list("pk", flat=True).first() or 0,
    }


def token_for(notice: Notice) -> str:
    return signing.dumps(version_of(notice), salt=SALT, compress=True)


def what_changed(token: str | None, notice: Notice, labels: dict[str, str]) -> list[str]:
    """Lines saying who changed what since the page with `token` was rendered; [] when
    nothing did (or there is no token). `labels`: the form's fields by attname, the
    only fields named (ids and workflow fields are said by the events)."""
    if not token:
        return []
    try:
        seen = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return [_("This page is out of date; check the notice before saving.")]
    now = version_of(notice)
    if (seen.get("f"), seen.get("a")) == (now["f"], now["a"]):
        return []  # the rows written meanwhile (a save that changed nothing) do not count
    known = [_line(entry.action_time, entry.user, _("saved changes")
                   if entry.action_flag != ADDITION else _("created it"))
             for entry in log_entries(notice).filter(pk__gt=seen.get("l", 0))
             .select_related("user").order_by("pk")]  # fmt: skip
    known += [_line(event.created, event.actor, event.get_action_display())
              for event in notice.events.filter(pk__gt=seen.get("e", 0))
              .select_related("actor").order_by("pk")]  # fmt: skip
    fields = [label for name, label in labels.items()
              if seen.get("f", {}).get(name) != now["f"].get(name)]  # fmt: skip
    if seen.get("a") != now["a"]:
        fields.append(_("attachments"))
    lines = known or [  # a change that wrote no row: at least say when
        _("Saved by someone else at %(time)s.")
        % {"time": timezone.localtime(notice.updated_at).strftime("%m-%d %H:%M")}
    ]
    if fields:
        lines.append(_("Changed: %(fields)s.") % {"fields": "、".join(fields)})
    return lines


def _line(when, user, action: str) -> str:
    return _("%(time)s %(person)s: %(action)s") % {
        "time": timezone.localtime(when).strftime("%m-%d %H:%M"),
        "person": person_name(user),
        "action": action,
    }


class VersionField(forms.CharField):
    """The hidden token. Never "changed" (each signing differs), so a save's LogEntry
    lists only what the person changed."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class StaleFormMixin:
    """For NoticeForm: a hidden version token and the check against the locked row."""

    stale_intro = gettext_lazy(
        "Not saved: someone changed this notice after you opened this page. Check what "
        "changed below; what you typed is still in the form. Save again to replace their "
        "version with yours."
    )
    files_not_kept = gettext_lazy("The files you chose were not uploaded: choose them again.")

    def add_version_field(self) -> None:
        token = token_for(self.instance) if self.instance.pk else ""
        self.fields[FIELD] = VersionField(initial=token)

    def refuse_if_stale(self, locked: Notice) -> list[str]:
        """The changes since the page was rendered; when there are some, the form gets
        them as its error and a fresh token (the typed data stays as it was)."""
        name = self.add_prefix(FIELD)
        model_fields = {f.name: f.attname for f in Notice._meta.concrete_fields}
        labels = {model_fields[n]: str(f.label) for n, f in self.fields.items()
                  if n in model_fields}  # fmt: skip
        changes = what_changed(self.data.get(name), locked, labels)
        if changes:
            data = self.data.copy()
            data[name] = token_for(locked)
            self.data = data
            intro = [str(self.stale_intro)] + ([str(self.files_not_kept)] if self.files else [])
            self.stale_changes = changes
            self.add_error(None, forms.ValidationError([*intro, *changes]))
        return changes
