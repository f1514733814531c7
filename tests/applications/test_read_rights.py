"""Who may read and who may handle an application (issue 10): the supervision and
leadership groups read every application of their township, masked, and change nothing;
whoever may not read one is told it does not exist."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from django.core.files.base import ContentFile
from django.utils import timezone

from applications import handling, staff
from applications.models import ReplyFile
from applications.permissions import applications_readable_by, can_handle, can_read
from tests.base import BaseTestCase

from .test_apply import valid_id
from .test_handling import ADMIN, application

# The rule, read across: what each person gets on an application of 青岚镇 passed to
# 民政办. "steps" is every handling POST (sent empty: a 400 means "allowed, but fill
# the form in"); "save" is the change form; letter and file belong to an answered one.
RULE = """
          list  view  steps  save  letter  file  export
alice     200   200   400    302   200     200   200     clerk of 民政办: handles it
bob       403   404   404    404   404     404   403     clerk of 财政所: not his
lena      200   200   400    302   200     200   200     leader of 民政办: handles it
fred      403   404   404    404   404     404   403     leader of 财政所: not his
olga      200   200   400    302   200     200   200     the office: handles every one
sam       200   200   403    403   200     200   200     supervision group: reads, masked
gail      200   200   403    403   200     200   200     leadership group: reads, masked
pete      200   404   404    404   404     404   200     another township's office
"""

# Which applications each person may read: one of 青岚镇 passed to 民政办, one of 青岚镇
# not passed yet, one of 白沙镇.
READABLE = """
          civil  unassigned  baisha
alice     yes    no          no
bob       no     no          no
lena      yes    no          no
fred      no     no          no
olga      yes    yes         no
sam       yes    yes         no
gail      yes    yes         no
pete      no     no          yes
"""


def table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    return header, {row[0]: row[1 : len(header) + 1] for row in rows}


class ReadRightsTests(BaseTestCase):
    def setUp(self) -> None:
        received = date(2026, 3, 2)
        self.a = application(self.township, name="李四", phone="13912345678",
                             department=self.civil, received_on=received,
                             status="received")  # fmt: skip
        self.answered = application(self.township, name="李四", phone="13912345678",
                                    department=self.civil, received_on=received,
                                    status="received")  # fmt: skip
        handling.close(self.answered, by=self.olga, outcome="1", details="请李四查收附件。")
        self.file = ReplyFile.objects.create(
            application=self.answered, file=ContentFile(b"%PDF-1.4 x", name="x.pdf"),
            original_name="补助明细.pdf", extension="pdf", content_type="application/pdf",
            size=2546,
        )  # fmt: skip

    def status(self, person, action: str) -> list[int]:
        self.client.force_login(person)
        a, closed = self.a.pk, self.answered.pk
        if action == "list":
            return [self.client.get(ADMIN).status_code]
        if action == "view":
            return [self.client.get(f"{ADMIN}{a}/change/").status_code]
        if action == "steps":
            return [self.client.post(f"{ADMIN}{a}/step/{name}/", {}).status_code
                    for name in staff.STEPS]  # fmt: skip
        if action == "save":
            data = {"files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0"}
            return [self.client.post(f"{ADMIN}{a}/change/", data).status_code]
        if action == "letter":
            return [self.client.get(f"{ADMIN}{closed}/letter/").status_code]
        if action == "file":
            return [self.client.get(f"{ADMIN}{closed}/files/{self.file.pk}/").status_code]
        return [self.client.get(f"{ADMIN}export/").status_code]

    def test_the_rule_table(self) -> None:
        """Every person of tests/base.py × list, view, each handling POST, save, letter,
        file and export: 200 (or the step's 302/400) where allowed, 403 for a reader who
        may not act, 404 for whoever may not read it."""
        header, rows = table(RULE)
        got = {}
        for name in rows:
            person = getattr(self, name)
            got[name] = [
                str(codes[0]) if len(set(codes)) == 1 else "/".join(map(str, codes))
                for codes in (self.status(person, action) for action in header)
            ]
        self.assertEqual(got, rows)

    def test_the_queryset_and_the_predicate_agree_row_by_row(self) -> None:
        """applications_readable_by(user) holds exactly what can_read(user, a) allows."""
        unassigned = application(self.township)
        baisha = application(self.other_township)
        subjects = {"civil": self.a, "unassigned": unassigned, "baisha": baisha}
        header, rows = table(READABLE)
        for name, expected in rows.items():
            person = getattr(self, name)
            readable = set(applications_readable_by(person).values_list("pk", flat=True))
            for column, want in zip(header, expected, strict=True):
                with self.subTest(person=name, application=column):
                    a = subjects[column]
                    self.assertEqual(can_read(person, a), want == "yes")
                    self.assertEqual(a.pk in readable, want == "yes")
        for reader in (self.sam, self.gail):
            self.assertFalse(any(can_handle(reader, a) for a in subjects.values()))

    def test_readers_see_masked_data_and_no_handling(self) -> None:
        self.client.force_login(self.sam)
        page = self.client.get(f"{ADMIN}{self.a.pk}/change/")
        text = page.content.decode()
        self.assertIn("李*", text)
        self.assertIn("139****5678", text)
        for secret in ("13912345678", valid_id(), "wang@example.com", "李四"):
            self.assertNotIn(secret, text)
        self.assertNotIn("workflow-button", text)  # no handling buttons
        self.assertNotIn('name="_save"', text)  # and no save
        self.assertNotIn('name="version"', text)  # nor a version token (digests of the data)
        self.assertContains(page, "不能办理")
        self.assertContains(page, "答复期限")  # the deadline
        self.assertContains(page, "办理记录")  # the events

    def test_readers_get_the_letter_masked_and_the_export_masked(self) -> None:
        self.client.force_login(self.gail)
        letter = self.client.get(f"{ADMIN}{self.answered.pk}/letter/").content.decode()
        self.assertIn("李*：", letter)
        self.assertIn("请李*查收附件。", letter)
        self.assertNotIn("李四", letter)
        sheet = load_workbook(io.BytesIO(self.client.get(f"{ADMIN}export/").content)).active
        text = "".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
        self.assertIn(self.a.tracking_code, text)
        for secret in ("13912345678", valid_id(), "李四"):
            self.assertNotIn(secret, text)

    def test_another_township_sees_nothing_of_this_one(self) -> None:
        self.client.force_login(self.pete)
        self.assertNotContains(self.client.get(ADMIN), self.a.tracking_code)
        sheet = load_workbook(io.BytesIO(self.client.get(f"{ADMIN}export/").content)).active
        self.assertEqual(sheet.max_row, 1)  # the header only

    def test_readers_dashboard_figures_count_their_township(self) -> None:
        """applications_due_readable_by: the overdue applications a reader may read."""
        today = timezone.localdate()
        overdue = application(self.township, received_on=today - timedelta(days=60),
                              status="received")  # fmt: skip
        urgent, _no_calendar = handling.applications_due_readable_by(self.sam, today)
        self.assertIn(overdue, urgent)
        self.assertEqual(handling.applications_due_for(self.sam, today), ([], []))
        self.assertEqual(handling.applications_due_readable_by(self.pete, today), ([], []))

    def test_a_refreshed_step_url_returns_to_the_application(self) -> None:
        """GET on a step (a refresh, a link) goes back to the change page; only for those
        who may read it."""
        step = f"{ADMIN}{self.a.pk}/step/close/"
        for person, expected in ((self.olga, 302), (self.sam, 302), (self.bob, 404)):
            self.client.force_login(person)
            with self.subTest(person=person.username):
                response = self.client.get(step)
                self.assertEqual(response.status_code, expected)
                if expected == 302:
                    self.assertEqual(response["Location"], f"{ADMIN}{self.a.pk}/change/")
