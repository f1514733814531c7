"""Organisations, the catalog tree and index numbers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from catalog.models import CatalogNode, IndexSequence, Organization, organization_subtree_ids
from tests.base import BaseTestCase

EIGHT_TOWNSHIP_ITEMS = [  # 2008 条例 art. 12, as second-level nodes
    "rural-policy",
    "special-funds",
    "land-use",
    "land-compensation",
    "debts",
    "disaster-relief",
    "collective-enterprises",
    "family-planning",
]
REQUIRED_NAMES = [
    "预决算",
    "三公经费",
    "民生资金",
    "低保、五保与救助",
    "征地补偿",
    "农村危房改造",
    "涉农补贴",
    "政府信息公开年报",
    "干部任免",
    "为民办实事项目",
    "工程项目招投标",
    "村级财务",
    "办事指南",
]


class CatalogMigrationTests(BaseTestCase):
    def test_top_level_is_the_nine_areas_in_order(self) -> None:
        """The data migration ships the top level as the seeds and the law have it."""
        names = list(
            CatalogNode.objects.filter(parent=None)
            .order_by("position")
            .values_list("name", flat=True)
        )
        self.assertEqual(
            names,
            [
                "机构职能",
                "法规文件",
                "重大决策",
                "公共服务",
                "财务收支",
                "重点领域",
                "人事信息",
                "工作动态",
                "其他",
            ],
        )

    def test_second_level_covers_the_required_items(self) -> None:
        """The eight township items of art. 12 and the areas the issue names all exist."""
        slugs = set(CatalogNode.objects.exclude(parent=None).values_list("slug", flat=True))
        self.assertLessEqual(set(EIGHT_TOWNSHIP_ITEMS), slugs)
        names = set(CatalogNode.objects.values_list("name", flat=True))
        self.assertLessEqual(set(REQUIRED_NAMES), names)

    def test_duties_carry_deadline_and_channels(self) -> None:
        """A standard-catalog node carries its legal duty; 低保 lists have 10 working days."""
        node = CatalogNode.objects.get(path="key-areas/social-assistance")
        self.assertEqual(node.deadline_working_days, 10)
        self.assertIn("社会救助", node.legal_basis)
        self.assertIn("政府网站", [c.name for c in node.channels.all()])
        self.assertTrue(node.has_duty)
        self.assertFalse(CatalogNode.objects.get(path="news/highlights").has_duty)


class CatalogTreeTests(BaseTestCase):
    def test_moving_a_node_moves_its_subtree_addresses(self) -> None:
        """Paths follow the tree when an admin moves or renames a node."""
        finance = CatalogNode.objects.get(path="finance")
        finance.slug = "money"
        finance.save()
        self.assertTrue(CatalogNode.objects.filter(path="money/budget").exists())
        self.assertFalse(CatalogNode.objects.filter(path__startswith="finance").exists())

    def test_a_node_cannot_go_under_its_own_child(self) -> None:
        finance = CatalogNode.objects.get(path="finance")
        finance.parent = CatalogNode.objects.get(path="finance/budget")
        with self.assertRaises(ValidationError):
            finance.full_clean()


class OrganizationTests(BaseTestCase):
    def test_subtree_includes_departments_and_villages(self) -> None:
        ids = organization_subtree_ids(self.township)
        self.assertEqual(
            ids, {self.township.pk, self.office.pk, self.civil.pk, self.finance.pk, self.village.pk}
        )

    def test_township_of_a_department(self) -> None:
        self.assertEqual(self.civil.township(), self.township)
        self.assertEqual(self.county.township(), self.county)

    def test_credit_code_must_have_18_characters(self) -> None:
        self.civil.credit_code = "123"
        with self.assertRaisesMessage(ValidationError, "18"):
            self.civil.full_clean()

    def test_two_organisations_cannot_claim_one_code(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Organization.objects.create(
                name="重复", slug="dup", kind="department", credit_code=self.township.credit_code
            )

    def test_disclosure_office_needs_complete_contact_details(self) -> None:
        """The guide's office cannot lose its fax or phone, nor can an incomplete one be named."""
        self.office.fax = ""
        with self.assertRaises(ValidationError) as caught:
            self.office.full_clean()
        self.assertIn("传真", str(caught.exception))
        self.township.disclosure_office = self.civil  # 民政办 has no address, hours, …
        with self.assertRaises(ValidationError) as caught:
            self.township.full_clean()
        self.assertIn("disclosure_office", caught.exception.message_dict)

    def test_an_organisation_cannot_be_its_own_ancestor(self) -> None:
        self.township.parent = self.civil
        with self.assertRaises(ValidationError):
            self.township.full_clean()


class IndexNumberTests(BaseTestCase):
    def test_default_pattern_is_code_year_serial(self) -> None:
        """索引号 = 统一社会信用代码/年份-五位流水号; a department uses its township's code."""
        first = IndexSequence.next_index_number(organization=self.civil, year=2026)
        second = IndexSequence.next_index_number(organization=self.finance, year=2026)
        self.assertEqual(first, "11350925003580712K/2026-00001")
        self.assertEqual(second, "11350925003580712K/2026-00002")

    def test_each_year_starts_again_and_serials_never_repeat(self) -> None:
        numbers = [
            IndexSequence.next_index_number(organization=self.civil, year=y)
            for y in (2025, 2025, 2026)
        ]
        self.assertEqual([n[-10:] for n in numbers], ["2025-00001", "2025-00002", "2026-00001"])

    @override_settings(INDEX_NUMBER_PATTERN="QL-{year}-{serial:04d}-{credit_code}")
    def test_pattern_is_configurable(self) -> None:
        number = IndexSequence.next_index_number(organization=self.civil, year=2026)
        self.assertEqual(number, "QL-2026-0001-11350925003580712K")

    def test_an_organisation_without_any_code_cannot_publish(self) -> None:
        lone = Organization.objects.create(name="无代码单位", slug="lone", kind="department")
        with self.assertRaises(ValidationError):
            IndexSequence.next_index_number(organization=lone, year=2026)


class PostingSettingsTests(BaseTestCase):
    """A 公示's period and what is left of it afterwards: the node's, an ancestor's, or
    the site's settings."""

    def test_inherited_from_the_parent_else_the_settings(self) -> None:
        child = CatalogNode.objects.get(path="key-areas/social-assistance")
        self.assertEqual(child.posting_period(), 7)
        self.assertEqual(child.after_posting_mode(), "summary")
        CatalogNode.objects.filter(path="key-areas").update(
            posting_working_days=10, after_posting="withdrawn"
        )
        child = CatalogNode.objects.get(pk=child.pk)
        self.assertEqual((child.posting_period(), child.after_posting_mode()), (10, "withdrawn"))
        child.posting_working_days, child.after_posting = 5, "summary"
        self.assertEqual((child.posting_period(), child.after_posting_mode()), (5, "summary"))

    @override_settings(POSTING_WORKING_DAYS=5, POSTING_AFTER_END="withdrawn")
    def test_the_site_defaults_are_settings(self) -> None:
        node = CatalogNode.objects.get(path="news/announcements")
        self.assertEqual((node.posting_period(), node.after_posting_mode()), (5, "withdrawn"))

    def test_a_period_is_at_least_one_working_day(self) -> None:
        node = CatalogNode.objects.get(path="news/announcements")
        node.posting_working_days = 0
        with self.assertRaises(ValidationError):
            node.full_clean()
