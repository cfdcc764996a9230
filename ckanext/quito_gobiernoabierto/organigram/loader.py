"""Create and update organizations from an organigram, idempotently.

Nothing is deleted unless asked: dependencies missing from the file are
reported, and ``remove_missing`` deletes them (CKAN refuses to delete one
that still owns datasets, which is then reported as a problem).
"""
from __future__ import annotations

from typing import Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.logic.report import Report
from ckanext.quito_gobiernoabierto.organigram.source import FIELDS, REQUIRED


def _errors_text(error: tk.ValidationError) -> str:
    parts = []
    for field, messages in (error.error_dict or {}).items():
        text = "; ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages)
        parts.append(f"{field}: {text}")
    return ", ".join(parts) or str(error)


def check_rows(rows: list[dict], report: Report) -> list[dict]:
    """Rows with the required fields and unique names; the others become problems."""
    seen, good = set(), []
    for number, row in enumerate(rows, start=1):
        missing = [f for f in REQUIRED if not row.get(f)]
        if missing:
            report.problems.append(f"row {number} ({row.get('name', '?')}): missing {', '.join(missing)}")
        elif row["name"] in seen:
            report.problems.append(f"row {number} ({row['name']}): duplicate name")
        else:
            seen.add(row["name"])
            good.append(row)
    return good


def parents_first(rows: list[dict]) -> list[dict]:
    """Rows ordered so each parent in the file comes before its children."""
    by_name = {r["name"]: r for r in rows}
    ordered, placed = [], set()

    def place(row, trail=()):
        if row["name"] in placed or row["name"] in trail:
            return
        parent = by_name.get(row.get("parent", ""))
        if parent is not None:
            place(parent, trail + (row["name"],))
        placed.add(row["name"])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def _changes(current: dict, desired: dict) -> dict:
    return {k: desired.get(k, "") for k in FIELDS
            if k != "name" and str(current.get(k) or "") != str(desired.get(k, ""))}


def apply_row(row: dict, context: dict, report: Report) -> None:
    name = row["name"]
    existing = model.Group.get(name)
    try:
        if existing is None or existing.state != "active":
            tk.get_action("organization_create")(dict(context), dict(row))
            report.created.append(name)
            return
        current = tk.get_action("organization_show")(dict(context), {"id": existing.id})
        changes = _changes(current, row)
        if not changes:
            report.unchanged.append(name)
            return
        tk.get_action("organization_patch")(dict(context), dict(changes, id=existing.id))
        report.updated.append(f"{name} ({', '.join(sorted(changes))})")
    except tk.ValidationError as e:
        model.Session.rollback()
        report.problems.append(f"{name}: {_errors_text(e)}")


def managed_organizations() -> list[model.Group]:
    """Active organizations that belong to the organigram (they have a kind)."""
    return [g for g in model.Session.query(model.Group).filter_by(is_organization=True, state="active")
            if g.extras.get("kind")]


def owned_datasets(group: model.Group) -> int:
    """Datasets (public, private or draft) that the organization owns."""
    return model.Session.query(model.Package).filter(
        model.Package.owner_org == group.id, model.Package.state != "deleted").count()


def handle_missing(names: set, context: dict, report: Report, remove: bool) -> None:
    for group in managed_organizations():
        if group.name in names:
            continue
        if not remove:
            report.missing.append(group.name)
            continue
        owned = owned_datasets(group)
        if owned:
            report.problems.append(f"{group.name}: not deleted: it owns {owned} datasets; "
                                   "move or delete them first")
            continue
        try:
            tk.get_action("organization_delete")(dict(context), {"id": group.id})
            report.deleted.append(group.name)
        except tk.ValidationError as e:
            model.Session.rollback()
            report.problems.append(f"{group.name}: not deleted: {_errors_text(e)}")


def load(rows: list[dict], context: dict, remove_missing: bool = False,
         progress: Optional[Callable[[str], None]] = None) -> Report:
    """Apply an organigram; ``context`` is the acting user's (a sysadmin's)."""
    report = Report("organigram")
    good = parents_first(check_rows(rows, report))
    for row in good:
        apply_row(row, context, report)
        if progress:
            progress(row["name"])
    handle_missing({r["name"] for r in rows if r.get("name")}, context, report, remove_missing)
    return report
