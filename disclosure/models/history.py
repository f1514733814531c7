"""Back-dated history: the rows the workflow's transitions write, at times in the past.

The demo township (published over two years), the bench's county (up to a million
notices) and the tests' factories need notices that were submitted, reviewed and
published long ago. The transitions cannot write that: they stamp the present, refuse a
publication time in the past, ask the database about roles, send mail and update the
search index, one notice at a time. `BackdatedHistory` replays them instead: each of its
methods mirrors one transition of workflow.py (the same state guard, the same fields
set, the same `NoticeEvent`: action, from/to status, role, step, confidentiality flag,
comment, content hash) at the time it is given. tests/disclosure/test_history.py brings
notices through both and compares them row by row, so a transition changed there and
not here fails that test.

What the replay leaves to its caller:

- saving: the notice, then `NoticeEvent.objects.bulk_create(history.events)`;
- who may act: the caller chooses people who hold the roles (the replay keeps the
  four-eyes rules, which need no database);
- what `publication_changed` does: a bulk load rebuilds the search index once at the end;
- mail: nobody is told today what happened two years ago.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import IndexSequence
from portal.workdays import Calendar

from .events import NoticeEvent
from .workflow import GUARDS, InvalidTransition, content_hash_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .notices import Notice

# The time between two review steps when a caller replays a whole chain (`review`).
REVIEW_STEP = timedelta(hours=1)


class BackdatedHistory:
    """One notice's workflow replayed at past times; `events` collects the rows to save.

    - Each method takes its transition's arguments plus `when`, the moment it happened.
    - The moments never go backwards: "nobody approves twice in one round" reads the
      approvals from the submission time on.
    - The notice's fields are set as the transition sets them; nothing is saved.
    - `attachments`: (sha256, original name) pairs for a notice whose attachments are
      not saved yet; otherwise every event hashes `notice.content_hash()`.
    - `calendar`: the working-day calendar to count a 公示's posting end on (a bulk load
      shares one, which reads each year once); a fresh one otherwise.
    """

    def __init__(
        self,
        notice: Notice,
        *,
        attachments: Iterable[tuple[str, str]] | None = None,
        calendar: Calendar | None = None,
    ) -> None:
        if notice.pk is None:
            raise ValueError("Save the notice (or give it its id) before replaying its history.")
        self.notice = notice
        self.attachments = None if attachments is None else [tuple(a) for a in attachments]
        self.calendar = calendar  # the working-day calendar a 公示's end is counted on
        self.events: list[NoticeEvent] = []
        self._last: datetime | None = None
        self._approved_by: set[int] = set()  # this round's reviewers
        self._hashed: tuple[tuple, str] = ((), "")  # the content last hashed, and its digest

    # --- the transitions, as workflow.py writes them ---------------------------------------

    def submit(
        self,
        by: AbstractBaseUser,
        *,
        when: datetime,
        chain: Sequence[str] | None = None,
        pii_override_reason: str = "",
    ) -> NoticeEvent:
        """`Notice.submit`. `chain`: the catalog node's review chain, when the caller has it
        at hand (a bulk load computes it once per node); else the node is asked."""
        n = self.notice
        self._begin(when, "submit")
        chain = list(chain if chain is not None else n.catalog_node.review_chain())
        old = n.status
        n.status = n.Status.SUBMITTED
        n.review_chain, n.review_step, n.review_role = chain, 0, chain[0]
        n.submitted_by, n.submitted_at = by, when
        n.confidentiality_reviewed_by = n.confidentiality_reviewed_at = None
        n.posting_working_days = n.posting_period()
        self._approved_by = set()
        return self._record(by, "submitted", old, when, step=0, role=chain[0],
                            pii_override_reason=pii_override_reason.strip())  # fmt: skip

    def approve(self, by: AbstractBaseUser, *, when: datetime, comment: str = "") -> NoticeEvent:
        """`Notice.approve`, its confidentiality review confirmed at the first step."""
        n = self.notice
        self._begin(when, "approve")
        if by.pk == n.submitted_by_id:
            raise PermissionDenied(_("Nobody may approve their own submission."))
        if by.pk in self._approved_by:
            raise PermissionDenied(_("You have already approved this notice in this review."))
        step, role, old = n.review_step, n.review_role, n.status
        if step == 0:
            n.confidentiality_reviewed_by, n.confidentiality_reviewed_at = by, when
        if step + 1 < len(n.review_chain):
            n.review_step, n.review_role = step + 1, n.review_chain[step + 1]
        else:
            n.status, n.review_role = n.Status.APPROVED, ""
        self._approved_by.add(by.pk)
        return self._record(by, "approved", old, when, step=step, role=role,
                            comment=comment.strip(),
                            confidentiality_confirmed=step == 0)  # fmt: skip

    def return_for_changes(
        self, by: AbstractBaseUser, *, when: datetime, reason: str
    ) -> NoticeEvent:
        """`Notice.return_for_changes`: from a review step, or from the office."""
        n = self.notice
        self._begin(when, "return")
        if not reason.strip():
            raise InvalidTransition(_("Say what has to change."))
        if n.status == n.Status.SUBMITTED:
            role, step = n.review_role, n.review_step
        else:
            role, step = "publisher", None
        old = n.status
        n.status, n.review_step, n.review_role = n.Status.RETURNED, 0, ""
        n.confidentiality_reviewed_by = n.confidentiality_reviewed_at = None
        return self._record(by, "returned", old, when, step=step, role=role, comment=reason.strip())

    def publish(
        self,
        by: AbstractBaseUser,
        *,
        when: datetime,
        at: datetime | None = None,
        take_index_number: bool = True,
    ) -> NoticeEvent:
        """`Notice.publish` of an original (a revision goes through the workflow itself).

        - `at`: the publication time, `when` by default; a later one is "scheduled".
        - The index number is taken from IndexSequence as the transition takes it, unless
          `take_index_number=False`: a bulk load numbers its notices afterwards, all at
          once and in this order, with `Notice.number_in_bulk` (inserting a published
          notice without a number fails: a database constraint).
        """
        n = self.notice
        self._begin(when, "publish")
        at = at or when
        if n.revision_of_id:
            raise ValueError("Back-dated history is an original's: publish revisions for real.")
        n._check_publishable(at, when)  # the transition's own checks, at that moment
        old = n.status
        if not n.index_number and take_index_number:
            n.index_number = IndexSequence.next_index_number(
                organization=n.organization, year=timezone.localtime(at).year
            )
        n.status, n.published_at = n.Status.PUBLISHED, at
        n.set_posting_end(self.calendar)
        return self._record(by, "scheduled" if at > when else "published", old, when,
                            role="publisher")  # fmt: skip

    def withdraw(self, by: AbstractBaseUser, *, when: datetime, reason: str) -> NoticeEvent:
        """`Notice.withdraw`."""
        n = self.notice
        self._begin(when, "withdraw")
        if not reason.strip():
            raise InvalidTransition(_("Give the public reason for the withdrawal."))
        old = n.status
        n.status, n.withdrawn_at = n.Status.WITHDRAWN, when
        n.withdrawal_reason = reason.strip()
        return self._record(by, "withdrawn", old, when, role="publisher",
                            comment=n.withdrawal_reason)  # fmt: skip

    # --- a whole review ---------------------------------------------------------------

    def review(
        self,
        people: Mapping[str, AbstractBaseUser],
        *,
        submitted_at: datetime,
        chain: Sequence[str] | None = None,
        step: timedelta = REVIEW_STEP,
    ) -> datetime:
        """Submitted by `people["clerk"]`, then every step of the chain approved by the
        person of its role (`people` is keyed by `Membership.Role`), `step` apart.
        Returns the time of the last approval."""
        when = submitted_at
        self.submit(people["clerk"], when=when, chain=chain)
        while self.notice.status == self.notice.Status.SUBMITTED:
            when += step
            self.approve(people[self.notice.review_role], when=when)
        return when

    # --- helpers ------------------------------------------------------------------------

    def _begin(self, when: datetime, action: str) -> None:
        """The transition's state guard (the states `GUARDS` lets it leave from), and time
        running forward."""
        if self._last is not None and when < self._last:
            raise ValueError(f"A history runs forward: {when} is before {self._last}.")
        if self.notice.status not in GUARDS[action].sources:
            raise InvalidTransition(
                _("This is not possible while the notice is “%(status)s”.")
                % {"status": self.notice.get_status_display()}
            )
        self._last = when

    def _record(self, by, action: str, old_status: str, when: datetime, **fields) -> NoticeEvent:
        n = self.notice
        # By id, and the statuses as plain strings: a bulk load pickles these rows by the
        # hundred thousand, and the database stores nothing else.
        event = NoticeEvent(notice_id=n.pk, actor_id=by.pk, action=action,
                            old_status=str(old_status), new_status=str(n.status),
                            content_hash=self._content_hash(), created=when,
                            **fields)  # fmt: skip
        self.events.append(event)
        return event

    def _content_hash(self) -> str:
        n = self.notice
        if self.attachments is None:
            return n.content_hash()
        # Hashed again only if the content changed since the last event (no transition
        # changes it; a caller replaying an edit between two rounds may).
        content = (*(getattr(n, name) for name in n.CONTENT_FIELDS), n.disclosure_mode)
        if content != self._hashed[0]:
            self._hashed = (content, content_hash_of(n, self.attachments))
        return self._hashed[1]


class NoticeHistory:
    """What `Notice` offers for history written after the fact (mixed in, beside
    NoticeWorkflow): the demo, the bench generator and the tests' factories use it."""

    def backdated(
        self,
        *,
        attachments: Iterable[tuple[str, str]] | None = None,
        calendar: Calendar | None = None,
    ) -> BackdatedHistory:
        """This notice's workflow, replayed at past times: see `BackdatedHistory`."""
        return BackdatedHistory(self, attachments=attachments, calendar=calendar)  # type: ignore[arg-type]

    @classmethod
    def number_in_bulk(cls, notices: Iterable[Notice]) -> None:
        """Number the published notices that have no index number yet (replayed with
        `take_index_number=False`) as `publish` would have, one after the other in this
        order: the year of their publication time (local), the sequence of their
        organisation's code. Inside the caller's transaction; their organisations loaded."""
        waiting = [n for n in notices if n.status == n.Status.PUBLISHED and not n.index_number]
        numbers = IndexSequence.index_numbers(
            (n.organization, timezone.localtime(n.published_at).year) for n in waiting
        )
        for n, number in zip(waiting, numbers, strict=True):
            n.index_number = number
