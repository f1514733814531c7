"""Who may see and do what with a notice. Roles are data (catalog.Membership).

- A clerk works on the notices of the organisations they are a clerk of.
- A supervising leader reviews the organisations they are the leader of.
- The supervision group, the leadership group and the office's publishers work
  township-wide: their membership is in the township or one of its offices,
  and it covers everything below that township.
- Seeing is the union of all that; a notice outside it does not exist for the
  user (404), whatever its state.

Each single-object predicate has a queryset twin, so the admin's lists and its
buttons can never disagree.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from catalog.models import Membership, Organization, organization_subtree_ids

from .models import Notice, NoticeEvent

Role = Membership.Role
User = AbstractBaseUser | AnonymousUser

TOWNSHIP_WIDE = (Role.SUPERVISOR, Role.LEADERSHIP, Role.PUBLISHER)


def _memberships(user: User) -> dict[str, set[int]]:
    """role → organisation ids the role covers, computed once per user object."""
    cached = getattr(user, "_disclosure_roles", None)
    if cached is not None:
        return cached
    roles: dict[str, set[int]] = {role: set() for role in Role.values}
    if user.is_authenticated and user.is_active:
        for role, org_id in Membership.objects.filter(user=user).values_list(
            "role", "organization_id"
        ):
            roles[role].add(org_id)
        for role in TOWNSHIP_WIDE:
            roles[role] = _township_subtrees(roles[role])
    user._disclosure_roles = roles
    return roles


def _township_subtrees(org_ids: set[int]) -> set[int]:
    covered: set[int] = set()
    for org in Organization.objects.filter(pk__in=org_ids).select_related("parent"):
        township = org.township() or org
        covered |= organization_subtree_ids(township)
    return covered


def organizations_for(user: User, role: str) -> set[int]:
    return _memberships(user)[role]


def visible_organizations(user: User) -> set[int]:
    return set().union(*_memberships(user).values())


# --- querysets ------------------------------------------------------------------------


def notices_visible_to(user: User) -> QuerySet[Notice]:
    if user.is_authenticated and user.is_superuser:
        return Notice.objects.all()
    return Notice.objects.filter(organization_id__in=visible_organizations(user))


def notices_editable_by(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(
        organization_id__in=organizations_for(user, Role.CLERK),
        status__in=Notice.USER_ALLOWED_STATUS,
    )


def notices_reviewable_by(user: User) -> QuerySet[Notice]:
    """Waiting at a step this user reviews, and not submitted by them."""
    mine = Q()
    for role in (Role.LEADER, Role.SUPERVISOR, Role.LEADERSHIP):
        mine |= Q(review_role=role, organization_id__in=organizations_for(user, role))
    return (
        Notice.objects.filter(status=Notice.Status.SUBMITTED)
        .filter(mine)
        .exclude(submitted_by=user.pk)
    )


def notices_publishable_by(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(
        status=Notice.Status.APPROVED, organization_id__in=organizations_for(user, Role.PUBLISHER)
    )


# --- single objects -----------------------------------------------------------------


def can_view(user: User, notice: Notice) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return notice.organization_id in visible_organizations(user)


def can_write(user: User, notice: Notice) -> bool:
    """Clerk of the notice's organisation (the state is the workflow's question)."""
    return notice.organization_id in organizations_for(user, Role.CLERK)


def can_edit(user: User, notice: Notice) -> bool:
    return can_write(user, notice) and notice.status in Notice.USER_ALLOWED_STATUS


def can_review_as(user: User, notice: Notice, role: str) -> bool:
    return role in Role.values and notice.organization_id in organizations_for(user, role)


def can_review(user: User, notice: Notice) -> bool:
    """Holds a reviewing role somewhere in this notice's chain."""
    chain = notice.review_chain or notice.catalog_node.review_chain()
    return any(can_review_as(user, notice, role) for role in chain)


def can_publish(user: User, notice: Notice) -> bool:
    return notice.organization_id in organizations_for(user, Role.PUBLISHER)


def has_approved_this_round(user: User, notice: Notice) -> bool:
    """Four eyes: nobody approves twice in one pass through the chain."""
    if notice.submitted_at is None:
        return False
    return NoticeEvent.objects.filter(
        notice=notice,
        actor=user,
        action=NoticeEvent.Action.APPROVED,
        created__gte=notice.submitted_at,
    ).exists()


def actions_for(user: User, notice: Notice) -> list[str]:
    """The workflow buttons this user may press on this notice now (the admin shows these)."""
    status = notice.status
    actions = []
    if status in Notice.USER_ALLOWED_STATUS and can_write(user, notice):
        actions.append("submit")
    if status == Notice.Status.SUBMITTED and _may_review_now(user, notice):
        actions += ["approve", "return"]
    if status == Notice.Status.APPROVED and can_publish(user, notice):
        actions += ["publish", "return"]
    if status == Notice.Status.PUBLISHED and can_publish(user, notice):
        actions.append("withdraw")
    if status == Notice.Status.PUBLISHED and not notice.revision_of_id and can_write(user, notice):
        actions.append("revise")
    return actions


def _may_review_now(user: User, notice: Notice) -> bool:
    return (
        can_review_as(user, notice, notice.review_role)
        and notice.submitted_by_id != user.pk
        and not has_approved_this_round(user, notice)
    )
