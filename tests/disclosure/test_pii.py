"""disclosure.pii: the personal-number scan and mask of the 保密审查 assist (security.md §4.5).

Numbers are generated with their own check digits (GB 11643, Luhn, GB 32100) by helpers
written here, independently of the module. Attachments are real PDF, DOCX and XLSX files.
No database is needed.
"""

from __future__ import annotations

import io
import random
import re

import docx
import openpyxl
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from demo.documents import make_pdf
from disclosure import textextract
from disclosure.pii import (
    KIND_NAMES,
    Kind,
    find_numbers,
    find_numbers_in_html,
    highlight_numbers_in_html,
    mask_attachment,
    mask_html,
    mask_text,
    scan_attachment,
)
from disclosure.textextract import extract_text, html_text

# --- number helpers ------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def make_id(region: str = "350102", birth: str = "19900101", seq: str = "123") -> str:
    body = region + birth + seq
    return body + id_check(body)


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def make_card(prefix: str = "6222", length: int = 19, rng: random.Random | None = None) -> str:
    rng = rng or random.Random(7)
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def uscc_ok(code: str) -> bool:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code, USCC_WEIGHTS, strict=False))
    return USCC_CHARS[(31 - total % 31) % 31] == code[17]


def grouped(digits: str, separator: str = " ") -> str:
    return separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))


ID = make_id()
MOBILE = "13812341234"
CARD = make_card()  # 19 digits, UnionPay


# --- each kind in plain text ---------------------------------------------------------------


def test_id_found_and_masked_two_thirteen_three():
    """ID: valid checksum and birth date is found; masked first 2 + 13 * + last 3."""
    hits = find_numbers(f"申请人张三，身份证号{ID}，住青阳镇。", "正文")
    assert [(h.kind, h.value, h.masked, h.place) for h in hits] == [
        (Kind.ID_CARD, ID, ID[:2] + "*" * 13 + ID[-3:], "正文")
    ]


def test_id_mask_matches_the_documented_example():
    """ID: the mask is exactly of the form 35*************123."""
    number = next(
        make_id(seq=f"{s:03d}") for s in range(1000) if make_id(seq=f"{s:03d}").endswith("123")
    )
    assert mask_text(number) == "35*************123"


def test_id_with_x_check_character_found_either_case():
    """ID: check character X is accepted as X or x."""
    number = next(
        make_id(seq=f"{s:03d}") for s in range(1000) if make_id(seq=f"{s:03d}").endswith("X")
    )
    for written in (number, number[:-1] + "x"):
        [hit] = find_numbers(f"号码{written}。", "标题")
        assert hit.kind is Kind.ID_CARD
        assert hit.masked == written[:2] + "*" * 13 + written[-3:]


@pytest.mark.parametrize(
    "written",
    [
        MOBILE,
        "138 1234 1234",
        "138-1234-1234",
        "+8613812341234",
        "+86 13812341234",
        "+86-138-1234-1234",
    ],
)
def test_mobile_found_with_separators_and_masked_without(written):
    """Mobile: 11 digits, optionally 3-4-4 with spaces or hyphens; mask is 138****1234."""
    hits = find_numbers(f"联系电话：{written}（工作日）", "正文")
    assert [(h.kind, h.value, h.masked) for h in hits] == [(Kind.MOBILE, MOBILE, "138****1234")]
    prefix = written[: written.index("138")]  # +86 and its separator are not part of the number
    assert mask_text(f"电话{written}。") == f"电话{prefix}138****1234。"


@pytest.mark.parametrize("written", [CARD, grouped(CARD)])
def test_card_found_plain_or_grouped_and_masked_four_stars_four(written):
    """Bank card: 16-19 digits, optionally grouped by four; mask is first 4 + * + last 4."""
    [hit] = find_numbers(f"补贴发放至卡号{written}，请查收。", "正文")
    assert (hit.kind, hit.value) == (Kind.BANK_CARD, CARD)
    assert hit.masked == CARD[:4] + "*" * 11 + CARD[-4:]
    assert mask_text(f"卡号{written}。") == f"卡号{hit.masked}。"


@pytest.mark.parametrize(
    "prefix,length",
    [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16), ("35", 16), ("62", 17)],
)
def test_card_issuer_prefixes_and_lengths(prefix, length):
    """Bank card: every listed issuer prefix is recognised."""
    number = make_card(prefix, length)
    [hit] = find_numbers(f"账号 {number} 。", "正文")
    assert hit.kind is Kind.BANK_CARD
    assert hit.masked == number[:4] + "*" * (length - 8) + number[-4:]


def test_grouped_card_followed_by_an_unrelated_short_number():
    """Bank card: a 16-digit grouped card is found even when a short number follows it."""
    card = make_card("6217", 16)
    tail = next(t for t in ("12", "13", "14", "15") if not luhn_ok(card + t))
    [hit] = find_numbers(f"卡号{grouped(card)} {tail}户", "正文")
    assert hit.value == card


def test_full_width_digits_found_and_masked():
    """Full-width digits typed with a Chinese input method are found and masked too."""
    full = MOBILE.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    [hit] = find_numbers(f"电话{full}", "正文")
    assert hit.value == MOBILE
    assert mask_text(f"电话{full}。") == "电话138****1234。"


# --- HTML body -----------------------------------------------------------------------------

BODY = (
    f"<h2>低保对象公示</h2><p>户主张三，身份证号<strong>{ID}</strong>。</p><table><tr><td>电话</td>"
    "<td>138 1234 1234</td></tr>"
    f"<tr><td>2026</td><td>{grouped(CARD)}</td></tr></table>"
)


def test_each_kind_found_in_html_body():
    """HTML: the text content is scanned, one line per block, tags never in context."""
    hits = find_numbers_in_html(BODY, "正文")
    assert [h.kind for h in hits] == [Kind.ID_CARD, Kind.MOBILE, Kind.BANK_CARD]
    assert all("<" not in h.context and h.place == "正文" for h in hits)


def test_html_block_tags_separate_cells():
    """HTML: adjacent cells never merge into one number; inline tags join a split number."""
    assert find_numbers_in_html("<tr><td>138</td><td>12341234</td></tr>", "正文") == []
    [hit] = find_numbers_in_html("<p>电话<strong>138</strong>12341234</p>", "正文")
    assert hit.value == MOBILE


def test_html_attribute_values_are_scanned():
    """HTML: numbers in published attributes (href, title, alt) are found."""
    [hit] = find_numbers_in_html(f'<p><a href="https://x.cn/?t={MOBILE}">联系</a></p>', "正文")
    assert hit.value == MOBILE
    assert "联系" in html_text('<p><a href="/a">联系</a></p>')


def test_mask_html_keeps_markup_and_chinese_text_and_is_idempotent():
    """mask_html: only the numbers change; tags and surrounding text are unchanged."""
    masked = mask_html(BODY)
    expected = (
        BODY.replace(ID, ID[:2] + "*" * 13 + ID[-3:])
        .replace("138 1234 1234", "138****1234")
        .replace(grouped(CARD), CARD[:4] + "*" * 11 + CARD[-4:])
    )
    assert masked == expected
    assert mask_html(masked) == masked
    assert find_numbers_in_html(masked, "正文") == []


def test_mask_html_masks_a_number_split_by_inline_tags():
    """mask_html: the mask lands in the node where the number starts; tags stay."""
    body = "<p>电话<strong>138</strong>1234<em>1234</em>。</p>"
    assert mask_html(body) == "<p>电话<strong>138****1234</strong><em></em>。</p>"


def test_mask_text_idempotent_and_leaves_text_and_tags_unchanged():
    """mask_text: every hit masked in place; applied to HTML it keeps the markup; idempotent."""
    text = f"<p>关于<strong>低保</strong>名单的公示：张三 {ID}，电话 {MOBILE}，卡 {CARD}。</p>"
    masked = mask_text(text)
    assert masked == (
        f"<p>关于<strong>低保</strong>名单的公示：张三 {ID[:2]}{'*' * 13}{ID[-3:]}，"
        f"电话 138****1234，卡 {CARD[:4]}{'*' * 11}{CARD[-4:]}。</p>"
    )
    assert mask_text(masked) == masked
    assert find_numbers(masked, "正文") == []


# --- negatives -----------------------------------------------------------------------------


def _bad_check(number: str) -> str:
    return number[:17] + next(c for c in "0123456789X" if c != number[17])


def _seventeen_digits() -> str:
    # An ID without its check character; one that is not Luhn-valid either, so the test
    # shows that 17 digits are not an ID (a Luhn-valid one would rightly be a 35… card).
    bodies = (make_id(seq=f"{s:03d}")[:17] for s in range(1000))
    return next(body for body in bodies if not luhn_ok(body))


NEGATIVES = {
    # A wrong check character is an ID only when everything else holds (test_pii_masking.py).
    "wrong check, no such province": _bad_check(make_id("990102")),
    "wrong check, born in the future": _bad_check(make_id(birth="20270101")),
    "ID with 30 February": make_id(birth="19900230"),
    "ID with year 1899": make_id(birth="18990101"),
    "ID with month 13": make_id(birth="19901301"),
    "Luhn-invalid card": CARD[:-1] + str((int(CARD[-1]) + 1) % 10),
    "Luhn-invalid grouped card": grouped(CARD[:-1] + str((int(CARD[-1]) + 3) % 10)),
    "17-digit number": _seventeen_digits(),
    "credit code": "11350925003580712K",
    "index number": "11350925003580712K/2026-00047",
    "document number": "青政发〔2026〕3号",
    "landline": "0596-5261003",
    "landline without hyphen": "05965261003",
    "12 digits starting 13": "138123412345",
    "10 digits starting 13": "1381234123",
    "mobile 12 prefix": "12812341234",
    "amount": "427188.00",
    "large amount": "13812341234.00",
    "decimal fraction": "0.13812341234",
    "date": "2026-01-15",
    "masked ID": "35*************123",
    "masked mobile": "138****1234",
    "masked card": "6222***********1234",
    "mobile in a longer digit run": f"9{MOBILE}9",
    "mobile glued to letters": f"NO{MOBILE}abc",
    "ID glued to a digit": f"{ID}0",
    "ID glued to a letter": f"A{ID}",
    "card in a 20-digit run": f"{CARD}1",
    "card with no issuer prefix": make_card("1", 16),
}


@pytest.mark.parametrize("text", NEGATIVES.values(), ids=NEGATIVES.keys())
def test_not_a_personal_number(text):
    """Negatives: near misses, masked values, amounts and document numbers never match."""
    sentence = f"青阳镇{text}，特此公告。"
    assert find_numbers(sentence, "正文") == []
    assert mask_text(sentence) == sentence


def test_valid_id_that_is_also_luhn_valid_is_one_id_hit():
    """An ID is never also reported as a bank card (Gansu IDs start with the 62 prefix)."""
    ids = (make_id("620102", seq=f"{s:03d}") for s in range(1000))
    number = next(n for n in ids if n.isdigit() and luhn_ok(n))
    assert [h.kind for h in find_numbers(f"身份证{number}", "正文")] == [Kind.ID_CARD]


def test_social_organisation_credit_code_is_not_a_card():
    """A digits-only credit code starting 51-53 is not a card even when Luhn-valid."""
    # Digits 7-14 are no birth date, so only the credit-code check can keep it from matching.
    stems = (f"5235010000{n:07d}" for n in range(10_000_000))
    code = next(s + d for s in stems for d in "0123456789" if uscc_ok(s + d) and luhn_ok(s + d))
    assert find_numbers(f"统一社会信用代码{code}", "正文") == []


# --- recall --------------------------------------------------------------------------------


def _random_id(rng: random.Random) -> str:
    region = rng.choice(["350102", "350625", "110105", "440304", "620102", "510107"])
    birth = f"{rng.randint(1930, 2020)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return make_id(region, birth, f"{rng.randint(0, 999):03d}")


def _random_mobile(rng: random.Random) -> tuple[str, str]:
    digits = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
    separator = rng.choice(["", " ", "-"])
    return digits, separator.join((digits[:3], digits[3:7], digits[7:]))


def _random_card(rng: random.Random) -> tuple[str, str]:
    prefix = rng.choice(["62", "4", "51", "53", "2221", "2500", "34", "37", "35"])
    length = rng.choice([16, 17, 19])
    digits = make_card(prefix, length, rng)
    return digits, grouped(digits) if length in (16, 19) and rng.random() < 0.5 else digits


def test_recall_150_planted_numbers_all_found_exactly_once():
    """Recall: 50 IDs, 50 mobiles and 50 cards planted in text are all found, no duplicates."""
    rng = random.Random(20260115)
    planted: dict[Kind, set[str]] = {Kind.ID_CARD: set(), Kind.MOBILE: set(), Kind.BANK_CARD: set()}
    written: list[str] = []
    while len(planted[Kind.ID_CARD]) < 50:
        number = _random_id(rng)
        if number not in planted[Kind.ID_CARD]:
            planted[Kind.ID_CARD].add(number)
            written.append(number)
    for kind, maker in ((Kind.MOBILE, _random_mobile), (Kind.BANK_CARD, _random_card)):
        while len(planted[kind]) < 50:
            digits, form = maker(rng)
            if digits not in planted[kind]:
                planted[kind].add(digits)
                written.append(form)
    rng.shuffle(written)
    fillers = ["，户主：", "；联系方式 ", "。\n经审核，", "（", "）", " / ", "、", "：\t"]
    text = "公示名单" + "".join(f"{n}{rng.choice(fillers)}某某" for n in written)

    hits = find_numbers(text, "正文")

    assert len(hits) == 150
    assert {kind: {h.value for h in hits if h.kind is kind} for kind in planted} == planted
    masked = mask_text(text)
    assert find_numbers(masked, "正文") == []
    assert all(h.masked in masked for h in hits)


def test_context_never_contains_a_raw_number():
    """Context: ~20 chars around the hit, every number in it masked, never a raw one."""
    rng = random.Random(3)
    numbers = [_random_id(rng) for _ in range(5)] + [MOBILE, CARD]
    text = "、".join(numbers)
    hits = find_numbers(text, "正文")
    assert len(hits) == 7
    for hit in hits:
        assert hit.masked in hit.context
        assert len(hit.context) <= len(hit.masked) + 20
        assert not any(n in hit.context or n[:8] in hit.context for n in numbers)
        assert re.search(r"\d{8}", hit.context) is None


def test_place_label_with_a_number_is_masked():
    """Place: a label that carries a number (a file name) is shown masked."""
    [hit] = find_numbers(MOBILE, f"附件《{ID}.xlsx》")
    assert ID not in hit.place
    assert hit.place == f"附件《{ID[:2]}{'*' * 13}{ID[-3:]}.xlsx》"


# --- attachments ---------------------------------------------------------------------------


def two_page_pdf(first: str, second: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in (first, second):
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def roster_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(f"户主张三，身份证号{ID}。")
    split = document.add_paragraph("电话")
    split.add_run(MOBILE[:5]).bold = True  # the number is split across two runs
    split.add_run(MOBILE[5:] + "（本人）")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "银行卡号"
    table.cell(0, 1).text = grouped(CARD)
    merged = table.cell(1, 0).merge(table.cell(1, 1))  # one cell seen twice by python-docx
    merged.text = f"备用电话 {MOBILE}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def roster_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(["序号", "姓名", "身份证号", "电话", "金额"])
    sheet.append([1, "张三", ID, int(MOBILE), 427188.0])
    sheet.append([2, "李四", "无", "0596-5261003", 1500])
    hidden = workbook.create_sheet("发放")
    hidden.sheet_state = "hidden"
    hidden.append(["卡号"])
    hidden.append([f"卡号：{CARD}"])
    hidden.append(["=SUM(1,2)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_pdf_numbers_found_per_page():
    """PDF: text of each page is scanned; place is 附件《name》第N页."""
    data = two_page_pdf("低保名单公示", f"张三 身份证号{ID} 电话{MOBILE}")
    hits = scan_attachment(data, "pdf", "名单.pdf")
    assert [(h.kind, h.place) for h in hits] == [
        (Kind.ID_CARD, "附件《名单.pdf》第2页"),
        (Kind.MOBILE, "附件《名单.pdf》第2页"),
    ]


def test_pdf_from_demo_builder_is_scanned_and_cannot_be_masked():
    """PDF: found with the demo builder's CJK font; mask_attachment gives None."""
    data = make_pdf("发放名册", [f"卡号 {grouped(CARD)}，联系电话 {MOBILE}。"])
    assert {h.kind for h in scan_attachment(data, ".PDF", "名册.pdf")} == {
        Kind.BANK_CARD,
        Kind.MOBILE,
    }
    assert mask_attachment(data, "pdf") is None


def test_docx_paragraph_split_run_and_table_cells_found_with_places():
    """DOCX: paragraphs (附件《name》) and table cells (附件《name》表格); merged cells once."""
    hits = scan_attachment(roster_docx(), "docx", "名册.docx")
    assert [(h.kind, h.value, h.place) for h in hits] == [
        (Kind.ID_CARD, ID, "附件《名册.docx》"),
        (Kind.MOBILE, MOBILE, "附件《名册.docx》"),
        (Kind.BANK_CARD, CARD, "附件《名册.docx》表格"),
        (Kind.MOBILE, MOBILE, "附件《名册.docx》表格"),
    ]


def test_docx_mask_rewrites_every_number_and_keeps_formatting():
    """DOCX: after masking a rescan finds nothing, the masks are there, bold run stays bold."""
    masked = mask_attachment(roster_docx(), "docx")
    assert masked is not None
    assert scan_attachment(masked, "docx", "名册.docx") == []
    text = "\n".join(t for _, t in extract_text(masked, "docx"))
    for form in (ID[:2] + "*" * 13 + ID[-3:], "138****1234", CARD[:4] + "*" * 11 + CARD[-4:]):
        assert form in text
    assert "电话138****1234（本人）" in text
    paragraph = docx.Document(io.BytesIO(masked)).paragraphs[1]
    assert [(r.text, r.bold) for r in paragraph.runs] == [
        ("电话", None),
        ("138****1234", True),
        ("（本人）", None),
    ]


def test_xlsx_string_and_int_cells_found_on_every_sheet():
    """XLSX: string and int cells, hidden sheets too; place is 附件《name》工作表 S 第N行."""
    hits = scan_attachment(roster_xlsx(), "xlsx", "名册.xlsx")
    assert [(h.kind, h.place) for h in hits] == [
        (Kind.ID_CARD, "附件《名册.xlsx》工作表 名册 第2行"),
        (Kind.MOBILE, "附件《名册.xlsx》工作表 名册 第2行"),
        (Kind.BANK_CARD, "附件《名册.xlsx》工作表 发放 第2行"),
    ]


def test_xlsx_mask_rewrites_cells_and_leaves_the_rest():
    """XLSX: after masking a rescan finds nothing; amounts, formulas and text stay."""
    masked = mask_attachment(roster_xlsx(), "xlsx")
    assert masked is not None
    assert scan_attachment(masked, "xlsx", "名册.xlsx") == []
    workbook = openpyxl.load_workbook(io.BytesIO(masked))
    roster, hidden = workbook["名册"], workbook["发放"]
    assert [c.value for c in roster[2]] == [
        1,
        "张三",
        ID[:2] + "*" * 13 + ID[-3:],
        "138****1234",
        427188,
    ]
    assert [c.value for c in roster[3]] == [2, "李四", "无", "0596-5261003", 1500]
    assert hidden["A2"].value == f"卡号：{CARD[:4]}{'*' * 11}{CARD[-4:]}"
    assert hidden["A3"].value == "=SUM(1,2)"
    assert hidden.sheet_state == "hidden"


def test_mask_attachment_returns_the_same_bytes_when_clean():
    """mask_attachment: nothing to mask gives the original bytes back."""
    clean = mask_attachment(roster_docx(), "docx")
    assert clean is not None
    assert mask_attachment(clean, "docx") == clean


def test_file_name_is_scanned_and_never_shown_raw():
    """Attachment name: a number in it is a hit, and every place label shows it masked."""
    hits = scan_attachment(roster_xlsx(), "xlsx", f"张三{MOBILE}.xlsx")
    assert hits[0].place == "附件《张三138****1234.xlsx》文件名"
    assert len(hits) == 4
    assert all(MOBILE not in h.place and MOBILE not in h.context for h in hits)


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx"])
def test_damaged_file_gives_nothing_and_does_not_raise(extension):
    """Damaged file: extract_text gives [], scan gives [], mask gives None; no exception."""
    data = b"PK\x03\x04 not really " + MOBILE.encode()
    assert extract_text(data, extension) == []
    assert scan_attachment(data, extension, "坏文件") == []
    assert mask_attachment(data, extension) is None


@pytest.mark.parametrize("extension", ["doc", "xls", "ofd", "jpg", ""])
def test_other_types_cannot_be_read_or_masked(extension):
    """Other extensions: no text extracted, no automatic mask."""
    assert extract_text(MOBILE.encode(), extension) == []
    assert mask_attachment(MOBILE.encode(), extension) is None


def test_extract_text_is_bounded(monkeypatch):
    """Bounded reading: extraction stops after MAX_TEXT_CHARS characters."""
    monkeypatch.setattr(textextract, "MAX_TEXT_CHARS", 30)
    pieces = extract_text(roster_xlsx(), "xlsx")
    assert sum(len(text) for _, text in pieces) == 30
    assert len(pieces) < 5


# --- showing the numbers where they are (issue 10) ----------------------------------------


def marks(html: str) -> list[str]:
    return re.findall(r'<mark class="pii-hit">(.*?)</mark>', html)


def test_highlight_marks_each_number_in_place_masked_with_its_kind():
    """Each finding is marked where it stands, masked, after its kind in words."""
    with translation.override("zh-hans"):
        shown = highlight_numbers_in_html(BODY)
    assert isinstance(shown, SafeString)
    assert marks(shown) == [
        f'<span class="pii-hit-kind">身份证号</span>{ID[:2]}{"*" * 13}{ID[-3:]}',
        '<span class="pii-hit-kind">手机号</span>138****1234',
        f'<span class="pii-hit-kind">银行卡号</span>{CARD[:4]}{"*" * 11}{CARD[-4:]}',
    ]
    # In place: the ID inside its <strong>, the phone in its own cell; the rest unchanged.
    assert "身份证号<strong><mark" in shown
    assert "<td>电话</td><td><mark" in shown
    assert shown.startswith("<h2>低保对象公示</h2><p>户主张三，")


def test_highlight_never_shows_a_raw_number():
    shown = highlight_numbers_in_html(BODY + f'<p><a href="https://x.cn/?t={MOBILE}">联系</a></p>')
    for raw in (ID, MOBILE, CARD, grouped(CARD), "138 1234 1234"):
        assert raw not in shown
    assert 'href="https://x.cn/?t=138****1234"' in shown  # an attribute is masked, not marked


def test_highlight_a_number_split_by_inline_tags_keeps_the_markup_well_formed():
    shown = highlight_numbers_in_html("<p>电话<strong>138</strong>1234<em>1234</em>。</p>")
    assert shown == (
        '<p>电话<strong><mark class="pii-hit"><span class="pii-hit-kind">'
        f"{highlight_kind(Kind.MOBILE)}</span>138****1234</mark></strong><em></em>。</p>"
    )


def highlight_kind(kind: Kind) -> str:
    return str(KIND_NAMES[kind])


def test_highlight_is_empty_without_numbers_and_sanitises_its_input():
    assert highlight_numbers_in_html("<p>没有号码，金额 12.5 万元。</p>") == ""
    shown = highlight_numbers_in_html(f'<p onclick="x()">电话{MOBILE}</p><script>alert(1)</script>')
    assert "onclick" not in shown and "<script" not in shown
    assert len(marks(shown)) == 1


def test_findings_include_shows_the_marked_body_or_nothing():
    """templates/admin/disclosure/_pii_findings.html, as the submit refusal includes it."""
    template = "admin/disclosure/_pii_findings.html"
    with translation.override("zh-hans"):
        page = render_to_string(template, {"pii_highlighted_body": highlight_numbers_in_html(BODY)})
        empty = render_to_string(
            template, {"pii_highlighted_body": highlight_numbers_in_html("<p>无</p>")}
        )
    assert "号码在正文中的位置" in page
    assert '<div class="pii-body"><h2>低保对象公示</h2>' in page
    assert len(marks(page)) == 3
    assert "css/editor.css" in page
    assert empty.strip() == ""
