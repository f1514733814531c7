"""Refusing a save based on a stale page: the version token of an application.

Two people handle one application: the office and the department it was passed
to. Each page that can change it carries a hidden token describing the version
it was rendered from; the save compares it with the row as it is under the lock
and, when they differ, is refused with what changed, the typed data kept and a
fresh token, so that saving again after reading the message goes through.

- The token is signed (the server made it) and holds one short keyed digest per
  field, the last event's id and the reply files' ids: enough to say *what* changed
  without carrying the applicant's data in the page twice. Keyed (HMAC with the
  secret key), because a plain hash of an 11-digit phone number is guessed in
  minutes.
- No model field is needed: every handling step writes an event and changes
  fields, and a reply file is a row of its own.
- A POST without a token (an old page, a script) is not checked: the handling
  functions still check the state, as they always did.
"""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Application
from .privacy import person_name

SALT = "applications.stale"
FIELD = "version"


# The fields a person would recognise in "what changed" (ids and keys stay out).
SHOWN = {
    f.attname for f in Application._meta.concrete_fields
    if f.attname not in ("id", "submission_key", "tracking_code", "township_id")
}  # fmt: skip


def _digest(value) -> str:
    return salted_hmac(SALT, str(value)).hexdigest()[:10]


def version_of(application: Application) -> dict:
    """The version of the row as stored (read it under the lock to compare)."""
    fields = Application._meta.concrete_fields
    return {
        "f": {f.attname: _digest(getattr(application, f.attname)) for f in fields},
        "e": application.events.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "r": sorted(application.files.values_list("pk", flat=True)),
    }


def token_for(application: Application) -> str:
    return signing.dumps(version_of(application), salt=SALT, compress=True)


def what_changed(token: str | None, application: Application) -> list[str]:
    """Lines saying what changed since the page with `token` was rendered: the steps
    taken since (when, who, what), the fields changed, the files; [] when nothing did
    (or when there is no token to compare)."""
    if not token:
        return []
    try:
        seen = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return [_("This page is out of date; check the application below before saving.")]
    now = version_of(application)
    if seen == now:
        return []
    since = application.events.filter(pk__gt=seen.get("e", 0)).select_related("actor")
    lines = [_event_line(event) for event in since.order_by("pk")]
    old = seen.get("f", {})
    changed = [str(f.verbose_name) for f in Application._meta.concrete_fields
               if f.attname in SHOWN and old.get(f.attname) != now["f"][f.attname]]  # fmt: skip
    if changed:
        lines.append(_("Changed: %(fields)s.") % {"fields": "、".join(changed)})
    if seen.get("r") != now["r"]:
        names = "、".join(application.files.values_list("original_name", flat=True))
        lines.append(_("The files provided were changed; now: %(files)s.")
                     % {"files": names or _("none")})  # fmt: skip
    return lines or [_("The application was changed by someone else.")]


def _event_line(event) -> str:
    when = timezone.localtime(event.created)
    return _("%(time)s %(person)s: %(action)s") % {
        "time": f"{date_format(when, 'MONTH_DAY_FORMAT')} {time_format(when, 'H:i')}",
        "person": person_name(event.actor),
        "action": event.get_action_display(),
    }  # fmt: skip


class StaleFormMixin:
    """For a form saved against an application: a hidden version token, and the check
    against the locked row (`refuse_if_stale(locked)` inside the save's transaction,
    after select_for_update)."""

    # What the refusal says first; a form with file inputs says the files are not kept.
    stale_intro = _lazy("Not saved: the application changed after you opened this page. "
                        "Check what changed, then save again; what you typed is kept.")  # fmt: skip

    def add_version_field(self, token: str | None) -> None:
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False,
                                             initial=token)  # fmt: skip

    def refuse_if_stale(self, locked: Application) -> list[str]:
        """The changes since the page was rendered; when there are some, the form gets
        them as its error and a fresh token (the typed data stays as it was)."""
        name = self.add_prefix(FIELD)
        changes = what_changed(self.data.get(name), locked)
        if changes:
            data = self.data.copy()
            data[name] = token_for(locked)
            self.data = data
            self.add_error(None, forms.ValidationError([str(self.stale_intro), *changes]))
        return changes
