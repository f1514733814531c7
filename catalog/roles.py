"""The two questions about `Membership`: where a person holds a role, and who holds it here.

- A clerk and a supervising leader hold their role in the organisations of their
  memberships, and nowhere else.
- The supervision group, the leadership group and the office's publishers work
  township-wide: a membership in an organisation covers the whole subtree of its
  township (`Organization.township()`: the nearest township, or county, at or above
  it; the organisation itself when there is none). So the publishers of 党政办 cover
  every department and village of their township, and a county-level membership
  covers the county.
- An inactive or anonymous user holds no role anywhere.
- `holders(role, organization)` is exactly the inverse of `organizations_for`: the
  people for whom `organization` is among `organizations_for(person, role)`.

`disclosure` (its permissions and its mail) and `applications` ask these; nobody
else restates them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from .models import Membership, Organization, descendant_ids

Role = Membership.Role
User = AbstractBaseUser | AnonymousUser

TOWNSHIP_WIDE = frozenset({Role.SUPERVISOR, Role.LEADERSHIP, Role.PUBLISHER})


def organizations_for(user: User, role: str) -> set[int]:
    """Ids of the organisations where `user` holds `role`."""
    return _roles(user)[role]


def visible_organizations(user: User) -> set[int]:
    """Ids of the organisations where `user` holds any role."""
    return set().union(*_roles(user).values())


def holders(role: str, organization: Organization) -> QuerySet:
    """The active people who hold `role` for `organization`: at most two queries, however
    many people there are."""
    if role in TOWNSHIP_WIDE:
        where = _Tree().covering(organization.pk)
    else:
        where = {organization.pk}
    memberships = Membership.objects.filter(role=role, organization_id__in=where)
    return get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def _roles(user: User) -> dict[str, set[int]]:
    """role → the organisation ids it covers, computed once per user object.

    Remembered on the object because one admin page asks it dozens of times; a
    membership changed during the request is seen by the next request's user.
    """
    remembered = getattr(user, "_catalog_roles", None)
    if remembered is not None:
        return remembered
    roles: dict[str, set[int]] = {role: set() for role in Role.values}
    if user.is_authenticated and user.is_active:
        for role, org_id in Membership.objects.filter(user=user).values_list(
            "role", "organization_id"
        ):
            roles[role].add(org_id)
        if any(roles[role] for role in TOWNSHIP_WIDE):
            tree = _Tree()
            for role in TOWNSHIP_WIDE:
                roles[role] = tree.covered_by(roles[role])
    user._catalog_roles = roles
    return roles


class _Tree:
    """The organisation tree in memory, from one query.

    The tree is small (tens to a few thousand rows, see `descendant_ids`), and with
    the parents linked here `Organization.township()` walks it without a query, so
    the township rule stays the model's.
    """

    def __init__(self) -> None:
        self.orgs = {org.pk: org for org in Organization.objects.only("id", "parent_id", "kind")}
        for org in self.orgs.values():
            if org.parent_id is not None:
                org.parent = self.orgs[org.parent_id]
        self.pairs = [(org.pk, org.parent_id) for org in self.orgs.values()]

    def township_of(self, org_id: int) -> int:
        org = self.orgs[org_id]
        return (org.township() or org).pk

    def covered_by(self, org_ids: set[int]) -> set[int]:
        """What township-wide memberships in `org_ids` cover: their townships' subtrees."""
        return descendant_ids({self.township_of(pk) for pk in org_ids}, self.pairs)

    def covering(self, org_id: int) -> set[int]:
        """The organisations whose township-wide memberships cover `org_id`: those whose
        township is `org_id` itself or stands above it."""
        above = {org.pk for org in self.orgs[org_id].ancestors(include_self=True)}
        return {pk for pk in self.orgs if self.township_of(pk) in above}
