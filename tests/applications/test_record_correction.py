"""A record about oneself corrected (条例 art. 41; issue 11, item 14): its own public form
and its own small workflow, never an application (not counted in table 三)."""

from __future__ import annotations

import io

from PIL import Image

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.corrections import InvalidTransition, RecordCorrection
from applications.models import Application
from tests.base import BaseTestCase

from .test_apply import valid_id

FORM = "/org/qinglan/apply/record-correction/"
ADMIN = "/admin/applications/recordcorrection/"


def form(**overrides) -> dict:
    data = {
        "submission_key": "c" * 32, "requester_type": "person", "name": "王小明",
        "id_number": valid_id(), "phone": "13812341234", "email": "wang@example.com",
        "address": "", "record": "2026年东坪村低保名单",
        "inaccuracy": "名单上我的家庭人口写成2人，实际为4人。",
        "evidence": "户口簿首页和本人页", "evidence_file": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def field(response, name: str) -> str:
    """The markup of one field of the public form: its label, help, error and input."""
    parts = response.content.decode().split('<div class="field')
    return next(part for part in parts if f'name="{name}"' in part)


def png(name: str = "户口簿.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def request(township, **fields) -> RecordCorrection:
    data = {"township": township, "requester_type": "person", "name": "王小明",
            "id_number": valid_id(), "phone": "13812341234", "email": "wang@example.com",
            "record": "2026年东坪村低保名单", "inaccuracy": "家庭人口有误",
            "evidence": "户口簿"}  # fmt: skip
    return RecordCorrection.objects.create(**(data | fields))


class PublicFormTests(BaseTestCase):
    def test_the_form_is_labelled_in_chinese(self) -> None:
        page = self.client.get(FORM)
        self.assertContains(page, "申请更正与本人相关的政府信息记录")
        self.assertContains(page, '<label for="id_record">需要更正的记录')
        self.assertContains(page, 'enctype="multipart/form-data"')
        self.assertContains(page, "不是政府信息公开申请")

    def test_bad_input_is_said_next_to_the_field_and_what_was_typed_is_kept(self) -> None:
        response = self.client.post(FORM, form(id_number="350102", inaccuracy="",
                                               phone="打电话"))  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertIn("不是有效的居民身份证号", field(response, "id_number"))
        self.assertIn('aria-invalid="true"', field(response, "id_number"))
        self.assertIn("这个字段是必填项", field(response, "inaccuracy"))
        self.assertIn("请填写能联系到您的电话号码", field(response, "phone"))
        self.assertContains(response, 'value="2026年东坪村低保名单"')  # kept
        self.assertContains(response, "户口簿首页和本人页")
        self.assertFalse(RecordCorrection.objects.exists())

    def test_a_request_is_stored_with_its_evidence_and_the_receipt_shows_it_masked(self) -> None:
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(FORM, form(evidence_file=png()))
        self.assertRedirects(response, "/org/qinglan/apply/record-correction/received/",
                             fetch_redirect_response=False)  # fmt: skip
        c = RecordCorrection.objects.get()
        self.assertEqual((c.township, c.status, c.evidence_name, c.evidence_extension),
                         (self.township, "received", "户口簿.png", "png"))  # fmt: skip
        self.assertNotIn("户口簿", c.evidence_file.name)  # stored under a server-made name
        self.assertEqual(list(c.events.values_list("action", flat=True)), ["submitted"])
        self.assertIn(c.reference, mail.outbox[0].subject)
        receipt = self.client.get(response["Location"])
        self.assertContains(receipt, c.reference)
        self.assertContains(receipt, "王*")
        self.assertNotContains(receipt, "王小明")
        self.assertNotContains(receipt, valid_id())

    def test_it_is_not_an_application(self) -> None:
        """Annual-report table 三 counts applications; a correction request is not one."""
        self.client.post(FORM, form())
        self.assertEqual(RecordCorrection.objects.count(), 1)
        self.assertEqual(Application.objects.count(), 0)

    def test_a_resubmitted_form_makes_one_request(self) -> None:
        first = self.client.post(FORM, form())
        second = self.client.post(FORM, form())
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(RecordCorrection.objects.count(), 1)

    def test_only_pdf_and_pictures_are_taken_as_evidence(self) -> None:
        word = SimpleUploadedFile("证明.docx", b"PK\x03\x04 not really", content_type="x")
        response = self.client.post(FORM, form(evidence_file=word))
        self.assertIn('class="error"', field(response, "evidence_file"))
        self.assertFalse(RecordCorrection.objects.exists())


class TransitionTests(BaseTestCase):
    def setUp(self) -> None:
        self.c = request(self.township)

    def test_corrected_forwarded_or_refused_each_once_with_one_event_and_a_mail(self) -> None:
        ways = {
            "corrected": lambda c: c.correct(by=self.olga, answer="已将家庭人口更正为4人。"),
            "forwarded": lambda c: c.forward(by=self.olga, organ="云溪县民政局",
                                             contact="0596-5260101"),
            "refused": lambda c: c.refuse(by=self.olga, reason="户口簿显示家庭人口为2人。"),
        }  # fmt: skip
        for status, way in ways.items():
            with self.subTest(status):
                c = request(self.township)
                mail.outbox.clear()
                with self.captureOnCommitCallbacks(execute=True):
                    way(c)
                c.refresh_from_db()
                self.assertEqual(c.status, status)
                self.assertIsNotNone(c.decided_on)
                self.assertEqual(c.events.count(), 1)
                self.assertEqual(len(mail.outbox), 1)
                self.assertIn(c.answer, mail.outbox[0].body)
                with self.assertRaises(InvalidTransition):  # answered already: 409
                    c.refuse(by=self.olga, reason="再次处理")
        forwarded = RecordCorrection.objects.get(status="forwarded")
        self.assertIn("云溪县民政局", forwarded.answer)
        self.assertIn("0596-5260101", forwarded.answer)

    def test_only_the_office_answers(self) -> None:
        for person in (self.alice, self.sam, self.pete):
            with self.subTest(person.username), self.assertRaises(PermissionDenied):
                self.c.correct(by=person, answer="已更正")
        self.c.refresh_from_db()
        self.assertEqual((self.c.status, self.c.events.count()), ("received", 0))

    def test_an_answer_needs_its_words(self) -> None:
        with self.assertRaises(InvalidTransition):
            self.c.refuse(by=self.olga, reason="  ")
        with self.assertRaises(InvalidTransition):
            self.c.forward(by=self.olga, organ="云溪县民政局", contact="")


class StaffSideTests(BaseTestCase):
    def setUp(self) -> None:
        self.c = request(self.township, evidence_file=png(), evidence_name="户口簿.png",
                         evidence_extension="png", evidence_type="image/png")  # fmt: skip
        self.page = f"{ADMIN}{self.c.pk}/change/"

    def test_the_office_lists_reads_and_answers_it(self) -> None:
        self.client.force_login(self.olga)
        listing = self.client.get(ADMIN)
        self.assertContains(listing, self.c.reference)
        page = self.client.get(self.page)
        self.assertContains(page, "王小明")
        self.assertContains(page, "转送有权更正的机关")
        self.assertContains(page, "不计入年度报告")
        response = self.client.post(f"{ADMIN}{self.c.pk}/step/forward/",
                                    {"forward-organ": "云溪县民政局"})  # fmt: skip
        self.assertContains(response, "这个字段是必填项。", status_code=400)
        self.assertContains(response, 'value="云溪县民政局"', status_code=400)  # kept
        response = self.client.post(f"{ADMIN}{self.c.pk}/step/forward/", {
            "forward-organ": "云溪县民政局", "forward-contact": "0596-5260101",
        })  # fmt: skip
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        self.c.refresh_from_db()
        self.assertEqual(self.c.status, "forwarded")
        again = self.client.post(f"{ADMIN}{self.c.pk}/step/refuse/", {"refuse-reason": "x"})
        self.assertContains(again, "该申请已处理", status_code=409)
        download = self.client.get(f"{ADMIN}{self.c.pk}/evidence/")
        self.assertEqual(download["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertIn("attachment", download["Content-Disposition"])

    def test_the_groups_read_it_masked_and_cannot_answer(self) -> None:
        self.client.force_login(self.sam)
        page = self.client.get(self.page)
        self.assertContains(page, "王*")
        self.assertNotContains(page, "王小明")
        self.assertNotContains(page, "13812341234")
        self.assertNotContains(page, "转送有权更正的机关")
        self.assertEqual(self.client.post(f"{ADMIN}{self.c.pk}/step/correct/",
                                          {"correct-answer": "x"}).status_code, 403)  # fmt: skip
        self.assertEqual(self.client.get(f"{ADMIN}{self.c.pk}/evidence/").status_code, 403)

    def test_others_are_told_it_does_not_exist(self) -> None:
        self.client.force_login(self.pete)  # another township's office
        self.assertEqual(self.client.get(self.page).status_code, 404)
        self.assertEqual(self.client.post(f"{ADMIN}{self.c.pk}/step/correct/",
                                          {"correct-answer": "x"}).status_code, 404)  # fmt: skip
        self.assertNotContains(self.client.get(ADMIN), self.c.reference)
        self.client.force_login(self.alice)  # a department clerk: not her list
        self.assertEqual(self.client.get(ADMIN).status_code, 403)
