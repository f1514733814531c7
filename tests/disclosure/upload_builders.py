"""Real files for the upload-gate tests (tests/disclosure/test_uploads.py): reportlab,
python-docx, openpyxl, Pillow and zipfile, plus a minimal compound-file writer for
.doc/.xls (olefile only reads) and the parts that make an Office file run code."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable

import docx
import openpyxl
from PIL import Image
from reportlab.pdfgen import canvas

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def make_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Township notice")
    pdf.save()
    return buffer.getvalue()


def make_docx(text: str = "关于开展春季防火工作的通知") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["项目", "金额"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def make_ofd(extra: dict[str, bytes] | None = None) -> bytes:
    members = {
        "OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>',
        "Doc_0/Document.xml": b'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
    }
    return make_zip(members | (extra or {}))


def make_image(fmt: str, size: tuple[int, int] = (40, 20), mode: str = "RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 128).save(buffer, fmt, **save)
    return buffer.getvalue()


def make_png(**kwargs) -> bytes:
    return make_image("PNG", **kwargs)


def make_jpeg(**kwargs) -> bytes:
    return make_image("JPEG", **kwargs)


def make_noise_png(size: tuple[int, int] = (128, 128)) -> bytes:
    # Random pixels do not compress, so the IDAT data is long enough to cut in half.
    image = Image.frombytes("RGB", size, random.Random(7).randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height; its pixel data is a stub."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


# --- compound files -----------------------------------------------------------------------

# A minimal OLE compound file (MS-CFB version 3, 512-byte sectors): sector 0 is the FAT,
# then the directory, then each stream padded to at least 4096 bytes (the mini-stream
# cutoff, so no mini FAT is needed). The children of a storage hang off it as a chain of
# right siblings, which olefile reads like any red-black tree. Enough for olefile and for
# the gate; not for Word.
_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5

# A tree: a name maps to a stream's bytes or to a storage (another tree).
Tree = dict[str, "bytes | Tree"]


def _cfb_dir_entry(
    name: str,
    kind: int,
    child: int = _NOSTREAM,
    start: int = _END,
    size: int = 0,
    right: int = _NOSTREAM,
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, _NOSTREAM, right, child)
        + bytes(16 + 4 + 8 + 8)  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def make_cfb(tree: Tree) -> bytes:
    entries: list[dict] = []
    streams: list[bytes] = []

    def add(name: str, node: bytes | Tree, kind: int | None = None) -> int:
        index = len(entries)
        entries.append({"name": name, "right": _NOSTREAM, "child": _NOSTREAM})
        if isinstance(node, dict):
            children = [add(child_name, child) for child_name, child in node.items()]
            for left, right in zip(children, children[1:], strict=False):
                entries[left]["right"] = right
            entries[index] |= {"kind": kind or _STORAGE, "stream": None}
            if children:
                entries[index]["child"] = children[0]
        else:
            data = node.ljust(4096, b"\0")
            data = data.ljust(-(-len(data) // 512) * 512, b"\0")
            entries[index] |= {"kind": _STREAM, "stream": len(streams)}
            streams.append(data)
        return index

    add("Root Entry", tree, kind=_ROOT)
    entries += [None] * (-len(entries) % 4)  # the directory fills whole sectors
    dir_sectors = len(entries) // 4
    fat = [_FATSECT] + [2 + i for i in range(dir_sectors - 1)] + [_END]
    starts = []
    for data in streams:
        starts.append(len(fat))
        count = len(data) // 512
        fat += [len(fat) + 1 + i for i in range(count - 1)] + [_END]
    assert len(fat) <= 128, "one FAT sector only: keep the test files small"
    fat += [_FREE] * (128 - len(fat))
    directory = b""
    for entry in entries:
        if entry is None:
            directory += _cfb_dir_entry("", 0)
            continue
        stream = entry["stream"]
        start, size = (_END, 0) if stream is None else (starts[stream], len(streams[stream]))
        directory += _cfb_dir_entry(
            entry["name"], entry["kind"], entry["child"], start, size, entry["right"]
        )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        # dir sectors, FAT sectors, first dir sector, transaction, mini cutoff,
        # first mini FAT, mini FAT sectors, first DIFAT, DIFAT sectors
        + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    return header + struct.pack("<128I", *fat) + directory + b"".join(streams)


def make_ole(stream_name: str, stream_size: int = 4096) -> bytes:
    return make_cfb({stream_name: bytes(stream_size)})


def vba_storage() -> Tree:
    """What Office writes for a VBA project: the PROJECT text and the VBA code storage."""
    return {
        "VBA": {"dir": b"\x01" + bytes(64), "Module1": b'Attribute VB_Name = "Module1"\r\n'},
        "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n',
        "PROJECTwm": b"Module1\x00M\x00o\x00d\x00\x00\x00\x00\x00",
    }


def word_stream(encrypted: bool = False) -> bytes:
    fib = bytearray(4096)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)  # wIdent, nFib of Word 97
    struct.pack_into("<H", fib, 10, 0x0100 if encrypted else 0)  # FibBase.fEncrypted
    return bytes(fib)


def biff(record: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", record, len(body)) + body


def boundsheet(name: str, sheet_type: int = 0, hidden: int = 0) -> bytes:
    """BoundSheet8: stream offset, visibility (2 = very hidden), type (1 = macro sheet)."""
    body = struct.pack("<IBB", 0, hidden, sheet_type) + bytes([len(name), 0]) + name.encode()
    return biff(0x0085, body)


def workbook_stream(*records: bytes) -> bytes:
    """A BIFF8 workbook globals substream: BOF, the records, EOF."""
    bof = biff(0x0809, struct.pack("<HH", 0x0600, 0x0005) + bytes(12))
    return bof + b"".join(records or (boundsheet("Sheet1"),)) + biff(0x000A)


# --- OOXML packages carrying code ---------------------------------------------------------

DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"


def repack(
    package: bytes,
    add: dict[str, bytes] | None = None,
    content_types: Callable[[str], str | bytes] | None = None,
    stored: bool = False,
) -> bytes:
    """A copy of a docx/xlsx with parts added and [Content_Types].xml rewritten."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name in source.namelist():
            body = source.read(name)
            if name == "[Content_Types].xml" and content_types is not None:
                body = content_types(body.decode())
                body = body.encode() if isinstance(body, str) else body
            out.writestr(name, body)
        for name, body in (add or {}).items():
            out.writestr(name, body)
    return buffer.getvalue()


def declare(*entries: str) -> Callable[[str], str]:
    """Adds <Default>/<Override> elements to [Content_Types].xml."""
    return lambda xml: xml.replace("</Types>", "".join(entries) + "</Types>")


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def default(extension: str, content_type: str) -> str:
    return f'<Default Extension="{extension}" ContentType="{content_type}"/>'


def main_type(original: str, replacement: str) -> Callable[[str], str]:
    return lambda xml: xml.replace(original, replacement)


def make_docm() -> bytes:
    """A .docm as Word saves it: the VBA project part, its type, the macroEnabled main part."""
    declared = main_type(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        DOCM_MAIN,
    )
    return repack(
        make_docx(),
        add={"word/vbaProject.bin": make_cfb(vba_storage())},
        content_types=lambda xml: declare(default("bin", VBA_PROJECT))(declared(xml)),
    )


def make_xlsm() -> bytes:
    declared = main_type(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSM_MAIN
    )
    return repack(
        make_xlsx(),
        add={"xl/vbaProject.bin": make_cfb(vba_storage())},
        content_types=lambda xml: declare(override("/xl/vbaProject.bin", VBA_PROJECT))(
            declared(xml)
        ),
    )


# --- hold-out cases: files that run code, however it is named or hidden -----------------

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

MACRO_PACKAGES: list[tuple[str, str, Callable[[], bytes]]] = [
    ("docm-renamed-docx", "通知.docx", make_docm),
    ("xlsm-renamed-xlsx", "预算.xlsx", make_xlsm),
    ("docm-renamed-xlsx", "预算.xlsx", make_docm),  # refused for its code, whatever the name
    (
        "vba-part-types-untouched",
        "通知.docx",
        lambda: repack(make_docx(), add={"word/vbaProject.bin": make_cfb(vba_storage())}),
    ),
    (
        "upper-case-part-name",
        "通知.docx",
        lambda: repack(make_docx(), add={"WORD/VBAPROJECT.BIN": make_cfb(vba_storage())}),
    ),
    (
        "macro-enabled-type-only",
        "通知.docx",
        lambda: repack(
            make_docx(),
            content_types=lambda xml: xml.replace(
                DOCX_MAIN, "application/vnd.ms-word.document.macroEnabled.main+xml"
            ),
        ),
    ),
    (
        "vba-project-under-another-name",
        "通知.docx",
        lambda: repack(
            make_docx(),
            add={"word/settings2.dat": make_cfb(vba_storage())},
            content_types=declare(override("/word/settings2.dat", VBA_PROJECT)),
        ),
    ),
    (
        "type-hidden-by-character-reference",
        "预算.xlsx",
        lambda: repack(
            make_xlsx(),
            content_types=declare(
                override("/xl/x.xml", "application/vnd.ms-excel.sheet.macro&#69;nabled.main+xml")
            ),
        ),
    ),
    (
        "type-hidden-in-utf16",
        "通知.docx",
        lambda: repack(
            make_docx(),
            content_types=lambda xml: (
                declare(default("bin", VBA_PROJECT))(xml)
                .replace("UTF-8", "UTF-16")
                .encode("utf-16")
            ),
        ),
    ),
    (
        "vba-data",
        "通知.docx",
        lambda: repack(make_docx(), add={"word/vbaData.xml": b"<wne:vbaSuppData/>"}),
    ),
    (
        "activex-control",
        "通知.docx",
        lambda: repack(
            make_docx(),
            add={"word/activeX/activeX1.xml": b"<ax:ocx/>", "word/activeX/activeX1.bin": b"\x00"},
            content_types=declare(default("bin", "application/vnd.ms-office.activeX")),
        ),
    ),
    (
        "excel4-macro-sheet",
        "预算.xlsx",
        lambda: repack(
            make_xlsx(),
            add={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"},
            content_types=declare(
                override("/xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml")
            ),
        ),
    ),
    (
        "embedded-xlsm",
        "通知.docx",
        lambda: repack(
            make_docx(),
            add={"word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm": make_xlsm()},
            content_types=declare(
                default("xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12")
            ),
        ),
    ),
]


MACRO_COMPOUND_FILES: list[tuple[str, str, dict]] = [
    ("doc-macros", "通知.doc", {"WordDocument": word_stream(), "Macros": vba_storage()}),
    (
        "xls-vba-project",
        "预算.xls",
        {"Workbook": workbook_stream(), "_VBA_PROJECT_CUR": vba_storage()},
    ),
    (
        "lower-case-storage",
        "通知.doc",
        {"WordDocument": word_stream(), "macros": {"vba": {"dir": b"x"}}},
    ),
    (
        "macro-workbook-embedded-in-doc",
        "通知.doc",
        {
            "WordDocument": word_stream(),
            "ObjectPool": {
                "_1234": {"Workbook": workbook_stream(), "_VBA_PROJECT_CUR": vba_storage()}
            },
        },
    ),
    (
        "excel4-very-hidden-macro-sheet",
        "预算.xls",
        {"Workbook": workbook_stream(boundsheet("Sheet1"), boundsheet("Auto", 1, hidden=2))},
    ),
]
