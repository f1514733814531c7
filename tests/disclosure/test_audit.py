"""The audit trail cannot be changed or deleted: not by the ORM, the admin, or SQL."""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from disclosure.models import ImmutableRecordError, NoticeEvent
from tests import factories
from tests.base import BaseTestCase


class AuditTrailTests(BaseTestCase):
    def setUp(self) -> None:
        self.notice = factories.in_state(self, "published", catalog="news/highlights")
        self.event = self.notice.events.first()

    def test_the_orm_refuses_changes(self) -> None:
        self.event.comment = "改写"
        with self.assertRaises(ImmutableRecordError):
            self.event.save()
        with self.assertRaises(ImmutableRecordError):
            self.event.delete()
        with self.assertRaises(ImmutableRecordError):
            NoticeEvent.objects.filter(pk=self.event.pk).update(comment="改写")
        with self.assertRaises(ImmutableRecordError):
            NoticeEvent.objects.all().delete()

    def test_the_database_refuses_update_and_delete(self) -> None:
        """A trigger on SQLite and PostgreSQL, for whatever gets past the application."""
        table = NoticeEvent._meta.db_table
        for sql in (
            f"UPDATE {table} SET comment = 'x' WHERE id = %s",
            f"DELETE FROM {table} WHERE id = %s",
        ):
            with self.subTest(sql=sql.split()[0]):
                with self.assertRaises(DatabaseError), transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(sql, [self.event.pk])
        self.assertEqual(NoticeEvent.objects.get(pk=self.event.pk).comment, self.event.comment)

    def test_a_notice_with_events_cannot_be_deleted(self) -> None:
        from django.db.models import ProtectedError

        with self.assertRaises(ProtectedError):
            self.notice.delete()

    def test_the_admin_is_read_only_even_for_superusers(self) -> None:
        from django.contrib.auth import get_user_model

        root = get_user_model().objects.create_superuser("root", password="x-password-123")
        self.client.force_login(root)
        change = reverse("admin:disclosure_noticeevent_change", args=[self.event.pk])
        self.assertNotContains(self.client.get(change), 'name="_save"')
        response = self.client.post(change, {"comment": "改写"})
        self.assertEqual(response.status_code, 403)
        delete = reverse("admin:disclosure_noticeevent_delete", args=[self.event.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("admin:disclosure_noticeevent_add")).status_code, 403
        )
        self.assertTrue(NoticeEvent.objects.filter(pk=self.event.pk).exists())

    def test_the_supervision_group_reads_the_trail(self) -> None:
        self.client.force_login(self.sam)
        response = self.client.get(reverse("admin:disclosure_noticeevent_changelist"))
        self.assertContains(response, self.notice.title)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("admin:disclosure_noticeevent_changelist"))
        self.assertEqual(response.status_code, 403)
