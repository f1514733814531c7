"""Notice rules: validation, sanitising, and the published() queryset row by row."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure.models import Notice
from tests import factories
from tests.base import BaseTestCase


class NoticeRulesTests(BaseTestCase):
    def test_body_is_sanitised_on_save(self) -> None:
        """Scripts, event handlers and javascript: links never reach the database."""
        n = factories.notice(
            self.civil,
            body='<p onclick="x()">低保<script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">链接</a><table><tr><td>1</td></tr></table>',
        )
        n.refresh_from_db()
        self.assertNotIn("script", n.body)
        self.assertNotIn("onclick", n.body)
        self.assertNotIn("javascript", n.body)
        self.assertIn("<td>1</td>", n.body)
        self.assertIn("<p>低保", n.body)

    def test_withheld_notice_needs_a_legal_reason(self) -> None:
        """依申请公开 / 不予公开 need a reason, in the form and in the database."""
        n = factories.notice(self.civil, published=False)
        n.disclosure_mode = Notice.Mode.NOT_DISCLOSED
        with self.assertRaises(ValidationError) as caught:
            n.full_clean()
        self.assertIn("non_disclosure_reason", caught.exception.message_dict)
        with self.assertRaises(IntegrityError), transaction.atomic():
            n.save()

    def test_published_notice_needs_time_and_index_number(self) -> None:
        n = factories.notice(self.civil, published=False)
        n.status = Notice.Status.PUBLISHED
        with self.assertRaises(IntegrityError), transaction.atomic():
            n.save()

    def test_index_numbers_are_unique(self) -> None:
        a = factories.notice(self.civil)
        b = factories.notice(self.civil)
        self.assertNotEqual(a.index_number, b.index_number)
        b.index_number = a.index_number
        with self.assertRaises(IntegrityError), transaction.atomic():
            b.save()

    def test_dates_and_links_are_checked(self) -> None:
        n = factories.notice(self.civil, published=False)
        n.written_date, n.formed_date = date(2026, 3, 2), date(2026, 3, 1)
        n.kind = Notice.Kind.INTERPRETATION
        n.validity = Notice.Validity.REPEALED
        with self.assertRaises(ValidationError) as caught:
            n.full_clean()
        self.assertEqual(
            set(caught.exception.message_dict),
            {"formed_date", "interprets", "validity_changed_on"},
        )

    def test_messages_are_in_chinese(self) -> None:
        n = factories.notice(self.civil, published=False)
        n.disclosure_mode = Notice.Mode.ON_APPLICATION
        with self.assertRaises(ValidationError) as caught:
            n.full_clean()
        self.assertEqual(
            caught.exception.message_dict["non_disclosure_reason"], ["请填写不主动公开的法定理由。"]
        )


class PublishedQuerySetTests(BaseTestCase):
    """published(): every combination of status × time × disclosure attribute."""

    def test_rows(self) -> None:
        now = timezone.now()
        past, future = now - timedelta(minutes=1), now + timedelta(minutes=1)
        expected_public = set()
        for status in Notice.Status.values:
            for when in (past, future):
                for mode in Notice.Mode.values:
                    reason = "" if mode == Notice.Mode.PROACTIVE else "《条例》第十五条"
                    n = factories.notice(
                        self.civil,
                        title=f"{status}-{mode}",
                        published_at=when,
                        status=status,
                        disclosure_mode=mode,
                        non_disclosure_reason=reason,
                    )
                    if status == "published" and when == past and mode == "proactive":
                        expected_public.add(n.pk)
                    with self.subTest(status=status, future=when == future, mode=mode):
                        self.assertEqual(n.is_published(now=now), n.pk in expected_public)
        self.assertEqual(
            set(Notice.objects.published(now=now).values_list("pk", flat=True)), expected_public
        )
        self.assertEqual(len(expected_public), 1)
