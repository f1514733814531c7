"""Applicant ID and phone numbers at rest (issue 12, item 5): encrypted in the database
under PORTAL_DATA_KEY, found by a keyed hash, the keys rotated without losing a row, the
rows stored before encrypted by a migration, and `check --deploy` failing on local keys.
The proof: a dump of the whole database holds none of the numbers."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from datetime import date

from cryptography.fernet import Fernet

from django.core import checks
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase, override_settings

from applications import handling, matching
from applications.corrections import RecordCorrection
from applications.fees import items_earlier_in_month
from applications.keys import applicant_key, normalise_id
from applications.models import Application, Outcome
from portal import crypto
from tests.base import BaseTestCase, build_world

from .test_apply import APPLY
from .test_apply import form as application_form
from .test_handling import application
from .test_record_correction import FORM as CORRECTION_FORM
from .test_record_correction import form as correction_form
from .test_repeats import other_id

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
LOOKUP_A, LOOKUP_B = "a" * 20 + "-lookup-key-one-0123456789", "b" * 20 + "-lookup-key-two-98765"
RECEIVED = date(2026, 3, 2)


def dump() -> str:
    """Everything the database holds, as text: SQLite's .dump; on PostgreSQL every row of
    every table of the schema as text (all columns)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        lines = []
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT CAST(t AS text) FROM {name} AS t")  # noqa: S608
            lines += [f"{table}: {row[0]}" for row in cursor.fetchall()]
    return "\n".join(lines)


def stored(model, pk: int, column: str) -> str:
    """A column as the database holds it (not through the field)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",
                       [pk])  # fmt: skip
        return cursor.fetchone()[0]


class DumpTests(BaseTestCase):
    """Applications and record-correction requests made the ways residents and staff make
    them, then the database dumped and searched for each number."""

    def test_a_dump_of_the_database_holds_no_id_or_phone_number(self) -> None:
        ids = [other_id(n) for n in range(20, 26)]
        phones = ["13912340001", "13912340002", "13912340003", "0596-5261234",
                  "13912340005", "13912340006"]  # fmt: skip
        # Online, through the public form (typed with spaces and a lower-case x).
        typed = " ".join([ids[0][:6], ids[0][6:14], ids[0][14:].lower()])
        self.client.post(APPLY, application_form(id_number=typed, phone=phones[0]))
        online = Application.objects.get()
        # Registered by staff, received and answered with a letter.
        answered = application(self.township, id_number=ids[1], phone=phones[1])
        handling.confirm_receipt(answered, by=self.olga, on=RECEIVED)
        handling.close(answered, by=self.olga, outcome=Outcome.DISCLOSED, details="见附件。")
        # The same person again, and someone else.
        application(self.township, id_number=ids[1], phone=phones[1])
        application(self.township, id_number=ids[2], phone=phones[2], id_type="other")
        # A record-correction request, through its public form.
        self.client.post(CORRECTION_FORM, correction_form(id_number=ids[3], phone=phones[3]))
        RecordCorrection.objects.create(
            township=self.township, requester_type="person", name="李四", id_number=ids[4],
            phone=phones[4], record="低保名单", inaccuracy="人口数", evidence="户口簿",
        )  # fmt: skip
        self.assertEqual(Application.objects.count(), 4)
        self.assertEqual(RecordCorrection.objects.count(), 2)

        text = dump()
        self.assertIn(online.tracking_code, text)  # the dump is of these rows
        for number in [*ids, typed, normalise_id(typed), *phones]:
            with self.subTest(number=number):
                self.assertNotIn(number, text)
        # ... and they read back as they were typed (normalised by the forms).
        online.refresh_from_db()
        self.assertEqual((online.id_number, online.phone), (ids[0], phones[0]))
        self.assertEqual(RecordCorrection.objects.get(id_number__isnull=False,
                                                      name="李四").phone, phones[4])  # fmt: skip

    def test_the_column_holds_a_token_that_changes_each_time(self) -> None:
        a = application(self.township, id_number=other_id(30), phone="13912340007")
        b = application(self.township, id_number=other_id(30), phone="13912340007")
        raw_a, raw_b = (stored(Application, row.pk, "id_number") for row in (a, b))
        self.assertTrue(raw_a.startswith(crypto.TOKEN_PREFIX))
        self.assertNotEqual(raw_a, raw_b)  # no equal ciphertexts to count applicants by
        self.assertEqual(crypto.decrypt(raw_a), other_id(30))
        self.assertEqual(a.applicant_key, b.applicant_key)

    def test_dumpdata_writes_tokens_and_loaddata_reads_them(self) -> None:
        a = application(self.township, id_number=other_id(31), phone="13912340008")
        out = io.StringIO()
        call_command("dumpdata", "applications.application", stdout=out)
        self.assertNotIn(other_id(31), out.getvalue())
        self.assertNotIn("13912340008", out.getvalue())
        fields = json.loads(out.getvalue())[0]["fields"]
        self.assertEqual(crypto.decrypt(fields["phone"]), "13912340008")
        Application.objects.filter(pk=a.pk).delete()
        path = self.tmp_fixture(out.getvalue())
        call_command("loaddata", path, verbosity=0)
        self.assertEqual(Application.objects.get(pk=a.pk).id_number, other_id(31))

    def tmp_fixture(self, text: str) -> str:
        import tempfile

        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        with handle:
            handle.write(text)
        self.addCleanup(lambda: __import__("os").unlink(handle.name))
        return handle.name


class LookupTests(BaseTestCase):
    def test_the_applicant_key_is_a_keyed_hash_of_the_normalised_number(self) -> None:
        number = other_id(40)
        with override_settings(PORTAL_LOOKUP_KEY=LOOKUP_A):
            expected = hmac.new(LOOKUP_A.encode(), number.encode(), hashlib.sha256).hexdigest()
            self.assertEqual(applicant_key(f" {number[:6]} {number[6:].lower()}"), expected)
            a = application(self.township, id_number=number.lower())
            self.assertEqual(a.applicant_key, expected)
            self.assertNotEqual(expected, hashlib.sha256(number.encode()).hexdigest())
        with override_settings(PORTAL_LOOKUP_KEY=LOOKUP_B):
            self.assertNotEqual(applicant_key(number), expected)  # without the key: nothing
        self.assertEqual(applicant_key("  "), "")

    def test_encrypted_columns_refuse_comparisons_that_would_find_nothing(self) -> None:
        application(self.township)
        with self.assertRaisesMessage(FieldError, "keyed hash"):
            list(Application.objects.filter(id_number=other_id(1)))
        with self.assertRaises(FieldError):
            Application.objects.filter(phone__contains="1391").count()
        self.assertEqual(Application.objects.filter(phone__isnull=True).count(), 0)

    def test_repeats_and_the_fee_count_find_the_same_applicant(self) -> None:
        number = other_id(41)
        first = application(self.township, id_number=number, received_on=RECEIVED,
                            status="received")  # fmt: skip
        handling.close(first, by=self.olga, outcome=Outcome.DISCLOSED, details="见附件。")
        again = application(self.township, id_number=" " + number.lower(), received_on=RECEIVED,
                            status="received")  # fmt: skip
        stranger = application(self.township, id_number=other_id(42), received_on=RECEIVED,
                               status="received")  # fmt: skip
        self.assertEqual([r.pk for r in matching.repeats(again)], [first.pk])
        self.assertEqual(matching.repeats(stranger), [])
        self.assertEqual(items_earlier_in_month(again), 1)
        self.assertEqual(items_earlier_in_month(stranger), 0)


class MaskingTests(BaseTestCase):
    def test_readers_see_the_decrypted_numbers_masked_handlers_in_full(self) -> None:
        a = application(self.township, id_number=other_id(43), phone="13912340009")
        change = f"/admin/applications/application/{a.pk}/change/"
        self.client.force_login(self.sam)  # the supervision group reads, masked
        page = self.client.get(change)
        self.assertContains(page, other_id(43)[:2] + "*" * 13 + other_id(43)[-3:])
        self.assertContains(page, "139****0009")
        self.assertNotContains(page, other_id(43))
        self.client.force_login(self.olga)  # the office handles it
        page = self.client.get(change)
        self.assertContains(page, other_id(43))
        self.assertContains(page, "13912340009")


def _data_key(key: str, *fallbacks: str):
    return override_settings(PORTAL_DATA_KEY=key, PORTAL_DATA_KEY_FALLBACKS=list(fallbacks))


class RotationTests(BaseTestCase):
    def test_a_new_data_key_reads_the_old_rows_and_the_command_rewrites_them(self) -> None:
        with _data_key(KEY_A):
            a = application(self.township, id_number=other_id(50), phone="13912340010")
            c = RecordCorrection.objects.create(
                township=self.township, requester_type="person", name="李四",
                id_number=other_id(51), phone="13912340011", record="名单", inaccuracy="错",
                evidence="证",
            )  # fmt: skip
        with _data_key(KEY_B):  # the old key dropped too early: an error, never garbage
            with self.assertRaisesMessage(crypto.UndecryptableValue, "PORTAL_DATA_KEY_FALLBACKS"):
                Application.objects.get(pk=a.pk)
        with _data_key(KEY_B, KEY_A):
            self.assertEqual(Application.objects.get(pk=a.pk).id_number, other_id(50))
            out = io.StringIO()
            call_command("rotate_data_keys", stdout=out)
            self.assertIn("applications.Application: 1 rows rewritten", out.getvalue())
            self.assertIn("applications.RecordCorrection: 1 rows rewritten", out.getvalue())
            call_command("rotate_data_keys", stdout=out)  # again: nothing left to do
            self.assertIn("applications.Application: 0 rows rewritten", out.getvalue())
        with _data_key(KEY_B):
            self.assertEqual(Application.objects.get(pk=a.pk).phone, "13912340010")
            self.assertEqual(RecordCorrection.objects.get(pk=c.pk).id_number, other_id(51))
        raw = stored(Application, a.pk, "id_number")
        self.assertEqual(Fernet(KEY_B.encode()).decrypt(raw.encode()).decode(), other_id(50))

    def test_a_new_lookup_key_finds_the_applicant_again_after_the_command(self) -> None:
        number = other_id(52)
        with override_settings(PORTAL_LOOKUP_KEY=LOOKUP_A):
            first = application(self.township, id_number=number, received_on=RECEIVED,
                                status="received")  # fmt: skip
            handling.close(first, by=self.olga, outcome=Outcome.DISCLOSED, details="见附件。")
        with override_settings(PORTAL_LOOKUP_KEY=LOOKUP_B):
            again = application(self.township, id_number=number, received_on=RECEIVED,
                                status="received")  # fmt: skip
            self.assertEqual(matching.repeats(again), [])  # the old key's hashes
            call_command("rotate_data_keys", stdout=io.StringIO())
            self.assertEqual([r.pk for r in matching.repeats(again)], [first.pk])


class DeployCheckTests(BaseTestCase):
    def ids(self, deploy: bool = True) -> set[str]:
        return {m.id for m in checks.run_checks(include_deployment_checks=deploy)
                if m.id and m.id.startswith("portal.E1")}  # fmt: skip

    def test_the_local_keys_fail_the_deploy_check(self) -> None:
        # The test settings use the keys kept under var/, as a laptop does.
        self.assertTrue({"portal.E103", "portal.E104"} <= self.ids())
        self.assertEqual(self.ids(deploy=False), set())
        with self.assertRaisesMessage(SystemCheckError, "PORTAL_DATA_KEY is not set"):
            call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())

    def test_real_keys_pass_it(self) -> None:
        with override_settings(PORTAL_DATA_KEY=KEY_A, PORTAL_LOOKUP_KEY=LOOKUP_A):
            self.assertEqual(self.ids(), set())

    def test_bad_keys_fail_every_check(self) -> None:
        with override_settings(PORTAL_DATA_KEY="not a fernet key", PORTAL_LOOKUP_KEY=LOOKUP_A):
            self.assertEqual(self.ids(deploy=False), {"portal.E101"})
        with _data_key(KEY_A, "short"), override_settings(PORTAL_LOOKUP_KEY=LOOKUP_A):
            self.assertEqual(self.ids(deploy=False), {"portal.E101"})
        with override_settings(PORTAL_DATA_KEY=KEY_A, PORTAL_LOOKUP_KEY="too short"):
            self.assertEqual(self.ids(), {"portal.E105"})
        with override_settings(PORTAL_DATA_KEY=KEY_A, PORTAL_LOOKUP_KEY=KEY_A):
            self.assertIn("portal.E106", self.ids())


class MigrationTests(TransactionTestCase):
    """Rows stored in clear before the encryption (migration 0003's schema) come out of
    the migrations encrypted, keyed by the hash, and read back; and back in clear when
    the migrations are reversed."""

    before = [("applications", "0003_fill_applicant_and_information_keys")]

    def migrate(self, targets) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor

    def test_existing_rows_are_encrypted_in_chunks_and_back(self) -> None:
        build_world(self)
        leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("applications")
        executor = self.migrate(self.before)
        old = executor.loader.project_state(self.before).apps
        OldApplication = old.get_model("applications", "Application")
        numbers = [other_id(n) for n in range(60, 63)]
        for n, number in enumerate(numbers):
            OldApplication.objects.create(
                township_id=self.township.pk, applicant_type="person", name="王小明",
                id_type="resident_id", id_number=number, phone=f"1391234{n:04d}",
                description="村道修建资金", delivery_form="paper", delivery_channel="post",
                channel="online", tracking_code=f"TEST-{n:04d}", applicant_key=number,
            )  # fmt: skip
        OldCorrection = old.get_model("applications", "RecordCorrection")
        OldCorrection.objects.create(
            township_id=self.township.pk, requester_type="person", name="李四",
            id_number=numbers[0], phone="13912349999", record="名单", inaccuracy="错",
            evidence="证", reference="GZ-TEST-0001",
        )  # fmt: skip
        self.assertIn(numbers[0], dump())

        self.migrate(leaf)
        text = dump()
        for number in [*numbers, "13912340000", "13912349999"]:
            self.assertNotIn(number, text)
        rows = list(Application.objects.order_by("tracking_code"))
        self.assertEqual([a.id_number for a in rows], numbers)
        self.assertEqual([a.applicant_key for a in rows], [applicant_key(n) for n in numbers])
        self.assertEqual(RecordCorrection.objects.get().phone, "13912349999")

        self.migrate(self.before)
        self.assertIn(numbers[0], dump())
        self.assertIn("13912349999", dump())
        self.migrate(leaf)
        self.assertEqual(Application.objects.order_by("tracking_code")[0].id_number, numbers[0])
