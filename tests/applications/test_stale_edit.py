"""Two people handle one application (issue 10): a save based on a stale page is refused
with what changed, nothing typed is lost, and saving again after reading it goes through."""

from __future__ import annotations

import re
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import handling
from applications.models import ReplyFile
from applications.stale import token_for, what_changed
from catalog.models import Membership
from tests.base import BaseTestCase

from .test_handling import ADMIN, application

DETAILS = "所需信息见附件《2025年危房改造补助明细》，共3页。"


def token(page, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page.content.decode()).group(1)


class StaleStepTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = application(self.township, department=self.civil,
                             received_on=date(2026, 3, 2), status="received")  # fmt: skip
        self.change = f"{ADMIN}{self.a.pk}/change/"
        self.close = f"{ADMIN}{self.a.pk}/step/close/"
        self.lena.first_name = "周明辉"
        self.lena.save()

    def answer(self, version: str):
        return self.client.post(self.close, {"close-outcome": "1", "close-details": DETAILS,
                                             "close-version": version})  # fmt: skip

    def test_a_step_from_a_stale_page_is_refused_with_what_changed(self) -> None:
        self.client.force_login(self.olga)
        old = token(self.client.get(self.change), "close-version")
        # Meanwhile 民政办's leader passes it on to 财政所.
        handling.assign(self.a, by=self.lena, department=self.finance)
        response = self.answer(old)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "未保存", status_code=409)
        self.assertContains(response, "周明辉：转交承办部门", status_code=409)  # who, what
        self.assertContains(response, "有变动的内容：承办部门", status_code=409)  # which field
        self.assertContains(response, DETAILS, status_code=409)  # what was typed is kept
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, "received")
        fresh = token(response, "close-version")
        self.assertNotEqual(fresh, old)
        # Having read it, the office answers after all.
        self.assertEqual(self.answer(fresh).status_code, 302)
        self.a.refresh_from_db()
        self.assertEqual((self.a.status, self.a.outcome), ("closed", "1"))

    def test_a_page_that_is_still_current_goes_through(self) -> None:
        self.client.force_login(self.olga)
        current = token(self.client.get(self.change), "close-version")
        self.assertEqual(self.answer(current).status_code, 302)

    def test_a_forged_token_is_refused_and_none_is_not_checked(self) -> None:
        """No token: an old page or a script, and the step still checks the state."""
        self.client.force_login(self.olga)
        self.assertContains(self.answer("forged"), "已过期", status_code=409)
        self.assertEqual(self.answer("").status_code, 302)

    def test_the_comparison_runs_under_the_lock(self) -> None:
        self.client.force_login(self.olga)
        current = token(self.client.get(self.change), "close-version")
        with CaptureQueriesContext(connection) as queries:
            self.answer(current)
        if connection.features.has_select_for_update:
            first_lock = next(i for i, q in enumerate(queries) if "FOR UPDATE" in q["sql"])
            events = [i for i, q in enumerate(queries) if "applicationevent" in q["sql"]]
            self.assertLess(first_lock, events[0])  # locked before the version is read
        # SQLite: transaction_mode="IMMEDIATE" takes the write lock at BEGIN instead.

    def test_what_changed_says_nothing_when_nothing_did(self) -> None:
        self.assertEqual(what_changed(token_for(self.a), self.a), [])
        self.assertEqual(what_changed(None, self.a), [])


class StaleChangeFormTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = application(self.township, received_on=date(2026, 3, 2), status="received")
        self.change = f"{ADMIN}{self.a.pk}/change/"

    def save(self, version: str, name: str = "补助明细.pdf"):
        upload = SimpleUploadedFile(name, b"%PDF-1.4 list", content_type="application/pdf")
        return self.client.post(self.change, {
            "version": version, "files-TOTAL_FORMS": "1", "files-INITIAL_FORMS": "0",
            "files-0-file": upload, "files-0-application": str(self.a.pk),
        })  # fmt: skip

    def test_uploading_from_a_stale_page_is_refused_then_goes_through(self) -> None:
        self.client.force_login(self.olga)
        old = token(self.client.get(self.change), "version")
        handling.extend(self.a, by=self.olga, days=10, reason="需调取档案",
                        approved_by=self.office_head(), today=date(2026, 3, 3))  # fmt: skip
        response = self.save(old)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "未保存")
        self.assertContains(response, "延长答复期限")
        self.assertContains(response, "重新选择")  # a browser cannot keep a chosen file
        self.assertFalse(ReplyFile.objects.exists())
        self.assertEqual(self.save(token(response, "version")).status_code, 302)
        self.assertEqual(ReplyFile.objects.get().original_name, "补助明细.pdf")

    def test_a_file_added_by_someone_else_is_named(self) -> None:
        self.client.force_login(self.olga)
        old = token(self.client.get(self.change), "version")
        self.assertEqual(self.save(token(self.client.get(self.change), "version"),
                               name="第一份.pdf").status_code, 302)  # fmt: skip
        response = self.save(old, name="第二份.pdf")
        self.assertContains(response, "第一份.pdf")
        self.assertEqual(ReplyFile.objects.count(), 1)

    def office_head(self):
        Membership.objects.create(user=self.fred, organization=self.office, role="leader")
        return self.fred
