"""Real PDF, XLSX and DOCX files for the demo township's attachments."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

# One of the Adobe CJK fonts every PDF reader has: nothing to embed or download.
CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def make_pdf(title: str, paragraphs: Sequence[str]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
    )
    heading = ParagraphStyle(
        "h", fontName=CJK_FONT, fontSize=18, leading=28, alignment=1, wordWrap="CJK", spaceAfter=12
    )
    body = ParagraphStyle(
        "b", fontName=CJK_FONT, fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK"
    )
    story = [Paragraph(title, heading), Spacer(1, 6)]
    for text in paragraphs:
        story.append(Paragraph(text, body))
        story.append(Spacer(1, 4))
    doc.build(story)
    return buffer.getvalue()


def make_docx(title: str, paragraphs: Sequence[str]) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(list(row))
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[1:]) if len(column) > 1 else 10
        sheet.column_dimensions[column[0].column_letter].width = min(40, max(8, width * 2 + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
