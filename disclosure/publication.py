"""The one door for publication: what the public may see, and what changes it.

- The rule is written once, on the model (`disclosure.models.notices`): `public_q` (the
  queryset filter), `Notice.is_public_at` (the instance test), `public_sql` (the SQL of
  raw queries). They are re-exported here; nothing else spells the rule out.
- `public_notices(request)`: the public notices of the page's scope. Every public view,
  feed, sitemap, API and count starts from it.
- `publication_changed(notice)`: every writer of a notice that is or was public calls it
  (the workflow's publish, revise and withdraw, an admin edit of a public notice, a
  command that writes notices in bulk). In the writer's transaction the search index
  follows the notice; after commit the public content version is bumped, so cached pages
  and per-version data are rebuilt. A shell data fix calls it too.
- `next_scheduled_publication(now)`: watched by portal.public, so a notice published "at
  a later time" appears on cached pages on time without a job.
- `next_posting_end(now)`: watched the same way, so a 公示 whose posting period is over
  leaves cached pages, lists, counts and feeds at that moment (models/posting.py).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min
from django.http import HttpRequest

from portal.public import bump_on_commit
from portal.scope import get_scope

from .models import Notice, NoticeQuerySet
from .models.notices import public_q, public_sql
from .models.posting import end_of_day, office_date
from .search.index import index_notice

__all__ = [
    "next_posting_end",
    "next_scheduled_publication",
    "public_notices",
    "public_q",
    "public_sql",
    "publication_changed",
]


def public_notices(request: HttpRequest | None, *, to_count: bool = False) -> NoticeQuerySet:
    """What the public may see now, limited to the page's scope (all of it without a
    request). `to_count`: for counting, through the per-organisation index (scope)."""
    public = Notice.objects.published()
    if request is None:
        return public
    return get_scope(request).filter_notices(public, to_count=to_count)


def publication_changed(notice: Notice) -> None:
    """`notice` was saved and is, or was until now, public: keep every public copy in step.

    - Call it inside the transaction that wrote the notice, after its fields and
      attachments are saved: the search index commits (or rolls back) with them.
    - The public content version is bumped after commit, never for a rolled-back write.
    """
    index_notice(notice)
    bump_on_commit()


def next_scheduled_publication(now: datetime) -> datetime | None:
    """The earliest publish time still ahead of `now`, if any."""
    upcoming = Notice.objects.filter(public_q(None), published_at__gt=now)
    return upcoming.aggregate(first=Min("published_at"))["first"]


def next_posting_end(now: datetime) -> datetime | None:
    """The first moment after `now` at which a public 公示's posting period is over: the
    end of the earliest `posting_ends_on` still to come (Beijing time)."""
    running = Notice.objects.filter(public_q(None), posting_ends_on__gte=office_date(now))
    last_day = running.aggregate(first=Min("posting_ends_on"))["first"]
    return end_of_day(last_day) if last_day else None
