from __future__ import annotations

from functools import lru_cache

import segno

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code for `url` (segno: no image file, no JavaScript)."""
    return _qr_svg(url, get_language())


@lru_cache(maxsize=2048)  # a few MB at most; choosing the mask costs ~4 ms per code
def _qr_svg(url: str, language: str) -> SafeString:
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=2, title=_("QR code of this page"), omitsize=False)
    return mark_safe(svg)  # segno escapes the title and the data itself
