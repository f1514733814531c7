"""Who may see and do what with a notice. Roles are data (catalog.Membership).

- A clerk works on the notices of the organisations they are a clerk of.
- A supervising leader reviews the organisations they are the leader of.
- The supervision group, the leadership group and the office's publishers work
  township-wide (where a role covers what is catalog's question: `catalog.roles`).
- Seeing is the union of all that; a notice outside it does not exist for the
  user (404), whatever its state.

Each single-object predicate has a queryset twin, so the admin's lists and its
buttons can never disagree; the buttons are the transitions whose guard
(`workflow.GUARDS`, built from the predicates here) lets the person through.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from catalog.models import Membership
from catalog.roles import organizations_for, visible_organizations

from .models import Notice, NoticeEvent
from .models.workflow import GUARDS

Role = Membership.Role
User = AbstractBaseUser | AnonymousUser


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
    """Approved and proactively disclosed: an approved notice kept on request or not
    disclosed is filed, not waiting for the office (publishing it is refused)."""
    return Notice.objects.filter(
        status=Notice.Status.APPROVED,
        disclosure_mode=Notice.Mode.PROACTIVE,
        organization_id__in=organizations_for(user, Role.PUBLISHER),
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


def can_return(user: User, notice: Notice) -> bool:
    """A reviewer of its chain sends it back from review, the office once approved."""
    return can_review(user, notice) or can_publish(user, notice)


# --- "not now": the refusals of a guard (workflow.GUARDS) ---------------------------------


def waits_for_another(user: User, notice: Notice) -> bool:
    """The step it waits at (a review role, or the office once approved) is not theirs."""
    if notice.status == Notice.Status.SUBMITTED:
        return not can_review_as(user, notice, notice.review_role)
    if notice.status == Notice.Status.APPROVED:
        return not can_publish(user, notice)
    return True


def is_own_submission(user: User, notice: Notice) -> bool:
    """Four eyes: nobody approves what they submitted themselves."""
    return notice.submitted_by_id is not None and notice.submitted_by_id == user.pk


def is_a_revision(user: User, notice: Notice) -> bool:
    """A revision is not revised again: its original is."""
    return notice.revision_of_id is not None


def actions_for(user: User, notice: Notice) -> list[str]:
    """The workflow buttons this user may press on this notice now (the admin shows these).

    Exactly the transitions whose guard lets them through, asked as the transition
    asks it; what the notice itself still lacks (a reason, a legal basis) is said by
    the transition when pressed.
    """
    return [action for action in GUARDS if notice.refusal(action, user) is None]
