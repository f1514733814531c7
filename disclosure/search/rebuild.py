"""Rebuilding: every public notice indexed again, in chunks, with words cut in workers.

Run by `manage.py rebuild_search_index` (and `seed_demo`): after the first migration to
0003 on a site that already has notices, after restoring a backup, or when the index is
suspected to be out of step. It writes the rows `index_notice` writes, word for word.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone

from portal.progress import Progress

from ..models import Attachment, Notice
from ..models.notices import public_q
from .backends import TABLE, _backend, _Document
from .index import _File, _Maker, _Source, _top_node_ids

_NOTICE_FIELDS = ("pk", "catalog_node_id", "catalog_node__path", "organization_id", "kind",
                  "published_at", "title", "document_number", "summary", "body")  # fmt: skip
_FILE_FIELDS = ("notice_id", "pk", "title", "original_name", "file", "extension")


def _sources(size: int, top_node_ids: dict[str, int]) -> Iterator[list[_Source]]:
    """The indexed notices, `size` at a time in id order: one short query for the notices
    after the last id seen and one for their attachments, never all of them at once.

    Indexed is `public_q(None)`: the public rule but for the publish time, so a scheduled
    notice is indexed too (searches apply the time)."""
    last = 0
    while True:
        rows = list(
            Notice.objects.filter(public_q(None), pk__gt=last)
            .order_by("pk")
            .values_list(*_NOTICE_FIELDS)[:size]
        )
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        files: dict[int, list[_File]] = {}
        for notice_id, pk, title, original_name, name, extension in (
            Attachment.objects.filter(notice_id__gte=first, notice_id__lte=last)
            .order_by("notice_id", *Attachment._meta.ordering)
            .values_list(*_FILE_FIELDS)
        ):
            files.setdefault(notice_id, []).append(
                _File(pk, title or original_name, name, extension)
            )
        yield [
            _Source(
                notice_id=pk,
                top_node_id=top_node_ids.get(path.split("/")[0], node_id),
                organization_id=organization_id,
                kind=kind,
                year=timezone.localtime(published_at).year,
                heading=f"{title} {document_number}",
                summary=summary,
                body=body,
                files=files.get(pk, []),
            )
            for (pk, node_id, path, organization_id, kind, published_at, title,
                 document_number, summary, body) in rows
        ]  # fmt: skip


_worker_maker: _Maker | None = None


def _make_in_worker(sources: list[_Source]) -> list[_Document]:
    global _worker_maker  # one per worker process, remembering across its chunks
    if _worker_maker is None:
        _worker_maker = _Maker(remember=True)
    return _worker_maker.documents(sources)


@contextmanager
def _makers(jobs: int) -> Iterator[Callable[[list[_Source]], Callable[[], list[_Document]]]]:
    """A function that starts making one chunk's rows and returns a function that waits
    for them: in `jobs` forked processes, or here when jobs is 1."""
    if jobs <= 1:
        maker = _Maker(remember=True)

        def make(sources: list[_Source]) -> Callable[[], list[_Document]]:
            documents = maker.documents(sources)
            return lambda: documents

        yield make
        return
    # Forked after the dictionary is loaded, so the workers share its memory. They never
    # touch the database: the parent reads the notices and writes the rows.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield lambda sources: pool.apply_async(_make_in_worker, (sources,)).get


def rebuild(out: TextIO, *, chunk_size: int = 1000, jobs: int | None = None) -> int:
    """Index every public notice again, and drop the rows of any other; returns the count.

    - Notices are streamed from the database `chunk_size` at a time, never all at once,
      and each chunk is written in its own transaction: the site keeps searching and
      publishing during a long rebuild.
    - Words are cut in `jobs` processes (default: one per CPU) while this one reads and
      writes; at most 2 × jobs chunks are in flight.
    - Progress (counts, time left) goes to `out`.
    - Rows of notices that are no longer public are deleted last, so a withdrawal made
      while the rebuild ran is not undone by it.
    """
    backend = _backend()
    jobs = max(1, jobs or os.cpu_count() or 1)
    top_node_ids = _top_node_ids()
    progress = Progress("search index", Notice.objects.filter(public_q(None)).count(), out)
    if progress.total <= chunk_size:
        jobs = 1  # one chunk: not worth a process
    pending: deque = deque()

    def write(documents: list[_Document]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            backend.store(cursor, documents)
        progress.step(len(documents))

    with backend.bulk_load(), _makers(jobs) as make:
        for sources in _sources(chunk_size, top_node_ids):
            pending.append(make(sources))
            if len(pending) >= 2 * jobs:
                write(pending.popleft()())
        while pending:
            write(pending.popleft()())
    if not progress.total:
        out.write(progress.line() + "\n")
    # The ids _sources() reads, as SQL that Django compiles from the same rule (unordered:
    # the model's ordering would sort the whole subquery for nothing).
    indexed = Notice.objects.filter(public_q(None)).order_by().values("pk")
    indexed_sql, indexed_params = indexed.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE {backend.key} NOT IN ({indexed_sql})", indexed_params
        )
    with connection.cursor() as cursor:
        backend.tidy(cursor)
    return progress.done
