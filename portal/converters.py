"""Path converter for database ids: 1 to 2**63 - 1, the range of a BigAutoField.

Django's `int` converter takes any run of digits, so /notices/99999999999999999999/
reached the view and SQLite raised OverflowError binding it (500). An id outside the
range names no row: the URL does not match, and the visitor gets the 404 page.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


class DatabaseIdConverter:
    # No sign, no leading zero (one spelling per id, as reverse() writes it), at most 19
    # digits; to_python refuses the 19-digit numbers above the maximum.
    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django reads this as "no match"
        return number

    def to_url(self, value: int | str) -> str:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # reverse() then tries the next pattern, or fails
        return str(number)
