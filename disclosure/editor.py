"""The editor for a notice's body (正文): a clerk formats text without seeing HTML.

django-prose-editor's build of Tiptap (ProseMirror), BSD-licensed, its scripts inside the
PyPI package and served from our own static files: no CDN, no licence key (CKEditor 5 and
TinyMCE now need one). ProseMirror leaves composition to the browser, so Chinese input
methods work; the browser test composes pinyin through Chromium's IME interface.

* The editor offers exactly what `disclosure.sanitize` keeps: three heading levels (h2-h4,
  under the page's h1 and matching the Word import's 一、（一）1.), paragraphs with line
  breaks, bold and italic, bulleted and numbered lists, links, tables with a header row.
  No colours, fonts, alignment or images (images are attachments). What is not in
  `EXTENSIONS` cannot be typed, pasted or kept by the editor at all; tests compare the
  tags the package says each extension writes with the sanitiser's lists.
* `static/js/editor.js` builds the editor from the JSON in the textarea's
  data-body-editor attribute: the extensions, the toolbar and every word the clerk reads,
  translated here, and the library's URL. It imports the library itself, because the
  package's own loader needs an import map, an inline script the site's CSP
  (script-src 'self') refuses.
* Without JavaScript the textarea stays, and `BodyField` makes typed text into
  paragraphs (`disclosure.sanitize.clean_body`).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from django import forms
from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .sanitize import clean_body

HEADING_LEVELS = (2, 3, 4)

# Only decimal numbering: the sanitiser drops <ol type>, so a list "a, b, c" would become
# "1, 2, 3" on the public page; offering one type means nothing changes there.
_DECIMAL = [{"label": "1, 2, 3", "type": "decimal", "description": ""}]

# Tiptap extensions by the names django-prose-editor exports, with their options.
EXTENSIONS: dict[str, Any] = {
    "Document": True,
    "Text": True,
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": list(HEADING_LEVELS)},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False, "listTypes": _DECIMAL},
    "ListItem": True,
    # No "open in a new window": the sanitiser drops target (and writes rel itself).
    "Link": {"enableTarget": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "Dropcursor": True,
    "Gapcursor": True,
}

# Attributes the editor writes that the sanitiser drops, and why nothing is lost:
# - a rel: nh3 writes its own rel="noopener noreferrer" on every link;
# - ol type / data-type: always decimal (see _DECIMAL), the browser's default numbering.
DROPPED_WITHOUT_LOSS: dict[str, set[str]] = {"a": {"rel"}, "ol": {"type", "data-type"}}


class ToolbarItem(NamedTuple):
    name: str  # the command in static/js/editor.js
    label: str | Promise  # the button's text, which is also its accessible name
    extension: str  # the extension in EXTENSIONS the command needs
    help: str | Promise = ""  # shown on hover (title)


# Groups of buttons, left to right. Items about tables appear only inside a table, "remove
# link" only on a link.
TOOLBAR: tuple[tuple[ToolbarItem, ...], ...] = (
    (
        ToolbarItem("paragraph", _("Body text"), "Paragraph"),
        ToolbarItem("heading2", _("Heading level 1"), "Heading", _("For headings numbered 一、")),
        ToolbarItem("heading3", _("Heading level 2"), "Heading", _("For headings numbered （一）")),
        ToolbarItem("heading4", _("Heading level 3"), "Heading", _("For headings numbered 1.")),
    ),
    (
        ToolbarItem("bulletList", _("Bulleted list"), "BulletList"),
        ToolbarItem("orderedList", _("Numbered list"), "OrderedList"),
    ),
    (
        ToolbarItem("bold", _("Bold"), "Bold"),
        ToolbarItem("italic", _("Italic"), "Italic"),
    ),
    (
        ToolbarItem("link", _("Link"), "Link", _("Select the words first, then give the address")),
        ToolbarItem("unlink", _("Remove link"), "Link"),
    ),
    (
        ToolbarItem("table", _("Insert table"), "Table",
                    _("A table of 3 rows and 3 columns; its first row is the header")),
        ToolbarItem("addRowAfter", _("Add row"), "Table"),
        ToolbarItem("deleteRow", _("Delete row"), "Table"),
        ToolbarItem("addColumnAfter", _("Add column"), "Table"),
        ToolbarItem("deleteColumn", _("Delete column"), "Table"),
        ToolbarItem("mergeCells", _("Merge cells"), "Table"),
        ToolbarItem("splitCell", _("Split cell"), "Table"),
        ToolbarItem("deleteTable", _("Delete table"), "Table"),
    ),
    (
        ToolbarItem("undo", _("Undo"), "History"),
        ToolbarItem("redo", _("Redo"), "History"),
    ),
)  # fmt: skip

# The package's own dialogs (the link dialog) ask window.gettext for these English words;
# static/js/editor.js answers with these translations.
PACKAGE_WORDS = {
    "Edit Link": _("Link"),
    "URL": _("Web address"),
    "Title": _("Description (may be left empty)"),
    "Update": _("OK"),
    "Cancel": _("Cancel"),
}


def editor_config() -> dict[str, Any]:
    """What static/js/editor.js reads from data-body-editor, in the active language."""
    return {
        "extensions": EXTENSIONS,
        "toolbar": [
            [
                {"name": item.name, "label": str(item.label), "help": str(item.help)}
                for item in group
            ]
            for group in TOOLBAR
        ],
        "toolbarLabel": str(_("Formatting of the body")),
        # Hashed in production (the manifest), so a new version of the package is fetched.
        "library": static("django_prose_editor/editor.js"),
        "words": {english: str(chinese) for english, chinese in PACKAGE_WORDS.items()},
    }


class BodyEditor(forms.Textarea):
    """The body's textarea, which static/js/editor.js turns into the editor."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 16, **(attrs or {})})

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={"all": ["django_prose_editor/editor.css", "django_prose_editor/overrides.css",
                         "css/editor.css"]},
            js=[forms.Script("js/editor.js", type="module")],
        )  # fmt: skip

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-body-editor"] = json.dumps(
            editor_config(), ensure_ascii=False, separators=(",", ":")
        )
        return context


class BodyField(forms.CharField):
    """The body as a clerk submits it, stored cleaned (`clean_body`): typed text becomes
    paragraphs, the sanitiser runs, tables get their <thead>."""

    widget = BodyEditor

    def clean(self, value: Any) -> str:
        return clean_body(super().clean(value))
