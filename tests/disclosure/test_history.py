"""Issue 9: history written after the fact is the workflow's own.

The demo, the bench generator and the tests' factories write notices published long ago
through the model's back-dated history (`Notice.backdated()`, disclosure/models/history.py).
Here one notice goes through the real transitions and another, alike, through the replay,
and their fields and events are compared row by row; the generator's and the demo's
events hash what `content_hash()` says; index numbers come from the one scheme.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from bench import county
from catalog.models import IndexSequence, format_index_number
from disclosure.models import Attachment, Notice, NoticeEvent
from disclosure.models.history import content_hash_of
from disclosure.models.workflow import InvalidTransition
from tests import factories
from tests.base import BaseTestCase

# Paths through the workflow, each a list of steps (see AgreementTests.step_*).
PATHS = {
    "submitted": ["submit"],
    "returned by the leader": ["submit", "return"],
    "returned by the supervision group": ["submit", "approve", "return"],
    "approved": ["submit", "approve", "approve"],
    "returned by the office": ["submit", "approve", "approve", "return"],
    "published": ["submit", "approve", "approve", "publish"],
    "scheduled": ["submit", "approve", "approve", "schedule"],
    "withdrawn": ["submit", "approve", "approve", "publish", "withdraw"],
    "resubmitted and published": ["submit", "approve", "return", "submit", "approve",
                                  "approve", "publish"],
}  # fmt: skip

# What a notice's row says of its workflow, and what each event says.
STATE_FIELDS = ("status", "review_chain", "review_step", "review_role", "submitted_by_id",
                "confidentiality_reviewed_by_id", "withdrawal_reason",
                "disclosure_mode")  # fmt: skip
SET_OR_NOT = ("submitted_at", "confidentiality_reviewed_at", "published_at", "withdrawn_at",
              "index_number")  # fmt: skip
EVENT_FIELDS = ("action", "old_status", "new_status", "role", "step", "confidentiality_confirmed",
                "comment", "pii_override_reason", "actor_id", "content_hash")  # fmt: skip


def state(notice: Notice) -> dict:
    notice.refresh_from_db()
    fields = {name: getattr(notice, name) for name in STATE_FIELDS}
    return fields | {f"{name} set": getattr(notice, name) is not None for name in SET_OR_NOT}


def events(notice: Notice) -> list[tuple]:
    return list(notice.events.order_by("created", "id").values_list(*EVENT_FIELDS))


class AgreementTests(BaseTestCase):
    """The replay writes what the transitions write, for every path and review chain."""

    def team(self) -> dict:
        return {"clerk": self.alice, "leader": self.lena, "supervisor": self.sam,
                "leadership": self.gail, "publisher": self.olga}  # fmt: skip

    def reviewer(self, notice: Notice):
        return self.team()[notice.review_role] if notice.status == "submitted" else self.olga

    def real(self, steps: list[str], catalog: str) -> Notice:
        n = factories.notice(self.civil, published=False, catalog=catalog)
        for step in steps:
            if step == "submit":
                n.submit(self.alice)
            elif step == "approve":
                n.approve(self.reviewer(n), comment="同意", confidentiality_confirmed=True)
            elif step == "return":
                n.return_for_changes(self.reviewer(n), reason="请补充说明")
            elif step in ("publish", "schedule"):
                later = timezone.now() + timedelta(days=1) if step == "schedule" else None
                n.publish(self.olga, at=later)
            elif step == "withdraw":
                n.withdraw(self.olga, reason="内容有误")
        return n

    def replayed(self, steps: list[str], catalog: str) -> Notice:
        n = factories.notice(self.civil, published=False, catalog=catalog)
        history = n.backdated()
        when = timezone.now() - timedelta(hours=len(steps) + 1)
        for step in steps:
            when += timedelta(hours=1)
            if step == "submit":
                history.submit(self.alice, when=when)
            elif step == "approve":
                history.approve(self.reviewer(n), when=when, comment="同意")
            elif step == "return":
                history.return_for_changes(self.reviewer(n), when=when, reason="请补充说明")
            elif step in ("publish", "schedule"):
                later = timezone.now() + timedelta(days=1) if step == "schedule" else None
                history.publish(self.olga, when=when, at=later)
            elif step == "withdraw":
                history.withdraw(self.olga, when=when, reason="内容有误")
        n.save()
        NoticeEvent.objects.bulk_create(history.events)
        return n

    def test_every_path_agrees(self) -> None:
        for name, steps in PATHS.items():
            with self.subTest(path=name):
                real, replayed = (
                    self.real(steps, "finance/budget"),
                    self.replayed(steps, "finance/budget"),
                )
                self.assertEqual(state(replayed), state(real))
                self.assertEqual(events(replayed), events(real))
                self.assertEqual(len(events(real)), len(steps))

    def test_every_chain_agrees(self) -> None:
        """The leader alone; with the supervision group; with the leadership group."""
        for catalog in ("news/highlights", "finance/budget", "decisions/results"):
            with self.subTest(catalog=catalog):
                steps = ["submit", *["approve"] * len(factories.node(catalog).review_chain()),
                         "publish"]  # fmt: skip
                real, replayed = self.real(steps, catalog), self.replayed(steps, catalog)
                self.assertEqual(state(replayed), state(real))
                self.assertEqual(events(replayed), events(real))

    def test_events_hash_the_notice_as_it_stood(self) -> None:
        n = self.replayed(PATHS["withdrawn"], "finance/budget")
        self.assertEqual({e.content_hash for e in n.events.all()}, {n.content_hash()})

    def test_index_numbers_are_of_one_form(self) -> None:
        """Both taken from the township's sequence, in the installation's pattern."""
        real = self.real(PATHS["published"], "finance/budget")
        replayed = self.replayed(PATHS["published"], "finance/budget")
        self.assertNotEqual(real.index_number, replayed.index_number)
        for n in (real, replayed):
            year = timezone.localtime(n.published_at).year
            seq = IndexSequence.objects.get(credit_code=self.township.credit_code, year=year)
            numbers = {
                format_index_number(credit_code=seq.credit_code, year=year, serial=serial)
                for serial in range(1, seq.last_serial + 1)
            }
            self.assertIn(n.index_number, numbers)


class ReplayGuardTests(BaseTestCase):
    """The replay refuses what the transitions refuse, and time runs forward."""

    def setUp(self) -> None:
        self.notice = factories.notice(self.civil, published=False)
        self.history = self.notice.backdated()
        self.then = timezone.now() - timedelta(days=30)

    def test_it_keeps_the_state_guards(self) -> None:
        with self.assertRaises(InvalidTransition):
            self.history.publish(self.olga, when=self.then)
        with self.assertRaises(InvalidTransition):
            self.history.approve(self.lena, when=self.then)

    def test_it_keeps_four_eyes(self) -> None:
        self.history.submit(self.alice, when=self.then)
        with self.assertRaises(PermissionDenied):
            self.history.approve(self.alice, when=self.then)
        self.history.approve(self.lena, when=self.then)
        with self.assertRaises(PermissionDenied):
            self.history.approve(self.lena, when=self.then)

    def test_it_publishes_only_proactive_notices_and_never_back_dates_the_time(self) -> None:
        self.history.review(
            {"clerk": self.alice, "leader": self.lena, "supervisor": self.sam},
            submitted_at=self.then,
        )
        with self.assertRaises(InvalidTransition):
            self.history.publish(self.olga, when=self.then + timedelta(days=1), at=self.then)
        self.notice.disclosure_mode = Notice.Mode.ON_APPLICATION
        with self.assertRaises(InvalidTransition):
            self.history.publish(self.olga, when=self.then + timedelta(days=1))

    def test_time_runs_forward(self) -> None:
        self.history.submit(self.alice, when=self.then)
        with self.assertRaises(ValueError):
            self.history.approve(self.lena, when=self.then - timedelta(minutes=1))


class HashAndNumberTests(BaseTestCase):
    def test_the_hash_of_unsaved_attachments_is_content_hash(self) -> None:
        """What the bench hashes before its attachments exist is what content_hash() says."""
        n = factories.notice(self.civil, published=False)
        pairs = []
        for position, (name, data) in enumerate([("名单.xlsx", b"PK x"), ("表.pdf", b"%PDF")], 1):
            a = factories.attachment(n, name=name, data=data)
            Attachment.objects.filter(pk=a.pk).update(position=3 - position)
            pairs.insert(0, (a.sha256, a.original_name))
        self.assertEqual(content_hash_of(n, pairs), n.content_hash())
        self.assertNotEqual(content_hash_of(n, pairs[::-1]), n.content_hash())

    def test_numbers_in_bulk_are_the_ones_taken_one_by_one(self) -> None:
        wanted = [(self.civil, 2025), (self.other_civil, 2025), (self.finance, 2025),
                  (self.civil, 2026)]  # fmt: skip
        qinglan, baisha = self.township.credit_code, self.other_township.credit_code
        self.assertEqual(
            IndexSequence.index_numbers(wanted),
            [format_index_number(credit_code=qinglan, year=2025, serial=1),
             format_index_number(credit_code=baisha, year=2025, serial=1),
             format_index_number(credit_code=qinglan, year=2025, serial=2),
             format_index_number(credit_code=qinglan, year=2026, serial=1)],
        )  # fmt: skip
        self.assertEqual(
            IndexSequence.next_index_number(organization=self.finance, year=2025),
            format_index_number(credit_code=qinglan, year=2025, serial=3),
        )

    @override_settings(INDEX_NUMBER_PATTERN="QL-{year}-{serial:04d}-{credit_code}")
    def test_bulk_numbers_follow_the_pattern(self) -> None:
        self.assertEqual(
            IndexSequence.index_numbers([(self.civil, 2026)]),
            [f"QL-2026-0001-{self.township.credit_code}"],
        )

    def test_number_in_bulk_numbers_in_publication_order(self) -> None:
        at = timezone.now() - timedelta(days=1)
        notices = [
            Notice(organization=self.civil, status="published", published_at=at + timedelta(i))
            for i in range(3)
        ]
        Notice.number_in_bulk(notices)
        year = timezone.localtime(at).year
        self.assertEqual(
            [n.index_number for n in notices],
            [format_index_number(credit_code=self.township.credit_code, year=year, serial=s)
             for s in (1, 2, 3)],
        )  # fmt: skip


class FactoryTests(BaseTestCase):
    def test_a_public_notice_has_the_workflows_history(self) -> None:
        n = factories.notice(self.civil)
        self.assertEqual(
            list(n.events.values_list("action", "actor__username")),
            [("submitted", "alice"), ("approved", "lena"), ("approved", "sam"),
             ("published", "olga")],
        )  # fmt: skip
        self.assertEqual({e.content_hash for e in n.events.all()}, {n.content_hash()})
        self.assertTrue(n.is_published())

    def test_a_later_time_is_scheduled(self) -> None:
        n = factories.notice(self.civil, published_at=timezone.now() + timedelta(days=1))
        self.assertEqual(n.events.last().action, "scheduled")
        self.assertFalse(n.is_published())


class GeneratorTests(TestCase):
    """bench.generate's rows: the replay's, numbered from IndexSequence, hashed alike."""

    def test_a_small_load(self) -> None:
        rng = random.Random(7)
        _county, towns = county.build_county(rng)
        factory = county.NoticeFactory(rng, towns, 80, county.make_attachment_files(), "all")
        with county.raw_timestamps():
            county.save_chunk(factory.chunk(0, 80))
        self.assertTrue(Attachment.objects.exists())
        county.check(80, rng, sample=80)  # public, numbered from the sequences, hashes agree
        for n in Notice.objects.prefetch_related("events"):
            chain = n.review_chain
            with self.subTest(notice=n.pk):
                self.assertEqual(
                    [(e.action, e.role) for e in n.events.all()],
                    [("submitted", chain[0]), *[("approved", role) for role in chain],
                     ("published", "publisher")],
                )  # fmt: skip


class DemoTests(TestCase):
    """seed_demo's histories: paths of the workflow, hashing each notice as it stands."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def test_every_event_hashes_the_notice(self) -> None:
        for n in Notice.objects.prefetch_related("events"):
            with self.subTest(notice=n.title):
                self.assertTrue(all(e.content_hash == n.content_hash() for e in n.events.all()))

    def test_every_history_is_a_path_of_the_workflow(self) -> None:
        for n in Notice.objects.prefetch_related("events"):
            status = "draft"
            for e in n.events.all():
                with self.subTest(notice=n.title, action=e.action):
                    self.assertEqual(e.old_status, status)
                    status = e.new_status
            self.assertEqual(status, n.status, n.title)
