"""The one door for publication (disclosure.publication): the public rule's three
spellings agree row by row, every public page starts from `public_notices`, and
`publication_changed` keeps the search index and the public version in step."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from disclosure import search
from disclosure.models import Notice
from disclosure.publication import (
    public_notices,
    public_q,
    public_sql,
    publication_changed,
)
from portal.models import PublicVersion
from portal.public import current_version
from tests import factories
from tests.base import BaseTestCase

REASON = "涉及个人隐私，依据《条例》第十五条不予公开"
Status, Mode = Notice.Status, Notice.Mode


class RuleAgreementTests(BaseTestCase):
    """Issue 9: the queryset filter, the instance test and the SQL of search are one rule."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.now = timezone.now()
        original = factories.notice(cls.civil, title="被修订的原件")
        times = {
            "none": None,
            "past": cls.now - timedelta(days=2),
            "now": cls.now,
            "future": cls.now + timedelta(days=2),
        }
        # Every status × mode × revision-or-not × publish time the database accepts.
        cls.rows = 0
        for status, mode, is_revision, (when, at) in itertools.product(
            Status.values, Mode.values, (False, True), times.items()
        ):
            notice = Notice(
                title=f"{status}-{mode}-{is_revision}-{when}",
                catalog_node=factories.node(),
                organization=cls.civil,
                status=status,
                disclosure_mode=mode,
                non_disclosure_reason="" if mode == Mode.PROACTIVE else REASON,
                revision_of=original if is_revision else None,
                published_at=at,
                index_number=None if is_revision or at is None else f"T/{cls.rows:05d}",
                confidentiality_reviewed_at=cls.now,
            )
            try:
                with transaction.atomic():
                    notice.save()
                cls.rows += 1
            except IntegrityError:
                pass  # a state no writer can produce (e.g. published without a time)

    def spellings(self, now) -> tuple[set[int], set[int], set[int]]:
        by_filter = set(Notice.objects.filter(public_q(now)).values_list("pk", flat=True))
        by_instance = {n.pk for n in Notice.objects.all() if n.is_public_at(now)}
        table = connection.ops.quote_name(Notice._meta.db_table)
        sql, params = public_sql(now) if now is not None else (None, None)
        by_sql = set()
        if sql is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {table}.id FROM {table} WHERE {sql}", params)
                by_sql = {row[0] for row in cursor.fetchall()}
        return by_filter, by_instance, by_sql

    def test_the_table_covers_every_state(self) -> None:
        """Each status, mode and publish time occurs, so the agreement below means something."""
        self.assertGreater(self.rows, 60)
        self.assertEqual(set(Notice.objects.values_list("status", flat=True)), set(Status.values))

    def test_filter_instance_and_sql_agree_row_by_row_now(self) -> None:
        by_filter, by_instance, by_sql = self.spellings(self.now)
        self.assertEqual(by_filter, by_instance)
        self.assertEqual(by_filter, by_sql)
        titles = set(Notice.objects.filter(pk__in=by_filter).values_list("title", flat=True))
        # Published, proactive, an original, its time reached: the original and two rows.
        self.assertEqual(
            titles,
            {"被修订的原件", "published-proactive-False-past", "published-proactive-False-now"},
        )

    def test_they_agree_at_a_later_time_too(self) -> None:
        """The scheduled notice becomes public by itself once its time has come."""
        later = self.now + timedelta(days=3)
        by_filter, by_instance, by_sql = self.spellings(later)
        self.assertEqual(by_filter, by_instance)
        self.assertEqual(by_filter, by_sql)
        self.assertIn(
            "published-proactive-False-future",
            set(Notice.objects.filter(pk__in=by_filter).values_list("title", flat=True)),
        )

    def test_whatever_the_time_is_what_the_search_index_may_hold(self) -> None:
        by_filter, by_instance, _ = self.spellings(None)
        self.assertEqual(by_filter, by_instance)
        scheduled = Notice.objects.get(title="published-proactive-False-future")
        self.assertIn(scheduled.pk, by_filter)
        self.assertEqual(
            by_filter - set(Notice.objects.published(self.now).values_list("pk", flat=True)),
            {scheduled.pk},
        )

    def test_the_queryset_method_and_the_model_method_are_the_rule(self) -> None:
        self.assertEqual(
            set(Notice.objects.published(self.now).values_list("pk", flat=True)),
            {n.pk for n in Notice.objects.all() if n.is_published(self.now)},
        )


class DoorTests(BaseTestCase):
    def test_public_notices_is_scoped_to_the_page(self) -> None:
        """A township's /org/ page lists its own notices only; without a request, all."""
        mine = factories.notice(self.civil, title="本镇的通知")
        other = factories.notice(self.other_township, title="别镇的通知")
        request = RequestFactory().get("/notices/")
        request.scope_slug = self.other_township.slug
        self.assertEqual(list(public_notices(request)), [other])
        self.assertEqual(set(public_notices(None)), {mine, other})

    def test_publication_changed_indexes_and_bumps_after_commit(self) -> None:
        notice = factories.notice(self.civil, published=False, title="数据修正的公告")
        before = current_version()
        Notice.objects.filter(pk=notice.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now(), index_number="FIX/1",
            confidentiality_reviewed_at=timezone.now(),
        )  # fmt: skip
        notice.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            publication_changed(notice)
        self.assertEqual(current_version(), before, "bumped before commit")
        self.assertEqual([hit.notice for hit in search.search("数据修正").page], [notice])
        for callback in callbacks:
            callback()
        self.assertGreater(current_version(), before)

    def test_withdrawn_leaves_the_index(self) -> None:
        notice = factories.notice(self.civil, title="将要撤回的公告")
        self.assertTrue(search.search("撤回").total)
        Notice.objects.filter(pk=notice.pk).update(status=Status.WITHDRAWN)
        notice.refresh_from_db()
        publication_changed(notice)
        self.assertEqual(search.search("撤回").total, 0)

    def test_a_scheduled_publication_is_watched(self) -> None:
        """The version row names the next scheduled publication, so cached pages change then."""
        at = timezone.now() + timedelta(hours=5)
        with self.captureOnCommitCallbacks(execute=True):
            factories.notice(self.civil, title="定时", published_at=at)
        self.assertEqual(PublicVersion.objects.get(pk=1).next_change_at, at)
