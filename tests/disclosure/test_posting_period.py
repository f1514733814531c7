"""Issue 11, item 1: a 公示 is public for its posting period in working days, then leaves
every list, search, feed, sitemap, count and the API at once, with no job, and its page
keeps only what may stay public long term."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q
from django.test import override_settings

from catalog.models import CatalogNode
from disclosure.models import Notice
from disclosure.models.posting import count_posting, recompute_postings
from disclosure.publication import next_posting_end, public_notices, public_q, public_sql
from portal.models import CalendarDay, CalendarYear, PublicVersion
from tests import factories
from tests.base import BaseTestCase

BEIJING = ZoneInfo("Asia/Shanghai")
LIST = "2026年种粮大户补贴对象名单"  # the attachment: the names posted
BODY = "<p>经实地核查，拟补贴种粮大户如下：张*明，稻谷86.5亩。</p>"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@contextmanager
def frozen(when: datetime):
    """The clock of everything that asks django.utils.timezone (the public rule, the
    public version, auto_now fields) stopped at `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def forget_2027() -> None:
    """The office has not entered 2027 yet (today is 2026-12-02), whatever a newer
    chinese-calendar knows."""
    CalendarDay.objects.filter(date__year__gte=2027).delete()
    CalendarYear.objects.filter(year__gte=2027).delete()


def enter_2027() -> None:
    """2027 as the office enters it: the year, then 元旦 on Friday 1 January."""
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕号")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", name="元旦")


class PostingTestCase(BaseTestCase):
    def publish_posting(self, when: datetime, *, catalog="key-areas/farm-subsidies", **fields):
        """A 民政办 公示 through the real transitions, published at `when`."""
        fields.setdefault("title", "青岚镇2026年种粮大户补贴对象公示")
        with frozen(when - timedelta(hours=2)):
            notice = factories.in_state(
                self, "approved", kind="publicity", catalog=catalog, body=BODY, **fields
            )
            factories.attachment(notice, name=f"{LIST}.xlsx", data=b"PK\x03\x04 names")
        with frozen(when), self.captureOnCommitCallbacks(execute=True):
            notice.publish(self.olga)  # the public version bumped after commit
        notice.refresh_from_db()
        return notice


class CountingTests(PostingTestCase):
    """Working days on the office's calendar, from the day after publication."""

    def setUp(self) -> None:
        forget_2027()

    def test_holidays_are_skipped_and_adjusted_working_days_count(self) -> None:
        # 端午 2026 is Friday 19 June: Mon 22 – Fri 26 June are the five days.
        self.assertEqual(count_posting(date(2026, 6, 18), 5), (date(2026, 6, 26), False))
        # Sunday 28 September 2025 was worked (国庆 调休): the fifth day.
        self.assertEqual(count_posting(date(2025, 9, 22), 5), (date(2025, 9, 28), False))
        # The day of publication is never counted, even published at midnight.
        self.assertEqual(count_posting(date(2026, 11, 16), 1), (date(2026, 11, 17), False))

    def test_across_the_year_end_without_2027_the_end_is_only_an_estimate(self) -> None:
        # 29, 30, 31 Dec, then 2027 counted Monday to Friday: 1, 4, 5, 6 Jan.
        self.assertEqual(count_posting(date(2026, 12, 28), 7), (date(2027, 1, 6), True))

    def test_across_the_year_end_with_2027_entered(self) -> None:
        enter_2027()
        # 元旦 is not counted: 29, 30, 31 Dec, 4, 5, 6, 7 Jan.
        self.assertEqual(count_posting(date(2026, 12, 28), 7), (date(2027, 1, 7), False))

    def test_submission_fixes_the_node_period_and_publication_counts_it(self) -> None:
        node = CatalogNode.objects.get(path="key-areas/social-assistance")
        node.posting_working_days = 10
        node.save()
        notice = self.publish_posting(at("2026-11-16 10:00"), catalog=node.path)
        self.assertEqual(notice.posting_working_days, 10)  # fixed at submission
        self.assertEqual(notice.posting_ends_on, date(2026, 11, 30))
        self.assertIsNone(notice.posting_end_estimate)
        self.assertIn("posting_working_days", Notice.CONTENT_FIELDS)  # what reviewers hash

    def test_a_notice_s_own_period_wins_over_its_node(self) -> None:
        notice = self.publish_posting(at("2026-11-16 10:00"), posting_working_days=3)
        self.assertEqual(notice.posting_ends_on, date(2026, 11, 19))

    def test_only_a_publicity_has_an_end(self) -> None:
        with frozen(at("2026-11-16 08:00")):
            notice = factories.in_state(self, "approved", kind="announcement")
        with frozen(at("2026-11-16 10:00")):
            notice.publish(self.olga)
        notice.refresh_from_db()
        self.assertIsNone(notice.posting_ends_on)
        with frozen(at("2030-01-01 00:00")):
            self.assertTrue(notice.is_published())


class YearWithoutCalendarTests(PostingTestCase):
    """Published 2026-12-28 while 2027 is not entered: never refused, never shortened."""

    def setUp(self) -> None:
        forget_2027()
        self.notice = self.publish_posting(at("2026-12-28 10:00"))

    def test_published_with_an_estimate_and_no_end(self) -> None:
        self.assertEqual(self.notice.status, "published")
        self.assertIsNone(self.notice.posting_ends_on)
        self.assertEqual(self.notice.posting_end_estimate, date(2027, 1, 6))

    def test_staff_see_it_pending(self) -> None:
        with frozen(at("2026-12-29 09:00")):
            self.client.force_login(self.olga)
            page = self.client.get(f"/admin/disclosure/notice/{self.notice.pk}/change/")
        self.assertContains(page, "待定")
        self.assertContains(page, "2027-01-06")
        self.assertContains(page, "2027年")

    def test_the_estimate_never_takes_it_down(self) -> None:
        # A weekday count misses 元旦: the real end is a day later. Still public after it.
        with frozen(at("2027-01-09 12:00")):
            self.assertTrue(public_notices(None).filter(pk=self.notice.pk).exists())
            self.assertContains(self.client.get("/notices/"), self.notice.title)
            self.assertIsNone(next_posting_end(at("2027-01-09 12:00")))

    def test_entering_2027_counts_the_real_end(self) -> None:
        with frozen(at("2027-01-04 09:00")), self.captureOnCommitCallbacks(execute=True):
            enter_2027()  # the year, then its holiday, in one transaction (sync_holidays)
        self.notice.refresh_from_db()
        self.assertEqual(self.notice.posting_ends_on, date(2027, 1, 7))
        self.assertIsNone(self.notice.posting_end_estimate)
        self.assertEqual(PublicVersion.objects.get().next_change_at, at("2027-01-08 00:00"))
        with frozen(at("2027-01-07 23:59:59")):
            self.assertTrue(self.notice.is_published())
        with frozen(at("2027-01-08 00:00")):
            self.assertFalse(self.notice.is_published())

    def test_a_holiday_entered_later_moves_the_end(self) -> None:
        with frozen(at("2027-01-04 09:00")):
            with self.captureOnCommitCallbacks(execute=True):
                CalendarYear.objects.create(year=2027)  # the office adds the year first
            self.notice.refresh_from_db()
            self.assertEqual(self.notice.posting_ends_on, date(2027, 1, 6))
            with self.captureOnCommitCallbacks(execute=True):
                CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", name="元旦")
        self.notice.refresh_from_db()
        self.assertEqual(self.notice.posting_ends_on, date(2027, 1, 7))

    def test_a_real_end_already_past_takes_it_down_at_once(self) -> None:
        with frozen(at("2027-01-11 09:00")):
            with self.captureOnCommitCallbacks(execute=True):
                enter_2027()
            self.assertFalse(public_notices(None).filter(pk=self.notice.pk).exists())
            self.assertNotContains(self.client.get("/notices/"), self.notice.title)

    def test_an_ended_posting_is_not_put_back_by_a_later_calendar_edit(self) -> None:
        enter_2027()
        with frozen(at("2027-01-11 09:00")):
            recompute_postings()
        ended = self.notice.posting_ends_on = date(2027, 1, 7)
        Notice.objects.filter(pk=self.notice.pk).update(posting_ends_on=ended)
        with frozen(at("2027-01-11 09:00")):
            CalendarDay.objects.create(date=date(2027, 1, 5), kind="holiday", name="本地假日")
            self.assertEqual(recompute_postings([2027]), 0)
        self.notice.refresh_from_db()
        self.assertEqual(self.notice.posting_ends_on, ended)


class LeavingAtOnceTests(PostingTestCase):
    """Published Monday 2026-11-16: 7 working days end Wednesday 25 November. At
    23:59:59 it is everywhere; at 00:00:00 on the 26th it is nowhere, no job run."""

    LAST_SECOND = at("2026-11-25 23:59:59")
    FIRST_SECOND_AFTER = at("2026-11-26 00:00:00")

    def setUp(self) -> None:
        self.notice = self.publish_posting(at("2026-11-16 10:00"))
        self.page = f"/notices/{self.notice.pk}/"
        self.download = f"/notices/{self.notice.pk}/attachments/{self.notice.attachments.get().pk}/"

    def everywhere(self) -> dict[str, bool]:
        found = {
            url: self.page in self.client.get(url).content.decode()
            for url in ("/", "/notices/", "/search/?q=种粮大户", "/feeds/notices/rss/",
                        "/feeds/notices/atom/", "/catalog/key-areas/farm-subsidies/",
                        "/api/notices/")
        }  # fmt: skip
        found["/sitemap-notices.xml"] = (
            self.page in self.client.get("/sitemap-notices.xml").content.decode()
        )
        found["api detail"] = self.client.get(f"/api/notices/{self.notice.pk}/").status_code == 200
        catalog = self.client.get("/api/catalog/").json()["catalog"]
        areas = next(node for node in catalog if node["path"] == "key-areas")
        found["catalog count"] = areas["count"] == 1
        found["download"] = self.client.get(self.download).status_code == 200
        return found

    def test_the_end_is_the_next_scheduled_change(self) -> None:
        self.assertEqual(self.notice.posting_ends_on, date(2026, 11, 25))
        self.assertEqual(PublicVersion.objects.get().next_change_at, self.FIRST_SECOND_AFTER)

    def test_public_until_the_last_second_gone_at_the_first_after(self) -> None:
        with frozen(self.LAST_SECOND):
            before = self.everywhere()
            version = PublicVersion.objects.get().version
            self.assertContains(self.client.get(self.page), LIST)
        self.assertEqual(before, dict.fromkeys(before, True))
        with frozen(self.FIRST_SECOND_AFTER):
            after = self.everywhere()
        self.assertEqual(after, dict.fromkeys(after, False))
        # Nothing ran in between but requests: the first one after the end bumped it.
        self.assertNotEqual(PublicVersion.objects.get().version, version)

    def test_the_summary_page_keeps_title_organisation_and_dates_only(self) -> None:
        with frozen(self.FIRST_SECOND_AFTER):
            response = self.client.get(self.page)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(self.notice.title, html)
        self.assertIn("公示期已满", html)
        self.assertIn("青岚镇民政办公室", html)
        self.assertIn("2026-11-25", html)
        self.assertIn(self.notice.index_number, html)
        for hidden in ("张*明", "86.5", LIST, "/attachments/", "摘要"):
            self.assertNotIn(hidden, html)
        self.assertIn('name="robots" content="noindex"', html)

    def test_a_node_that_keeps_nothing_answers_410_naming_nothing(self) -> None:
        CatalogNode.objects.filter(path="key-areas").update(after_posting="withdrawn")
        with frozen(self.FIRST_SECOND_AFTER):
            response = self.client.get(self.page)
            self.assertEqual(self.client.get(self.download).status_code, 404)
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "公示期已满", status_code=410)
        self.assertNotContains(response, self.notice.title, status_code=410)
        self.assertNotContains(response, LIST, status_code=410)

    @override_settings(POSTING_AFTER_END="withdrawn")
    def test_the_site_default_decides_where_no_node_says(self) -> None:
        with frozen(self.FIRST_SECOND_AFTER):
            self.assertEqual(self.client.get(self.page).status_code, 410)

    def test_staff_still_preview_everything_with_the_state_said(self) -> None:
        self.client.force_login(self.alice)
        with frozen(self.FIRST_SECOND_AFTER):
            preview = self.client.get(f"/admin/disclosure/notice/{self.notice.pk}/preview/")
        self.assertContains(preview, "张*明")
        self.assertContains(preview, "公示期已满")

    def test_the_public_rule_is_read_from_the_list_and_count_indexes_alone(self) -> None:
        """A time-dependent rule cannot be a partial index's condition: every column it
        reads is in the list index and in both count indexes, so the counts (per node, per
        organisation) and a page's ids never read a notice row."""

        def columns(q: Q) -> set[str]:
            found: set[str] = set()
            for child in q.children:
                found |= columns(child) if isinstance(child, Q) else {child[0].split("__")[0]}
            return found

        rule = columns(public_q(self.FIRST_SECOND_AFTER))
        self.assertIn("posting_ends_on", rule)
        indexes = {index.name: set(index.fields) for index in Notice._meta.indexes}
        self.assertLessEqual(rule, indexes["notice_public_list_posting"])
        self.assertLessEqual(rule | {"catalog_node"}, indexes["notice_node_public_posting"])
        self.assertLessEqual(
            rule | {"organization", "catalog_node"}, indexes["notice_org_public_posting"]
        )


class RuleSpellingsAgreeTests(PostingTestCase):
    """The posting end in the public rule's three spellings (filter, instance, SQL)."""

    def test_they_agree_on_every_end_around_the_day(self) -> None:
        now = at("2026-11-26 00:00:00")
        ends = {"none": None, "yesterday": date(2026, 11, 25), "today": date(2026, 11, 26),
                "tomorrow": date(2026, 11, 27)}  # fmt: skip
        ids = {}
        for name, end in ends.items():
            with frozen(at("2026-11-16 08:00")):
                notice = factories.notice(self.civil, kind="publicity", title=name,
                                          published_at=at("2026-11-16 10:00"))  # fmt: skip
            Notice.objects.filter(pk=notice.pk).update(posting_ends_on=end)
            ids[name] = notice.pk
        public = {name for name, pk in ids.items()
                  if Notice.objects.filter(public_q(now), pk=pk).exists()}  # fmt: skip
        self.assertEqual(public, {"none", "today", "tomorrow"})
        instances = {n.title for n in Notice.objects.filter(pk__in=ids.values())
                     if n.is_public_at(now)}  # fmt: skip
        self.assertEqual(instances, public)
        sql, params = public_sql(now)
        table = connection.ops.quote_name(Notice._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {table}.title FROM {table} WHERE {sql}", params)
            self.assertEqual({row[0] for row in cursor.fetchall()}, public)
        ended = set(Notice.objects.posting_ended(now).values_list("title", flat=True))
        self.assertEqual(ended, {"yesterday"})
