"""Every role × action × state through the staff URLs, generated from one table.

A cell is 302 (done), 403 (the role may never do this), 404 (the notice is
invisible to this person) or 409 (not possible in this state, or not this
person's step). The table below is the whole rule; the test asserts each cell
and that only a 302 writes an audit event and changes the state. The same table
decides the buttons each person sees on the change form (`ButtonMatrixTests`).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from disclosure import permissions
from disclosure.models import Notice, NoticeEvent
from disclosure.models.workflow import GUARDS
from disclosure.permissions import actions_for
from disclosure.staff import change_url
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

    def test_get_does_nothing_and_anonymous_must_log_in(self) -> None:
        """A refresh after a POST (a GET) changes nothing and returns to the notice."""
        notice = factories.in_state(self, "draft")
        url = reverse("admin:disclosure_notice_transition", args=[notice.pk, "submit"])
        response = self.client.post(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        self.client.force_login(self.alice)
        change = reverse("admin:disclosure_notice_change", args=[notice.pk])
        self.assertRedirects(self.client.get(url), change, fetch_redirect_response=False)
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


# --- the buttons: the same table, read from the change form ----------------------------

BUTTON = re.compile(r'class="workflow-action workflow-(\w+)"')


def buttons_on(page: str) -> set[str]:
    """The workflow actions a change form offers (定时发布 is a second 发布 button)."""
    names = {"publish" if name == "schedule" else name for name in BUTTON.findall(page)}
    return names | ({"revise"} if '/revise/"' in page else set())


class ButtonMatrixTests(BaseTestCase):
    def test_the_buttons_are_the_cells_that_succeed(self) -> None:
        """Each person sees a button exactly where the table says the POST succeeds.

        Revising is not in the table (it writes no event): alice revises a published notice.
        """
        for state in STATES:
            notice = factories.in_state(self, state)
            for person in PEOPLE:
                want = {action for action in MAY if expected(person, action, state) == 302}
                if person == "alice" and state == "published":
                    want.add("revise")
                user = get_user_model().objects.get(username=person)
                with self.subTest(person=person, state=state):
                    self.assertEqual(set(actions_for(user, notice)), want)
                    if person in SEES_IT:
                        self.client.force_login(user)
                        page = self.client.get(change_url(notice)).content.decode()
                        self.assertEqual(buttons_on(page), want)

    def test_four_eyes_cells_agree_with_the_buttons(self) -> None:
        """Where one person holds two roles, the buttons still are the POSTs that succeed.

        - lena is also a clerk and submits herself: she may not approve (403) but may
          send it back.
        - lena also sits in the supervision group and approved as leader: she may not
          approve again (403) but may send it back at the supervisors' step.
        """
        clerk = self.lena.memberships.create(organization=self.civil, role="clerk")
        own = factories.notice(self.civil, published=False, catalog="finance/budget")
        own.submit(self.lena)
        self.assertAgree(self.lena, own, approve=403, ret=302)
        clerk.delete()

        self.lena.memberships.create(organization=self.township, role="supervisor")
        twice = factories.in_state(self, "submitted@supervisor")
        self.assertAgree(self.lena, twice, approve=403, ret=302)

    def test_every_guard_names_real_predicates_and_states(self) -> None:
        """The guards name their predicates (permissions imports the model): all exist."""
        for action, guard in GUARDS.items():
            with self.subTest(action=action):
                self.assertTrue(callable(getattr(permissions, guard.may)))
                self.assertLessEqual(set(guard.sources), set(Notice.Status.values))
                for predicate, _refusal, _message in guard.refuse_when:
                    self.assertTrue(callable(getattr(permissions, predicate)))

    def assertAgree(self, user, notice: Notice, *, approve: int, ret: int) -> None:
        """The buttons are the POSTs that succeed; approve and return answer as given."""
        self.client.force_login(user)
        outcomes = {}
        for action in MAY:
            with transaction.atomic():  # each POST undone, so each meets the same notice
                url = reverse("admin:disclosure_notice_transition", args=[notice.pk, action])
                outcomes[action] = self.client.post(url, POST.get(action, {})).status_code
                transaction.set_rollback(True)
        self.assertEqual((outcomes["approve"], outcomes["return"]), (approve, ret))
        page = self.client.get(change_url(notice)).content.decode()
        self.assertEqual(buttons_on(page), {a for a, code in outcomes.items() if code == 302})
