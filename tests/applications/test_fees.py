"""信息处理费 at the band edges (国办函〔2020〕109号)."""

from __future__ import annotations

import pytest

from applications.fees import fee_per_item, fee_per_page


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
