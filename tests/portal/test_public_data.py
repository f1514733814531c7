"""Counts, catalog trees and filter choices kept per public version (portal.public) are
never stale; the version never repeats; views are counted in batches."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure import viewcounts
from disclosure.models import Notice
from portal import public
from portal.models import PublicVersion
from tests import factories
from tests.base import BaseTestCase


class PublicDataTests(BaseTestCase):
    def get(self, url: str):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.get(url)

    def count_on(self, url: str) -> int:
        return self.get(url).context["page_obj"].paginator.count

    def test_counts_follow_publishing_and_withdrawing(self) -> None:
        factories.notice(self.civil, title="已有的通知", catalog="news/highlights")
        with self.captureOnCommitCallbacks(execute=True):
            public.bump()
        node = reverse("catalog-node", args=["news"])
        before_list, before_node = self.count_on("/notices/"), self.count_on(node)
        before_kind = self.count_on("/notices/?kind=document")
        # Asked again: from the cache, and no COUNT is run.
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.count_on("/notices/?kind=document"), before_kind)
        self.assertFalse([q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()])

        notice = factories.in_state(
            self, "approved", title="新发布的通知", catalog="news/highlights"
        )
        with self.captureOnCommitCallbacks(execute=True):
            notice.publish(self.olga)
        self.assertEqual(self.count_on("/notices/"), before_list + 1)
        self.assertEqual(self.count_on(node), before_node + 1)
        self.assertEqual(self.count_on("/notices/?kind=document"), before_kind + 1)

        with self.captureOnCommitCallbacks(execute=True):
            notice.withdraw(self.olga, reason="有误")
        self.assertEqual(self.count_on("/notices/"), before_list)
        self.assertEqual(self.count_on(node), before_node)
        self.assertEqual(self.count_on("/notices/?kind=document"), before_kind)

    def test_a_notice_saved_outside_the_workflow_still_refreshes_counts(self) -> None:
        before = self.count_on("/notices/")
        with self.captureOnCommitCallbacks(execute=True):
            factories.notice(self.civil, title="数据修复")  # saved as published
        self.assertEqual(self.count_on("/notices/"), before + 1)
        with self.captureOnCommitCallbacks(execute=True):
            factories.notice(self.civil, title="草稿", published=False)
        self.assertEqual(self.count_on("/notices/"), before + 1)

    def test_organisation_names_follow_admin_edits(self) -> None:
        self.assertContains(self.get("/notices/"), "青岚镇民政办公室")
        with self.captureOnCommitCallbacks(execute=True):
            self.civil.name = "青岚镇社会事务办公室"
            self.civil.save()
        response = self.get("/notices/")
        self.assertContains(response, "青岚镇社会事务办公室")
        self.assertNotContains(response, "青岚镇民政办公室")

    def test_the_version_grows_with_the_clock_and_never_repeats(self) -> None:
        seen = []
        for _ in range(3):
            public.bump()
            seen.append(PublicVersion.objects.get(pk=1).version)
        self.assertEqual(len(set(seen)), 3)
        self.assertEqual(seen, sorted(seen))
        self.assertGreater(seen[0], 1_700_000_000 * 1_000_000)  # microseconds since 1970
        # A restored backup with an old, small number: the next bump still jumps ahead.
        PublicVersion.objects.filter(pk=1).update(version=5)
        public.bump()
        self.assertGreater(PublicVersion.objects.get(pk=1).version, seen[-1])


class ViewCountTests(BaseTestCase):
    def tearDown(self) -> None:
        viewcounts.flush()

    @override_settings(VIEW_COUNT_FLUSH_SECONDS=3600)
    def test_views_are_written_together(self) -> None:
        notice = factories.notice(self.civil, title="浏览次数")
        viewcounts.flush()
        for _ in range(5):
            self.assertEqual(self.client.get(notice.get_absolute_url()).status_code, 200)
        notice.refresh_from_db()
        self.assertEqual(notice.views, 0)  # not one write per view
        with CaptureQueriesContext(connection) as ctx:
            viewcounts.flush()
        self.assertEqual(len([q for q in ctx.captured_queries if "UPDATE" in q["sql"]]), 1)
        notice.refresh_from_db()
        self.assertEqual(notice.views, 5)

    def test_written_at_once_when_the_interval_is_zero(self) -> None:
        notice = factories.notice(self.civil, title="浏览次数")
        self.client.get(notice.get_absolute_url())
        self.client.get(notice.get_absolute_url())
        self.assertEqual(Notice.objects.get(pk=notice.pk).views, 2)


class ListCountTests(BaseTestCase):
    def test_the_count_shown_is_the_count_of_what_the_filter_finds(self) -> None:
        """Whichever way the count is found (catalog tree or counted once), it matches."""
        for i in range(5):
            factories.notice(self.civil if i % 2 else self.finance, title=f"预算公告{i}")
        factories.notice(self.civil, title="要闻", catalog="news/highlights", kind="news")
        year = timezone.localdate().year
        node = factories.node("news").pk
        for query in ["", f"catalog={node}", "kind=news", f"catalog={node}&kind=document",
                      f"kind=nonsense&year={year}", "q=预算", f"organization={self.civil.pk}",
                      "catalog=999999", "q=+"]:  # fmt: skip
            response = self.client.get(f"/notices/?{query}")
            shown = response.context["paginator"].count
            self.assertEqual(shown, response.context["filter"].qs.count(), query)

    def test_a_filtered_count_is_bounded(self) -> None:
        for i in range(5):
            factories.notice(self.civil, title=f"要闻{i}", catalog="news/highlights", kind="news")
        with mock.patch("disclosure.filters.COUNT_CAP", 3):
            response = self.client.get("/notices/?kind=news")
        self.assertEqual(response.context["paginator"].count, 3)
        self.assertContains(response, "超过 3 条")
        self.assertEqual(len(response.context["notices"]), 3)
        # Not bounded: the catalog alone is counted from the catalog tree, exactly.
        node = factories.node("news").pk
        response = self.client.get(f"/notices/?catalog={node}")
        self.assertEqual(response.context["paginator"].count, 5)
