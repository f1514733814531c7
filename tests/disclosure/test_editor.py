"""The body editor (disclosure.editor) and the body's cleaning (disclosure.sanitize.clean_body).

Issue 10: a clerk writes 正文 without HTML. The editor comes from our own static files (no
CDN, the CSP unchanged), offers only what the sanitiser keeps, and typed text becomes
paragraphs. What the editor allows is read from django-prose-editor's own table of the tags
each extension writes, and compared with the sanitiser's lists, never with a copy.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django_prose_editor.config import allowlist_from_extensions

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

from disclosure import docx_import, editor, sanitize
from disclosure.editor import BodyEditor, BodyField, editor_config
from disclosure.models import Notice
from disclosure.sanitize import clean_body, text_to_paragraphs, tidy_tables
from tests import factories
from tests.base import BaseTestCase

EDITOR_JS = Path(settings.BASE_DIR) / "static" / "js" / "editor.js"


class Assets(HTMLParser):
    """Every <script> and stylesheet <link> of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str]] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.scripts.append(values)
        elif tag == "link" and values.get("rel") == "stylesheet":
            self.styles.append(values["href"])


def add_form_data(**fields) -> dict:
    return {
        "title": "关于低保对象复核的通知", "summary": "", "kind": "announcement",
        "catalog_node": factories.node("news/announcements").pk,
        "validity": "in_force", "disclosure_mode": "proactive",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        **fields,
    }  # fmt: skip


class EditorOnTheFormTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)
        self.response = self.client.get(reverse("admin:disclosure_notice_add"))
        self.page = self.response.content.decode()
        self.assets = Assets()
        self.assets.feed(self.page)

    def test_the_body_is_the_editor(self) -> None:
        """The body's textarea carries the editor's configuration; it works without JS."""
        textarea = re.search(r'<textarea[^>]*name="body"[^>]*>', self.page).group()
        self.assertIn("data-body-editor=", textarea)
        self.assertNotIn("required", textarea)  # an empty editor may still be saved as a draft

    def test_its_assets_are_our_static_files(self) -> None:
        """No CDN: the editor's scripts and styles are static files of ours (the package's
        among them), and nothing on the form comes from another host."""
        sources = [script["src"] for script in self.assets.scripts if "src" in script]
        for url in sources + self.assets.styles:
            with self.subTest(url=url):
                self.assertRegex(url, r"^/[^/]", "a path on this site, not another host")
        media = BodyEditor().media
        for path in [*media._css["all"], "js/editor.js"]:
            with self.subTest(asset=path):
                self.assertIsNotNone(finders.find(path))
                self.assertIn(static(path), sources + self.assets.styles)
        self.assertIn({"src": static("js/editor.js"), "type": "module"}, self.assets.scripts)
        # The library itself is imported by js/editor.js, from the URL in its configuration.
        self.assertEqual(editor_config()["library"], static("django_prose_editor/editor.js"))
        self.assertIsNotNone(finders.find("django_prose_editor/editor.js"))

    def test_no_inline_script_and_the_csp_is_unchanged(self) -> None:
        """The package's import map would be an inline script: the glue does without it."""
        # A JSON data block is not run, so the CSP allows it; anything else needs a src.
        runnable = [s for s in self.assets.scripts if s.get("type") != "application/json"]
        inline = [script for script in runnable if "src" not in script]
        self.assertEqual(inline, [])
        self.assertNotIn("importmap", self.page)
        policy = self.response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)

    def test_the_glue_names_no_outside_address(self) -> None:
        self.assertNotRegex(EDITOR_JS.read_text(), r"https?://")

    def test_the_toolbar_speaks_chinese(self) -> None:
        attribute = re.search(r'data-body-editor="([^"]*)"', self.page).group(1)
        config = json.loads(attribute.replace("&quot;", '"').replace("&amp;", "&"))
        labels = [item["label"] for group in config["toolbar"] for item in group]
        self.assertIn("一级标题", labels)
        self.assertIn("插入表格", labels)
        for label in [*labels, config["toolbarLabel"], *config["words"].values()]:
            with self.subTest(label=label):
                self.assertRegex(label, r"[\u4e00-\u9fff]")


class EditorAllowsWhatTheSanitiserKeepsTests(SimpleTestCase):
    def setUp(self) -> None:
        self.allowed = allowlist_from_extensions(editor.EXTENSIONS)

    def test_every_tag_the_editor_writes_is_kept(self) -> None:
        self.assertTrue(self.allowed["tags"])
        self.assertLessEqual(self.allowed["tags"], sanitize.ALLOWED_TAGS)

    def test_attributes_are_kept_or_dropped_without_loss(self) -> None:
        """Only the documented exceptions (editor.DROPPED_WITHOUT_LOSS) are dropped."""
        dropped = {
            tag: set(attributes) - sanitize.ALLOWED_ATTRIBUTES.get(tag, set())
            for tag, attributes in self.allowed["attributes"].items()
        }
        dropped = {tag: attributes for tag, attributes in dropped.items() if attributes}
        self.assertEqual(dropped, editor.DROPPED_WITHOUT_LOSS)

    def test_nothing_of_colour_font_alignment_or_images(self) -> None:
        for name in ("Color", "Highlight", "TextStyle", "TextAlign", "StyleLoom", "Image",
                     "Figure", "HTML", "TextClass", "NodeClass", "ClassLoom"):  # fmt: skip
            self.assertNotIn(name, editor.EXTENSIONS)
        self.assertFalse({"style", "class"} & set().union(*self.allowed["attributes"].values()))

    def test_heading_levels_are_the_word_imports(self) -> None:
        """一、（一）1. become the same three levels the toolbar offers."""
        self.assertEqual(
            {f"h{level}" for level in editor.HEADING_LEVELS},
            {tag for tag in self.allowed["tags"] if re.fullmatch(r"h\d", tag)},
        )
        self.assertEqual(set(docx_import.NUMBERED_HEADING_STYLES), set(editor.HEADING_LEVELS))

    def test_every_toolbar_item_has_its_extension_and_its_command(self) -> None:
        commands = set(re.findall(r"^  (\w+): ", EDITOR_JS.read_text(), re.MULTILINE))
        for group in editor.TOOLBAR:
            for item in group:
                with self.subTest(item=item.name):
                    self.assertIn(item.extension, editor.EXTENSIONS)
                    self.assertIn(item.name, commands)

    def test_every_extension_is_one_the_package_knows(self) -> None:
        # allowlist_from_extensions raises KeyError on a name the package has no entry for.
        self.assertEqual(allowlist_from_extensions({"Bold": True})["tags"], {"strong", "p"})


class PlainTextBecomesParagraphsTests(SimpleTestCase):
    def test_blank_lines_separate_paragraphs_and_line_breaks_stay(self) -> None:
        text = "各村：\r\n\r\n请于12月10日前完成检查，\r\n并报镇民政办。\n\n\n特此通知。"
        self.assertEqual(
            text_to_paragraphs(text),
            "<p>各村：</p><p>请于12月10日前完成检查，<br>并报镇民政办。</p><p>特此通知。</p>",
        )

    def test_indents_and_blank_lines_of_spaces_go(self) -> None:
        text = "\u3000\u3000第一段。\n\u3000\n\u3000\u3000第二段。"
        self.assertEqual(text_to_paragraphs(text), "<p>第一段。</p><p>第二段。</p>")

    def test_html_with_blocks_is_left_alone(self) -> None:
        for html in ("<p>一段</p>\n\n<p>二段</p>", "<h2>一、总体要求</h2>", "<ul><li>一</li></ul>"):
            with self.subTest(html=html):
                self.assertEqual(text_to_paragraphs(html), html)

    def test_inline_markup_in_text_is_kept_and_stray_brackets_escaped(self) -> None:
        self.assertEqual(
            clean_body("<strong>注意</strong>：年龄<60岁\n\n第二段"),
            "<p><strong>注意</strong>：年龄&lt;60岁</p><p>第二段</p>",
        )

    def test_empty_stays_empty(self) -> None:
        for value in ("", "   ", "\n\n", None):
            self.assertEqual(clean_body(value), "")

    def test_cleaning_twice_changes_nothing(self) -> None:
        for body in ("一\n\n二", "<table><tr><th>村</th></tr><tr><td>青岚村</td></tr></table>",
                     "<p>正文<script>x</script></p>"):  # fmt: skip
            once = clean_body(body)
            self.assertEqual(clean_body(once), once)

    def test_the_field_cleans(self) -> None:
        field = BodyField(required=False)
        self.assertIsInstance(field.widget, BodyEditor)
        self.assertEqual(field.clean("一\n\n二"), "<p>一</p><p>二</p>")
        self.assertEqual(field.clean('<p onclick="x()">正文</p>'), "<p>正文</p>")


class TablesTests(SimpleTestCase):
    def test_the_editors_header_row_moves_into_thead(self) -> None:
        """Tiptap writes <th> cells in <tbody> with colspan/rowspan 1 and a <p> per cell."""
        tiptap = (
            '<table><tbody><tr><th colspan="1" rowspan="1"><p>村名</p></th>'
            '<th colspan="1" rowspan="1"><p>户数</p></th></tr>'
            '<tr><td colspan="1" rowspan="1"><p>青岚村</p></td>'
            '<td colspan="1" rowspan="1"><p>12</p></td></tr></tbody></table>'
        )
        self.assertEqual(
            clean_body(tiptap),
            '<table><thead><tr><th scope="col">村名</th><th scope="col">户数</th></tr></thead>'
            "<tbody><tr><td>青岚村</td><td>12</td></tr></tbody></table>",
        )

    def test_two_header_rows_and_real_spans_stay(self) -> None:
        html = (
            '<table><tbody><tr><th rowspan="2">村名</th><th colspan="2">人员</th></tr>'
            "<tr><th>姓名</th><th>电话</th></tr><tr><td>a</td><td>b</td><td>c</td></tr>"
            "<tr><th>合计</th><td>1</td><td>2</td></tr></tbody></table>"
        )
        self.assertEqual(
            tidy_tables(html),
            '<table><thead><tr><th scope="col" rowspan="2">村名</th>'
            '<th scope="col" colspan="2">人员</th></tr>'
            '<tr><th scope="col">姓名</th><th scope="col">电话</th></tr></thead>'
            "<tbody><tr><td>a</td><td>b</td><td>c</td></tr>"
            "<tr><th>合计</th><td>1</td><td>2</td></tr></tbody></table>",
        )

    def test_a_table_without_header_cells_is_not_given_one(self) -> None:
        html = "<table><tbody><tr><td>a</td></tr></tbody></table>"
        self.assertEqual(clean_body(html), html)

    def test_cells_with_several_paragraphs_keep_them(self) -> None:
        html = "<table><tbody><tr><td><p>一</p><p>二</p></td></tr></tbody></table>"
        self.assertEqual(clean_body(html), html)


class ListsTests(SimpleTestCase):
    def test_the_editors_paragraph_per_item_goes(self) -> None:
        """Tiptap writes <li><p>…</p></li>; on the page the <p> is only extra space."""
        self.assertEqual(
            clean_body("<ul><li><p>入户<strong>检查</strong></p></li><li><p>登记</p></li></ul>"),
            "<ul><li>入户<strong>检查</strong></li><li>登记</li></ul>",
        )

    def test_an_empty_link_title_goes(self) -> None:
        self.assertEqual(
            clean_body('<p><a href="https://www.gov.cn/" title="">中国政府网</a></p>'),
            '<p><a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a></p>',
        )

    def test_items_with_several_paragraphs_or_a_nested_list_keep_them(self) -> None:
        html = "<ol><li><p>一</p><p>说明</p></li><li><p>二</p><ul><li>甲</li></ul></li></ol>"
        self.assertEqual(clean_body(html), html)


class BodySavedThroughTheFormTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_typed_text_is_stored_as_paragraphs(self) -> None:
        """The textarea fallback (JavaScript off): Enter-separated text keeps its paragraphs."""
        body = "各村（居）委会：\r\n\r\n请于12月10日前完成复核。\r\n名单附后。"
        response = self.client.post(
            reverse("admin:disclosure_notice_add"),
            add_form_data(body=body, organization=self.civil.pk),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Notice.objects.get().body,
            "<p>各村（居）委会：</p><p>请于12月10日前完成复核。<br>名单附后。</p>",
        )

    def test_the_editors_html_is_stored_sanitised(self) -> None:
        body = '<h2>一、总体要求</h2><p style="color:red">正文</p><ul><li><p>一项</p></li></ul>'
        self.client.post(
            reverse("admin:disclosure_notice_add"),
            add_form_data(body=body, organization=self.civil.pk),
        )
        self.assertEqual(
            Notice.objects.get().body,
            "<h2>一、总体要求</h2><p>正文</p><ul><li>一项</li></ul>",
        )


@pytest.mark.parametrize("language", ["zh-hans"])
def test_config_is_json_with_every_word_translated(language):
    with translation.override(language):
        config = editor_config()
    json.dumps(config)  # what the widget puts in data-body-editor
    with translation.override("en"):
        english = {str(item.label) for group in editor.TOOLBAR for item in group}
    shown = {item["label"] for group in config["toolbar"] for item in group}
    assert not english & shown
