"""Every role × action × state through the staff URLs, generated from one table.

A cell is 302 (done), 403 (the role may never do this), 404 (the notice is
invisible to this person) or 409 (not possible in this state, or not this
person's step). The table below is the whole rule; the test asserts each cell
and that only a 302 writes an audit event and changes the state.
"""

from __future__ import annotations

from django.urls import reverse

from disclosure.models import NoticeEvent
from tests import factories
from tests.base import BaseTestCase

# The notice: 民政办, filed under 预决算 (chain: leader, then the supervision group).
STATES = ["draft", "returned", "submitted@leader", "submitted@supervisor", "approved",
          "published", "withdrawn"]  # fmt: skip
PEOPLE = ["alice", "bob", "lena", "fred", "sam", "gail", "olga", "pete"]

# --- the table ---------------------------------------------------------------------------
SEES_IT = {"alice", "lena", "sam", "gail", "olga"}  # others: 404 for everything
MAY = {  # who may ever do it to this notice (else 403)
    "submit": {"alice"},
    "approve": {"lena", "sam"},
    "return": {"lena", "sam", "olga"},
    "publish": {"olga"},
    "withdraw": {"olga"},
}
POSSIBLE_IN = {  # in which states (else 409)
    "submit": {"draft", "returned"},
    "approve": {"submitted@leader", "submitted@supervisor"},
    "return": {"submitted@leader", "submitted@supervisor", "approved"},
    "publish": {"approved"},
    "withdraw": {"published"},
}
WHOSE_TURN = {  # where a state belongs to one person (else 409)
    "submitted@leader": "lena",
    "submitted@supervisor": "sam",
    "approved": "olga",
}
POST = {
    "approve": {"confidentiality_confirmed": "on", "comment": "同意"},
    "return": {"reason": "请修改"},
    "withdraw": {"reason": "信息有误"},
}
AFTER = {
    ("submit", "draft"): "submitted", ("submit", "returned"): "submitted",
    ("approve", "submitted@leader"): "submitted", ("approve", "submitted@supervisor"): "approved",
    ("return", "submitted@leader"): "returned", ("return", "submitted@supervisor"): "returned",
    ("return", "approved"): "returned", ("publish", "approved"): "published",
    ("withdraw", "published"): "withdrawn",
}  # fmt: skip


def expected(person: str, action: str, state: str) -> int:
    if person not in SEES_IT:
        return 404
    if person not in MAY[action]:
        return 403
    if state not in POSSIBLE_IN[action]:
        return 409
    if WHOSE_TURN.get(state, person) != person:
        return 409
    return 302


class WorkflowMatrixTests(BaseTestCase):
    def test_every_cell(self) -> None:
        cells = 0
        for state in STATES:
            for action in MAY:
                for person in PEOPLE:
                    with self.subTest(person=person, action=action, state=state):
                        self.check_cell(person, action, state)
                    cells += 1
        self.assertEqual(cells, 7 * 5 * 8)

    def check_cell(self, person: str, action: str, state: str) -> None:
        notice = factories.in_state(self, state)
        before = (notice.status, NoticeEvent.objects.filter(notice=notice).count())
        self.client.force_login(getattr(self, person))
        url = reverse("admin:disclosure_notice_transition", args=[notice.pk, action])
        response = self.client.post(url, POST.get(action, {}))
        want = expected(person, action, state)
        self.assertEqual(response.status_code, want)
        notice.refresh_from_db()
        events = NoticeEvent.objects.filter(notice=notice).count()
        if want == 302:
            self.assertEqual(notice.status, AFTER[(action, state)])
            self.assertEqual(events, before[1] + 1)
        else:
            self.assertEqual((notice.status, events), before)
        if want == 409:
            self.assertContains(response, 'class="errornote"', status_code=409)

    def test_get_is_refused_and_anonymous_must_log_in(self) -> None:
        notice = factories.in_state(self, "draft")
        url = reverse("admin:disclosure_notice_transition", args=[notice.pk, "submit"])
        response = self.client.post(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(notice.events.count(), 0)

    def test_bad_input_is_shown_at_the_field_and_kept(self) -> None:
        """A return without a reason: Chinese message at the field, nothing changes."""
        notice = factories.in_state(self, "submitted@leader")
        self.client.force_login(self.lena)
        url = reverse("admin:disclosure_notice_transition", args=[notice.pk, "return"])
        response = self.client.post(url, {"reason": ""})
        self.assertContains(response, "这个字段是必填项", status_code=400)
        notice.refresh_from_db()
        self.assertEqual(notice.status, "submitted")
        response = self.client.post(
            reverse("admin:disclosure_notice_transition", args=[notice.pk, "approve"]),
            {"comment": "同意发布"},
        )  # no confidentiality confirmation at the first step
        self.assertContains(response, "保密审查", status_code=409)
        self.assertContains(response, "同意发布", status_code=409)
