"""Each transition on the model: legal and illegal, four eyes, chains, revisions, events."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from disclosure.models import Notice, NoticeEvent
from disclosure.models.workflow import InvalidTransition
from tests import factories
from tests.base import BaseTestCase


class WorkflowTests(BaseTestCase):
    def draft(self, **fields) -> Notice:
        return factories.notice(self.civil, published=False, **fields)

    def test_the_whole_way_with_the_supervision_group(self) -> None:
        """财务收支: the leader approves (保密审查), supervisors co-sign, the office publishes."""
        n = self.draft(catalog="finance/budget")
        n.submit(self.alice)
        self.assertEqual(
            (n.status, n.review_chain, n.review_role),
            ("submitted", ["leader", "supervisor"], "leader"),
        )
        n.approve(self.lena, confidentiality_confirmed=True, comment="同意")
        self.assertEqual((n.status, n.review_role), ("submitted", "supervisor"))
        self.assertEqual(n.confidentiality_reviewed_by, self.lena)
        n.approve(self.sam)
        self.assertEqual(n.status, "approved")
        n.publish(self.olga)
        self.assertTrue(n.is_published())
        self.assertRegex(n.index_number, r"^11350925003580712K/\d{4}-\d{5}$")
        actions = list(
            n.events.values_list("action", "actor__username", "old_status", "new_status")
        )
        self.assertEqual(
            actions,
            [
                ("submitted", "alice", "draft", "submitted"),
                ("approved", "lena", "submitted", "submitted"),
                ("approved", "sam", "submitted", "approved"),
                ("published", "olga", "approved", "published"),
            ],
        )
        first_approval = n.events.get(action="approved", actor=self.lena)
        self.assertTrue(first_approval.confidentiality_confirmed)
        self.assertEqual(first_approval.comment, "同意")

    def test_major_decisions_go_through_the_leadership_group(self) -> None:
        n = self.draft(catalog="decisions/results")
        n.submit(self.alice)
        self.assertEqual(n.review_chain, ["leader", "leadership"])
        n.approve(self.lena, confidentiality_confirmed=True)
        with self.assertRaises(PermissionDenied):
            n.approve(self.sam)  # the supervision group has no step in this chain
        n.approve(self.gail)
        self.assertEqual(n.status, "approved")

    def test_a_plain_node_needs_only_the_leader(self) -> None:
        n = self.draft(catalog="news/highlights")
        n.submit(self.alice)
        n.approve(self.lena, confidentiality_confirmed=True)
        self.assertEqual(n.status, "approved")

    def test_the_first_step_requires_the_confidentiality_review(self) -> None:
        n = self.draft(catalog="news/highlights")
        n.submit(self.alice)
        with self.assertRaisesMessage(InvalidTransition, "保密审查"):
            n.approve(self.lena)
        n.refresh_from_db()
        self.assertEqual((n.status, n.events.count()), ("submitted", 1))

    def test_nobody_approves_their_own_submission(self) -> None:
        """Four eyes: lena is also a clerk here, submits, and may not approve it."""
        factories_membership = self.lena.memberships.create(organization=self.civil, role="clerk")
        self.addCleanup(factories_membership.delete)
        n = self.draft(catalog="news/highlights")
        n.submit(self.lena)
        with self.assertRaises(PermissionDenied):
            n.approve(self.lena, confidentiality_confirmed=True)

    def test_nobody_approves_twice_in_one_chain(self) -> None:
        """lena holds the supervision role too, but has already approved as leader."""
        self.sam.memberships.all().delete()
        membership = self.lena.memberships.create(organization=self.township, role="supervisor")
        self.addCleanup(membership.delete)
        n = self.draft(catalog="finance/budget")
        n.submit(self.alice)
        n.approve(self.lena, confidentiality_confirmed=True)
        with self.assertRaisesMessage(PermissionDenied, "已经审核"):
            n.approve(self.lena)

    def test_return_needs_a_reason_and_goes_back_to_the_author(self) -> None:
        n = self.draft(catalog="finance/budget")
        n.submit(self.alice)
        with self.assertRaises(InvalidTransition):
            n.return_for_changes(self.lena, reason="  ")
        n.return_for_changes(self.lena, reason="金额与附件不符")
        self.assertEqual((n.status, n.review_role), ("returned", ""))
        self.assertEqual(n.events.last().comment, "金额与附件不符")
        n.title = "改正后的标题"
        n.save()
        n.submit(self.alice)  # a new round: the confidentiality review is due again
        self.assertIsNone(n.confidentiality_reviewed_at)
        self.assertEqual(n.events.count(), 3)

    def test_the_office_can_return_an_approved_notice(self) -> None:
        n = factories.in_state(self, "approved", catalog="news/highlights")
        n.return_for_changes(self.olga, reason="发布前发现错别字")
        self.assertEqual(n.status, "returned")

    def test_publish_later_is_public_at_that_time(self) -> None:
        n = factories.in_state(self, "approved", catalog="news/highlights")
        at = timezone.now() + timedelta(days=2)
        n.publish(self.olga, at=at)
        self.assertEqual(n.events.last().action, "scheduled")
        self.assertFalse(n.is_published())
        self.assertTrue(n.is_published(now=at + timedelta(seconds=1)))

    def test_no_back_dating(self) -> None:
        n = factories.in_state(self, "approved", catalog="news/highlights")
        with self.assertRaises(InvalidTransition):
            n.publish(self.olga, at=timezone.now() - timedelta(days=30))

    def test_withheld_notices_are_never_published(self) -> None:
        n = factories.in_state(
            self,
            "approved",
            catalog="news/highlights",
            disclosure_mode="not_disclosed",
            non_disclosure_reason="《条例》第十五条",
        )
        with self.assertRaises(InvalidTransition):
            n.publish(self.olga)

    def test_withdraw_keeps_the_index_number_and_records_the_reason(self) -> None:
        n = factories.in_state(self, "published", catalog="news/highlights")
        number = n.index_number
        n.withdraw(self.olga, reason="数据有误")
        n.refresh_from_db()
        self.assertEqual(
            (n.status, n.index_number, n.withdrawal_reason), ("withdrawn", number, "数据有误")
        )
        with self.assertRaises(InvalidTransition):
            n.withdraw(self.olga, reason="again")

    def test_states_refuse_what_is_not_possible(self) -> None:
        n = self.draft(catalog="news/highlights")
        for action, call in [
            ("approve", lambda: n.approve(self.lena, confidentiality_confirmed=True)),
            ("publish", lambda: n.publish(self.olga)),
            ("withdraw", lambda: n.withdraw(self.olga, reason="x")),
            ("return", lambda: n.return_for_changes(self.lena, reason="x")),
        ]:
            with self.subTest(action=action), self.assertRaises(InvalidTransition):
                call()
        self.assertFalse(n.events.exists())

    def test_wrong_roles_are_refused(self) -> None:
        n = self.draft(catalog="news/highlights")
        for who in (self.bob, self.lena, self.olga, self.sam):
            with self.subTest(who=who.username), self.assertRaises(PermissionDenied):
                n.submit(who)
        n.submit(self.alice)
        for who in (self.fred, self.alice, self.pete):
            with self.subTest(who=who.username), self.assertRaises(PermissionDenied):
                n.approve(who, confidentiality_confirmed=True)

    def test_events_hash_the_content_that_was_approved(self) -> None:
        n = self.draft(catalog="news/highlights")
        n.submit(self.alice)
        submitted = n.events.get().content_hash
        self.assertEqual(len(submitted), 64)
        self.assertEqual(submitted, n.content_hash())
        factories.attachment(n, data=b"%PDF-1.4 another")
        self.assertNotEqual(submitted, n.content_hash())

    def test_mail_goes_to_the_next_person_after_commit(self) -> None:
        n = self.draft(catalog="finance/budget")
        with self.captureOnCommitCallbacks(execute=True):
            n.submit(self.alice)
        self.assertEqual(mail.outbox[-1].to, ["lena@example.gov.cn"])
        with self.captureOnCommitCallbacks(execute=True):
            n.approve(self.lena, confidentiality_confirmed=True)
        self.assertEqual(mail.outbox[-1].to, ["sam@example.gov.cn"])
        with self.captureOnCommitCallbacks(execute=True):
            n.approve(self.sam)
        self.assertEqual(mail.outbox[-1].to, ["olga@example.gov.cn"])
        self.assertIn(n.title, mail.outbox[-1].subject)
        self.assertIn(f"/admin/disclosure/notice/{n.pk}/change/", mail.outbox[-1].body)

    def test_an_interpretation_needs_its_document_before_submission(self) -> None:
        n = self.draft(catalog="documents/interpretations", kind="document")
        Notice.objects.filter(pk=n.pk).update(kind="interpretation")
        n.refresh_from_db()
        with self.assertRaisesMessage(InvalidTransition, "政策解读"):
            n.submit(self.alice)


class RevisionTests(BaseTestCase):
    def setUp(self) -> None:
        self.original = factories.in_state(
            self,
            "published",
            catalog="news/highlights",
            title="原标题",
            body="<p>原正文</p>",
        )
        factories.attachment(self.original, name="原附件.pdf")

    def test_the_public_sees_the_published_version_until_the_revision_is_published(self) -> None:
        revision = self.original.start_revision(self.alice)
        self.assertEqual(self.original.start_revision(self.alice), revision)  # one at a time
        revision.title, revision.body = "更正后的标题", "<p>更正后的正文</p>"
        revision.save()
        revision.attachments.all().delete()
        factories.attachment(revision, name="更正附件.pdf")
        page = self.client.get(self.original.get_absolute_url())
        self.assertContains(page, "原标题")
        self.assertNotContains(page, "更正后的标题")
        self.assertEqual(self.client.get(f"/notices/{revision.pk}/").status_code, 404)

        revision.submit(self.alice)
        revision.approve(self.lena, confidentiality_confirmed=True)
        revision.publish(self.olga)

        self.original.refresh_from_db()
        self.assertEqual(self.original.title, "更正后的标题")
        page = self.client.get(self.original.get_absolute_url())
        self.assertContains(page, "更正后的正文")
        self.assertContains(page, "更正附件")
        self.assertNotContains(page, "原附件")
        self.assertContains(page, "修订记录")
        self.assertEqual(self.original.events.last().action, "revised")
        corrections = self.client.get("/notices/withdrawn/")
        self.assertContains(corrections, "更正后的标题")
        self.assertEqual(Notice.objects.published().count(), 1)

    def test_a_revision_cannot_be_scheduled(self) -> None:
        revision = self.original.start_revision(self.alice)
        revision.submit(self.alice)
        revision.approve(self.lena, confidentiality_confirmed=True)
        with self.assertRaises(InvalidTransition):
            revision.publish(self.olga, at=timezone.now() + timedelta(days=1))

    def test_only_the_author_side_starts_a_revision(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.original.start_revision(self.olga)


class WithdrawnPageTests(BaseTestCase):
    def test_withdrawn_notice_answers_410_with_reason_and_date(self) -> None:
        n = factories.in_state(self, "published", catalog="news/highlights", title="将被撤回的通知")
        file = factories.attachment(n)
        n.withdraw(self.olga, reason="附件含未脱敏信息")
        response = self.client.get(n.get_absolute_url())
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "附件含未脱敏信息", status_code=410)
        self.assertContains(
            response, timezone.localtime(n.withdrawn_at).strftime("%Y-%m-%d"), status_code=410
        )
        self.assertEqual(self.client.get(file.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get("/notices/"), "将被撤回的通知")
        log = self.client.get("/notices/withdrawn/")
        self.assertContains(log, "将被撤回的通知")
        self.assertContains(log, "附件含未脱敏信息")

    def test_events_are_recorded_for_every_step(self) -> None:
        n = factories.in_state(self, "withdrawn", catalog="news/highlights")
        self.assertEqual(
            list(NoticeEvent.objects.filter(notice=n).values_list("action", flat=True)),
            ["submitted", "approved", "published", "withdrawn"],
        )
