"""Tracking by code: what it shows, what it hides, and guessing is rate-limited."""

from __future__ import annotations

import math
from collections import Counter

from django.core.files.base import ContentFile
from django.test import override_settings

from applications import handling
from applications.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Application,
    ReplyFile,
    new_tracking_code,
    normalise_tracking_code,
)
from tests.base import BaseTestCase

from .test_apply import APPLY, form, valid_id

TRACK = "/org/qinglan/apply/track/"


def test_tracking_codes_carry_at_least_80_bits_and_read_aloud() -> None:
    """16 symbols from 32 (no I, L, O, U): 80 bits; 20,000 codes, no repeat, all symbols used."""
    assert CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 80
    assert not set("ILOU") & set(CODE_ALPHABET)
    codes = [new_tracking_code() for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    symbols = Counter("".join(codes).replace("-", ""))
    assert set(symbols) == set(CODE_ALPHABET)
    expected = 20_000 * 16 / 32
    assert all(abs(n - expected) < expected * 0.1 for n in symbols.values())


def test_what_people_type_is_forgiven() -> None:
    assert normalise_tracking_code(" abcd efgh-jkmn pqrs ") == "ABCD-EFGH-JKMN-PQRS"
    assert normalise_tracking_code("0O1I-L000-0000-0000") == "0011-1000-0000-0000"


class TrackingTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.post(APPLY, form())
        self.application = Application.objects.get()

    def test_the_code_shows_status_and_masked_data_only(self) -> None:
        response = self.client.post(TRACK, {"code": self.application.tracking_code.lower()})
        self.assertContains(response, "待确认收到")
        self.assertContains(response, "王*明")
        self.assertContains(response, "35*************")
        self.assertContains(response, "138****1234")
        self.assertNotContains(response, valid_id())
        self.assertNotContains(response, "13812341234")
        self.assertContains(response, "提交申请")

    def test_the_code_is_never_taken_from_the_url(self) -> None:
        response = self.client.get(TRACK, {"code": self.application.tracking_code})
        self.assertNotContains(response, "王*明")

    def test_a_wrong_code_says_so_at_the_field(self) -> None:
        response = self.client.post(TRACK, {"code": "AAAA-BBBB-CCCC-DDDD"})
        self.assertContains(response, "没有找到该查询码对应的申请")
        self.assertContains(response, 'value="AAAA-BBBB-CCCC-DDDD"')

    @override_settings(TRACK_RATE_LIMIT=5)
    def test_repeated_wrong_codes_are_rate_limited(self) -> None:
        for _ in range(5):
            self.client.post(TRACK, {"code": new_tracking_code()})
        response = self.client.post(TRACK, {"code": self.application.tracking_code})
        self.assertEqual(response.status_code, 429)
        self.assertNotContains(response, "王*明", status_code=429)


class ReplyFileTests(BaseTestCase):
    def test_files_provided_download_only_after_looking_the_code_up(self) -> None:
        self.client.post(APPLY, form())
        a = Application.objects.get()
        item = ReplyFile.objects.create(
            application=a, file=ContentFile(b"%PDF-1.4 list", name="x.pdf"),
            original_name="补助明细.pdf", extension="pdf", content_type="application/pdf", size=13,
        )  # fmt: skip
        url = f"/apply/files/{item.pk}/"
        self.assertEqual(self.client.get(url).status_code, 404)  # not answered, not looked up
        handling.close(a, by=self.olga, outcome="1", details="见附件")
        other = self.client_class()
        self.assertEqual(other.get(url).status_code, 404)  # a stranger without the code
        page = self.client.post(TRACK, {"code": a.tracking_code})
        self.assertContains(page, "补助明细.pdf")
        response = self.client.get(url)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 list")


class FeeOnTheTrackingPageTests(BaseTestCase):
    """Issue 11: the fee notice in full (basis, standard, amount, date, how to pay), 待定
    while the last day to pay cannot be known, never "None"."""

    def setUp(self) -> None:
        from datetime import date

        self.client.post(APPLY, form())
        self.a = Application.objects.get()
        handling.confirm_receipt(self.a, by=self.olga, on=date(2026, 11, 2))
        self.site.fee_payment = "户名：青岚镇财政所；账号：9070 1234 5678"
        self.site.save()
        self.notice_on = date(2026, 11, 20)

    def page(self) -> str:
        return self.client.post(TRACK, {"code": self.a.tracking_code}).content.decode()

    def test_the_notice_and_its_date(self) -> None:
        handling.send_fee_notice(self.a, by=self.olga, method="page", units=31,
                                 today=self.notice_on)  # fmt: skip
        page = self.page()
        self.assertIn("10元，请于2026-12-18前缴纳", page)
        for piece in ["国办函〔2020〕109号", "按量计收", "第31页：1页 × 10元 = 10元",
                      "即2026年12月18日（含当日）前", "户名：青岚镇财政所"]:  # fmt: skip
            self.assertIn(piece, page)
        handling.fee_paid(self.a, by=self.olga, on=self.notice_on)
        self.assertIn("10元，已于2026-11-20缴纳", self.page())

    def test_a_date_not_known_yet_is_tbd(self) -> None:
        from datetime import date

        from portal.models import CalendarDay, CalendarYear

        CalendarDay.objects.filter(date__year__gte=2027).delete()
        CalendarYear.objects.filter(year__gte=2027).delete()
        handling.send_fee_notice(self.a, by=self.olga, method="page", units=31,
                                 today=date(2026, 12, 4))  # fmt: skip
        page = self.page()
        self.assertIn("10元，缴费截止日期待定（下一年度工作日历尚未公布）", page)
        self.assertIn("截止日期待定：2027年工作日历尚未公布", page)
        self.assertNotIn("None", page)
