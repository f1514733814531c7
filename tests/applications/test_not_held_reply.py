"""(四)1 answers told apart (issue 11, item 7): "the information does not exist" (art.
36(4)) is not "another organ's" (art. 36(5)), and the latter names the organ and how to
reach it when known, or says explicitly that it cannot be determined."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from applications import handling
from applications.models import Application
from tests.base import BaseTestCase

from .test_handling import ADMIN, application

RECEIVED = date(2026, 3, 2)
ORGAN, CONTACT = "云溪县自然资源局", "0596-5262100，云溪县城关路8号"


class NotHeldLetterTests(BaseTestCase):
    def answer(self, **more) -> Application:
        a = application(self.township, received_on=RECEIVED, status="received")
        handling.close(a, by=self.olga, outcome="4.1", details="", **more)
        return a

    def test_another_organs_information_names_the_organ_and_its_contact(self) -> None:
        a = self.answer(not_held="elsewhere", holder_name=ORGAN, holder_contact=CONTACT)
        self.assertIn("不属于本机关负责公开的政府信息，本机关不掌握该信息", a.reply)
        self.assertIn("第三十六条第（五）项", a.reply)
        self.assertIn(f"负责公开该信息的行政机关：{ORGAN}", a.reply)
        self.assertIn(f"联系方式：{CONTACT}", a.reply)
        self.assertNotIn("不存在", a.reply)
        a.refresh_from_db()
        self.assertEqual((a.not_held, a.holder_name, a.holder_contact),
                         ("elsewhere", ORGAN, CONTACT))  # fmt: skip

    def test_an_unknown_organ_is_said_to_be_unknown(self) -> None:
        a = self.answer(not_held="unknown")
        self.assertIn("不属于本机关负责公开", a.reply)
        self.assertIn("无法确定负责公开该信息的行政机关", a.reply)
        self.assertNotIn("不存在", a.reply)

    def test_information_that_does_not_exist_reads_as_such(self) -> None:
        a = self.answer(not_held="absent")
        self.assertIn("申请的政府信息不存在", a.reply)
        self.assertIn("第三十六条第（四）项", a.reply)
        self.assertNotIn("第（五）项", a.reply)
        self.assertNotIn("不属于本机关", a.reply)

    def test_the_kind_is_required_and_a_known_organ_needs_name_and_contact(self) -> None:
        refused = [
            {},  # which (四)1 answer?
            {"not_held": "elsewhere", "holder_name": ORGAN},  # no contact
            {"not_held": "elsewhere", "holder_name": " ", "holder_contact": CONTACT},
            {"not_held": "unknown", "holder_name": ORGAN},  # named, yet "unknown"
        ]
        for more in refused:
            with self.subTest(**more):
                a = application(self.township, received_on=RECEIVED, status="received")
                with self.assertRaises(handling.InvalidStep):
                    handling.close(a, by=self.olga, outcome="4.1", details="", **more)
                a.refresh_from_db()
                self.assertEqual(a.status, "received")

    def test_an_organ_belongs_to_a_4_1_answer_only(self) -> None:
        a = application(self.township, received_on=RECEIVED, status="received")
        with self.assertRaises(handling.InvalidStep):
            handling.close(a, by=self.olga, outcome="1", details="", holder_name=ORGAN)

    def test_the_database_refuses_a_known_organ_without_its_contact(self) -> None:
        a = self.answer(not_held="unknown")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Application.objects.filter(pk=a.pk).update(not_held="elsewhere")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Application.objects.filter(pk=a.pk).update(outcome="1")  # kind of a 4.1 only


class NotHeldCloseFormTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = application(self.township, received_on=RECEIVED, status="received")
        self.step = f"{ADMIN}{self.a.pk}/step/close/"
        self.client.force_login(self.olga)

    def test_the_close_form_offers_the_three_answers(self) -> None:
        page = self.client.get(f"{ADMIN}{self.a.pk}/change/")
        self.assertContains(page, 'name="close-not_held"', count=3)
        self.assertContains(page, "负责公开的机关已知")
        self.assertContains(page, "无法确定是哪个机关")
        self.assertContains(page, 'name="close-holder_contact"')

    def test_a_missing_choice_is_said_next_to_it_and_what_was_typed_is_kept(self) -> None:
        typed = {"close-outcome": "4.1", "close-details": "经查，该补助由县里发放。"}
        response = self.client.post(self.step, typed)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请选择：该信息不存在，还是由其他机关掌握", status_code=400)
        self.assertContains(response, "经查，该补助由县里发放。", status_code=400)
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, "received")

    def test_a_known_organ_without_contact_is_refused_next_to_the_field(self) -> None:
        response = self.client.post(self.step, {"close-outcome": "4.1",
                                                "close-not_held": "elsewhere",
                                                "close-holder_name": ORGAN})  # fmt: skip
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        contact = body[body.index('id="id_close-holder_contact"') - 900 :]
        self.assertIn("负责公开的机关已知时必填", body)
        self.assertIn(ORGAN, body)  # kept
        self.assertIn("负责公开的机关已知时必填", contact)

    def test_a_complete_answer_closes_and_the_page_shows_the_organ(self) -> None:
        response = self.client.post(self.step, {"close-outcome": "4.1",
                                                "close-not_held": "elsewhere",
                                                "close-holder_name": ORGAN,
                                                "close-holder_contact": CONTACT})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.a.refresh_from_db()
        self.assertEqual((self.a.outcome, self.a.holder_name), ("4.1", ORGAN))
        page = self.client.get(f"{ADMIN}{self.a.pk}/change/")
        self.assertContains(page, ORGAN)
        self.assertContains(page, CONTACT)
        letter = self.client.get(f"{ADMIN}{self.a.pk}/letter/")
        self.assertContains(letter, f"负责公开该信息的行政机关：{ORGAN}")

    def test_organ_fields_sent_with_another_outcome_are_dropped(self) -> None:
        response = self.client.post(self.step, {"close-outcome": "1",
                                                "close-not_held": "elsewhere",
                                                "close-holder_name": ORGAN})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.a.refresh_from_db()
        self.assertEqual((self.a.outcome, self.a.not_held, self.a.holder_name), ("1", "", ""))
