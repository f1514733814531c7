"""disclosure.pii: an ID with a wrong check character is still found and masked, and every
mask is idempotent, shown over many generated numbers (a property test without a library:
seeded generators, so a failure names the exact number).

Numbers are generated here with their own check digits, independently of the module.
"""

from __future__ import annotations

import random

import pytest

from django.urls import reverse
from django.utils import translation

from demo.documents import make_xlsx
from disclosure.pii import (
    Kind,
    find_numbers,
    highlight_numbers_in_html,
    mask_card_number,
    mask_html,
    mask_id_number,
    mask_phone_number,
    mask_text,
)
from tests import factories
from tests.base import BaseTestCase

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PROVINCES = ["11", "13", "31", "35", "44", "51", "62", "65", "81"]


def id_check(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def luhn_digit(body: str) -> str:
    for digit in "0123456789":
        total = 0
        for position, char in enumerate(reversed(body + digit)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digit
    raise AssertionError


def random_id(rng: random.Random, *, wrong_check: bool = False, cities: int = 99) -> str:
    body = (
        f"{rng.choice(PROVINCES)}{rng.randint(1, cities):02d}{rng.randint(1, 99):02d}"
        f"{rng.randint(1930, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        f"{rng.randint(0, 999):03d}"
    )
    right = id_check(body)
    if wrong_check:
        return body + rng.choice([c for c in "0123456789X" if c != right])
    return body + right


def random_mobile(rng: random.Random) -> tuple[str, str]:
    digits = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
    separator = rng.choice(["", " ", "-"])
    written = separator.join((digits[:3], digits[3:7], digits[7:]))
    return digits, rng.choice(["", "+86", "+86 ", "+86-"]) + written


def random_card(rng: random.Random) -> tuple[str, str]:
    length = rng.choice([16, 17, 19])
    prefix = rng.choice(["62", "4", "51", "55", "2221", "34", "35"])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    digits = body + luhn_digit(body)
    if length in (16, 19) and rng.random() < 0.5:
        return digits, " ".join(digits[i : i + 4] for i in range(0, length, 4))
    return digits, digits


def other_check(number: str) -> str:
    return number[:17] + next(c for c in "0123456789X" if c != id_check(number[:17]))


# --- an ID with a wrong check character -----------------------------------------------------

TYPO = other_check("350102199001011234")


def test_a_wrong_check_character_is_found_masked_and_said():
    """17 digits right and a wrong last one: an ID hit, masked, marked as a wrong check."""
    [hit] = find_numbers(f"低保对象张*明，身份证号{TYPO}，住东坪村。", "正文")
    assert (hit.kind, hit.value, hit.masked) == (Kind.ID_CARD, TYPO, "35*************" + TYPO[-3:])
    assert hit.check_digit_ok is False
    assert TYPO not in hit.context
    assert mask_text(f"号码{TYPO}。") == f"号码35*************{TYPO[-3:]}。"
    with translation.override("zh-hans"):
        assert "校验位" in str(hit.label)
        [right] = find_numbers(f"号码{TYPO[:17]}{id_check(TYPO[:17])}", "正文")
        assert (right.check_digit_ok, str(right.label)) == (True, "身份证号")


def test_a_wrong_x_is_found_too_and_lowercase_x_counts():
    body = next(b for b in (f"3501021990010112{n}" for n in range(10)) if id_check(b[:17]) != "X")[
        :17
    ]
    for written in (body + "X", body + "x"):
        [hit] = find_numbers(f"号码{written}。", "正文")
        assert (hit.kind, hit.check_digit_ok) == (Kind.ID_CARD, False)


def test_the_highlighted_body_says_the_check_character_is_wrong():
    with translation.override("zh-hans"):
        shown = highlight_numbers_in_html(f"<p>身份证{TYPO}</p>")
    assert "校验位" in shown
    assert TYPO not in shown


@pytest.mark.parametrize(
    "text",
    [
        other_check("990102199001011234"),  # no such province
        other_check("350102202701011234"),  # born after today
        other_check("350102199002301234"),  # 30 February
        "91350925MA2Y0000001",  # a credit code: 19 characters, letters
    ],
)
def test_a_wrong_check_character_alone_is_not_enough(text):
    assert find_numbers(f"编号{text}。", "正文") == []


def test_every_mistyped_id_is_found_whatever_its_city():
    """10,000 mistyped IDs with any city code 01-99: every one is found, as a wrong check."""
    rng = random.Random(4)
    for number in (random_id(rng, wrong_check=True, cities=99) for _ in range(10_000)):
        [hit] = find_numbers(f"号码{number}", "正文")
        assert (hit.value, hit.check_digit_ok) == (number, False), number


class WrongCheckBlocksSubmissionTests(BaseTestCase):
    def test_it_is_what_submission_refuses_and_one_click_masks_it(self) -> None:
        # personal_numbers() is what submit() refuses on (PersonalDataFound); asked
        # directly, so the test does not depend on the other things submit requires.
        notice = factories.notice(self.civil, published=False, catalog="news/highlights")
        data = make_xlsx("名单", ["姓名", "号码"], [["张*明", TYPO]])
        factories.attachment(notice, name="名单.xlsx", data=data)
        [hit] = notice.personal_numbers()
        self.assertEqual((hit.kind, hit.check_digit_ok), (Kind.ID_CARD, False))
        self.assertIn("名单.xlsx", hit.place)
        self.client.force_login(self.alice)
        self.client.post(reverse("admin:disclosure_notice_mask", args=[notice.pk]))
        self.assertEqual(notice.personal_numbers(), [])


# --- idempotence over many generated numbers ------------------------------------------------


def generated(seed: int, count: int) -> list[tuple[Kind, str, str]]:
    """(kind, value, as written) for `count` numbers of each kind and mistyped IDs."""
    rng = random.Random(seed)
    numbers: list[tuple[Kind, str, str]] = []
    for _ in range(count):
        for wrong in (False, True):
            number = random_id(rng, wrong_check=wrong)
            numbers.append((Kind.ID_CARD, number, number))
        numbers.append((Kind.MOBILE, *random_mobile(rng)))
        numbers.append((Kind.BANK_CARD, *random_card(rng)))
    return numbers


SINGLE = {Kind.ID_CARD: mask_id_number, Kind.MOBILE: mask_phone_number}
SINGLE[Kind.BANK_CARD] = mask_card_number
FILLERS = ["，", "：", "（", "）", " ", "、", "\n", "号码", "电话 ", "卡号："]


def test_mask_of_a_mask_is_the_mask_for_every_generated_number():
    """Over 4,000 generated numbers: each is found as its kind, masked to the documented
    shape, and masking the text, the HTML or the single value again changes nothing."""
    numbers = generated(20261202, 1000)
    rng = random.Random(11)
    for kind, value, written in numbers:
        text = f"{rng.choice(FILLERS)}{written}{rng.choice(FILLERS)}"
        [hit] = find_numbers(text, "正文")
        assert (hit.kind, hit.value) == (kind, value), written
        masked = mask_text(text)
        assert mask_text(masked) == masked, written
        assert find_numbers(masked, "正文") == [], written
        single = SINGLE[kind](value)
        assert single == hit.masked, written
        assert SINGLE[kind](single) == single, written
        assert SINGLE[kind](written) == single, written  # separators and +86 aside
        assert len(single) == len(value) and single.count("*") == len(value) - {
            Kind.ID_CARD: 5, Kind.MOBILE: 7, Kind.BANK_CARD: 8
        }[kind]  # fmt: skip


def test_mask_of_a_mask_in_html_split_by_inline_tags():
    """The piece-wise masker: numbers cut at random places by inline tags, masked twice."""
    rng = random.Random(5)
    for kind, value, written in generated(7, 250):
        cut = sorted(rng.sample(range(1, len(written)), 2))
        pieces = (written[: cut[0]], written[cut[0] : cut[1]], written[cut[1] :])
        body = f"<p>号码<strong>{pieces[0]}</strong><em>{pieces[1]}</em>{pieces[2]}。</p>"
        once = mask_html(body)
        assert mask_html(once) == once, written
        assert find_numbers(once, "正文") == [], written
        assert SINGLE[kind](value) in once, written


@pytest.mark.parametrize(
    "masked,function",
    [
        ("164****0620", mask_phone_number),
        ("+86 164****0620", mask_phone_number),
        ("35*************123", mask_id_number),
        ("6222***********1234", mask_card_number),
        ("6222 **** **** ***1 234", mask_card_number),
    ],
)
def test_an_already_masked_value_keeps_its_stars(masked, function):
    """The report of issue #11: 164****0620 masked again must not become 1640620."""
    again = function(masked)
    assert function(again) == again
    assert again.replace("*", "") == masked.replace("*", "").replace(" ", "").removeprefix("+86")
