"""disclosure.docx_import.import_docx: a clerk's Word file becomes a draft notice.

Every test builds a real .docx with python-docx (the way Word and WPS lay out a
公文: banner, 文号, centred title, 主送机关, text) so the import runs against what
clerks actually upload. No database is needed.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from PIL import Image

from django.core.exceptions import ValidationError
from django.utils import translation

from disclosure.docx_front import document_number_line as _document_number_line
from disclosure.docx_import import (
    HEADING_MAX_CHARS,
    IMAGES_DROPPED,
    MAX_MESSAGES,
    TITLE_GUESSED,
    TITLE_MISSING,
    ImportedDocument,
    _clerk_messages,
    _finish_body,
    import_docx,
)

TITLE = "青岚镇人民政府关于做好2026年春季森林防火工作的通知"
SALUTATION = "各村（居）委会、镇直各单位："
FIRST = "为切实做好今年春季森林防火工作，保护人民群众生命财产安全，现将有关事项通知如下。"
SECOND = "各村要落实网格化管理责任，严禁野外用火。"
NOT_DOCX_MSGID = (
    "This is not a Word .docx file the portal can read. Save it as .docx in Word or WPS "
    "and try again."
)

# --- builders -----------------------------------------------------------------------------


def centred(document: docx.document.Document, text: str, *, bold=False, size=None) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def to_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_gongwen(number: str = "青政发〔2026〕3号") -> bytes:
    """An unstyled 公文 as clerks type it: everything is Normal, the title is centred."""
    document = docx.Document()
    centred(document, "青岚镇人民政府文件", bold=True, size=36)
    centred(document, number)
    centred(document, TITLE, bold=True, size=22)
    document.add_paragraph(SALUTATION)
    document.add_paragraph(FIRST)
    document.add_paragraph(SECOND)
    table = document.add_table(rows=2, cols=2)
    for row, (cell_a, cell_b) in zip(
        table.rows, [("村名", "责任人"), ("青岚村", "张三")], strict=True
    ):
        row.cells[0].text = cell_a
        row.cells[1].text = cell_b
    document.add_paragraph("青岚镇人民政府")
    return to_bytes(document)


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    # python-docx has no API for hyperlinks; this is the w:hyperlink Word writes.
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def zip_with(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- a plain 公文 -------------------------------------------------------------------------


def test_gongwen_title_number_and_body():
    result = import_docx(make_gongwen())

    assert isinstance(result, ImportedDocument)
    assert result.title == TITLE
    assert result.document_number == "青政发〔2026〕3号"
    assert result.messages == []
    assert f"<p>{SALUTATION}</p>" in result.body
    assert f"<p>{FIRST}</p>" in result.body
    assert f"<p>{SECOND}</p>" in result.body
    assert "<table><thead>" in result.body
    assert "青岚村" in result.body
    assert "张三" in result.body


def test_gongwen_body_does_not_repeat_banner_number_or_title():
    body = import_docx(make_gongwen()).body

    assert "文件" not in body
    assert "青政发" not in body
    assert TITLE not in body
    # The body starts where the text proper starts: the 主送机关.
    assert body.startswith(f"<p>{SALUTATION}</p>")
    # The signature at the bottom is body text, even though it looks like the banner.
    assert "<p>青岚镇人民政府</p>" in body


@pytest.mark.parametrize(
    "typed",
    [
        "青政发[2026]3号",
        "青政发（2026）3号",
        "青政发(2026)3号",
        "青政发﹝2026﹞03号",
        "青政发〔2026〕3号",
    ],
)
def test_document_number_brackets_are_normalised(typed):
    assert import_docx(make_gongwen(number=typed)).document_number == "青政发〔2026〕3号"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("青政发〔2026〕3号", "青政发〔2026〕3号"),
        ("青政发 〔 2026 〕 12 号", "青政发〔2026〕12号"),
        ("青政发〔2026〕3号    签发人：张三", "青政发〔2026〕3号"),
        ("根据《青政发〔2025〕1号》文件精神，现通知如下", ""),
        ("2026年3月1日", ""),
    ],
)
def test_document_number_line(line, expected):
    assert _document_number_line(line) == expected


def test_no_banner_or_number_is_fine():
    document = docx.Document()
    centred(document, TITLE, bold=True)
    document.add_paragraph(SALUTATION)
    document.add_paragraph(FIRST)

    result = import_docx(to_bytes(document))

    assert result.title == TITLE
    assert result.document_number == ""
    assert result.body == f"<p>{SALUTATION}</p><p>{FIRST}</p>"


def test_title_over_two_centred_lines_is_joined():
    document = docx.Document()
    centred(document, "青岚镇人民政府关于做好2026年", bold=True, size=22)
    centred(document, "春季森林防火工作的通知", bold=True, size=22)
    centred(document, "（2026年3月1日）")
    document.add_paragraph(SALUTATION)

    result = import_docx(to_bytes(document))

    assert result.title == TITLE
    assert "（2026年3月1日）" in result.body
    assert "春季" not in result.body


def test_title_set_in_large_font_without_bold():
    # 公文 titles are 二号 小标宋, often not bold: the size alone marks them.
    document = docx.Document()
    document.add_paragraph("附件1")
    centred(document, "青岚镇2026年防火责任人名单", size=22)
    document.add_paragraph("一、镇级责任人")

    result = import_docx(to_bytes(document))

    assert result.title == "青岚镇2026年防火责任人名单"
    assert result.body == "<p>附件1</p><h2>一、镇级责任人</h2>"


def test_spaced_out_short_title_loses_its_layout_spaces():
    document = docx.Document()
    centred(document, "通\u3000\u3000知", bold=True)
    document.add_paragraph(FIRST)

    assert import_docx(to_bytes(document)).title == "通知"


# --- styled headings ----------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 1], ids=["Title", "Heading 1"])
def test_styled_title(level):
    document = docx.Document()
    document.add_heading(TITLE, level=level)
    document.add_paragraph(FIRST)
    document.add_heading("一、总体要求", level=2)
    document.add_paragraph(SECOND)

    result = import_docx(to_bytes(document))

    assert result.title == TITLE
    assert TITLE not in result.body
    # Heading 2 moves down one level with Heading 1 (the page owns the h1).
    assert result.body == f"<p>{FIRST}</p><h3>一、总体要求</h3><p>{SECOND}</p>"
    assert result.messages == []


def test_later_headings_stay_in_the_body():
    document = docx.Document()
    document.add_paragraph("青岚镇2026年工作要点")
    document.add_paragraph(FIRST)
    document.add_heading("一、产业发展", level=1)
    document.add_paragraph(SECOND)

    result = import_docx(to_bytes(document))

    assert result.title == "青岚镇2026年工作要点"
    assert "<h2>一、产业发展</h2>" in result.body


def test_numbered_section_heading_is_not_the_title():
    document = docx.Document()
    document.add_paragraph("青岚镇2026年工作要点")
    document.add_heading("一、产业发展", level=1)
    document.add_paragraph(FIRST)

    result = import_docx(to_bytes(document))

    assert result.title == "青岚镇2026年工作要点"
    assert result.body == f"<h2>一、产业发展</h2><p>{FIRST}</p>"


# --- 公文 numbering becomes headings -------------------------------------------------------


def body_of(*paragraphs: str) -> str:
    """The body of a document with a title and these unstyled paragraphs."""
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    return import_docx(to_bytes(document)).body


def test_gongwen_numbering_gives_three_heading_levels():
    """一、→ h2, （一）→ h3, 1. → h4: the levels the editor's toolbar offers."""
    body = body_of("一、总体要求", FIRST, "（一）加强组织领导", SECOND, "1.落实网格责任", SECOND)

    assert body == (
        f"<h2>一、总体要求</h2><p>{FIRST}</p><h3>（一）加强组织领导</h3><p>{SECOND}</p>"
        f"<h4>1.落实网格责任</h4><p>{SECOND}</p>"
    )


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("十二、其他事项", "h2"),
        ("(二)工作步骤", "h3"),
        ("（三）加强督查。", "h3"),  # a heading line may end with a full stop
        ("2、补助标准", "h4"),
        ("3．申报材料", "h4"),
    ],
)
def test_numbering_variants_clerks_type(text, tag):
    assert body_of(text) == f"<{tag}>{text}</{tag}>"


@pytest.mark.parametrize(
    "text",
    [
        "（1）申请人持身份证到村委会登记",  # the fourth level runs into the text
        "（一）加强组织领导。各村要成立以村支书为组长的防火领导小组。",  # run-in heading
        "一、时间：2026年3月10日",  # a field of the notice, not a heading
        "1.5万元补助已于3月发放",  # a decimal, not a number
        "2026年起执行",
        "一、" + "严" * HEADING_MAX_CHARS,  # too long for a heading
    ],
)
def test_paragraphs_that_only_look_numbered_stay_text(text):
    assert body_of(text) == f"<p>{text}</p>"


def test_heading_styles_decide_over_numbering():
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_heading("一、总体要求", level=3)  # the author chose level 3
    document.add_paragraph("（一）", style="List Number")  # a Word list item keeps its list

    body = import_docx(to_bytes(document)).body

    assert body.startswith("<h4>一、总体要求</h4>")
    assert "<h3>" not in body


def test_numbering_inside_a_table_is_not_a_heading():
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    table = document.add_table(rows=2, cols=1)
    table.rows[0].cells[0].text = "事项"
    table.rows[1].cells[0].text = "一、修缮道路"

    assert "<td>一、修缮道路</td>" in import_docx(to_bytes(document)).body


# --- tables keep their header row ---------------------------------------------------------


def table_document(rows: list[list[str]], *, merge_header=False, word_header=False) -> bytes:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    if merge_header:  # 村名 over two rows, 人员 over two columns
        table.cell(0, 0).merge(table.cell(1, 0)).text = "村名"
        table.cell(0, 1).merge(table.cell(0, 2)).text = "人员"
    if word_header:  # Word's "repeat as header row"
        properties = table.rows[0]._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:tblHeader"))
    return to_bytes(document)


def test_first_row_becomes_the_header_row():
    body = import_docx(table_document([["村名", "户数"], ["青岚村", "12"], ["东坪村", "8"]])).body

    assert body == (
        '<table><thead><tr><th scope="col">村名</th><th scope="col">户数</th></tr></thead>'
        "<tbody><tr><td>青岚村</td><td>12</td></tr><tr><td>东坪村</td><td>8</td></tr>"
        "</tbody></table>"
    )


def test_word_header_rows_are_kept():
    data = table_document([["村名", "户数"], ["青岚村", "12"]], word_header=True)

    assert '<thead><tr><th scope="col">村名</th>' in import_docx(data).body


def test_a_header_cell_spanning_two_rows_takes_both_into_the_header():
    rows = [["村名", "人员", ""], ["", "姓名", "电话"], ["青岚村", "张三", "-"]]

    body = import_docx(table_document(rows, merge_header=True)).body

    head, rest = body.split("</thead>")
    assert '<th scope="col" rowspan="2">村名</th>' in head
    assert '<th scope="col" colspan="2">人员</th>' in head
    assert '<th scope="col">姓名</th><th scope="col">电话</th>' in head
    assert rest == "<tbody><tr><td>青岚村</td><td>张三</td><td>-</td></tr></tbody></table>"


def test_a_one_row_table_has_no_header():
    body = import_docx(table_document([["青岚镇人民政府", "2026年3月1日"]])).body

    assert body == (
        "<table><tbody><tr><td>青岚镇人民政府</td><td>2026年3月1日</td></tr></tbody></table>"
    )


# --- fallbacks ----------------------------------------------------------------------------


def test_short_first_paragraph_becomes_the_title():
    document = docx.Document()
    document.add_paragraph("关于召开安全生产会议的通知")
    document.add_paragraph(FIRST)

    result = import_docx(to_bytes(document))

    assert result.title == "关于召开安全生产会议的通知"
    assert result.body == f"<p>{FIRST}</p>"
    assert result.messages == []


def test_long_first_paragraph_offers_its_first_sentence_and_stays_in_the_body():
    long_text = (
        "经镇党委研究决定"
        + "，"
        + "定于三月十日上午九时在镇政府三楼会议室召开" * 3
        + "。请准时参加。"
    )
    document = docx.Document()
    document.add_paragraph(long_text)
    document.add_paragraph(SECOND)

    result = import_docx(to_bytes(document))

    assert len(result.title) == 60
    assert result.title.endswith("…")
    assert long_text.startswith(result.title[:-1])
    assert result.body == f"<p>{long_text}</p><p>{SECOND}</p>"
    assert result.messages == [TITLE_GUESSED]


def test_long_first_sentence_that_fits_is_not_cut():
    text = (
        "定于三月十日召开全镇安全生产工作会议。"
        + "请各单位主要负责人准时参加会议并做好发言准备" * 3
    )
    document = docx.Document()
    document.add_paragraph(text)

    result = import_docx(to_bytes(document))

    assert result.title == "定于三月十日召开全镇安全生产工作会议"
    assert result.body == f"<p>{text}</p>"


def test_document_starting_with_salutation_has_no_title():
    document = docx.Document()
    document.add_paragraph(SALUTATION)
    document.add_paragraph(FIRST)

    result = import_docx(to_bytes(document))

    assert result.title == ""
    assert result.body == f"<p>{SALUTATION}</p><p>{FIRST}</p>"
    assert result.messages == [TITLE_MISSING]


def test_empty_document():
    result = import_docx(to_bytes(docx.Document()))

    assert (result.title, result.body, result.document_number) == ("", "", "")
    assert result.messages == ["文档中没有可导入的文字。"]


# --- images -------------------------------------------------------------------------------


def test_images_are_dropped_with_one_message():
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(FIRST)
    document.add_picture(io.BytesIO(small_png()))
    document.add_picture(io.BytesIO(small_png()))
    document.add_paragraph(SECOND)

    result = import_docx(to_bytes(document))

    assert "<img" not in result.body
    assert "data:" not in result.body
    assert "base64" not in result.body
    assert result.body == f"<p>{FIRST}</p><p>{SECOND}</p>"
    assert result.messages == [IMAGES_DROPPED]


# --- not a docx ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a word document at all",
        b"\x00\x01\x02garbage" * 100,
        zip_with({"hello.txt": "hi"}),
        zip_with({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"}),
    ],
    ids=["text", "binary", "other-zip", "broken-document-xml"],
)
def test_unreadable_file_is_refused(data):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        import_docx(data)

    assert caught.value.code == "not_docx"
    assert caught.value.messages == [NOT_DOCX_MSGID]


def test_refusal_is_translated_for_clerks():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        import_docx(b"not a docx")

    (message,) = caught.value.messages
    assert message != NOT_DOCX_MSGID
    assert ".docx" in message


def test_empty_bytes_say_the_file_is_empty():
    with pytest.raises(ValidationError) as caught:
        import_docx(b"")

    assert caught.value.code == "empty"


# --- sanitising ---------------------------------------------------------------------------


def test_javascript_hyperlink_in_docx_is_not_kept():
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    paragraph = document.add_paragraph("详见")
    add_hyperlink(paragraph, "javascript:alert(1)", "通知原文")
    paragraph = document.add_paragraph("网址：")
    add_hyperlink(paragraph, "https://www.gov.cn/", "中国政府网")

    body = import_docx(to_bytes(document)).body

    assert "javascript" not in body
    assert "通知原文" in body
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>' in body


def test_docx_text_that_looks_like_html_stays_text():
    document = docx.Document()
    document.add_paragraph('<b onclick="x()">标题</b>')
    document.add_paragraph('<script>alert("x")</script>')

    result = import_docx(to_bytes(document))

    # The title is plain text (the template escapes it); the body is escaped HTML.
    assert result.title == '<b onclick="x()">标题</b>'
    assert "<script>" not in result.body
    assert "&lt;script&gt;" in result.body


def test_finish_body_drops_scripts_styles_and_handlers():
    html = (
        '<p style="color:red" onclick="steal()">正文</p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<a href="javascript:alert(1)" onmouseover="x()">链接</a>'
        '<img src="data:image/png;base64,AAAA" onerror="x()">'
        '<table><tr><td colspan="2" style="width:9in">单元格</td></tr></table>'
    )

    body = _finish_body(html)

    for forbidden in ("style", "script", "onclick", "onmouseover", "onerror", "javascript"):
        assert forbidden not in body
    assert "data:" not in body
    assert "<p>正文</p>" in body
    assert "链接" in body
    assert '<td colspan="2">单元格</td>' in body


# --- messages -----------------------------------------------------------------------------


def test_clerk_messages_are_chinese_deduplicated_and_limited():
    warnings = [
        "Unrecognised paragraph style: 'Body Text' (Style ID: BodyText)",
        "An unrecognised element was ignored: m:oMathPara",
        "An unrecognised element was ignored: w:permStart",
        "An unrecognised element was ignored: v:oval",
        "An unrecognised element was ignored: v:oval",
        "A w:sym element with an unsupported character was ignored: char F04A in font Wingdings",
        "unexpected non-cell element in table row, cell merging may be incorrect",
    ]

    shown = _clerk_messages(warnings)

    assert shown == [
        "文档中的公式未能导入，请对照原文核对。",
        "文档中有部分内容无法识别，已省略，请对照原文核对。",
        "文档中有部分内容无法识别，已省略，请对照原文核对。",
        "文档中有特殊符号无法转换，已省略，请对照原文核对。",
        "文档中的表格结构较复杂，合并单元格可能不正确，请核对表格。",
    ]


def test_messages_never_exceed_the_limit():
    document = docx.Document()
    for _ in range(10):
        document.add_picture(io.BytesIO(small_png()))

    messages = import_docx(to_bytes(document)).messages

    assert len(messages) == len(set(messages)) <= MAX_MESSAGES
    assert IMAGES_DROPPED in messages
