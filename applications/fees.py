"""信息处理费 (国办函〔2020〕109号): per item per month, or per page per application.

Both scales are progressive (超额累进): each band is charged only for the units
that fall inside it. One method per application, never both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string

from portal.models import SiteProfile
from portal.workdays import Deadline

from .keys import applicant_key
from .models import Application

ITEMS_FREE = 10
PAGES_FREE = 30


@dataclass(frozen=True)
class Band:
    first: int  # first unit of the band
    last: int | None  # last unit, None for "and beyond"
    price: int  # yuan per unit


# 按量: per application. 1–30 free, 31–100 at 10, 101–200 at 20, from 201 at 40.
PAGE_BANDS = (Band(31, 100, 10), Band(101, 200, 20), Band(201, None, 40))


@dataclass(frozen=True)
class Line:
    """One line of the charge on a fee notice: units `first` to `last` at `price` each."""

    first: int
    last: int
    price: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> int:
        return self.count * self.price


def item_band(unit: int) -> int:
    """Price of the n-th item of the month: 11–30 at 100, then +100 per band of 10."""
    if unit <= ITEMS_FREE:
        return 0
    if unit <= 30:
        return 100
    return 100 * (2 + (unit - 31) // 10)


def page_price(page: int) -> int:
    """Price of the n-th page of an application."""
    return next(
        (b.price for b in PAGE_BANDS if b.first <= page and (b.last is None or page <= b.last)), 0
    )


def _lines(first: int, last: int, price) -> list[Line]:
    """Units `first`..`last` grouped into runs of one price (free units included)."""
    lines = []
    for unit_price, units in groupby(range(first, last + 1), key=price):
        units = list(units)
        lines.append(Line(units[0], units[-1], unit_price))
    return lines


def item_lines(items_before: int, items_now: int) -> list[Line]:
    """The items of this application, places `items_before + 1` on in the month, by band."""
    return _lines(items_before + 1, items_before + items_now, item_band)


def page_lines(pages: int) -> list[Line]:
    return _lines(1, pages, page_price)


def fee_per_item(items_before: int, items_now: int) -> int:
    """The fee for `items_now` items, the applicant having had `items_before` this month.

    Counted per applicant per calendar month across the whole township: the
    11th item of the month costs 100 yuan whichever application it is in.
    """
    return sum(line.subtotal for line in item_lines(items_before, items_now))


def fee_per_page(pages: int) -> int:
    return sum(line.subtotal for line in page_lines(pages))


# --- the count per applicant and month ---------------------------------------------------


def _order(application: Application) -> tuple:
    return (application.received_on, application.submitted_at, application.pk)


def items_earlier_in_month(application: Application) -> int:
    """How many items the applicant had before this application in its receipt month:
    the per-item fee starts from the next place (109号: per applicant, per 自然月).

    - The same applicant: the same identity document number, normalised (applications.keys:
      case, full-width forms, spaces forgiven), to the same township; compared by its
      keyed hash (`applicant_key`, stored: the numbers themselves are encrypted). Not the
      name: it is written differently from one form to the next (全称/简称, typos) and 张伟
      is many people; requiring name and number both would let a new spelling restart
      the count.
      Not the document type either: a number ticked once as "other document" is still the
      person's number.
    - The month: the receipt month (`received_on`; a corrected application's new receipt
      date), the day the application counts as made. Not the notice's month: the office
      chooses that, and the applicant's count must not depend on when it writes.
    - Every application counts, charged or not, whatever its outcome or state after
      receipt: one item each, or the items it was charged for when it was split and
      charged per item. Those not yet received have no month yet and do not count.
    - "Before" is receipt date, then submission time, then id: each application has its
      own places in the month, so the fees of all of them add up to one count.
    """
    if application.received_on is None:
        return 0
    month = application.received_on
    # This one's key from its number as it is now (it may not be saved yet); the others'
    # as stored, kept in step by Application.save() and rewritten by rotate_data_keys.
    key = applicant_key(application.id_number)
    if not key:
        return 0
    rows = Application.objects.filter(
        township_id=application.township_id,
        applicant_key=key,
        received_on__year=month.year,
        received_on__month=month.month,
    ).exclude(pk=application.pk)
    rows = rows.only("id", "received_on", "submitted_at", "fee_method", "fee_units")
    mine = _order(application)
    return sum(
        other.fee_units if other.fee_method == "item" and other.fee_units else 1
        for other in rows
        if _order(other) < mine
    )


# --- the notice ------------------------------------------------------------------------------


def fee_notice_text(
    application: Application,
    *,
    pay_by: Deadline,
    today: date,
    lines: list[Line] | None = None,
    settled: bool = False,
) -> str:
    """The fee notice (收费通知) as plain text, for the event's note, the mail and the
    tracking page; no personal data in it.

    - Basis: 条例 art. 42 and 国办函〔2020〕109号; the standard applied with its bands
      (`lines`), the amount, the pay-by date or 待定 with the year awaited, how to pay.
    - How to pay: the site profile's `fee_payment`; when it is blank, the office's contact
      (`SiteProfile.contact`, else the disclosure office's telephone).
    - `settled`: the short notice sent once a pay-by date that was 待定 is known.
    """
    site = SiteProfile.load()
    lines = lines or []
    return render_to_string(
        "applications/fee_notice.txt",
        {
            "application": application,
            "method": application.fee_method,
            "lines": lines,
            "unit": "件" if application.fee_method == "item" else "页",
            "first": lines[0].first if lines else 0,
            "last": lines[-1].last if lines else 0,
            "pay_by": pay_by.due,
            "missing_years": "、".join(map(str, pay_by.missing_years)),
            "payment": site.fee_payment.strip() if site else "",
            "contact": site.contact.strip() if site else "",
            "office": application.township.disclosure_office,
            "pauses_clock": settings.APPLICATION_FEE_PAUSES_CLOCK,
            "settled": settled,
            "today": today,
        },
    ).strip()
