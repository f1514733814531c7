"""信息处理费 (国办函〔2020〕109号): the scales at the band edges; the count of an
applicant's items over the receipt month; what the fee notice says."""

from __future__ import annotations

from datetime import date

import pytest

from applications import handling
from applications.fees import fee_per_item, fee_per_page
from applications.models import Application
from tests.base import BaseTestCase

from .test_apply import valid_id
from .test_handling import application


@pytest.mark.parametrize(
    ("items", "yuan"),
    [
        (0, 0), (1, 0), (10, 0),            # 10 free a month
        (11, 100),                           # the 11th costs 100
        (30, 2_000),                         # 20 × 100
        (31, 2_200),                         # + the 31st at 200
        (35, 3_000),                         # 2,000 + 5 × 200 (regulation.md §7 item 16)
        (40, 4_000),                         # 2,000 + 10 × 200
        (41, 4_300),                         # + the 41st at 300
        (45, 5_500),                         # 4,000 + 5 × 300 (regulation.md §7 item 16)
        (50, 7_000),                         # 4,000 + 10 × 300
        (51, 7_400),                         # + the 51st at 400
    ],
)  # fmt: skip
def test_per_item_in_one_month(items: int, yuan: int) -> None:
    """Per item: 1–10 free, 11–30 at 100, then +100 yuan per item per band of 10."""
    assert fee_per_item(0, items) == yuan


def test_per_item_counts_the_whole_month() -> None:
    """Earlier applications in the month count: 8 then 5 items makes items 9–13, 3 paid."""
    assert fee_per_item(8, 5) == 300
    assert fee_per_item(0, 8) + fee_per_item(8, 5) == fee_per_item(0, 13)
    assert fee_per_item(30, 1) == 200


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (0, 0), (30, 0),                      # 30 free
        (31, 10),                             # the 31st at 10
        (100, 700),                           # 70 × 10
        (101, 720),                           # + the 101st at 20
        (200, 2_700),                         # 700 + 100 × 20
        (201, 2_740),                         # + the 201st at 40
        (250, 4_700),                         # 2,700 + 50 × 40 (regulation.md §7 item 17)
    ],
)  # fmt: skip
def test_per_page(pages: int, yuan: int) -> None:
    """Per page, per application: 1–30 free, 31–100 at 10, 101–200 at 20, beyond at 40."""
    assert fee_per_page(pages) == yuan


# --- the count per applicant and month, and the notice (issue 11 items 3 and 8) -----------

D = date.fromisoformat
NOVEMBER = "2026-11-02"
NOTICE_DAY = D("2026-11-20")  # + 20 working days to pay: 2026-12-18, inside 2026
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


class MonthlyCountTests(BaseTestCase):
    """All of the applicant's items of the receipt month count, charged or not."""

    def received(self, day: str = NOVEMBER, **fields) -> Application:
        return application(self.township, received_on=D(day), status="received", **fields)

    def charge(self, a: Application, units: int = 1, method: str = "item") -> int:
        try:
            handling.send_fee_notice(a, by=self.olga, method=method, units=units,
                                     today=NOTICE_DAY)  # fmt: skip
        except handling.InvalidStep as refused:
            self.assertIn("未超出免费额度", str(refused))
            return 0
        return a.fee_amount

    def test_the_eleventh_single_item_application_of_the_month_costs_100(self) -> None:
        """Was "within the free allowance": only items with a fee notice were counted."""
        apps = [self.received() for _ in range(11)]
        self.assertEqual(handling.items_earlier_in_month(apps[10]), 10)
        self.assertEqual(self.charge(apps[10]), 100)
        self.assertEqual(apps[10].status, "fee")
        self.assertEqual([self.charge(a) for a in apps[:10]], [0] * 10)

    def test_the_months_totals_at_the_band_edges_whatever_order_the_notices_go(self) -> None:
        """10 → 0; 11 → 100; 30 → 2,000; 35 → 3,000; 45 → 5,500 (regulation.md §7 item 16),
        the notices sent last application first."""
        apps = [self.received() for _ in range(45)]
        fees = {a.pk: self.charge(a) for a in reversed(apps)}
        for count, yuan in [(10, 0), (11, 100), (30, 2_000), (35, 3_000), (45, 5_500)]:
            with self.subTest(items=count):
                self.assertEqual(sum(fees[a.pk] for a in apps[:count]), yuan)

    def test_per_page_per_application(self) -> None:
        """30 → 0; 31 → 10; 250 → 4,700 (regulation.md §7 item 17), each on its own."""
        for pages, yuan in [(30, 0), (31, 10), (250, 4_700)]:
            with self.subTest(pages=pages):
                self.assertEqual(self.charge(self.received(), pages, "page"), yuan)

    def test_the_same_applicant_is_the_same_id_number(self) -> None:
        """The ID number, normalised, in the same township and receipt month; not the name."""
        me = valid_id()
        counted = [
            self.received(),
            self.received(id_number=me.translate(FULL_WIDTH)),  # typed in full-width digits
            self.received(id_number=" ".join(me[i : i + 6] for i in range(0, 18, 6))),
            self.received(name="王晓明"),  # a new spelling of the name, the same number
            self.received(id_type="other"),  # the same number ticked as another document
            self.received(day="2026-11-30"),
        ]
        split = self.received(day="2026-11-03")
        handling.send_fee_notice(split, by=self.olga, method="item", units=8,
                                 today=NOTICE_DAY)  # fmt: skip
        for other in [
            self.received(id_number="350102199003071239", name="王小明"),  # same name only
            application(self.other_township, received_on=D(NOVEMBER), status="received"),
            self.received(day="2026-10-30"),  # October
            application(self.township),  # not received yet: no month
        ]:
            self.assertIsNotNone(other.pk)
        latest = self.received(day="2026-11-30")
        # 6 single items + the one split into 8 (charged per item) before it.
        self.assertEqual(handling.items_earlier_in_month(latest), 6 + 8)
        self.assertEqual(handling.items_earlier_in_month(counted[0]), 0)

    def test_the_month_is_the_receipt_month_not_the_notices(self) -> None:
        """Ten in November; an eleventh received on 1 December starts December's count."""
        for _ in range(10):
            self.received()
        december = self.received(day="2026-12-01")
        self.assertEqual(handling.items_earlier_in_month(december), 0)
        eleventh = self.received(day="2026-11-30")
        self.assertEqual(handling.items_earlier_in_month(eleventh), 10)


class FeeNoticeTests(BaseTestCase):
    """The notice states basis, standard and band, amount, pay-by date and how to pay."""

    def notice(self, method: str, units: int, before: int = 0) -> str:
        for _ in range(before):
            application(self.township, received_on=D(NOVEMBER), status="received")
        a = application(self.township, received_on=D(NOVEMBER), status="received")
        handling.send_fee_notice(a, by=self.olga, method=method, units=units, today=NOTICE_DAY)
        self.assertEqual(a.fee_pay_by, D("2026-12-18"))
        return a.events.get(action="fee_notice").note

    def test_per_item_with_its_bands_and_the_offices_way_to_pay(self) -> None:
        self.site.fee_payment = "户名：青岚镇财政所；账号：9070 1234 5678"
        self.site.save()
        text = self.notice("item", 22, before=8)  # places 9–30: 2 free, 20 at 100
        for piece in [
            "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            "第四十二条",
            "按件计收",
            "本申请为您2026年11月提出的第9件至第30件",
            "第9件至第10件：免收",
            "第11件至第30件：20件 × 100元 = 2000元",
            "应缴金额：2000元",
            "即2026年12月18日（含当日）前",
            "缴费方式：户名：青岚镇财政所；账号：9070 1234 5678",
            "视为放弃申请",
        ]:
            self.assertIn(piece, text)
        self.assertNotIn("王小明", text)  # shown on the tracking page: no personal data
        self.assertNotIn(valid_id(), text)

    def test_per_page_and_the_offices_contact_when_no_way_to_pay_is_set(self) -> None:
        self.site.contact = "青岚镇党政办 0596-5261003"
        self.site.save()
        text = self.notice("page", 250)
        for piece in ["按量计收", "本申请共250页", "第1页至第30页：免收",
                      "第31页至第100页：70页 × 10元 = 700元",
                      "第101页至第200页：100页 × 20元 = 2000元",
                      "第201页至第250页：50页 × 40元 = 2000元", "应缴金额：4700元",
                      "请联系本机关办理缴费，联系方式：青岚镇党政办 0596-5261003"]:  # fmt: skip
            self.assertIn(piece, text)

    def test_without_contact_the_disclosure_offices_phone(self) -> None:
        text = self.notice("page", 31)
        self.assertIn("请联系青岚镇党政综合办公室办理缴费，电话：0596-5261003。", text)
