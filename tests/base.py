"""Named people and organisations, so every test reads like a sentence about them."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import TestCase

from catalog.models import CatalogNode, Membership, Organization
from portal.models import SiteProfile


class BaseTestCase(TestCase):
    """A county with township 青岚镇: 党政办 (office), 民政办 (civil), 财政所 (finance),
    a village, and a second township 白沙镇 with its own 民政办.

    People: alice (clerk, 民政办), bob (clerk, 财政所), lena (leader of 民政办),
    fred (leader of 财政所), olga (publisher, 党政办), sam (supervision group),
    gail (leadership group), pete (publisher of 白沙镇), and the anonymous
    visitor (self.client, never logged in unless a test says so).
    """

    @classmethod
    def setUpTestData(cls) -> None:
        build_world(cls)


def build_world(cls) -> None:
    """Create the organisations and people of BaseTestCase as attributes of `cls`.

    Also used by live-server tests, which cannot use setUpTestData.
    """
    org = Organization.objects.create
    cls.county = org(
        name="云溪县人民政府", slug="yunxi", kind="county", credit_code="11350925MB1870460Q"
    )
    cls.township = org(
        name="青岚镇人民政府",
        short_name="青岚镇",
        slug="qinglan",
        kind="township",
        parent=cls.county,
        credit_code="11350925003580712K",
    )
    cls.office = org(
        name="青岚镇党政综合办公室",
        short_name="党政办",
        slug="qinglan-office",
        kind="department",
        parent=cls.township,
        address="青岚街58号",
        office_hours="工作日 8:00-17:30",
        phone="0596-5261003",
        fax="0596-5261009",
        email="office@example.gov.cn",
    )
    cls.township.disclosure_office = cls.office
    cls.township.save()
    cls.civil = org(
        name="青岚镇民政办公室",
        short_name="民政办",
        slug="qinglan-civil",
        kind="department",
        parent=cls.township,
    )
    cls.finance = org(
        name="青岚镇财政所",
        short_name="财政所",
        slug="qinglan-finance",
        kind="department",
        parent=cls.township,
    )
    cls.village = org(
        name="东坪村民委员会",
        short_name="东坪村",
        slug="dongping",
        kind="village",
        parent=cls.township,
    )
    cls.other_township = org(
        name="白沙镇人民政府",
        short_name="白沙镇",
        slug="baisha",
        kind="township",
        parent=cls.county,
        credit_code="11350925003580799X",
    )
    cls.other_civil = org(
        name="白沙镇民政办公室",
        short_name="白沙民政办",
        slug="baisha-civil",
        kind="department",
        parent=cls.other_township,
    )

    cls.site = SiteProfile.objects.create(
        name="云溪县政务公开",
        organization=cls.county,
        organiser="云溪县人民政府",
        domain="www.yunxi.example.gov.cn",
        site_id_code="3509250017",
        icp_number="闽ICP备00000000号-1",
        police_record_number="闽公网安备 35092502000000号",
        guide_classification="按公开目录分类。",
        guide_how_to_obtain="在本网站查阅。",
        guide_application="可以在线申请。",
    )

    User = get_user_model()

    def person(username: str, organization: Organization, role: str):
        user = User.objects.create_user(username=username, password="x-password-123", is_staff=True)
        Membership.objects.create(user=user, organization=organization, role=role)
        return user

    cls.alice = person("alice", cls.civil, Membership.Role.CLERK)
    cls.bob = person("bob", cls.finance, Membership.Role.CLERK)
    cls.lena = person("lena", cls.civil, Membership.Role.LEADER)
    cls.olga = person("olga", cls.office, Membership.Role.PUBLISHER)
    cls.sam = person("sam", cls.township, Membership.Role.SUPERVISOR)
    cls.fred = person("fred", cls.finance, Membership.Role.LEADER)
    cls.gail = person("gail", cls.township, Membership.Role.LEADERSHIP)
    cls.pete = person("pete", cls.other_township, Membership.Role.PUBLISHER)
    for user in (cls.alice, cls.bob, cls.lena, cls.fred, cls.olga, cls.sam, cls.gail, cls.pete):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])


class LiveDataMixin:
    """For TransactionTestCase (live server) tests.

    - Between such tests Django empties every table, the catalog that the data
      migration made included; `_fixture_setup` puts it back when it is gone.
    - On SQLite the audit trigger refuses DELETE on events and Django's flush
      deletes tables in no fixed order, so the trigger steps aside for the flush
      only. (PostgreSQL flushes with TRUNCATE, which row triggers do not see.)
    """

    @classmethod
    def _fixture_setup(cls) -> None:
        super()._fixture_setup()
        if not CatalogNode.objects.exists():
            import_module("catalog.migrations.0002_catalog_tree").create_tree(apps, None)

    def _fixture_teardown(self) -> None:
        from importlib import import_module

        from django.db import connection

        if connection.vendor != "sqlite":
            return super()._fixture_teardown()
        triggers = import_module("disclosure.migrations.0002_audit_triggers")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS noticeevent_no_delete")
        try:
            super()._fixture_teardown()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(triggers.SQLITE[1])
