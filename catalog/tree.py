"""The catalog as an in-memory tree with public notice counts, in two queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from .models import CatalogNode


@dataclass
class TreeNode:
    node: CatalogNode
    own_count: int = 0
    children: list[TreeNode] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Notices in this node and every node below it."""
        return self.own_count + sum(child.count for child in self.children)

    def __getattr__(self, name: str):
        # Templates read node fields straight off the tree node. Never for dunder names or
        # `node` itself: unpickling (the tree is cached) looks those up before `node` is set.
        if name.startswith("__") or name == "node":
            raise AttributeError(name)
        return getattr(self.node, name)


@dataclass
class CatalogTree:
    roots: list[TreeNode]
    by_path: dict[str, TreeNode]
    by_id: dict[int, TreeNode] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {item.node.pk: item for item in self.by_path.values()}

    def subtree_ids(self, path: str) -> set[int]:
        found: set[int] = set()
        stack = [self.by_path[path]]
        while stack:
            item = stack.pop()
            found.add(item.node.pk)
            stack.extend(item.children)
        return found


def catalog_tree(notices: QuerySet) -> CatalogTree:
    """Build the whole tree; `notices` (already limited to what the public sees) gives the counts.

    The catalog has tens of nodes, so building all of it costs less than
    asking the database for one branch at a time.
    """
    counts = dict(
        notices.order_by()
        .values_list("catalog_node_id")
        .annotate(n=Count("id"))
        .values_list("catalog_node_id", "n")
    )
    items = {
        node.pk: TreeNode(node, counts.get(node.pk, 0))
        for node in CatalogNode.objects.select_related("responsible").order_by("position", "path")
    }
    roots: list[TreeNode] = []
    for item in items.values():
        parent = items.get(item.node.parent_id)
        (parent.children if parent else roots).append(item)
    return CatalogTree(roots=roots, by_path={i.node.path: i for i in items.values()})
