"""Emblematic projects (``proyecto_emblematico``): the zonal administrations
a project reaches are chosen among the organigram's administraciones zonales."""
from __future__ import annotations

import ckan.model as model


def zonal_administrations() -> list[tuple[str, str]]:
    """(name, title) of the active dependencies of kind ``administracion_zonal``."""
    rows = (model.Session.query(model.Group.name, model.Group.title)
            .join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active",
                    model.GroupExtra.key == "kind", model.GroupExtra.value == "administracion_zonal",
                    model.GroupExtra.state == "active")
            .order_by(model.Group.title))
    return [(name, title) for name, title in rows]


def quito_zonal_administration_choices(field: dict) -> list[dict]:
    """Choices for scheming's ``choices_helper``."""
    return [{"value": name, "label": title} for name, title in zonal_administrations()]


HELPERS = {"quito_zonal_administration_choices": quito_zonal_administration_choices}
