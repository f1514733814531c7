"""Home page, the guide, the 政府信息公开 column, the footer and scoping."""

from __future__ import annotations

from django.urls import reverse

from tests import factories
from tests.base import BaseTestCase


class HomeTests(BaseTestCase):
    def test_home_lists_latest_notices_and_catalog_entry_points(self) -> None:
        factories.notice(
            self.civil, title="2026年第三季度低保名单公示", catalog="key-areas/social-assistance"
        )
        response = self.client.get(reverse("home"))
        self.assertContains(response, "最新信息")
        self.assertContains(response, "2026年第三季度低保名单公示")
        self.assertContains(response, 'href="/catalog/key-areas/"')
        self.assertContains(response, 'role="search"')

    def test_disclosure_column_has_its_four_sub_columns(self) -> None:
        """One column named exactly 政府信息公开 with the four standard sub-columns."""
        response = self.client.get(reverse("home"))
        self.assertContains(response, '<h2 id="column-title">政府信息公开</h2>', html=False)
        for name, href in [
            ("政府信息公开指南", "/guide/"),
            ("政府信息公开制度", "/catalog/documents/disclosure-rules/"),
            ("法定主动公开内容", "/catalog/"),
            ("政府信息公开年报", "/catalog/other/annual-reports/"),
        ]:
            with self.subTest(name=name):
                self.assertContains(response, f'<a href="{href}"><strong>{name}</strong>')

    def test_column_pages_carry_the_column_meta_tags(self) -> None:
        """SiteName/SiteDomain/SiteIDCode everywhere; ColumnName/Type/Description/Keywords."""
        for url, name, kind in [
            ("/", "首页", "首页"),
            ("/guide/", "政府信息公开指南", "信息公开指南"),
            ("/catalog/", "法定主动公开内容", "信息公开目录"),
            ("/catalog/finance/budget/", "预决算", "数据发布"),
            ("/notices/withdrawn/", "更正与撤回", "回应关切"),
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, '<meta name="SiteIDCode" content="3509250017">')
                self.assertContains(response, f'<meta name="ColumnName" content="{name}">')
                self.assertContains(response, f'<meta name="ColumnType" content="{kind}">')
                self.assertContains(response, '<meta name="ColumnDescription" content="')
                self.assertContains(response, '<meta name="ColumnKeywords" content="')

    def test_footer_shows_the_records(self) -> None:
        response = self.client.get(reverse("home"))
        for text in [
            "主办单位：云溪县人民政府",
            "网站标识码：3509250017",
            "闽ICP备00000000号-1",
            "闽公网安备 35092502000000号",
        ]:
            self.assertContains(response, text)

    def test_publication_times_are_minutes(self) -> None:
        n = factories.notice(self.civil, title="时间格式")
        local = n.published_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        self.assertContains(self.client.get(reverse("home")), local.strftime("%Y-%m-%d %H:%M"))


class ScopeTests(BaseTestCase):
    def test_scoped_pages_link_within_the_scope(self) -> None:
        """Under /org/qinglan/ every link stays under /org/qinglan/."""
        response = self.client.get("/org/qinglan/")
        self.assertContains(response, 'href="/org/qinglan/notices/"')
        self.assertContains(response, 'href="/org/qinglan/guide/"')
        self.assertContains(response, "青岚镇人民政府")
        # and unscoped pages afterwards are unscoped again
        self.assertContains(self.client.get("/"), 'href="/notices/"')
        self.assertEqual(reverse("notice-list"), "/notices/")

    def test_organisation_choices_stay_inside_the_scope(self) -> None:
        response = self.client.get("/org/qinglan/notices/")
        field = response.context["filter"].form.fields["organization"]
        choices = [str(label).strip("\u3000") for _value, label in field.choices]
        self.assertIn("青岚镇民政办公室", choices)
        self.assertNotIn("白沙镇民政办公室", choices)


class GuideTests(BaseTestCase):
    def test_guide_shows_the_office_details(self) -> None:
        """The guide: classification, how to obtain, how to apply, and the office's details."""
        response = self.client.get("/org/qinglan/guide/")
        self.assertContains(response, "青岚镇政府信息公开指南")
        for text in [
            "一、信息分类和编排体系",
            "按公开目录分类。",
            "二、获取信息的方式",
            "在本网站查阅。",
            "三、依申请公开",
            "可以在线申请。",
            "青岚镇党政综合办公室",
            "青岚街58号",
            "工作日 8:00-17:30",
            "0596-5261003",
            "0596-5261009",
            "office@example.gov.cn",
        ]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertNotContains(response, 'role="alert"')

    def test_guide_flags_missing_details_instead_of_showing_blanks(self) -> None:
        """Where no complete office is named, the page says what is missing."""
        response = self.client.get("/guide/")  # the county has no disclosure office here
        self.assertContains(response, "尚未指定政府信息公开工作机构")
