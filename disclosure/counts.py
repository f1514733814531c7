"""Counts and choices of public notices, derived once per public version (portal.public).

Counting public notices reads every one of them, which at a county's archive of a million
notices takes seconds; they change only when something is published, revised or
withdrawn, and each of those bumps the version. So a public page pays for a count once per
version and reads it from the cache after that: a list page is then the site-and-version
query and the page's own rows.
"""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.models import Organization, descendant_ids
from catalog.tree import CatalogTree, catalog_tree
from portal.public import remember
from portal.scope import get_scope, organization_pairs

from .publication import public_notices

# The organisation filter lists the scope's organisation and as many levels below it as fit
# in this many entries: a select of hundreds of villages is no use on a phone, and each
# township's own pages (/org/<slug>/) offer its departments and villages.
ORGANIZATION_CHOICES_MAX = 80


def scope_key(request: HttpRequest) -> str:
    scope = get_scope(request)
    return (
        "site" if scope.is_site_root or scope.organization is None else str(scope.organization.pk)
    )


def public_tree(request: HttpRequest) -> CatalogTree:
    """The catalog with the number of public notices in the page's scope under each node."""
    return remember(
        request,
        f"catalog-tree:{scope_key(request)}",
        lambda: catalog_tree(public_notices(request, to_count=True)),
    )


def remembered_count(request: HttpRequest, name: str, queryset: QuerySet) -> int:
    """`queryset.count()`, once per public version; `name` says what the queryset is."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return remember(request, f"count:{scope_key(request)}:{digest}", queryset.count)


def organization_choices(request: HttpRequest) -> list[tuple[int, str]]:
    """The organisation filter's choices: the scope's organisation and the levels below it
    that fit in ORGANIZATION_CHOICES_MAX, as a tree indented with ideographic spaces."""
    scope = get_scope(request)

    def compute() -> list[tuple[int, str]]:
        orgs = Organization.objects.only("id", "name", "short_name", "parent_id", "position")
        if scope.organization is None:
            return [(org.pk, org.name) for org in orgs.order_by("position", "pk")]
        allowed = scope.organization_ids
        children: dict[int | None, list[Organization]] = {}
        for org in orgs.filter(id__in=allowed).order_by("position", "pk"):
            children.setdefault(org.parent_id, []).append(org)
        # Breadth first: keep whole levels while they fit.
        root = scope.organization
        level, depth, depth_of = [root.pk], 0, {root.pk: 0}
        kept = 1
        while level:
            below = [child for pk in level for child in children.get(pk, [])]
            if not below or kept + len(below) > ORGANIZATION_CHOICES_MAX:
                break
            depth += 1
            for child in below:
                depth_of[child.pk] = depth
            kept += len(below)
            level = [child.pk for child in below]
        choices: list[tuple[int, str]] = []

        def walk(org_id: int, name: str) -> None:
            choices.append((org_id, "\u3000" * depth_of[org_id] + name))
            for child in children.get(org_id, []):
                if child.pk in depth_of:
                    walk(child.pk, child.name)

        walk(root.pk, root.name)
        return choices

    return remember(request, f"organization-choices:{scope_key(request)}", compute)


def organization_subtree(request: HttpRequest, org_id: int) -> set[int]:
    return descendant_ids([org_id], organization_pairs(request))


# A branch holding more than this share of the public notices is read along the list's own
# index (newest first, checking each notice's node) rather than through the per-node index,
# which would fetch and sort every notice of the branch to show twenty.
WIDE_BRANCH_SHARE = 0.05


def in_branch(queryset: QuerySet, tree: CatalogTree, path: str) -> QuerySet:
    """`queryset` limited to the catalog node at `path` and everything below it.

    The database cannot merge the per-node index's sorted runs for several nodes: a wide
    branch walks the newest-first list index instead (NoticeQuerySet.in_catalog_nodes);
    the catalog tree's counts tell which."""
    item = tree.by_path[path]
    ids = tree.subtree_ids(path)
    total = sum(root.count for root in tree.roots)
    return queryset.in_catalog_nodes(ids, wide=item.count > WIDE_BRANCH_SHARE * total)
