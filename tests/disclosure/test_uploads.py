"""disclosure.uploads.clean_upload: the upload gate of security.md §1.5.

Every test builds a real file (tests/disclosure/upload_builders.py: reportlab,
python-docx, openpyxl, Pillow, zipfile and a minimal compound-file writer for
.doc/.xls) so the checks run against what staff actually upload. No database is needed.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterator

import olefile
import pytest
from PIL import Image, ImageCms

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from disclosure.uploads import CleanUpload, clean_upload
from tests.disclosure.upload_builders import (
    MACRO_COMPOUND_FILES,
    MACRO_PACKAGES,
    PNG_SIGNATURE,
    XLSM_MAIN,
    biff,
    boundsheet,
    make_cfb,
    make_docm,
    make_docx,
    make_jpeg,
    make_noise_png,
    make_ofd,
    make_ole,
    make_pdf,
    make_png,
    make_xlsm,
    make_xlsx,
    make_zip,
    png_declaring,
    repack,
    word_stream,
    workbook_stream,
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_upload(upload(name, content), **kwargs)
    return caught.value


def reopen(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


# --- allowed types ------------------------------------------------------------------------

ALLOWED: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("通知.pdf", make_pdf, "pdf", "application/pdf"),
    ("通知.doc", lambda: make_ole("WordDocument"), "doc", "application/msword"),
    (
        "通知.docx",
        make_docx,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("预算.xls", lambda: make_ole("Workbook"), "xls", "application/vnd.ms-excel"),
    (
        "预算.xlsx",
        make_xlsx,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("公文.ofd", make_ofd, "ofd", "application/ofd"),
    ("现场.jpg", make_jpeg, "jpg", "image/jpeg"),
    ("现场.png", make_png, "png", "image/png"),
]


@pytest.mark.parametrize(
    ("name", "build", "extension", "content_type"), ALLOWED, ids=[row[2] for row in ALLOWED]
)
def test_allowed_type_accepted(name, build, extension, content_type):
    """Each allowed type is accepted with its canonical extension and MIME type."""
    content = build()
    result = clean_upload(upload(name, content))
    assert isinstance(result, CleanUpload)
    assert (result.extension, result.content_type, result.display_name) == (
        extension,
        content_type,
        name,
    )
    if extension not in {"jpg", "png"}:
        assert result.content == content


def test_ole_fixture_is_a_real_compound_file():
    """The hand-built .doc/.xls fixtures are genuine OLE files (olefile reads them)."""
    with olefile.OleFileIO(io.BytesIO(make_ole("WordDocument"))) as ole:
        assert ole.listdir() == [["WordDocument"]]
        assert len(ole.openstream("WordDocument").read()) == 4096


def test_excel_95_book_stream_is_xls():
    """An OLE file with the Excel 5/95 "Book" stream counts as .xls."""
    assert clean_upload(upload("旧表.xls", make_ole("Book"))).extension == "xls"


def test_jpeg_spelling_and_upper_case_extension_accepted():
    """.jpeg and upper-case extensions map to the canonical one; the name keeps its spelling."""
    result = clean_upload(upload("照片.JPEG", make_jpeg()))
    assert (result.extension, result.content_type, result.display_name) == (
        "jpg",
        "image/jpeg",
        "照片.JPEG",
    )
    assert clean_upload(upload("REPORT.PDF", make_pdf())).extension == "pdf"


def test_plain_django_file_and_name_override():
    """A plain django File works, and the name argument overrides upload.name."""
    result = clean_upload(File(io.BytesIO(make_pdf()), name="tmp123"), name="公示.pdf")
    assert (result.display_name, result.extension) == ("公示.pdf", "pdf")


# --- content must match the name ----------------------------------------------------------


def test_html_renamed_jpg_refused():
    """HTML renamed .jpg is refused: the content decides, not the name."""
    error = refusal("photo.jpg", b"<html><script>alert(1)</script></html>")
    assert error.code == "unknown_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
        ("notes.docx", "这是一段纯文本。".encode()),
        ("archive.docx", make_zip({"readme.txt": b"hello"})),
        ("sheet.xls", make_ole("Contents")),
    ],
    ids=["exe", "text", "plain-zip", "ole-without-known-stream"],
)
def test_unrecognised_content_refused(name, content):
    """Content that is none of the allowed formats is refused whatever the name."""
    assert refusal(name, content).code == "unknown_type"


def test_docx_named_xlsx_refused_naming_real_type():
    """A .docx named .xlsx is refused and the message says what the content really is."""
    error = refusal("预算.xlsx", make_docx())
    assert error.code == "type_mismatch"
    assert ".xlsx" in error.messages[0] and ".docx" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "build"),
    [("a.png", make_pdf), ("a.doc", lambda: make_ole("Workbook")), ("a.pdf", make_png)],
    ids=["pdf-as-png", "xls-as-doc", "png-as-pdf"],
)
def test_other_mismatches_refused(name, build):
    """Any disagreement between the name's extension and the content is refused."""
    assert refusal(name, build()).code == "type_mismatch"


def test_encrypted_office_document_refused_with_own_message():
    """A password-protected Office file (OLE EncryptedPackage) gets a specific refusal."""
    assert refusal("机密.docx", make_ole("EncryptedPackage")).code == "encrypted"


@pytest.mark.parametrize("name", ["脚本.exe", "page.html", "image.svg", "noextension", "x.php"])
def test_disallowed_extension_refused(name):
    """Extensions outside the allowlist are refused before the content is read."""
    error = refusal(name, make_pdf())
    assert error.code == "type_not_allowed"
    assert "PDF, DOC, DOCX, XLS, XLSX, OFD, JPG, PNG" in error.messages[0]


# --- images are re-encoded ----------------------------------------------------------------


def test_png_polyglot_payload_removed():
    """A PNG with a trailing <html><script> payload is accepted but re-encoded without it."""
    original = make_png() + b"<html><script>alert(document.cookie)</script></html>"
    result = clean_upload(upload("图.png", original))
    assert b"<html" not in result.content
    assert result.content.startswith(PNG_SIGNATURE)
    image = reopen(result.content)
    assert (image.format, image.size) == ("PNG", (40, 20))


def test_png_text_chunks_dropped():
    """PNG text metadata does not survive re-encoding."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "张三 13800000000")
    result = clean_upload(upload("图.png", make_png(pnginfo=info)))
    assert "张三".encode() not in result.content
    assert reopen(result.content).info.get("Author") is None


def test_png_palette_transparency_kept():
    """Re-encoding keeps a palette PNG's transparent pixels (how the image looks)."""
    rgba = Image.new("RGBA", (30, 30), (255, 0, 0, 255))
    rgba.putpixel((0, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    rgba.quantize(4).save(buffer, "PNG")
    image = reopen(clean_upload(upload("图标.png", buffer.getvalue())).content).convert("RGBA")
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((5, 5)) == (255, 0, 0, 255)


def test_jpeg_comment_and_icc_profile_dropped():
    """JPEG comments and ICC profiles do not survive (pixels are converted to sRGB instead)."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = make_jpeg(icc_profile=icc, comment=b"scanned by clerk Wang")
    result = clean_upload(upload("扫描.jpg", original))
    image = reopen(result.content)
    assert b"clerk Wang" not in result.content
    assert "icc_profile" not in image.info and "comment" not in image.info


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # camera model
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 40.0, 50.0), 3: "E", 4: (114.0, 5.0, 6.0)})
    return exif


def test_jpeg_exif_gps_removed():
    """EXIF (including the GPS IFD) is removed from a JPEG."""
    original = make_jpeg(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture has GPS
    result = clean_upload(upload("现场.jpg", original))
    image = reopen(result.content)
    assert image.format == "JPEG"
    assert "exif" not in image.info
    assert not image.getexif()
    assert b"Exif\x00\x00" not in result.content


def test_jpeg_orientation_baked_in():
    """The EXIF orientation is applied to the pixels before EXIF is dropped."""
    result = clean_upload(upload("竖拍.jpg", make_jpeg(size=(40, 20), exif=gps_exif(6))))
    assert reopen(result.content).size == (20, 40)


def test_greyscale_jpeg_stored_as_rgb():
    """Re-encoded JPEGs are RGB."""
    result = clean_upload(upload("扫描.jpg", make_jpeg(mode="L")))
    assert reopen(result.content).mode == "RGB"


def test_corrupt_png_refused():
    """A truncated PNG (header fine, pixel data cut off) is refused as damaged."""
    original = make_noise_png()
    assert refusal("坏图.png", original[: len(original) // 2]).code == "damaged"


def test_png_signature_with_garbage_refused():
    """A PNG signature followed by garbage is refused as damaged."""
    assert refusal("坏图.png", PNG_SIGNATURE + b"garbage" * 20).code == "damaged"


@override_settings(IMAGE_MAX_PIXELS=10_000)
def test_pixel_flood_over_lowered_cap_refused():
    """An image with more pixels than IMAGE_MAX_PIXELS is refused."""
    error = refusal("大图.png", make_png(size=(200, 200)))
    assert error.code == "too_many_pixels"
    assert "0.01" in error.messages[0]


def test_pixel_flood_checked_before_decoding():
    """A tiny PNG declaring 8000x6000 px (48 Mpx > 40 Mpx) is refused from its header alone."""
    # The pixel data is a stub: decoding would have failed as "damaged" instead.
    assert refusal("flood.png", png_declaring(8000, 6000)).code == "too_many_pixels"


def test_pixel_flood_beyond_pillow_guard_refused():
    """A PNG declaring 100000x100000 px (Pillow's own bomb error) gets the same refusal."""
    assert refusal("flood.png", png_declaring(100_000, 100_000)).code == "too_many_pixels"


# --- size ---------------------------------------------------------------------------------


def test_empty_file_refused():
    """A 0-byte file is refused."""
    error = refusal("空.pdf", b"")
    assert error.code == "empty"


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_oversize_attachment_refused():
    """An attachment over ATTACHMENT_MAX_BYTES is refused."""
    content = make_pdf() + b"%" + b"x" * 2000
    assert refusal("大.pdf", content).code == "too_large"


@override_settings(IMAGE_MAX_BYTES=100, ATTACHMENT_MAX_BYTES=10**7)
def test_oversize_image_refused_under_image_cap():
    """Images have their own, smaller cap (IMAGE_MAX_BYTES)."""
    content = make_noise_png((16, 16))
    assert len(content) > 100
    assert refusal("大.png", content).code == "too_large"


class DeclaredSizeUpload:
    """An upload whose declared size and real bytes can differ."""

    def __init__(self, name: str, size: int, content: bytes = b"", readable: bool = True):
        self.name, self.size, self._content, self._readable = name, size, content, readable

    def chunks(self) -> Iterator[bytes]:
        assert self._readable, "content was read although the declared size is over the cap"
        for start in range(0, len(self._content), 64):
            yield self._content[start : start + 64]


def test_declared_size_checked_before_reading():
    """upload.size over the cap is refused without reading the content."""
    fake = DeclaredSizeUpload("巨大.pdf", size=10**12, readable=False)
    with pytest.raises(ValidationError) as caught:
        clean_upload(fake)
    assert caught.value.code == "too_large"


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_understated_size_still_capped_while_reading():
    """A file that understates its size is stopped once reading passes the cap."""
    fake = DeclaredSizeUpload("骗.pdf", size=10, content=make_pdf() + b"x" * 5000)
    with pytest.raises(ValidationError) as caught:
        clean_upload(fake)
    assert caught.value.code == "too_large"


# --- zip bombs ----------------------------------------------------------------------------


@override_settings(ZIP_MAX_UNPACKED_BYTES=100_000)
def test_zip_total_unpacked_size_over_cap_refused():
    """A docx whose members add up to more than ZIP_MAX_UNPACKED_BYTES is refused."""
    bomb = make_zip({"word/document.xml": b"<w:document/>", "word/pad.xml": b"\x00" * 200_000})
    assert refusal("炸弹.docx", bomb).code == "unpacked_too_large"


def forge_declared_size(archive: bytes, member: str, declared: int) -> bytes:
    """Rewrite the central directory so `member` claims `declared` bytes unpacked."""
    encoded = member.encode()
    position = archive.index(b"PK\x01\x02")
    while archive[position + 46 : position + 46 + len(encoded)] != encoded:
        position = archive.index(b"PK\x01\x02", position + 4)
    return archive[: position + 24] + struct.pack("<I", declared) + archive[position + 28 :]


def test_zip_declared_total_over_default_cap_refused():
    """A small ofd whose central directory declares 300 MB unpacked is refused (default cap)."""
    forged = forge_declared_size(
        make_ofd({"Doc_0/Res/big.bin": b"x" * 100}), "Doc_0/Res/big.bin", 300 * 1024 * 1024
    )
    assert zipfile.ZipFile(io.BytesIO(forged)).getinfo("Doc_0/Res/big.bin").file_size > 3 * 10**8
    assert refusal("炸弹.ofd", forged).code == "unpacked_too_large"


def test_zip_compression_ratio_refused():
    """A member with an absurd compression ratio (5 MB of zeros) is refused under default caps."""
    bomb = make_zip({"xl/workbook.xml": b"<workbook/>", "xl/media/zeros.bin": bytes(5 * 2**20)})
    assert len(bomb) < 50_000
    assert refusal("炸弹.xlsx", bomb).code == "unpacked_too_large"


@override_settings(ZIP_MAX_MEMBERS=10)
def test_zip_member_count_over_cap_refused():
    """A zip with more members than ZIP_MAX_MEMBERS is refused."""
    many = make_ofd({f"Doc_0/Pages/Page_{i}/Content.xml": b"<p/>" for i in range(20)})
    assert refusal("多.ofd", many).code == "unpacked_too_large"


def test_corrupt_zip_refused():
    """Bytes that start like a zip but are not one are refused as damaged."""
    assert refusal("坏.docx", b"PK\x03\x04" + b"\x00" * 300).code == "damaged"


# --- macros -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build"), [row[1:] for row in MACRO_PACKAGES], ids=[row[0] for row in MACRO_PACKAGES]
)
def test_macro_enabled_package_refused(name, build):
    """A .docx/.xlsx that carries code (VBA project, macroEnabled type, ActiveX, Excel 4.0
    macro sheet, embedded macro workbook) is refused, however the code is named or hidden."""
    error = refusal(name, build())
    assert error.code == "macros"
    assert "宏" in error.messages[0]


def test_fixture_docm_is_what_word_writes():
    """The hand-made .docm holds an OLE VBA project under the macroEnabled main type."""
    archive = zipfile.ZipFile(io.BytesIO(make_docm()))
    assert (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        in archive.read("[Content_Types].xml").decode()
    )
    with olefile.OleFileIO(io.BytesIO(archive.read("word/vbaProject.bin"))) as ole:
        assert ole.exists("VBA/dir") and ole.exists("PROJECT")
    assert (
        XLSM_MAIN in zipfile.ZipFile(io.BytesIO(make_xlsm())).read("[Content_Types].xml").decode()
    )


def test_words_about_macros_in_the_text_are_not_code():
    """A document that only talks about macros (in its text) is accepted."""
    text = "关于禁止使用宏的通知 vbaProject.bin macroEnabled activeX/ macrosheets/"
    assert clean_upload(upload("通知.docx", make_docx(text))).extension == "docx"


def test_oversized_content_types_refused():
    """[Content_Types].xml padded past 2 MB (to hide a declaration) is refused."""
    padded = repack(
        make_docx(), content_types=lambda xml: xml + " " * (3 * 1024 * 1024), stored=True
    )
    assert refusal("通知.docx", padded).code == "unpacked_too_large"


@pytest.mark.parametrize(
    ("name", "tree"),
    [row[1:] for row in MACRO_COMPOUND_FILES],
    ids=[row[0] for row in MACRO_COMPOUND_FILES],
)
def test_macro_compound_file_refused(name, tree):
    """A .doc/.xls with a VBA project (Macros, _VBA_PROJECT_CUR, VBA storages, also nested
    or in lower case) or an Excel 4.0 macro sheet is refused."""
    assert refusal(name, make_cfb(tree)).code == "macros"


def test_compound_files_without_code_accepted():
    """Hidden worksheets, chart sheets, an embedded plain workbook and a storage whose name
    merely starts with VBA are not code."""
    sheets = workbook_stream(boundsheet("Sheet1"), boundsheet("Hidden", 0, hidden=1),
                             boundsheet("Chart1", 2))  # fmt: skip
    assert clean_upload(upload("预算.xls", make_cfb({"Workbook": sheets}))).extension == "xls"
    embedded = {
        "WordDocument": word_stream(),
        "ObjectPool": {"_1": {"Workbook": workbook_stream()}},
        "VBAnalysis": b"notes",
    }
    assert clean_upload(upload("通知.doc", make_cfb(embedded))).extension == "doc"


@pytest.mark.parametrize(
    ("name", "tree"),
    [
        ("预算.xls", {"Workbook": workbook_stream(biff(0x002F, bytes(54)), boundsheet("S", 1))}),
        ("通知.doc", {"WordDocument": word_stream(encrypted=True)}),
    ],
    ids=["xls-filepass", "doc-fencrypted"],
)
def test_password_protected_legacy_files_refused(name, tree):
    """A password-protected .xls/.doc hides its content (and macro sheets) from any scan."""
    assert refusal(name, make_cfb(tree)).code == "encrypted"


# --- display names ------------------------------------------------------------------------


def test_path_traversal_name_reduced_to_basename():
    """Directory parts are stripped: ../../etc/passwd.pdf becomes passwd.pdf."""
    result = clean_upload(upload("x.pdf", make_pdf()), name="../../etc/passwd.pdf")
    assert result.display_name == "passwd.pdf"


def test_windows_path_reduced_to_basename():
    """Backslash directories are stripped too, whatever the server OS."""
    result = clean_upload(upload("C:\\Users\\张三\\桌面\\..\\报告.pdf", make_pdf()))
    assert result.display_name == "报告.pdf"


def test_bidi_override_cannot_disguise_exe():
    """报告\\u202efdp.exe (shows as 报告exe.pdf) is refused as .exe."""
    assert refusal("报告\u202efdp.exe", b"MZ" + bytes(100)).code == "type_not_allowed"


def test_bidi_override_removed_from_name():
    """A bidi override is removed from an otherwise good name: 通知\\u202e.pdf -> 通知.pdf."""
    assert clean_upload(upload("通知\u202e.pdf", make_pdf())).display_name == "通知.pdf"


def test_control_characters_and_whitespace_cleaned():
    """Control and zero-width characters are dropped and whitespace collapsed."""
    name = " 2024年\t\t预算\r\n公开\x00\u200b\ufeff .pdf "
    result = clean_upload(upload("x.pdf", make_pdf()), name=name)
    assert result.display_name == "2024年 预算 公开.pdf"


def test_long_name_capped_keeping_extension():
    """Names are capped at 100 characters and keep their extension."""
    result = clean_upload(upload("x.docx", make_docx()), name="长" * 300 + ".docx")
    assert len(result.display_name) == 100
    assert result.display_name == "长" * 95 + ".docx"


@pytest.mark.parametrize("name", ["\u202e.pdf", ".pdf", " \u200f . .pdf"])
def test_empty_stem_falls_back_to_attachment(name):
    """When nothing of the name is left, the display name is 附件.<ext>."""
    assert clean_upload(upload("x.pdf", make_pdf()), name=name).display_name == "附件.pdf"
