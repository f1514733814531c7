"""Indexing: one notice's index row, written when it is published, removed when it is not.

- Indexed: title and document number (weighted highest), summary and body (HTML
  stripped), and the text of PDF, DOCX and XLSX attachments
  (`disclosure.textextract.extract_text`, the text the personal-number scan reads too).
- Only public notices are indexed: published, proactive, not a revision
  (`Notice.is_public_at(None)`). A scheduled one is indexed when it is published and found
  from its publish time on, because every search joins the notice table and applies the
  public rule (`public_sql`) at that moment. So a stale row (a missed call, a data fix by
  hand) can never show a non-public notice.
- The workflow keeps the index current inside its own transactions: through
  `disclosure.publication.publication_changed`, `index_notice` when a notice or a revision
  is published, and when one is withdrawn (a notice no longer public is removed).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from catalog.models import CatalogNode

from ..models import Attachment, Notice
from ..textextract import extract_text, html_text
from .backends import TABLE, _backend, _Document
from .words import segment

logger = logging.getLogger(__name__)

# Text kept per notice. Beyond ~200,000 characters of very varied words a PostgreSQL
# tsvector passes its 1 MB limit, and publishing must never fail over the index.
BODY_TEXT_LIMIT = 50_000
ATTACHMENT_TEXT_LIMIT = 100_000


def _top_node_ids() -> dict[str, int]:
    """Path of each top-level catalog node to its id (a node's path starts with it)."""
    return dict(CatalogNode.objects.filter(parent__isnull=True).values_list("path", "id"))


@dataclass(frozen=True)
class _File:
    """What the index needs of one attachment."""

    pk: int
    title: str  # Attachment.display_title
    name: str  # in the attachment storage
    extension: str


@dataclass
class _Source:
    """What a notice's index row is made from: plain values, so that rebuild() can read
    them without model instances and hand them to other processes."""

    notice_id: int
    top_node_id: int
    organization_id: int
    kind: str
    year: int
    heading: str  # title and document number
    summary: str
    body: str  # sanitised HTML
    files: list[_File]


def _source(notice: Notice, top_node_ids: dict[str, int]) -> _Source:
    node_path = notice.catalog_node.path
    return _Source(
        notice_id=notice.pk,
        top_node_id=top_node_ids.get(node_path.split("/")[0], notice.catalog_node_id),
        organization_id=notice.organization_id,
        kind=notice.kind,
        year=timezone.localtime(notice.published_at).year,
        heading=f"{notice.title} {notice.document_number}",
        summary=notice.summary,
        body=notice.body,
        files=[
            _File(a.pk, a.display_title, a.file.name, a.extension) for a in notice.attachments.all()
        ],
    )


class _Maker:
    """Turns sources into index rows. Within one rebuild it remembers the text of each
    attachment file by its sha256 (one form is often attached to many notices) and the
    words of each attachment text; never for more than CACHE_ENTRIES of them."""

    CACHE_ENTRIES = 64  # texts of up to 100,000 characters each: tens of MB at worst

    def __init__(self, *, remember: bool = False) -> None:
        self.remember = remember
        self.texts: dict[tuple[bytes, str], list[str]] = {}
        self.words: dict[str, str] = {}

    def _remembered(self, cache: dict, key, make):
        if not self.remember:
            return make()
        if key not in cache:
            if len(cache) >= self.CACHE_ENTRIES:
                cache.clear()
            cache[key] = make()
        return cache[key]

    def _file_texts(self, file: _File) -> list[str]:
        """The texts of one attachment (`textextract.extract_text`); OSError when unreadable.

        Always read, so a missing file is missed as index_notice misses it; remembered by
        the sha256 of the bytes read, so a form attached to many notices is parsed once."""
        storage = Attachment._meta.get_field("file").storage
        with storage.open(file.name, "rb") as f:
            data = f.read()

        def texts() -> list[str]:
            return [text for _place, text in extract_text(data, file.extension)]

        if not self.remember:
            return texts()
        return self._remembered(self.texts, (hashlib.sha256(data).digest(), file.extension), texts)

    def attachment_text(self, files: list[_File]) -> str:
        """Each attachment's title, then its text; ATTACHMENT_TEXT_LIMIT characters in all."""
        pieces: list[str] = []
        size = 0
        for file in files:
            if size >= ATTACHMENT_TEXT_LIMIT:
                break
            pieces.append(file.title)
            try:
                texts = self._file_texts(file)
            except OSError as error:  # a missing file must not stop a publication
                logger.warning("Search index: attachment %s unreadable (%s)", file.pk, error)
                continue
            for text in texts:
                pieces.append(text)
                size += len(text)
                if size >= ATTACHMENT_TEXT_LIMIT:
                    break
        return "\n".join(pieces)[:ATTACHMENT_TEXT_LIMIT]

    def document(self, source: _Source) -> _Document:
        # PostgreSQL text cannot hold NUL, which PDF text sometimes does.
        body_text = "\n".join(filter(None, [source.summary, html_text(source.body)]))
        body_text = body_text.replace("\x00", "")[:BODY_TEXT_LIMIT]
        attachment_text = self.attachment_text(source.files).replace("\x00", "")
        return _Document(
            notice_id=source.notice_id,
            top_node_id=source.top_node_id,
            organization_id=source.organization_id,
            kind=source.kind,
            year=source.year,
            title=segment(source.heading),
            body=segment(body_text),
            attachments=self._remembered(
                self.words, attachment_text, lambda: segment(attachment_text)
            ),
            body_text=body_text,
            attachment_text=attachment_text,
        )

    def documents(self, sources: list[_Source]) -> list[_Document]:
        return [self.document(source) for source in sources]


def _document(notice: Notice, top_node_ids: dict[str, int]) -> _Document:
    return _Maker().document(_source(notice, top_node_ids))


def index_notice(notice: Notice) -> None:
    """Put one notice in the index as it is now, or take it out if it is not public.

    - Call it inside the transaction that publishes (or publishes a revision onto) the
      notice, after its fields and attachments are saved: the index commits with them.
    - A scheduled notice is indexed at once; searches find it from its publish time on.
    """
    if not notice.is_public_at(None):  # public now or from its publish time on
        remove_notice(notice.pk)
        return
    document = _document(notice, _top_node_ids())
    with transaction.atomic(), connection.cursor() as cursor:
        _backend().store(cursor, [document])


def remove_notice(notice_id: int) -> None:
    """Take a notice out of the index (withdrawal); call it inside that transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {_backend().key} = %s", [notice_id])
