"""Where each person holds a role, and who holds a role here (catalog.roles)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from catalog.models import Membership, Organization
from catalog.roles import holders, organizations_for, visible_organizations
from tests.base import BaseTestCase

Role = Membership.Role


class OrganizationsForTests(BaseTestCase):
    def qinglan(self) -> set[int]:
        return {o.pk for o in (self.township, self.office, self.civil, self.finance, self.village)}

    def fresh(self, user):
        """The same person as a new request would see them (the answer is remembered)."""
        return get_user_model().objects.get(pk=user.pk)

    def test_a_clerk_writes_for_their_own_office_only(self) -> None:
        """alice is a clerk of 民政办, and nothing anywhere else."""
        self.assertEqual(organizations_for(self.alice, Role.CLERK), {self.civil.pk})
        self.assertEqual(organizations_for(self.alice, Role.LEADER), set())
        self.assertEqual(visible_organizations(self.alice), {self.civil.pk})

    def test_a_leader_leads_their_own_office_only(self) -> None:
        """lena leads 民政办; fred leads 财政所; neither covers the other."""
        self.assertEqual(organizations_for(self.lena, Role.LEADER), {self.civil.pk})
        self.assertEqual(organizations_for(self.fred, Role.LEADER), {self.finance.pk})

    def test_the_offices_publisher_covers_the_whole_township(self) -> None:
        """olga's membership is in 党政办; it covers every organisation of 青岚镇."""
        self.assertEqual(organizations_for(self.olga, Role.PUBLISHER), self.qinglan())
        self.assertNotIn(self.other_civil.pk, organizations_for(self.olga, Role.PUBLISHER))
        self.assertNotIn(self.county.pk, organizations_for(self.olga, Role.PUBLISHER))

    def test_the_supervision_and_leadership_groups_cover_their_township(self) -> None:
        """sam and gail sit in the township itself and cover it all, not 白沙镇."""
        self.assertEqual(organizations_for(self.sam, Role.SUPERVISOR), self.qinglan())
        self.assertEqual(organizations_for(self.gail, Role.LEADERSHIP), self.qinglan())
        self.assertEqual(visible_organizations(self.sam), self.qinglan())

    def test_the_other_townships_publisher_covers_only_theirs(self) -> None:
        """pete publishes for 白沙镇, never for 青岚镇."""
        self.assertEqual(
            organizations_for(self.pete, Role.PUBLISHER),
            {self.other_township.pk, self.other_civil.pk},
        )

    def test_a_county_membership_covers_the_county(self) -> None:
        """A township-wide role held at the county covers every township below it."""
        self.alice.memberships.create(organization=self.county, role=Role.SUPERVISOR)
        covered = organizations_for(self.fresh(self.alice), Role.SUPERVISOR)
        self.assertEqual(covered, set(Organization.objects.values_list("pk", flat=True)))

    def test_a_township_wide_role_is_not_widened_for_clerks(self) -> None:
        """A clerk of the township itself is a clerk there, not of its departments."""
        self.bob.memberships.create(organization=self.township, role=Role.CLERK)
        self.assertEqual(
            organizations_for(self.fresh(self.bob), Role.CLERK),
            {self.finance.pk, self.township.pk},
        )

    def test_nobody_inactive_or_anonymous_holds_a_role(self) -> None:
        self.olga.is_active = False
        self.olga.save(update_fields=["is_active"])
        self.assertEqual(organizations_for(self.fresh(self.olga), Role.PUBLISHER), set())
        self.assertEqual(visible_organizations(AnonymousUser()), set())

    def test_the_answer_is_remembered_on_the_person(self) -> None:
        """One query for the memberships, one for the tree; asking again costs nothing."""
        olga = self.fresh(self.olga)
        with self.assertNumQueries(2):
            organizations_for(olga, Role.PUBLISHER)
        with self.assertNumQueries(0):
            organizations_for(olga, Role.PUBLISHER)
            visible_organizations(olga)


class HoldersTests(BaseTestCase):
    def names(self, role: str, organization: Organization) -> list[str]:
        return sorted(holders(role, organization).values_list("username", flat=True))

    def test_who_reviews_here(self) -> None:
        """民政办's leader is lena, 财政所's is fred; the village has none."""
        self.assertEqual(self.names(Role.LEADER, self.civil), ["lena"])
        self.assertEqual(self.names(Role.LEADER, self.finance), ["fred"])
        self.assertEqual(self.names(Role.LEADER, self.village), [])

    def test_who_publishes_here(self) -> None:
        """olga publishes for every part of 青岚镇, pete for 白沙镇."""
        for org in (self.township, self.office, self.civil, self.village):
            with self.subTest(org=org.label):
                self.assertEqual(self.names(Role.PUBLISHER, org), ["olga"])
        self.assertEqual(self.names(Role.PUBLISHER, self.other_civil), ["pete"])
        self.assertEqual(self.names(Role.PUBLISHER, self.county), [])

    def test_who_supervises_here(self) -> None:
        """sam supervises 青岚镇; a county supervisor is found for 青岚镇 too."""
        self.assertEqual(self.names(Role.SUPERVISOR, self.village), ["sam"])
        self.bob.memberships.create(organization=self.county, role=Role.SUPERVISOR)
        self.assertEqual(self.names(Role.SUPERVISOR, self.village), ["bob", "sam"])
        self.assertEqual(self.names(Role.SUPERVISOR, self.other_civil), ["bob"])

    def test_someone_inactive_is_nobody(self) -> None:
        self.olga.is_active = False
        self.olga.save(update_fields=["is_active"])
        self.assertEqual(self.names(Role.PUBLISHER, self.civil), [])

    def test_two_memberships_make_one_holder(self) -> None:
        """A publisher of the township and of 党政办 is named once."""
        self.olga.memberships.create(organization=self.township, role=Role.PUBLISHER)
        self.assertEqual(self.names(Role.PUBLISHER, self.civil), ["olga"])

    def test_the_queries_do_not_grow_with_the_people(self) -> None:
        """One query for the tree and one for the people, however many publishers."""
        User = get_user_model()
        for i in range(20):
            user = User.objects.create_user(username=f"publisher{i}")
            user.memberships.create(organization=self.office, role=Role.PUBLISHER)
        with self.assertNumQueries(2):
            self.assertEqual(len(list(holders(Role.PUBLISHER, self.civil))), 21)

    def test_holders_are_exactly_whom_organizations_for_names(self) -> None:
        """For every person, role and organisation the two questions agree."""
        self.bob.memberships.create(organization=self.county, role=Role.LEADERSHIP)
        self.pete.memberships.create(organization=self.village, role=Role.SUPERVISOR)
        people = list(get_user_model().objects.all())
        for org in Organization.objects.all():
            for role in Role.values:
                named = {p.pk for p in people if org.pk in organizations_for(p, role)}
                with self.subTest(org=org.label, role=role):
                    self.assertEqual(set(holders(role, org).values_list("pk", flat=True)), named)
