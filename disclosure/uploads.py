"""The one gate every uploaded attachment and image goes through.

`clean_upload()` decides whether a staff upload may be stored, and returns what to
store and how to label it. The rules follow security.md §1.5 (ASVS 5.2.x, 5.3.2):

* only pdf, doc, docx, xls, xlsx, ofd, jpg and png; the extension in the name must
  agree with what the bytes really are (the content decides);
* size caps are checked from ``upload.size`` before anything is read, and again
  while reading, because Django itself has no per-file cap;
* docx/xlsx/ofd are zips, so member count, unpacked size and compression ratio are
  checked before anything (such as the PII scan) unpacks them;
* no macros: a .docm/.xlsm renamed .docx/.xlsx (a VBA project, a macroEnabled content
  type, ActiveX controls, Excel 4.0 macro sheets) and a .doc/.xls holding a VBA
  project or an Excel 4.0 macro sheet are refused, since residents download these
  files from a government site; so are password-protected files, which nobody can scan;
* images are decoded and re-encoded, which drops polyglot payloads appended to
  the file and EXIF (GPS) metadata, after a pixel cap checked before decoding;
* the user's file name is only ever a display label (files are stored under a
  server-made name), but it still loses directories, bidi overrides and control
  characters, because it ends up in Content-Disposition headers and in listings.

Every refusal is a `ValidationError` with one message the uploader can act on.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import olefile
from PIL import Image, ImageCms, ImageOps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import office_macros

# Canonical extension -> MIME type. The order is the order shown to users.
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "jpg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(CONTENT_TYPES)
IMAGE_EXTENSIONS: frozenset[str] = frozenset({"jpg", "png"})
# Spellings people really use for the same format.
_EXTENSION_ALIASES = {"jpeg": "jpg"}

DISPLAY_NAME_MAX_CHARS = 100
# Used when nothing printable is left of the user's name (e.g. "\u202e.pdf").
_FALLBACK_STEM = "附件"

_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

# Root streams of an OLE compound file that identify the format. "Book" is the
# Excel 5/95 name of the workbook stream.
_OLE_MARKERS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))
# An encrypted docx/xlsx is an OLE file holding the real zip in this stream; it
# deserves its own message because "not a recognised file" would puzzle staff.
_OLE_ENCRYPTED_STREAM = "EncryptedPackage"
# The main part of each zip-based format (OOXML and GB/T 33190 OFD).
_ZIP_MARKERS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("OFD.xml", "ofd"))

# Deflate tops out near 1032:1 and zip bombs sit right there. Real Office XML
# is usually 10-30:1, but a document of thousands of identical paragraphs or
# empty table cells was measured at 166-260:1, hence the margin. Small members
# cannot hurt whatever their ratio, so it is judged only above the floor.
_ZIP_MAX_RATIO = 500
_ZIP_RATIO_FLOOR_BYTES = 1024 * 1024

_PIL_FORMATS = {"jpg": "JPEG", "png": "PNG"}
_JPEG_QUALITY = 90

# Errors the decoders raise on malformed input. Pillow and olefile use a mix of
# these; anything in this tuple means "damaged file", not "bug in our code".
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


@dataclass(frozen=True)
class CleanUpload:
    content: bytes  # what gets stored (images re-encoded)
    display_name: str  # sanitised original file name, for Content-Disposition
    extension: str  # canonical: "pdf", "doc", "docx", "xls", "xlsx", "ofd", "jpg", "png"
    content_type: str  # correct MIME type for the extension

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def clean_upload(upload: Any, name: str | None = None) -> CleanUpload:
    """Check an uploaded file and return what may be stored.

    `upload` is a Django `UploadedFile`/`File`; `name` overrides `upload.name`
    when the caller knows the original name better. Raises `ValidationError`
    with a single user-facing message.
    """
    display_name = sanitize_display_name(name if name is not None else upload.name or "")
    written_ext, claimed = _extension_of(display_name)
    if claimed not in CONTENT_TYPES:
        raise _not_allowed()

    # The claimed type picks the cap; since the content must later agree with
    # the claim, an image cannot dodge the image cap by being named .pdf.
    if claimed in IMAGE_EXTENSIONS:
        limit = settings.IMAGE_MAX_BYTES
    else:
        limit = settings.ATTACHMENT_MAX_BYTES
    _check_declared_size(getattr(upload, "size", None), limit)
    data = _read_bounded(upload, limit)
    if not data:
        raise _empty()

    actual = _sniff(data)
    if actual != claimed:
        raise ValidationError(
            _(
                'The file name ends in ".%(claimed)s" but the file is actually a .%(actual)s '
                "file. Please check the file and choose it again."
            ),
            code="type_mismatch",
            params={"claimed": written_ext, "actual": actual},
        )
    if actual in IMAGE_EXTENSIONS:
        data = _reencode_image(data, actual)

    return CleanUpload(
        content=data,
        display_name=_with_fallback_stem(display_name, actual),
        extension=actual,
        content_type=CONTENT_TYPES[actual],
    )


# --- file names ---------------------------------------------------------------------------

# Cc: control characters (NUL, CR, LF, ESC...), which can break headers and logs.
# Cf: format characters, among them the bidi overrides (U+202E) that make
#     "报告\u202efdp.exe" display as "报告exe.pdf", and zero-width characters.
# Cs: lone surrogates; they cannot be encoded as UTF-8 for a header or the DB.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def sanitize_display_name(raw: str) -> str:
    """Turn a user-supplied file name into a safe display label.

    Keeps only the last path component (both / and \\ count, whatever the
    server OS), drops control/format characters, collapses whitespace and caps
    the length at DISPLAY_NAME_MAX_CHARS while keeping the extension. Does not
    invent a name: the fallback for an empty stem needs the real type and is
    applied by `clean_upload`.
    """
    base = re.split(r"[\\/]", raw)[-1]
    base = unicodedata.normalize("NFC", base)
    # Whitespace controls (tab, newline) become spaces so words stay apart; the
    # other control and format characters vanish.
    kept = (
        " " if ch.isspace() else ch
        for ch in base
        if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    text = " ".join("".join(kept).split())
    stem, dot, ext = text.rpartition(".")
    if not dot:
        return _trim_stem(text)[:DISPLAY_NAME_MAX_CHARS]
    ext = ext.strip()
    stem = _trim_stem(stem)[: max(DISPLAY_NAME_MAX_CHARS - len(ext) - 1, 0)]
    # The final cut only bites on absurd "extensions", which are refused anyway.
    return f"{_trim_stem(stem)}.{ext}"[:DISPLAY_NAME_MAX_CHARS]


def _trim_stem(stem: str) -> str:
    # Leading dots hide files on Unix and trailing dots/spaces are dropped by
    # Windows when the file is saved, so neither belongs in a label.
    return stem.strip(" .")


def _extension_of(display_name: str) -> tuple[str, str]:
    """Return (extension as written, canonical lower-case extension)."""
    _stem, dot, ext = display_name.rpartition(".")
    if not dot:
        return "", ""
    canonical = ext.lower()
    return ext, _EXTENSION_ALIASES.get(canonical, canonical)


def _with_fallback_stem(display_name: str, extension: str) -> str:
    stem, _dot, _ext = display_name.rpartition(".")
    if stem:
        return display_name
    return f"{_FALLBACK_STEM}.{extension}"


# --- size ---------------------------------------------------------------------------------


def _check_declared_size(size: int | None, limit: int) -> None:
    # Refuse on the size Django already knows, so an oversized file is never
    # pulled into memory.
    if size is None:
        return
    if size == 0:
        raise _empty()
    if size > limit:
        raise _too_large(limit)


def _read_bounded(upload: Any, limit: int) -> bytes:
    # `size` can be missing or wrong for a plain File, so the cap is enforced
    # again while reading. File.chunks() rewinds to the start first.
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        if len(buffer) > limit:
            raise _too_large(limit)
    return bytes(buffer)


# --- content sniffing ---------------------------------------------------------------------


def _sniff(data: bytes) -> str:
    """Return the canonical extension the bytes really are, or refuse them."""
    if data.startswith(_PDF_MAGIC):
        return "pdf"
    if data.startswith(_PNG_MAGIC):
        return "png"
    if data.startswith(_JPEG_MAGIC):
        return "jpg"
    kind: str | None = None
    if data.startswith(_OLE_MAGIC):
        kind = _sniff_ole(data)
    elif data.startswith(_ZIP_MAGIC):
        kind = _sniff_zip(data)
    if kind is None:
        raise ValidationError(
            _(
                "The content of this file is not a PDF, Word, Excel, OFD, JPEG or PNG file, "
                "whatever its name says."
            ),
            code="unknown_type",
        )
    return kind


def _sniff_ole(data: bytes) -> str | None:
    # Always a BytesIO: olefile treats a short bytes argument as a *path* to open.
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            found = [(stream, kind) for stream, kind in _OLE_MARKERS if ole.exists(stream)]
            encrypted = ole.exists(_OLE_ENCRYPTED_STREAM)
            macros = False
            if found:
                stream, kind = found[0]
                macros = office_macros.ole_has_vba(ole)
                body = ole.openstream(stream)
                if kind == "xls":
                    macro_sheet, encrypted = office_macros.scan_workbook_globals(body.read())
                    macros = macros or macro_sheet
                else:
                    encrypted = office_macros.word_encrypted(body.read(12))
    except _DECODE_ERRORS as exc:
        raise _damaged() from exc
    if macros:
        raise _macros()
    if encrypted:
        raise ValidationError(
            _("The document is password-protected. Remove the password and upload it again."),
            code="encrypted",
        )
    return found[0][1] if found else None


def _sniff_zip(data: bytes) -> str | None:
    _check_zip_member_count(_declared_zip_members(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_zip_limits(members)
            names = {member.filename for member in members}
            kind = next((kind for part, kind in _ZIP_MARKERS if part in names), None)
            if kind is not None and office_macros.zip_has_macros(archive, members):
                raise _macros()
    except office_macros.PartTooLarge as exc:
        raise _zip_bomb() from exc
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, *_DECODE_ERRORS) as exc:
        # NotImplementedError: a compression method zipfile lacks, which Office lacks too.
        raise _damaged() from exc
    return kind


def _declared_zip_members(data: bytes) -> int | None:
    # zipfile builds a ZipInfo for every central-directory entry; a 20 MB file
    # can declare ~400k of them. Read the count from the end-of-central-directory
    # record first so such a file is refused before that work. Returns None
    # when the record is missing or is a ZIP64 placeholder (zipfile decides).
    tail_start = max(len(data) - (22 + 0xFFFF), 0)
    position = data.rfind(b"PK\x05\x06", tail_start)
    if position < 0 or position + 22 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, position + 10)
    return None if total == 0xFFFF else total


def _check_zip_member_count(count: int | None) -> None:
    if count is not None and count > settings.ZIP_MAX_MEMBERS:
        raise _zip_bomb()


def _check_zip_limits(members: list[zipfile.ZipInfo]) -> None:
    # These are the sizes the archive declares. That is enough: zipfile stops
    # a member's stream at its declared file_size, so whoever unpacks later
    # (text extraction for the PII scan) cannot get more than was checked here.
    _check_zip_member_count(len(members))
    if sum(member.file_size for member in members) > settings.ZIP_MAX_UNPACKED_BYTES:
        raise _zip_bomb()
    for member in members:
        if (
            member.file_size > _ZIP_RATIO_FLOOR_BYTES
            and member.file_size > max(member.compress_size, 1) * _ZIP_MAX_RATIO
        ):
            raise _zip_bomb()


# --- images -------------------------------------------------------------------------------

_SRGB = ImageCms.createProfile("sRGB")


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Decode and re-encode an image, keeping pixels and nothing else.

    A file that merely passes Pillow's verify() can still carry an HTML or
    script payload after the image data; only a fresh encoding is sure to
    drop it, together with EXIF (GPS position, camera serial) and text chunks.
    """
    image = _open_image(data, kind)
    try:
        image.load()
    except _DECODE_ERRORS as exc:
        raise _damaged() from exc
    image = _upright(image)
    image = _to_srgb(image)
    if kind == "jpg" and image.mode != "RGB":
        image = image.convert("RGB")

    # Encoders fall back to image.info for some metadata (JPEG comments, PNG
    # ICC profiles), so start from an empty dict and keep only transparency,
    # which is part of how a palette or greyscale PNG looks.
    transparency = image.info.get("transparency")
    image.info = {}
    if kind == "png" and transparency is not None and image.mode in ("P", "L", "1", "I", "RGB"):
        image.info["transparency"] = transparency

    out = io.BytesIO()
    if kind == "jpg":
        image.save(out, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _open_image(data: bytes, kind: str) -> Image.Image:
    # Image.open only parses the header, so the pixel count is known before
    # any memory is spent decoding (pixel-flood defence). `formats` keeps
    # Pillow from trying other decoders on bytes we have already classified.
    try:
        image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]])
    except Image.DecompressionBombError as exc:
        # Pillow's own guard (2 x 89 Mpx) fires inside open() for absurd sizes.
        raise _too_many_pixels() from exc
    except _DECODE_ERRORS as exc:
        raise _damaged() from exc
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _upright(image: Image.Image) -> Image.Image:
    # EXIF is about to be dropped, so the orientation it records must be baked
    # into the pixels or phone photos end up sideways. A malformed EXIF block
    # is no reason to refuse good pixels: keep them as they are.
    try:
        return ImageOps.exif_transpose(image)
    except (*_DECODE_ERRORS, KeyError, TypeError):
        return image


def _to_srgb(image: Image.Image) -> Image.Image:
    # Dropping an embedded ICC profile (e.g. Display P3 from phones, CMYK from
    # scanners) would shift colours, so convert the pixels to sRGB first;
    # untagged images are already read as sRGB by browsers.
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        converted = ImageCms.profileToProfile(image, io.BytesIO(icc), _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, *_DECODE_ERRORS, TypeError):
        # A broken profile: keep the pixels unconverted rather than refuse.
        return image
    return converted if converted is not None else image


# --- messages -----------------------------------------------------------------------------


def _not_allowed() -> ValidationError:
    return ValidationError(
        _("Files of this type cannot be uploaded. Allowed types: %(types)s."),
        code="type_not_allowed",
        params={"types": ", ".join(ext.upper() for ext in ALLOWED_EXTENSIONS)},
    )


def _empty() -> ValidationError:
    return ValidationError(_("The file is empty."), code="empty")


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is too large. Files of this type may be at most %(limit)s."),
        code="too_large",
        params={"limit": filesizeformat(limit)},
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("The file is damaged or incomplete and cannot be opened."), code="damaged"
    )


def _zip_bomb() -> ValidationError:
    return ValidationError(
        _(
            "The document would unpack to an unreasonable size or number of parts, so it "
            "cannot be accepted. Save it again from the original program and retry."
        ),
        code="unpacked_too_large",
    )


def _macros() -> ValidationError:
    return ValidationError(
        _(
            "The file contains macros or ActiveX controls (program code that runs when it is "
            "opened), so it cannot be accepted. Save it again without macros, for example as "
            "a Word document (*.docx), an Excel workbook (*.xlsx) or a PDF, and upload that."
        ),
        code="macros",
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The image has too many pixels. The limit is %(limit)s megapixels; "
            "please reduce its dimensions."
        ),
        code="too_many_pixels",
        params={"limit": f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"},
    )


class CleanUploadFormMixin:
    """For a ModelForm whose model stores an upload in `file` with its checked metadata
    (`original_name`, `extension`, `content_type`, `size`, and `sha256` where it has one):
    the file is checked by `clean_upload` and stored as the checked, re-encoded content
    under a server-made name."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload is not self.initial.get("file"):
            self._clean_upload = clean_upload(upload)
        return upload

    def save(self, commit: bool = True):
        from django.core.files.base import ContentFile

        instance = super().save(commit=False)
        cleaned = getattr(self, "_clean_upload", None)
        if cleaned is not None:
            instance.original_name, instance.extension = cleaned.display_name, cleaned.extension
            instance.content_type, instance.size = cleaned.content_type, len(cleaned.content)
            if hasattr(instance, "sha256"):
                instance.sha256 = cleaned.sha256
            instance.file = ContentFile(cleaned.content, name=f"upload.{cleaned.extension}")
        if commit:
            instance.save()
        return instance
