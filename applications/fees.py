"""信息处理费 (国办函〔2020〕109号): per item per month, or per page per application.

Both scales are progressive (超额累进): each band is charged only for the units
that fall inside it. One method per application, never both.
"""

from __future__ import annotations

from dataclasses import dataclass

ITEMS_FREE = 10
PAGES_FREE = 30


@dataclass(frozen=True)
class Band:
    first: int  # first unit of the band
    last: int | None  # last unit, None for "and beyond"
    price: int  # yuan per unit


# 按量: per application. 1–30 free, 31–100 at 10, 101–200 at 20, from 201 at 40.
PAGE_BANDS = (Band(31, 100, 10), Band(101, 200, 20), Band(201, None, 40))


def item_band(unit: int) -> int:
    """Price of the n-th item of the month: 11–30 at 100, then +100 per band of 10."""
    if unit <= ITEMS_FREE:
        return 0
    if unit <= 30:
        return 100
    return 100 * (2 + (unit - 31) // 10)


def fee_per_item(items_before: int, items_now: int) -> int:
    """The fee for `items_now` items, the applicant having had `items_before` this month.

    Counted per applicant per calendar month across the whole township: the
    11th item of the month costs 100 yuan whichever application it is in.
    """
    return sum(item_band(unit) for unit in range(items_before + 1, items_before + items_now + 1))


def fee_per_page(pages: int) -> int:
    total = 0
    for band in PAGE_BANDS:
        last = pages if band.last is None else min(pages, band.last)
        if last >= band.first:
            total += (last - band.first + 1) * band.price
    return total
