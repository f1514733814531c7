"""After a key change: every encrypted value rewritten under PORTAL_DATA_KEY, and the
applicants' keyed hashes recomputed under PORTAL_LOOKUP_KEY (portal.crypto).

Changing the data key: the new one in PORTAL_DATA_KEY, the old one in
PORTAL_DATA_KEY_FALLBACKS, restart, run this, then remove the fallback. Changing the
lookup key: the new one in PORTAL_LOOKUP_KEY, run this; until it has run the repeat hint
and the fee count do not see the earlier applications. Safe to run again, and to stop:
rows already under the current keys are left alone.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

from applications.keys import applicant_key
from applications.models import Application
from portal.crypto import EncryptedCharField, rewrite_rows


def _application_keys(texts: dict) -> dict:
    return {"applicant_key": applicant_key(texts["id_number"] or "")}


# Columns computed from encrypted values, recomputed with them.
DERIVED = {Application: (["applicant_key"], _application_keys)}


class Command(BaseCommand):
    help = "Re-encrypt personal numbers under the current data key; recompute keyed hashes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk", type=int, default=500, help="rows per transaction")

    def handle(self, *args, chunk: int, **options) -> None:
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields
                      if isinstance(f, EncryptedCharField)]  # fmt: skip
            if not fields:
                continue
            derived, derive = DERIVED.get(model, ([], None))
            done = rewrite_rows(model, fields, derive=derive, derived=derived, chunk=chunk,
                                out=self.stdout, label=f"{model._meta.label}")  # fmt: skip
            self.stdout.write(f"{model._meta.label}: {done} rows rewritten")
