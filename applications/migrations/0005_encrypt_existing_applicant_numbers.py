"""The ID and phone numbers already stored, encrypted under PORTAL_DATA_KEY, and the
applicant key turned into the keyed hash (portal.crypto, applications.keys).

In chunks of 500 rows, each its own transaction (the migration is not atomic): a large
table is not held locked for the whole run, and a run interrupted starts again where it
stopped (rows already done are recognised and left alone). A progress line per chunk.
Backwards: the numbers in clear again and the key the normalised number, as before.
"""

import sys

from django.db import migrations

from applications.keys import applicant_key, normalise_id
from portal.crypto import plain_rows, rewrite_rows

NUMBERS = ["id_number", "phone"]


def encrypt(apps, schema_editor) -> None:
    Application = apps.get_model("applications", "Application")
    RecordCorrection = apps.get_model("applications", "RecordCorrection")
    rewrite_rows(
        Application, NUMBERS, out=sys.stdout, label="  applications encrypted",
        derive=lambda texts: {"applicant_key": applicant_key(texts["id_number"] or "")},
        derived=["applicant_key"],
    )  # fmt: skip
    rewrite_rows(RecordCorrection, NUMBERS, out=sys.stdout,
                 label="  record-correction requests encrypted")  # fmt: skip


def decrypt(apps, schema_editor) -> None:
    plain_rows(
        apps.get_model("applications", "Application"), NUMBERS,
        derive=lambda texts: {"applicant_key": normalise_id(texts["id_number"] or "")[:40]},
    )  # fmt: skip
    plain_rows(apps.get_model("applications", "RecordCorrection"), NUMBERS)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("applications", "0004_encrypt_applicant_numbers")]

    operations = [migrations.RunPython(encrypt, decrypt)]
