"""Rebuild the full-text search index of public notices (disclosure/search.py).

Run it after the first migration to 0003 on a site that already has notices, after
restoring a backup, or whenever the index is suspected to be out of step. The site keeps
working meanwhile: notices are indexed in chunks, each in its own transaction.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from disclosure import search


class Command(BaseCommand):
    help = "Index every public notice again (in chunks, with progress) and drop stale rows."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=200,
            help="Notices read and written per transaction (default 200).",
        )

    def handle(self, *args, chunk_size: int = 200, **options) -> None:
        count = search.rebuild(self.stdout, chunk_size=max(1, chunk_size))
        self.stdout.write(f"Search index rebuilt: {count} public notices.")
