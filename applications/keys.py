"""What makes two applications "the same applicant" and "the same information".

Pure functions over text, so the model can store the keys it is looked up by and the
checks (applications.matching) can explain themselves:

- **Same applicant**: the identity document number, normalised (full-width forms, case,
  spaces and dashes forgiven). The name is not used: 张伟 is many people. The number is
  stored encrypted, so the key looked up is its keyed hash (`applicant_key`: HMAC-SHA256
  under PORTAL_LOOKUP_KEY, portal.crypto); equal normalised numbers, equal keys.
- **Same information**, two tests:
  - the *key* (stored, indexed; the only test that fits one query across a township):
    the document number when one is given, in its field or written in the description
    (青政〔2026〕12号); otherwise the description without spacing, punctuation, case and
    the framing words of a request (请、申请公开 … 的信息). Equal keys, same information.
  - the *word overlap* (only among one applicant's few earlier answers, where the rows
    are already in hand): no document numbers that disagree, the same numbers (years,
    amounts: 2024年 is not 2025年), and a Dice coefficient of the descriptions' words of
    at least WORDS_ALIKE (jieba's words, framing words and one-character words left out).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import rjieba

from portal.crypto import lookup_hash

# 青政〔2026〕12号, 青政[2026]12号, 青政(2026)12号, 青政文〔2026〕第12号
DOCUMENT_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,12}[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*第?\s*(\d{1,5})\s*号"
)
BRACKETS = str.maketrans("[［(（【]］)）】", "〔〔〔〔〔〕〕〕〕〕")
# Words every request uses: they say nothing about which information is meant.
FRAMING = frozenset(
    "申请 公开 请求 要求 提供 获取 查询 查阅 复制 依法 相关 有关 关于 信息 政府 资料 文件 "
    "内容 情况 材料 年度 本人 我们 希望 需要 贵单位 贵机关 予以".split()
)
# Stripped from the ends of a description for the key, longest first.
KEY_PREFIXES = ("依法申请公开", "申请公开", "请求公开", "要求公开", "请公开", "请提供", "申请",
                "要求提供", "请求", "要求", "请", "公开")  # fmt: skip
KEY_SUFFIXES = ("的相关信息", "相关信息", "的政府信息", "的信息", "的资料", "的材料", "信息",
                "资料", "材料", "的文件")  # fmt: skip
ISSUER_FRAMING = ("依法", "申请", "请求", "要求", "公开", "提供", "获取", "查询", "查阅", "关于",
                  "复制", "一份", "请", "的")  # fmt: skip
KEY_MAX = 150  # longer normalised descriptions are keyed by their digest
WORDS_ALIKE = 0.8


def normalise_id(number: str) -> str:
    """３５０１０２… x → 350102…X: what a person means by their number."""
    text = unicodedata.normalize("NFKC", number or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def applicant_key(number: str) -> str:
    """What the same applicant's applications are found by: the keyed hash of the
    normalised number (64 hex characters); "" when there is no number."""
    return lookup_hash(normalise_id(number))


def document_number(document_number_field: str, description: str) -> str:
    """The document number in its normalised form (青政〔2026〕12号), from the field, or
    found in the description; "" when there is none."""
    for text in (document_number_field, description):
        text = unicodedata.normalize("NFKC", text or "")
        match = DOCUMENT_NUMBER.search(text)
        if match:
            issuer = _issuer(match.group(0).split(match.group(1))[0].translate(BRACKETS))
            return f"{issuer}〔{match.group(1)}〕{int(match.group(2))}号"
    field = _flat(document_number_field)
    return field.translate(BRACKETS) if field else ""


def _issuer(text: str) -> str:
    """青政 out of 申请公开青政〔: the words of the request before it taken off."""
    text = text.rstrip("〔 ")
    while True:
        for word in ISSUER_FRAMING:
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word) :]
                break
        else:
            return text


def _flat(text: str) -> str:
    """NFKC, lower case, no spacing, punctuation or symbols."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def information_key(description: str, document_number_field: str = "") -> str:
    number = document_number(document_number_field, description)
    if number:
        return f"doc:{number}"
    text = _flat(description)
    for prefix in KEY_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    for suffix in KEY_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    if not text:
        return ""
    if len(text) > KEY_MAX:
        text = "#" + hashlib.sha256(text.encode()).hexdigest()[:40]
    return f"text:{text}"


def words_and_numbers(description: str) -> tuple[frozenset[str], frozenset[str]]:
    text = unicodedata.normalize("NFKC", description or "").lower()
    words, numbers = set(), set()
    for token in rjieba.cut_for_search(text):
        if token.isdigit():
            numbers.add(str(int(token)))
        elif len(token) >= 2 and token not in FRAMING and any(ch.isalnum() for ch in token):
            words.add(token)
    return frozenset(words), frozenset(numbers)


def words_alike(a: str, b: str) -> float:
    """The Dice coefficient of two descriptions' words (0 when their numbers differ)."""
    (words_a, numbers_a), (words_b, numbers_b) = words_and_numbers(a), words_and_numbers(b)
    if numbers_a != numbers_b or not words_a or not words_b:
        return 0.0
    return 2 * len(words_a & words_b) / (len(words_a) + len(words_b))


def same_information(a, b) -> bool:
    """Whether two applications ask for the same information (see the module's doc)."""
    key_a = information_key(a.description, a.document_number)
    key_b = information_key(b.description, b.document_number)
    if key_a and key_a == key_b:
        return True
    if key_a.startswith("doc:") and key_b.startswith("doc:"):
        return False  # two different document numbers
    return words_alike(a.description, b.description) >= WORDS_ALIKE
