"""The review workflow: every transition of a notice, each one method.

    draft ─submit─▶ submitted (step 1…n) ─approve last─▶ approved ─publish─▶ published
      ▲                 │ return                             │ return          │ withdraw
      └── returned ◀────┴────────────────────────────────────┘                 ▼
                                                                           withdrawn

Every transition follows the same steps, so each reads top to bottom:

1. one transaction; the row re-read with `select_for_update()` (on SQLite the
   IMMEDIATE transaction already holds the write lock, see settings);
2. its guard, declared once in `GUARDS`: "may this person ever do this to this
   notice?" — `PermissionDenied` (403); "is it possible in this state, and is it
   their turn?" — `InvalidTransition` (409, with a message);
3. what the notice itself still lacks (a reason, the confidentiality review, a
   legal basis) — `InvalidTransition` (409);
4. the fields set and saved with `update_fields`;
5. one `NoticeEvent` with the actor, the from/to status, the comment and a hash
   of the content as it stood;
6. mail to the next person, after commit.

The admin's buttons are the actions whose guard lets the person through
(`permissions.actions_for` asks `Notice.refusal`), so a state added to a
transition's guard adds its button too.

What public content a transition changes goes through disclosure.publication, the one
door: the search index in the same transaction, the public version after commit.

The modules the transitions call at run time (permissions, notifications, publication)
are built on this model and import it, so they are imported in the methods: the one
reason for a function-level import in this package.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import IndexSequence

from .. import pii
from .events import NoticeEvent
from .posting import POSTING_END_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .notices import Notice

# How far in the past a "publish now" time may lie (a slow form, a clock a
# little off); anything earlier would be back-dating, which the inspection
# rules treat as falsified content.
PUBLISH_TIME_TOLERANCE = timedelta(minutes=5)


class InvalidTransition(Exception):
    """Not possible in the notice's current state; the message says why, in Chinese."""

    status_code = 409


class PersonalDataFound(InvalidTransition):
    """Submission blocked: the text or an attachment holds unmasked personal numbers."""

    def __init__(self, hits: list) -> None:
        self.hits = hits
        super().__init__(
            _("The notice contains %(count)d unmasked personal numbers.") % {"count": len(hits)}
        )


def content_hash_of(notice: Notice, attachments: Iterable[tuple[str, str]]) -> str:
    """The digest every event records: the content fields, the disclosure attribute and the
    attachments as (sha256, original name) pairs in their order. `Notice.content_hash()`
    reads the saved attachments; a bulk load (history.py) passes those it is about to save.
    """
    content = {name: str(getattr(notice, name)) for name in notice.CONTENT_FIELDS}
    content["disclosure_mode"] = notice.disclosure_mode
    content["attachments"] = [list(pair) for pair in attachments]
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class Guard(NamedTuple):
    """What a transition asks before it runs, in this order.

    - `may`: may this person ever do this to this notice? Else `PermissionDenied`.
    - `sources`: the states it leaves from. Else `InvalidTransition`.
    - `refuse_when`: (predicate, refusal, message): refused with that refusal when the
      predicate holds (whose turn it is, four eyes).
    - `requires`: what the notice itself must carry, each a method of the notice that
      says what is missing (a message) or None. Asked by the transition under its lock
      (`InvalidTransition`, 409), not by `refusal`: the button stays, and pressing it
      says what to fill in (the change form says it beside each field, NoticeForm).

    Predicates are named functions `(user, notice) -> bool` of disclosure.permissions:
    named, not imported, because that module imports this model.
    """

    may: str
    sources: tuple[str, ...]
    refuse_when: tuple[tuple[str, type[Exception], str], ...] = ()
    requires: tuple[str, ...] = ()


# What every notice must carry to be submitted, by kind (None: every kind). The law's
# catalog entry (条例 art. 12; regulation.md §1.5 and §7 item 28): every item has its
# 内容概述 and 生成日期 (the formed date, which also starts the 20-working-day clock); a
# document (文件: 规范性文件 and every other 公文) also its 文号 and 成文日期. 有效性 always
# has a value (in force unless changed); 索引号, 发布机构 and 发布日期 come with publication.
REQUIRED_TO_SUBMIT: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("summary", None),
    ("formed_date", None),
    ("document_number", ("document",)),
    ("written_date", ("document",)),
)


_WAITING = gettext_lazy("This step is waiting for another reviewer.")

# Each transition's guard, stated once: the method checks it under the lock, and the
# admin offers a button exactly where it passes. In the order the buttons appear:
# the step forward first, sending back after it.
GUARDS: dict[str, Guard] = {
    "submit": Guard("can_write", ("draft", "returned"), requires=(
        "lacks_disclosure_reason", "lacks_interpreted_document", "lacks_metadata",
        "lacks_posting_period",
    )),
    "approve": Guard("can_review", ("submitted",), refuse_when=(
        ("waits_for_another", InvalidTransition, _WAITING),
        ("is_own_submission", PermissionDenied,
         gettext_lazy("Nobody may approve their own submission.")),
        ("has_approved_this_round", PermissionDenied,
         gettext_lazy("You have already approved this notice in this review.")),
    )),
    "publish": Guard("can_publish", ("approved",)),
    "withdraw": Guard("can_publish", ("published",)),
    "return": Guard("can_return", ("submitted", "approved"), refuse_when=(
        ("waits_for_another", InvalidTransition, _WAITING),
    )),
    "revise": Guard("can_write", ("published",), refuse_when=(
        ("is_a_revision", InvalidTransition,
         gettext_lazy("Revise the original notice, not a revision.")),
    )),
}  # fmt: skip


class NoticeWorkflow:
    """Transition methods of `Notice` (mixed in, to keep the model file readable)."""

    # --- helpers ----------------------------------------------------------------------

    def _locked(self) -> Notice:
        return (
            type(self)
            .objects.select_for_update(of=("self",))
            .select_related("catalog_node", "organization")
            .get(pk=self.pk)
        )

    def _expect(self, *statuses: str) -> None:
        if self.status not in statuses:
            raise self._not_now()

    def _not_now(self) -> InvalidTransition:
        return InvalidTransition(
            _("This is not possible while the notice is “%(status)s”.")
            % {"status": self.get_status_display()}
        )

    def refusal(self, action: str, by: AbstractBaseUser) -> Exception | None:
        """Why `by` may not do `action` to this notice now, or None: its guard (`GUARDS`).

        - `PermissionDenied`: not allowed (403); `InvalidTransition`: not now (409).
        - The transition raises it under the lock; the admin's buttons are the actions
          where it is None.
        """
        from .. import permissions  # built on this model (module docstring)

        guard = GUARDS[action]
        if not getattr(permissions, guard.may)(by, self):
            return PermissionDenied(_("You do not have the role this action needs."))
        if self.status not in guard.sources:
            return self._not_now()
        for predicate, refusal, message in guard.refuse_when:
            if getattr(permissions, predicate)(by, self):
                return refusal(message)
        return None

    def _guard(self, action: str, by: AbstractBaseUser) -> None:
        refusal = self.refusal(action, by)
        if refusal is not None:
            raise refusal

    def awaits_confidentiality_review(self) -> bool:
        """The first review step is the confidentiality review (保密审查)."""
        return self.status == self.Status.SUBMITTED and self.review_step == 0

    def may_be_scheduled(self) -> bool:
        """A revision replaces published content, so it is published at once."""
        return not self.revision_of_id

    def _sync(self, fresh: Notice) -> None:
        """Copy the locked row's state onto the instance the caller holds."""
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))

    def _record(self, by, action: str, old_status: str, **fields) -> NoticeEvent:
        event = NoticeEvent.objects.create(
            notice=self,
            actor=by,
            action=action,
            old_status=old_status,
            new_status=self.status,
            content_hash=self.content_hash(),
            **fields,
        )
        from ..notifications import notify  # built on this model (module docstring)

        transaction.on_commit(partial(notify, event.pk))
        return event

    def content_hash(self) -> str:
        """SHA-256 of what a reviewer sees: the content fields and the attachments' bytes."""
        pairs = self.attachments.order_by("position", "id").values_list("sha256", "original_name")
        return content_hash_of(self, pairs)

    def personal_numbers(self) -> list:
        """Unmasked ID-card, mobile and bank-card numbers in the text and the attachments."""
        hits = pii.find_numbers(self.title, _("title")) + pii.find_numbers(
            self.summary, _("summary")
        )
        hits += pii.find_numbers_in_html(self.body, _("body"))
        for attachment in self.attachments.all():
            with attachment.file.open("rb") as f:
                data = f.read()
            hits += pii.scan_attachment(data, attachment.extension, attachment.original_name)
        return hits

    # --- transitions -------------------------------------------------------------------

    def submit(self, by: AbstractBaseUser, *, pii_override_reason: str = "") -> None:
        """Send a draft (or a returned notice) into its review chain.

        - Only a clerk of the notice's organisation submits.
        - The chain is the catalog node's at this moment, fixed for this round; so is a
          公示's posting period, unless it has its own.
        - What its kind must carry (GUARDS["submit"].requires) is refused when missing.
        - Unmasked personal numbers block it, unless a reason is given (audited).
        """
        with transaction.atomic():
            notice = self._locked()
            notice._guard("submit", by)
            notice._require("submit")
            hits = notice.personal_numbers()
            if hits and not pii_override_reason.strip():
                raise PersonalDataFound(hits)
            old = notice.status
            chain = notice.catalog_node.review_chain()
            notice.status = notice.Status.SUBMITTED
            notice.review_chain, notice.review_step, notice.review_role = chain, 0, chain[0]
            notice.submitted_by, notice.submitted_at = by, timezone.now()
            notice.confidentiality_reviewed_by = notice.confidentiality_reviewed_at = None
            # A 公示's period, like the chain, is the node's at this moment unless it has its
            # own: the reviewers approve a number of days, not a default that may change.
            notice.posting_working_days = notice.posting_period()
            notice.save(update_fields=[*_REVIEW_FIELDS, "submitted_by", "submitted_at",
                                       "confidentiality_reviewed_by", "confidentiality_reviewed_at",
                                       "posting_working_days", "updated_at"])  # fmt: skip
            notice._record(by, "submitted", old, step=0, role=chain[0],
                           pii_override_reason=pii_override_reason.strip())  # fmt: skip
        self._sync(notice)

    def approve(
        self, by: AbstractBaseUser, *, comment: str = "", confidentiality_confirmed: bool = False
    ) -> None:
        """Approve the current review step.

        - The reviewer must hold the current step's role for this organisation.
        - Nobody approves their own submission; nobody approves twice in one round.
        - The first step is the confidentiality review (保密审查): it must be confirmed.
        - After the last step the notice is approved and waits for the office.
        """
        with transaction.atomic():
            notice = self._locked()
            notice._guard("approve", by)
            step, role = notice.review_step, notice.review_role
            first = notice.awaits_confidentiality_review()
            if first and not confidentiality_confirmed:
                raise InvalidTransition(_("Confirm the confidentiality review first."))
            old = notice.status
            fields = [*_REVIEW_FIELDS, "updated_at"]
            if first:
                notice.confidentiality_reviewed_by, notice.confidentiality_reviewed_at = (
                    by, timezone.now()
                )  # fmt: skip
                fields += ["confidentiality_reviewed_by", "confidentiality_reviewed_at"]
            if step + 1 < len(notice.review_chain):
                notice.review_step, notice.review_role = step + 1, notice.review_chain[step + 1]
            else:
                notice.status, notice.review_role = notice.Status.APPROVED, ""
            notice.save(update_fields=fields)
            notice._record(by, "approved", old, step=step, role=role, comment=comment.strip(),
                           confidentiality_confirmed=first)  # fmt: skip
        self._sync(notice)

    def return_for_changes(self, by: AbstractBaseUser, *, reason: str) -> None:
        """Send it back to its author with a reason: from a review step, or from the office."""
        with transaction.atomic():
            notice = self._locked()
            notice._guard("return", by)
            if notice.status == notice.Status.SUBMITTED:
                role, step = notice.review_role, notice.review_step
            else:
                role, step = "publisher", None
            if not reason.strip():
                raise InvalidTransition(_("Say what has to change."))
            old = notice.status
            notice.status, notice.review_step, notice.review_role = notice.Status.RETURNED, 0, ""
            notice.confidentiality_reviewed_by = notice.confidentiality_reviewed_at = None
            notice.save(update_fields=[*_REVIEW_FIELDS, "confidentiality_reviewed_by",
                                       "confidentiality_reviewed_at", "updated_at"])  # fmt: skip
            notice._record(by, "returned", old, step=step, role=role, comment=reason.strip())
        self._sync(notice)

    def publish(self, by: AbstractBaseUser, *, at: datetime | None = None) -> None:
        """Publish now, or at a later time (visible from then on, no job needed).

        - Only a publisher of the notice's township, only an approved notice.
        - Only proactively disclosed notices are ever published.
        - The index number is taken under the same lock, and never reused.
        - A revision is published at once and replaces its original's content.
        - A 公示's posting end is counted from the publication day (posting.py).
        """
        from ..publication import publication_changed  # built on this model (module docstring)

        with transaction.atomic():
            notice = self._locked()
            notice._guard("publish", by)
            now = timezone.now()
            at = at or now
            notice._check_publishable(at, now)
            old = notice.status
            if notice.revision_of_id:
                notice._publish_revision(by, now)
            else:
                if not notice.index_number:
                    notice.index_number = IndexSequence.next_index_number(
                        organization=notice.organization, year=timezone.localtime(at).year
                    )
                notice.status, notice.published_at = notice.Status.PUBLISHED, at
                notice.set_posting_end()  # a 公示's last day, from the publication day
                notice.save(update_fields=["status", "published_at", "index_number",
                                           *POSTING_END_FIELDS, "updated_at"])  # fmt: skip
                notice._record(by, "scheduled" if at > now else "published", old, role="publisher")
                publication_changed(notice)  # same transaction: found exactly when public
        self._sync(notice)

    def withdraw(self, by: AbstractBaseUser, *, reason: str) -> None:
        """Take a published notice down; its page then says why and when (410)."""
        from ..publication import publication_changed  # built on this model (module docstring)

        with transaction.atomic():
            notice = self._locked()
            notice._guard("withdraw", by)
            if not reason.strip():
                raise InvalidTransition(_("Give the public reason for the withdrawal."))
            old = notice.status
            notice.status, notice.withdrawn_at = notice.Status.WITHDRAWN, timezone.now()
            notice.withdrawal_reason = reason.strip()
            notice.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
            notice._record(by, "withdrawn", old, role="publisher", comment=notice.withdrawal_reason)
            publication_changed(notice)  # same transaction: never found once withdrawn
        self._sync(notice)

    def start_revision(self, by: AbstractBaseUser) -> Notice:
        """A draft copy of a published notice, to be edited and sent through the chain.

        The public keeps seeing the published version until the revision is published.
        """
        with transaction.atomic():
            original = self._locked()
            original._guard("revise", by)
            open_revision = original.revisions.exclude(status__in=_CLOSED).first()
            if open_revision:
                return open_revision
            revision = type(self)(
                revision_of=original, organization=original.organization,
                disclosure_mode=original.disclosure_mode,
                non_disclosure_reason=original.non_disclosure_reason, created_by=by,
            )  # fmt: skip
            _copy_content(original, revision)
            revision.save()
            for attachment in original.attachments.all():
                attachment.pk, attachment.notice = None, revision
                attachment.save()
            return revision

    # --- checks and the revision's publication ------------------------------------

    def lacking(self, action: str) -> str | None:
        """What the notice itself still lacks for `action` (its guard's `requires`), said
        as the transition refuses it; None when nothing is missing."""
        for name in GUARDS[action].requires:
            message = getattr(self, name)()
            if message:
                return message
        return None

    def _require(self, action: str) -> None:
        message = self.lacking(action)
        if message:
            raise InvalidTransition(message)

    def lacks_disclosure_reason(self) -> str | None:
        if self.disclosure_mode != self.Mode.PROACTIVE and not self.non_disclosure_reason:
            return _("Give the legal reason why this notice is not proactively disclosed.")
        return None

    def lacks_interpreted_document(self) -> str | None:
        if self.kind == self.Kind.INTERPRETATION and not self.interprets_id:
            return _("An interpretation must name the policy document it explains.")
        return None

    def missing_metadata(self) -> list[str]:
        """The names of the REQUIRED_TO_SUBMIT fields this notice's kind needs and lacks."""
        return [
            name
            for name, kinds in REQUIRED_TO_SUBMIT
            if (kinds is None or self.kind in kinds) and not _filled(getattr(self, name))
        ]

    def lacks_metadata(self) -> str | None:
        missing = self.missing_metadata()
        if not missing:
            return None
        names = "、".join(str(self._meta.get_field(name).verbose_name) for name in missing)
        return _("Fill in before submitting: %(fields)s.") % {"fields": names}

    def lacks_posting_period(self) -> str | None:
        if self.is_posting() and not self.posting_period():
            return _(
                "A 公示 needs its posting period: fill in the posting period (working days), "
                "or ask the office to set one for its catalog node."
            )
        return None

    def _check_publishable(self, at: datetime, now: datetime) -> None:
        if self.disclosure_mode != self.Mode.PROACTIVE:
            raise InvalidTransition(_("Only proactively disclosed notices can be published."))
        if self.confidentiality_reviewed_at is None:
            raise InvalidTransition(_("The confidentiality review has not been recorded."))
        if at < now - PUBLISH_TIME_TOLERANCE:
            raise InvalidTransition(_("A publication time cannot lie in the past."))
        if not self.may_be_scheduled() and at > now + PUBLISH_TIME_TOLERANCE:
            raise InvalidTransition(_("A revision is published at once, not at a later time."))

    def _publish_revision(self, by, now: datetime) -> None:
        from ..publication import publication_changed

        original = type(self).objects.select_for_update(of=("self",)).get(pk=self.revision_of_id)
        old_original_status = original.status
        original._expect(original.Status.PUBLISHED)
        _copy_content(self, original)
        # Its period may have changed (or its kind): counted again from the original's day.
        original.set_posting_end()
        original.confidentiality_reviewed_by = self.confidentiality_reviewed_by
        original.confidentiality_reviewed_at = self.confidentiality_reviewed_at
        original.save()
        # The revision's event hashes what was approved, before the files move over.
        self.status, self.published_at = self.Status.PUBLISHED, now
        self.save(update_fields=["status", "published_at", "updated_at"])
        self._record(by, "published", "approved", role="publisher")
        original.attachments.all().delete()
        self.attachments.update(notice=original)
        original._record(by, "revised", old_original_status, role="publisher",
                         comment=_("Revision %(id)s published.") % {"id": self.pk})  # fmt: skip
        publication_changed(original)


_REVIEW_FIELDS = ("status", "review_chain", "review_step", "review_role")


_CLOSED = ("published", "withdrawn")


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def _copy_content(source: Notice, target: Notice, fields: Iterable[str] | None = None) -> None:
    for name in fields or source.CONTENT_FIELDS:
        setattr(target, name, getattr(source, name))
