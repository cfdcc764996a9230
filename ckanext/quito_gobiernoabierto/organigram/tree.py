"""Tree queries over CKAN's group hierarchy (member rows with table_name='group')."""
from __future__ import annotations

import ckan.model as model


def _node(group_id: str, name: str, title: str) -> dict:
    return {"id": group_id, "name": name, "title": title, "display_name": title or name, "children": []}


def tree(group_type: str = "organization") -> list[dict]:
    """Top-level groups of a type, each with its descendants nested in ``children``."""
    roots = []
    for top in model.Group.get_top_level_groups(type=group_type):
        root = _node(top.id, top.name, top.title)
        nodes = {top.id: root}
        for gid, name, title, parent_id in top.get_children_group_hierarchy(type=group_type):
            nodes[gid] = _node(gid, name, title)
            nodes[parent_id]["children"].append(nodes[gid])
        roots.append(root)
    return roots


def path_to(group: model.Group, group_type: str = "organization") -> list[model.Group]:
    """The ancestors of a group, root first, then the group itself."""
    return list(group.get_parent_group_hierarchy(type=group_type)) + [group]


def walk(nodes: list[dict], depth: int = 0):
    """(depth, node) for every node, parents before children."""
    for node in nodes:
        yield depth, node
        yield from walk(node["children"], depth + 1)
