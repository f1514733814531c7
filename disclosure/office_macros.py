"""Does an Office file carry code that runs when it is opened? For the upload gate
(disclosure.uploads), which refuses such files whatever their name: residents download
attachments from a government site.

Code, here: a VBA project (.docm/.xlsm renamed .docx/.xlsx, or a .doc/.xls saved with
macros), ActiveX controls, and Excel 4.0 macro sheets, which need no VBA at all. The
functions only look; the caller decides and words the refusal.
"""

from __future__ import annotations

import html
import struct
import zipfile

import olefile

# --- compound files (.doc, .xls) --------------------------------------------------------

# Storage names compare case-insensitively. Word keeps its VBA project in "Macros", Excel
# in "_VBA_PROJECT_CUR", older and embedded projects in "_VBA_PROJECT"; the code itself
# always sits in a "VBA" storage. The whole tree is searched, so a macro workbook embedded
# in a .doc (ObjectPool) counts too.
_OLE_MACRO_STORAGES = frozenset({"macros", "_vba_project_cur", "_vba_project", "vba"})

# Records of an .xls workbook's globals substream. A sheet of type 1 (BoundSheet8.dt) is
# an Excel 4.0 macro sheet (malware hides them "very hidden" with an Auto_Open name).
_BIFF_BOUNDSHEET, _BIFF_FILEPASS, _BIFF_EOF = 0x0085, 0x002F, 0x000A
_BIFF_MACRO_SHEET = 1
# FibBase.fEncrypted of a Word 97-2003 document (the flags word at offset 10).
_WORD_ENCRYPTED_FLAG = 0x0100


def ole_has_vba(ole: olefile.OleFileIO) -> bool:
    return any(
        part.lower() in _OLE_MACRO_STORAGES
        for path in ole.listdir(streams=True, storages=True)
        for part in path
    )


def scan_workbook_globals(stream: bytes) -> tuple[bool, bool]:
    """(has an Excel 4.0 macro sheet, is password-protected), from the records of an .xls
    workbook stream up to the end of its globals (the first EOF record)."""
    position = 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        if record == _BIFF_EOF:
            break
        if record == _BIFF_FILEPASS:
            # Encryption hides the record bodies that follow, sheet types among them.
            return False, True
        if record == _BIFF_BOUNDSHEET and len(body) >= 6 and body[5] == _BIFF_MACRO_SHEET:
            return True, False
        position += 4 + length
    return False, False


def word_encrypted(fib: bytes) -> bool:
    """From the first 12 bytes of a WordDocument stream; ValueError if they are missing."""
    if len(fib) < 12:
        raise ValueError("WordDocument stream too short")
    (flags,) = struct.unpack_from("<H", fib, 10)
    return bool(flags & _WORD_ENCRYPTED_FLAG)


# --- OOXML packages (.docx, .xlsx) --------------------------------------------------------

# Part names, lower case: OPC part names compare case-insensitively.
_MACRO_PART_NAMES = frozenset({"vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml"})
_MACRO_FOLDERS = ("activex/", "macrosheets/")
# Office loads a part by the content type [Content_Types].xml declares for it, so a VBA
# project stored under any other name is still found here; so is a macro-enabled file
# embedded in the document (its package type is "...macroEnabled.12").
_MACRO_CONTENT_TYPES = (
    "macroenabled",  # .docm/.xlsm/.dotm/.xltm/.xlam/.xlsb main parts, embedded packages
    "vnd.ms-office.vbaproject",  # the VBA project and its signature
    "vnd.ms-word.vbadata",
    "vnd.ms-office.activex",
    "vnd.ms-excel.macrosheet",  # Excel 4.0 macro sheets
    "vnd.ms-excel.intlmacrosheet",
)
_CONTENT_TYPES_PART = "[content_types].xml"
# A real [Content_Types].xml is a few KB (about 150 bytes per part even with thousands of
# parts); a larger one is padding meant to push a declaration past what gets read.
CONTENT_TYPES_MAX_BYTES = 2 * 1024 * 1024


class PartTooLarge(Exception):
    """[Content_Types].xml declares more than CONTENT_TYPES_MAX_BYTES."""


def zip_has_macros(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bool:
    """For an archive whose sizes were checked already: a member is read only up to its
    declared size, so this reads at most CONTENT_TYPES_MAX_BYTES."""
    content_types = None
    for member in members:
        name = member.filename.replace("\\", "/").lower()
        if name.rpartition("/")[2] in _MACRO_PART_NAMES or any(
            f"/{folder}" in f"/{name}" for folder in _MACRO_FOLDERS
        ):
            return True
        if name == _CONTENT_TYPES_PART:
            content_types = member
    if content_types is None:
        return False
    if content_types.file_size > CONTENT_TYPES_MAX_BYTES:
        raise PartTooLarge
    declared = _xml_text(archive.read(content_types))
    return any(marker in declared for marker in _MACRO_CONTENT_TYPES)


def _xml_text(raw: bytes) -> str:
    """An XML part as lower-case text with character references resolved, so that neither
    UTF-16 nor "macro&#69;nabled" hides a declaration from a substring search. (OPC
    forbids DTDs in a package, so there are no other entities to expand.)"""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    else:
        text = raw.decode("utf-8", errors="replace")
    return html.unescape(text).lower()
