"""Small plain factories for tests (no factory_boy)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import CatalogNode, IndexSequence, Organization
from disclosure.models import Attachment, Notice

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
    obj.save()
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
    )
