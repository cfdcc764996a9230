"""A dataset's past activities follow it out of public view.

CKAN's ``activity`` plugin stamps each activity with the permission labels
its dataset had at the time, and filters the streams by them. A dataset
created public and later deleted, made private or moved back to draft keeps
its earlier activities labelled ``public``: the whole dataset, as it was, in
``recently_changed_packages_activity_list``, the dependency's stream and
``activity_show`` for anyone. After every change of that kind the past
activities of the dataset take its current labels, so they are shown only
to whoever may see the dataset now. Activities are never widened: a private
dataset made public keeps its private history private.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels

log = logging.getLogger(__name__)

#: Actions after which a dataset may have left public view, and where they name it.
SENDERS = ("package_update", "package_delete", "package_owner_org_update",
           "bulk_update_private", "bulk_update_delete")


def restrict(package_ids: Iterable[str]) -> int:
    """Give the past activities of these datasets their current labels,
    for those that are not public now. Returns how many activities changed."""
    if not p.plugin_loaded("activity"):
        return 0
    from ckanext.activity.model import Activity

    changed = 0
    for package_id in package_ids:
        package = model.Package.get(package_id) if package_id else None
        if package is None:
            continue
        labels = get_permission_labels().get_dataset_labels(package)
        if "public" in labels:
            continue
        stale = sa.or_(Activity.permission_labels.is_(None), Activity.permission_labels != labels)
        changed += (model.Session.query(Activity).filter(Activity.object_id == package.id, stale)
                    .update({"permission_labels": labels}, synchronize_session=False))
    return changed


def _package_ids(sender: str, data_dict: dict, result: Any) -> list:
    if sender.startswith("bulk_update_"):
        return list(data_dict.get("datasets") or [])
    if sender == "package_update" and isinstance(result, dict) and result.get("id"):
        return [result["id"]]
    if isinstance(result, str) and sender == "package_update":
        return [result]
    return [data_dict.get("id") or data_dict.get("name")]


def dataset_changed(sender: str, **kwargs: Any) -> None:
    """Receiver of ``action_succeeded`` for the ``SENDERS``."""
    context, data_dict = kwargs.get("context") or {}, kwargs.get("data_dict") or {}
    if restrict(_package_ids(sender, data_dict, kwargs.get("result"))) and not context.get("defer_commit"):
        model.Session.commit()


def subscriptions() -> dict:
    return {tk.signals.action_succeeded: [{"sender": name, "receiver": dataset_changed} for name in SENDERS]}
