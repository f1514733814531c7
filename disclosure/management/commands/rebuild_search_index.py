"""Rebuild the full-text search index of public notices (disclosure/search/rebuild.py).

Run it after the first migration to 0003 on a site that already has notices, after
restoring a backup, or whenever the index is suspected to be out of step. The site keeps
working meanwhile: notices are indexed in chunks, each in its own transaction. Words are
cut in --jobs worker processes (one per CPU by default) while the command reads and
writes; on the bench, 100,000 notices take about 13 s on 2 cores (1,000,000: about 130 s).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand

from disclosure.search.rebuild import rebuild


class Command(BaseCommand):
    help = "Index every public notice again (in chunks, with progress) and drop stale rows."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=1000,
            help="Notices read and written per transaction (default 1000).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that cut the words (default: one per CPU, here %(default)s).",
        )

    def handle(self, *args, chunk_size: int = 1000, jobs: int = 1, **options) -> None:
        count = rebuild(self.stdout, chunk_size=max(1, chunk_size), jobs=max(1, jobs))
        self.stdout.write(f"Search index rebuilt: {count} public notices.")
