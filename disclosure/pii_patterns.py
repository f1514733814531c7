"""What a personal number is, for the scan in `disclosure.pii`: the patterns, the checks,
and the masked form of each kind.

* Matching is on ASCII digits; `disclosure.pii` folds full-width digits first.
* Numbers must stand alone: an ASCII letter or digit right before or after (and a decimal
  point with digits) means the digits belong to something else, such as an amount, a
  credit code (11350925003580712K) or an index number.
* An ID with a wrong check character is still an ID: a typo in a 低保 list leaves a
  person's number with 17 digits right. It is found when everything else about it holds
  (a province, a real birth date not in the future), and its hit says
  the check character is wrong so the clerk can tell a typo from a stray number.
* Masked forms keep ``*`` for the hidden digits and the same length, so they never match
  again, and masking an already masked value gives it back unchanged.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import NamedTuple

from django.utils import timezone


class Kind(StrEnum):
    ID_CARD = "id_card"
    MOBILE = "mobile"
    BANK_CARD = "bank_card"


class Match(NamedTuple):
    kind: Kind
    start: int
    end: int
    value: str
    masked: str
    check_digit_ok: bool = True


# --- patterns ------------------------------------------------------------------------------

# Not glued to a letter or digit, and not the integer or fraction part of a decimal.
_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_AFTER = r"(?![0-9A-Za-z])(?!\.[0-9])"

_ID_RE = re.compile(_BEFORE + r"[0-9]{17}[0-9Xx]" + _AFTER)
# +86 is allowed in front; the same separator (none, one space or one hyphen) twice.
_MOBILE_RE = re.compile(
    r"(?:\+86[- ]?|" + _BEFORE + r")"
    r"(?P<num>1[3-9][0-9](?P<sep>[- ]?)[0-9]{4}(?P=sep)[0-9]{4})" + _AFTER
)
# Either one run of 16-19 digits, or groups of four split by single spaces.
_CARD_RE = re.compile(
    _BEFORE + r"(?:[0-9]{16,19}|[0-9]{4}(?: [0-9]{4}){3}(?: [0-9]{1,3})?)" + _AFTER
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes, and 81-83 of the HK/Macao/Taiwan residence permits.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


# --- checks --------------------------------------------------------------------------------


def _birth_date(number: str) -> datetime.date | None:
    """- YYYYMMDD at positions 7-14; year 1900-2099; a real calendar day."""
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not 1900 <= year <= 2099:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def id_check_character(number: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(number, _ID_WEIGHTS, strict=False)) % 11]


def _valid_id(number: str) -> bool:
    """- GB 11643 check character over the first 17 digits; plausible birth date."""
    return id_check_character(number) == number[17].upper() and _birth_date(number) is not None


def _id_with_wrong_check(number: str) -> bool:
    """- Without the check character, every other part must hold: a province and a birth
    date not after today.
    - A digits-only credit code can look like this (rarely: its 7th-14th characters would
      have to read as a date); it is then reported as an ID with a wrong check character,
      which the reviewer sees and can override with a reason. Missing a person's number
      costs more than that."""
    born = _birth_date(number)
    return number[:2] in _PROVINCES and born is not None and born <= timezone.localdate()


def is_resident_id(number: str) -> bool:
    """A well-formed 18-character resident ID number (used to check the application form)."""
    return bool(re.fullmatch(r"\d{17}[\dXx]", number)) and _valid_id(number)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _issuer_ok(digits: str) -> bool:
    """- 62 (UnionPay), 4, 51-55, 2221-2720, 34/37, 35."""
    if digits.startswith(("62", "4", "34", "37", "35")):
        return True
    return 51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720


def _valid_credit_code(code: str) -> bool:
    """- GB 32100 unified social credit code check character (digits-only codes here)."""
    total = sum(
        _USCC_CHARS.index(char) * weight
        for char, weight in zip(code.upper(), _USCC_WEIGHTS, strict=False)
    )
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17].upper()


def _valid_card(digits: str) -> bool:
    """- 16-19 digits, issuer prefix, Luhn.
    - 18 digits that look like an ID (a birth date in place) or are a valid credit code
      are not cards: IDs are reported as IDs, and social-organisation codes start 51-53."""
    if not (16 <= len(digits) <= 19 and _issuer_ok(digits) and _luhn_ok(digits)):
        return False
    if len(digits) == 18:
        return not (_birth_date(digits) is not None or _valid_credit_code(digits))
    return True


# --- masked forms --------------------------------------------------------------------------
# Each keeps the value's length and treats a ``*`` already there as a hidden digit, so
# mask(mask(x)) == mask(x) for every value, masked or not.


def _keep_ends(chars: str, head: int, tail: int) -> str:
    if len(chars) <= head + tail:
        return "*" * len(chars)
    return chars[:head] + "*" * (len(chars) - head - tail) + chars[-tail:]


def mask_id_number(number: str) -> str:
    """35*************123: the first 2 and the last 3 characters kept."""
    return _keep_ends(number.strip(), 2, 3)


def mask_phone_number(phone: str) -> str:
    """138****1234: a leading +86 and separators dropped, the first 3 and the last 4
    digits kept."""
    phone = phone.strip().removeprefix("+86")
    return _keep_ends("".join(c for c in phone if c.isdigit() or c == "*"), 3, 4)


def mask_card_number(card: str) -> str:
    """6222***********1234: separators dropped, the first 4 and the last 4 digits kept."""
    return _keep_ends("".join(c for c in card if c.isdigit() or c == "*"), 4, 4)


# --- finders over ASCII text ---------------------------------------------------------------


def _ids(text: str) -> Iterator[Match]:
    for found in _ID_RE.finditer(text):
        number = found.group()
        if _valid_id(number):
            yield Match(Kind.ID_CARD, found.start(), found.end(), number, mask_id_number(number))
        elif _id_with_wrong_check(number):
            masked = mask_id_number(number)
            yield Match(Kind.ID_CARD, found.start(), found.end(), number, masked, False)


def _mobiles(text: str) -> Iterator[Match]:
    for found in _MOBILE_RE.finditer(text):
        digits = re.sub(r"[- ]", "", found.group("num"))
        start, end = found.span("num")
        yield Match(Kind.MOBILE, start, end, digits, mask_phone_number(digits))


def _card_at(found: re.Match[str]) -> Match | None:
    """- Grouped numbers with a short tail: if the whole fails, try the first four groups
    (the tail may be an unrelated number that happens to follow)."""
    raw = found.group()
    candidates = [raw, raw[:19]] if " " in raw and len(raw) > 19 else [raw]
    for candidate in candidates:
        digits = candidate.replace(" ", "")
        if _valid_card(digits):
            end = found.start() + len(candidate)
            return Match(Kind.BANK_CARD, found.start(), end, digits, mask_card_number(digits))
    return None


def _cards(text: str) -> Iterator[Match]:
    # A rejected grouped candidate may hide a real card starting one group later, so the
    # search resumes just after a rejected start rather than after the whole match.
    position = 0
    while found := _CARD_RE.search(text, position):
        match = _card_at(found)
        if match is None:
            position = found.start() + 1
            continue
        yield match
        position = match.end


def find_matches(text: str) -> list[Match]:
    """- IDs first, then cards, then mobiles; a later kind never overlaps an earlier hit.
    - `text` is ASCII-folded already (offsets are the caller's)."""
    taken: set[int] = set()
    accepted: list[Match] = []
    for finder in (_ids, _cards, _mobiles):
        for match in finder(text):
            span = range(match.start, match.end)
            if not taken.intersection(span):
                taken.update(span)
                accepted.append(match)
    return sorted(accepted, key=lambda match: match.start)
