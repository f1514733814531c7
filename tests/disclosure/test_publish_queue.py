"""The office's "ready to publish" queue holds what it can publish, and nothing else."""

from __future__ import annotations

from disclosure.models import Notice
from disclosure.permissions import notices_publishable_by
from tests import factories
from tests.base import BaseTestCase


class PublishQueueTests(BaseTestCase):
    def approved(self, title: str, **fields) -> Notice:
        return factories.notice(self.civil, title=title, published=False,
                                status=Notice.Status.APPROVED, **fields)  # fmt: skip

    def test_an_approved_proactive_notice_waits_for_the_office(self) -> None:
        notice = self.approved("低保对象名单公示")
        self.assertEqual(list(notices_publishable_by(self.olga)), [notice])

    def test_an_approved_notice_kept_on_request_is_filed_not_queued(self) -> None:
        # The publish step refuses it ("only proactively disclosed notices can be
        # published"), so listing it would leave the office a task it cannot do.
        for mode in (Notice.Mode.ON_APPLICATION, Notice.Mode.NOT_DISCLOSED):
            self.approved(f"内部文件 {mode}", disclosure_mode=mode,
                          non_disclosure_reason="《条例》第十六条")  # fmt: skip
        self.assertEqual(list(notices_publishable_by(self.olga)), [])

    def test_the_todo_page_does_not_show_it_either(self) -> None:
        self.approved("内部工作方案", disclosure_mode=Notice.Mode.ON_APPLICATION,
                      non_disclosure_reason="《条例》第十六条")  # fmt: skip
        self.client.force_login(self.olga)
        page = self.client.get("/admin/").content.decode()
        self.assertNotIn("内部工作方案", page)
