"""重复申请 and 多人申请 (issue 11, item 14): the same applicant asking again for what was
answered gets a hint and the outcome (五)2 citing the earlier answer; several different
applicants asking for the same disclosable information raise the Art. 44 flag, on the
application and on the office's to-do list."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from applications import handling, matching
from applications.keys import information_key, normalise_id, same_information
from applications.models import Application
from tests.base import BaseTestCase

from .test_apply import valid_id
from .test_handling import ADMIN, application

RECEIVED = date(2026, 3, 2)
WHAT = "东坪村2025年危房改造补助明细"


def other_id(n: int) -> str:
    """Valid resident ID numbers of different people."""
    body = f"350102199003{n:02d}123"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


class KeyTests(BaseTestCase):
    def test_an_id_number_is_what_the_person_means(self) -> None:
        number = valid_id()
        self.assertEqual(normalise_id(f" {number[:6]} {number[6:].lower()} "), number.upper())
        self.assertEqual(normalise_id("３５０１０２"), "350102")

    def test_a_document_number_is_the_information_however_it_is_written(self) -> None:
        keys = {information_key(d, f) for d, f in [
            ("申请公开青政〔2026〕12号文件", ""), ("请提供青政[2026]第012号", ""),
            ("村道补助标准", "青政（2026）12号"),
        ]}  # fmt: skip
        self.assertEqual(keys, {"doc:青政〔2026〕12号"})
        self.assertNotEqual(
            information_key("青政〔2026〕13号"), information_key("青政〔2026〕12号")
        )

    def test_a_description_loses_spacing_punctuation_and_framing(self) -> None:
        self.assertEqual(information_key("请公开 东坪村2025年危房改造补助明细。"),
                         information_key("东坪村2025年危房改造补助明细的信息"))  # fmt: skip

    def test_words_alike_but_years_apart_are_different_information(self) -> None:
        def a(text: str) -> Application:
            return Application(description=text, document_number="")

        self.assertTrue(same_information(a(WHAT), a("申请公开东坪村2025年度危房改造补助的明细表")))
        self.assertFalse(same_information(a(WHAT), a("东坪村2024年危房改造补助明细")))
        self.assertFalse(same_information(a(WHAT), a("东坪村2025年低保名单")))


class RepeatHintTests(BaseTestCase):
    def setUp(self) -> None:
        self.earlier = application(self.township, received_on=RECEIVED, status="received",
                                   department=self.civil)  # fmt: skip
        handling.close(self.earlier, by=self.olga, outcome="1", details="见附件")
        # The same person, typing the number in lower case with spaces, words a bit apart.
        self.again = application(self.township, id_number=" " + valid_id().lower(),
                                 description="申请公开东坪村2025年度危房改造补助的明细表",
                                 received_on=RECEIVED, status="received")  # fmt: skip
        self.page = f"{ADMIN}{self.again.pk}/change/"

    def test_the_page_links_the_earlier_answer_and_offers_the_repeat_outcome(self) -> None:
        self.client.force_login(self.olga)
        page = self.client.get(self.page)
        self.assertContains(page, "重复申请？")
        self.assertContains(page, f'href="{ADMIN}{self.earlier.pk}/change/"')
        self.assertContains(page, f'name="close-repeat_of" value="{self.earlier.pk}"')
        response = self.client.post(f"{ADMIN}{self.again.pk}/step/close/", {
            "close-outcome": "5.2", "close-repeat_of": self.earlier.pk,
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.again.refresh_from_db()
        self.assertEqual((self.again.outcome, self.again.repeat_of), ("5.2", self.earlier))
        self.assertIn(f"（查询码 {self.earlier.tracking_code}）", self.again.reply)
        self.assertIn(
            f"本机关已于{self.earlier.closed_on:%Y年%-m月%-d日}作出答复", self.again.reply
        )
        self.assertIn("不予重复处理", self.again.reply)

    def test_it_is_found_in_one_query(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            found = matching.repeats(self.again)
        self.assertEqual(found, [self.earlier])
        self.assertEqual(len(queries), 1)

    def test_no_hint_for_another_person_another_year_or_an_abandoned_one(self) -> None:
        cases = {
            "another person": {"id_number": other_id(11), "description": WHAT},
            "another year": {"description": "东坪村2024年危房改造补助明细"},
        }
        for case, fields in cases.items():
            with self.subTest(case):
                a = application(self.township, received_on=RECEIVED, status="received",
                                **fields)  # fmt: skip
                self.assertEqual(matching.repeats(a), [])
        gave_up = application(self.township, received_on=RECEIVED, status="received",
                              id_number=other_id(8))  # fmt: skip
        handling.close(gave_up, by=None, outcome="6.2", details="")  # fee never paid
        a = application(self.township, id_number=other_id(8), received_on=RECEIVED,
                        status="received")  # fmt: skip
        self.assertEqual(matching.repeats(a), [])

    def test_a_department_sees_only_earlier_answers_it_may_open(self) -> None:
        """An earlier answer the handler may not open is not shown (its tracking code is
        the key to the applicant's file)."""
        self.again.department = self.finance
        self.again.save()
        self.client.force_login(self.bob)  # clerk of 财政所, handles the new one only
        page = self.client.get(self.page)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, self.earlier.tracking_code)

    def test_an_earlier_answer_of_someone_else_is_refused(self) -> None:
        stranger = application(self.township, id_number=other_id(9), received_on=RECEIVED,
                               status="received")  # fmt: skip
        handling.close(stranger, by=self.olga, outcome="1", details="")
        with self.assertRaises(handling.InvalidStep):
            handling.close(self.again, by=self.olga, outcome="5.2", details="",
                           repeat_of=stranger)  # fmt: skip
        with self.assertRaises(handling.InvalidStep):
            handling.close(self.again, by=self.olga, outcome="1", details="",
                           repeat_of=self.earlier)  # fmt: skip


class ProactiveFlagTests(BaseTestCase):
    """Art. 44: N different applicants (a setting, 3 by default) for the same information."""

    def ask(self, n: int, **fields) -> Application:
        data = {"id_number": other_id(n), "document_number": "青政〔2026〕12号",
                "received_on": RECEIVED, "status": "received"}  # fmt: skip
        return application(self.township, **(data | fields))

    def test_three_different_applicants_raise_it_two_do_not(self) -> None:
        first, second = self.ask(1), self.ask(2)
        self.assertEqual(matching.applicants_asking(second), 0)
        self.ask(2, description="请提供青政[2026]第12号")  # the same person again
        self.assertEqual(matching.applicants_asking(second), 0)
        third = self.ask(3, document_number="", description="申请公开青政〔2026〕12号文件")
        self.assertEqual(matching.applicants_asking(third), 3)
        self.assertEqual(matching.applicants_asking(first), 3)
        self.client.force_login(self.olga)
        page = self.client.get(f"{ADMIN}{first.pk}/change/")
        self.assertContains(page, "建议转为主动公开")
        self.assertContains(page, "已有3位不同的申请人申请过此信息")

    def test_answers_count_when_disclosed_and_stop_it_when_withheld(self) -> None:
        disclosed = self.ask(1)
        handling.close(disclosed, by=self.olga, outcome="1", details="")
        self.ask(2)
        open_one = self.ask(3)
        self.assertEqual(matching.applicants_asking(open_one), 3)
        withheld = self.ask(4)
        handling.close(withheld, by=self.olga, outcome="3.1", details="")
        self.assertEqual(matching.applicants_asking(open_one), 0)

    @override_settings(APPLICATION_PROACTIVE_APPLICANTS=2)
    def test_the_number_is_a_setting(self) -> None:
        self.ask(1)
        self.assertEqual(matching.applicants_asking(self.ask(2)), 2)

    def test_the_office_to_do_list_shows_it_the_department_does_not(self) -> None:
        rows = [self.ask(n, department=self.civil) for n in (1, 2, 3)]
        self.ask(4, status="pending", received_on=None)  # no clock yet: not a row
        other = self.ask(5, document_number="青政〔2026〕99号")
        self.client.force_login(self.olga)
        page = self.client.get("/admin/")
        section = page.content.decode().split('class="todo-queue todo-proactive"')[1]
        section = section.split("</section>")[0]
        self.assertIn("建议转为主动公开", section)
        for a in rows:
            self.assertIn(a.tracking_code, section)
        self.assertNotIn(other.tracking_code, section)
        self.client.force_login(self.alice)  # a clerk of 民政办 handles them, not the office
        self.assertNotContains(self.client.get("/admin/"), "todo-proactive")

    def test_the_queue_is_one_query_for_its_rows(self) -> None:
        for n in (1, 2, 3):
            self.ask(n)
        flagged = matching.with_proactive_flag(Application.objects.all())
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(len(list(flagged)), 3)
        self.assertEqual(len(queries), 1)

    def test_the_to_do_rows_cost_the_same_queries_however_many(self) -> None:
        """One calendar for all the rows: the office's page does not slow with the list."""
        today = date(2026, 3, 10)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                matching.proactive_candidates_for(self.olga, today, 10)
            return len(captured)

        for n in (1, 2, 3):
            self.ask(n)
        queries()  # the person's roles, read once and kept
        few = queries()
        for n in (4, 5, 6):
            self.ask(n)
        self.assertEqual(queries(), few)
