"""Small plain factories for tests (no factory_boy)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import CatalogNode, IndexSequence, Organization
from disclosure.models import Attachment, Notice
from disclosure.publication import publication_changed

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
    """A notice; published (with an index number) unless told otherwise."""
    obj = Notice(
        title=title,
        summary=fields.pop("summary", "摘要"),
        body=fields.pop("body", "<p>正文</p>"),
        catalog_node=node(catalog),
        organization=organization,
        **fields,
    )
    if published:
        obj.status = status or Notice.Status.PUBLISHED
        obj.published_at = published_at or timezone.now() - timedelta(hours=next(_serial))
        obj.index_number = IndexSequence.next_index_number(
            organization=organization, year=timezone.localtime(obj.published_at).year
        )
    else:
        obj.status = status or Notice.Status.DRAFT
        obj.published_at = published_at
    if obj.status in (Notice.Status.APPROVED, Notice.Status.PUBLISHED):
        obj.confidentiality_reviewed_at = timezone.now()
    obj.save()
    if obj.status in (Notice.Status.PUBLISHED, Notice.Status.WITHDRAWN):
        publication_changed(obj)  # as every writer of a public notice does
    return obj


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
