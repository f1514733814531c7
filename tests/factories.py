"""Small plain factories for tests (no factory_boy)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import CatalogNode, IndexSequence, Membership, Organization
from catalog.roles import holders
from disclosure.models import Attachment, Notice, NoticeEvent
from disclosure.publication import publication_changed

Role = Membership.Role

_serial = itertools.count(1)


def node(path: str = "finance/budget") -> CatalogNode:
    return CatalogNode.objects.get(path=path)


def notice(
    organization: Organization,
    *,
    title: str = "关于2026年预算的公告",
    catalog: str = "finance/budget",
    published: bool = True,
    published_at=None,
    status: str | None = None,
    **fields,
) -> Notice:
    """A notice of `organization`: by default public, with the history the workflow writes.

    - Published (at `published_at`, or some hours ago): submitted, reviewed and published
      by people who hold the roles (`people`), through the model's back-dated history,
      so its fields, events and index number are the workflow's.
    - `published=False`: a draft, as a clerk creates it.
    - `status=…`, or a "published" notice not proactively disclosed: that row as the
      database accepts it (numbered if `published`), with no history. The public rule
      must hold for every row, also for those the workflow never writes (a "published"
      notice disclosed only on application).
    """
    # What submission requires (disclosure.models.workflow.REQUIRED_TO_SUBMIT): 生成日期 for
    # every notice; 文号 and 成文日期 for a 文件 (the default kind).
    fields.setdefault(
        "formed_date", fields.get("written_date") or timezone.localdate() - timedelta(days=1)
    )
    if fields.get("kind", Notice.Kind.DOCUMENT) == Notice.Kind.DOCUMENT:
        fields.setdefault("document_number", "青政发〔2026〕1号")
        fields.setdefault("written_date", fields["formed_date"])
    obj = Notice(
        title=title,
        summary=fields.pop("summary", "摘要"),
        body=fields.pop("body", "<p>正文</p>"),
        catalog_node=node(catalog),
        organization=organization,
        **fields,
    )
    if not published and status in (None, Notice.Status.DRAFT):
        obj.published_at = published_at
        obj.save()
    elif published and status is None and obj.disclosure_mode == Notice.Mode.PROACTIVE:
        _published_with_history(obj, published_at or _hours_ago())
    elif published:
        _as_the_database_accepts(obj, status or Notice.Status.PUBLISHED,
                                 published_at or _hours_ago(), numbered=True)  # fmt: skip
    else:
        _as_the_database_accepts(obj, status, published_at, numbered=False)
    if obj.status in (Notice.Status.PUBLISHED, Notice.Status.WITHDRAWN):
        publication_changed(obj)  # as every writer of a public notice does
    return obj


def _hours_ago():
    return timezone.now() - timedelta(hours=next(_serial))


def _published_with_history(obj: Notice, at) -> None:
    """Submitted two days (and an hour a step) before it was published; a publication
    time still ahead was set a moment ago (scheduled)."""
    team = people(obj)
    obj.created_by = team[Role.CLERK]
    obj.save()  # the draft, as the clerk wrote it: the events hash what was saved
    when = min(at, timezone.now())
    chain = obj.catalog_node.review_chain()
    history = obj.backdated()
    history.review(team, submitted_at=when - timedelta(days=2, hours=len(chain)), chain=chain)
    history.publish(team[Role.PUBLISHER], when=when, at=at)
    obj.save()
    NoticeEvent.objects.bulk_create(history.events)


def _as_the_database_accepts(obj: Notice, status: str, at, *, numbered: bool) -> None:
    obj.status, obj.published_at = status, at
    if numbered:
        obj.index_number = IndexSequence.next_index_number(
            organization=obj.organization, year=timezone.localtime(at).year
        )
    if obj.status in (Notice.Status.APPROVED, Notice.Status.PUBLISHED):
        obj.confidentiality_reviewed_at = timezone.now()
    obj.save()


def people(notice: Notice) -> dict[str, object]:
    """Someone for every role the notice's workflow needs, as the permissions find them:
    the people of `tests.base.BaseTestCase` where they hold it, else a person made for it
    in the notice's organisation (a township-wide role covers the township from there)."""
    roles = [Role.CLERK, *notice.catalog_node.review_chain(), Role.PUBLISHER]
    return {role: _holder(notice, role) for role in roles}


def _holder(notice: Notice, role: str):
    """The first person who holds `role` for the notice's organisation (catalog.roles),
    or one made for it there."""
    user = holders(role, notice.organization).order_by("id").first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=f"{role}-{notice.organization.slug}", password=None, is_staff=True
        )
        Membership.objects.create(user=user, organization=notice.organization, role=role)
    return user


def attachment(
    notice: Notice, *, name: str = "预算表.pdf", data: bytes = b"%PDF-1.4 test"
) -> Attachment:
    ext = name.rsplit(".", 1)[-1]
    return Attachment.objects.create(
        notice=notice,
        title=name.rsplit(".", 1)[0],
        file=ContentFile(data, name=f"x.{ext}"),
        original_name=name,
        extension=ext,
        content_type="application/pdf" if ext == "pdf" else "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def in_state(case, state: str, **fields) -> Notice:
    """A 民政办 notice brought to `state` through the real transitions, by the
    people of `tests.base.BaseTestCase` (alice submits, lena reviews, sam or gail
    co-sign, olga publishes).

    States: draft, returned, submitted@leader, submitted@supervisor, approved,
    published, withdrawn. The catalog node decides the chain (default
    finance/budget: the leader, then the supervision group).
    """
    fields.setdefault("catalog", "finance/budget")
    n = notice(case.civil, published=False, **fields)
    if state == "draft":
        return n
    n.submit(case.alice)
    if state == "returned":
        n.return_for_changes(case.lena, reason="请补充说明")
        return n
    if state == "submitted@leader":
        return n
    n.approve(case.lena, confidentiality_confirmed=True)
    if state == "submitted@supervisor":
        return n
    reviewers = {"supervisor": case.sam, "leadership": case.gail}
    while n.status == Notice.Status.SUBMITTED:
        n.approve(reviewers[n.review_role])
    if state == "approved":
        return n
    n.publish(case.olga)
    if state == "published":
        return n
    n.withdraw(case.olga, reason="内容有误，更正后重新发布")
    return n
