"""The body editor in a real browser (issue 10): a clerk of 民政办 writes 正文 in Chinese with
an input method, makes a heading and a list with the toolbar, and imports a Word file.

The editing runs under the site's own CSP (nothing bypassed), so a script or style the
policy refuses shows up as a console error here; axe runs in a second context that
bypasses the CSP only to inject itself.
"""

from __future__ import annotations

import io
import json

import docx
import pytest
from playwright.sync_api import expect

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.urls import reverse

from demo.township import DEMO_PASSWORD
from disclosure.models import Notice
from tests.base import LiveDataMixin

from .axe import require_axe, violations
from .conftest import SCREENSHOTS

TITLE = "关于开展冬季独居老人住房安全检查的通知"
EDITOR = ".body-editor[data-ready=true] .ProseMirror"


def gongwen_docx() -> bytes:
    """A 公文 as a clerk types it in Word: no heading styles, numbered headings, a table."""
    document = docx.Document()
    document.add_heading("关于做好2026年春季森林防火工作的通知", level=1)
    document.add_paragraph("各村（居）委会：")
    document.add_paragraph("一、总体要求")
    document.add_paragraph("各村要落实网格化管理责任，严禁野外用火。")
    document.add_paragraph("（一）加强组织领导")
    document.add_paragraph("成立以村支书为组长的防火领导小组。")
    table = document.add_table(rows=3, cols=2)
    for row, texts in zip(table.rows, [("村名", "责任人"), ("青岚村", "张三"), ("东坪村", "李四")],
                          strict=True):  # fmt: skip
        row.cells[0].text, row.cells[1].text = texts
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.browser
class EditorInBrowserTests(LiveDataMixin, StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def setUp(self) -> None:
        call_command("seed_demo", force=True, stdout=io.StringIO())
        self.errors: list[str] = []

    def login(self, username: str = "clerk", *, width: int = 1280, bypass_csp: bool = False):
        context = self.browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=bypass_csp
        )
        page = context.new_page()
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(self.live_server_url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    def console(self, message) -> None:
        # The browser asks for /favicon.ico by itself; the portal has none yet.
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            self.errors.append(message.text)

    def open_add_form(self, page):
        page.goto(self.live_server_url + reverse("admin:disclosure_notice_add"))
        page.wait_for_selector(EDITOR)

    def shot(self, page, name: str, *, full_page: bool = True) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)

    def fill_the_rest(self, page, title: str = "") -> None:
        if title:
            page.fill("#id_title", title)
        page.select_option("#id_kind", "announcement")
        page.select_option("#id_catalog_node", label="\u3000通知公告")

    def save_and_continue(self, page) -> Notice:
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist")
        return Notice.objects.latest("pk")

    def compose(self, page, pinyin: str, text: str) -> None:
        """What a Chinese input method does: a composition that grows, then is committed."""
        cdp = page.context.new_cdp_session(page)
        for end in range(1, len(pinyin) + 1):
            typed = {"text": pinyin[:end], "selectionStart": end, "selectionEnd": end}
            cdp.send("Input.imeSetComposition", typed)
        # The composition is live in the editor (underlined pinyin), not yet text of it.
        assert page.locator(EDITOR).inner_text().rstrip().endswith(pinyin)
        cdp.send("Input.insertText", {"text": text})
        assert pinyin not in page.locator(EDITOR).inner_text()
        cdp.detach()

    def toolbar(self, page, label: str) -> None:
        page.get_by_role("group", name="正文格式").get_by_role("button", name=label).click()

    # --- typing -----------------------------------------------------------------------------

    def test_clerk_types_chinese_makes_a_heading_and_a_list(self) -> None:
        page = self.login()
        self.open_add_form(page)
        editor = page.locator(EDITOR)
        editor.click()
        self.toolbar(page, "一级标题")
        self.compose(page, "yi", "一、")
        page.keyboard.insert_text("工作要求")
        page.keyboard.press("Enter")
        self.compose(page, "gecun", "各村")
        page.keyboard.insert_text("要在12月10日前完成检查。")
        page.keyboard.press("Enter")
        page.keyboard.type("请各单位高度重视。")
        page.keyboard.press("Enter")
        self.toolbar(page, "项目列表")
        page.keyboard.type("入户检查")
        page.keyboard.press("Enter")
        page.keyboard.type("登记造册")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # an empty item ends the list
        page.keyboard.type("特此通知。")
        # Back in the heading, its button says so (ProseMirror reads a click's selection
        # a moment later, hence the waiting assertion).
        editor.locator("h2").click()
        expect(page.get_by_role("button", name="一级标题")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.get_by_role("button", name="正文")).to_have_attribute("aria-pressed", "false")
        self.fill_the_rest(page, TITLE)
        self.shot(page, "editor-typed")

        notice = self.save_and_continue(page)

        body = (
            "<h2>一、工作要求</h2><p>各村要在12月10日前完成检查。</p><p>请各单位高度重视。</p>"
            "<ul><li>入户检查</li><li>登记造册</li></ul><p>特此通知。</p>"
        )
        assert notice.title == TITLE
        assert notice.body == body  # no pinyin left over from the compositions
        # The saved body comes back into the editor as it was.
        page.wait_for_selector(EDITOR)
        assert page.locator(f"{EDITOR} h2").inner_text() == "一、工作要求"
        assert page.locator(f"{EDITOR} ul li").count() == 2
        # The preview is the public page: the same structure, in the notice body.
        page.goto(self.live_server_url + reverse("admin:disclosure_notice_preview",
                                                 args=[notice.pk]))  # fmt: skip
        shown = page.locator(".notice-body")
        assert shown.locator("h2").inner_text() == "一、工作要求"
        assert shown.locator("> p").all_inner_texts() == [
            "各村要在12月10日前完成检查。", "请各单位高度重视。", "特此通知。"
        ]  # fmt: skip
        assert shown.locator("ul > li").all_inner_texts() == ["入户检查", "登记造册"]
        self.shot(page, "editor-typed-preview")
        assert self.errors == [], self.errors

    def test_a_table_from_the_toolbar_has_a_header_row(self) -> None:
        page = self.login()
        self.open_add_form(page)
        page.locator(EDITOR).click()
        self.toolbar(page, "插入表格")
        page.keyboard.type("村名")
        page.keyboard.press("Tab")
        page.keyboard.type("户数")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.type("青岚村")
        group = page.get_by_role("group", name="正文格式")
        expect(group.get_by_role("button", name="加一行")).to_be_visible()
        expect(group.get_by_role("button", name="插入表格")).to_be_hidden()
        self.fill_the_rest(page, TITLE)
        self.shot(page, "editor-table")

        notice = self.save_and_continue(page)

        assert notice.body.startswith(
            '<table><thead><tr><th scope="col">村名</th><th scope="col">户数</th>'
        )
        assert "<td>青岚村</td>" in notice.body
        assert self.errors == [], self.errors

    def test_a_link_from_the_toolbar_asks_in_chinese(self) -> None:
        page = self.login()
        self.open_add_form(page)
        page.locator(EDITOR).click()
        page.keyboard.type("详见中国政府网")
        # On a busy machine the editor may lag behind the keys: select only what it holds.
        expect(page.locator(EDITOR)).to_contain_text("详见中国政府网", timeout=15_000)
        for _ in range(5):
            page.keyboard.press("Shift+ArrowLeft")  # select 中国政府网
        # 链接 works on a selection: it is offered once the editor has read it.
        link = page.get_by_role("group", name="正文格式").get_by_role("button", name="链接")
        expect(link).to_have_attribute("aria-disabled", "false", timeout=15_000)
        link.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("网址").fill("https://www.gov.cn/")
        self.shot(page, "editor-link-dialog", full_page=False)  # a modal covers the viewport
        dialog.get_by_role("button", name="确定").click()
        self.fill_the_rest(page, TITLE)

        notice = self.save_and_continue(page)

        assert notice.body == (
            '<p>详见<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a></p>'
        )
        assert self.errors == [], self.errors

    # --- Word --------------------------------------------------------------------------------

    def test_a_word_file_lands_in_the_editor_formatted(self) -> None:
        page = self.login()
        self.open_add_form(page)
        page.set_input_files("#id_source_docx", files=[{
            "name": "防火通知.docx", "buffer": gongwen_docx(),
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }])  # fmt: skip
        self.fill_the_rest(page)

        notice = self.save_and_continue(page)

        assert notice.title == "关于做好2026年春季森林防火工作的通知"
        page.wait_for_selector(EDITOR)
        editor = page.locator(EDITOR)
        assert editor.locator("h2").inner_text() == "一、总体要求"
        assert editor.locator("h3").inner_text() == "（一）加强组织领导"
        assert editor.locator("table tr").first.locator("th").all_inner_texts() == [
            "村名",
            "责任人",
        ]
        assert editor.locator("td").all_inner_texts() == ["青岚村", "张三", "东坪村", "李四"]
        assert "<" not in editor.inner_text()  # text, not HTML source
        self.shot(page, "editor-word-import")
        # Edited in the editor and saved, the structure of the import stays.
        editor.locator(":scope > p").last.click()
        page.keyboard.press("End")
        page.keyboard.type("请各村认真落实。")
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist")
        notice.refresh_from_db()
        assert "<h2>一、总体要求</h2>" in notice.body
        assert "<h3>（一）加强组织领导</h3>" in notice.body
        assert "防火领导小组。请各村认真落实。</p>" in notice.body
        assert (
            '<table><thead><tr><th scope="col">村名</th><th scope="col">责任人</th>' in notice.body
        )
        assert self.errors == [], self.errors

    # --- accessibility -------------------------------------------------------------------------

    def test_the_add_form_with_the_editor_has_no_axe_violations(self) -> None:
        require_axe()
        found = {}
        for width in (360, 1280):
            page = self.login(width=width, bypass_csp=True)
            self.open_add_form(page)
            page.locator(EDITOR).click()
            self.toolbar(page, "插入表格")  # the table buttons shown too
            self.shot(page, f"a11y-editor-{width}")
            if problems := violations(page):
                found[f"{width}px"] = problems
            buttons = page.locator(".body-editor__button")
            for index in range(buttons.count()):
                name = buttons.nth(index).inner_text()
                assert any("\u4e00" <= char <= "\u9fff" for char in name), name
            page.context.close()
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
