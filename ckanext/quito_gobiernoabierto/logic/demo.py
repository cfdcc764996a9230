"""The demo content loader behind ``ckan quito demo load``.

Idempotent: every step looks at what exists and only creates or updates what
differs. Later capabilities (organigram, dataset types, harvest sources) add
their steps to ``STEPS``.
"""
from __future__ import annotations

from typing import Callable

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.logic.report import Report


def site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def ensure_sysadmin(report: Report, password: str) -> None:
    """Create the demo sysadmin, or make an existing account sysadmin."""
    name = tk.config.get("ckanext.quito.demo.admin_user")
    user = model.User.get(name)
    if user is None:
        tk.get_action("user_create")(site_context(), {
            "name": name,
            "email": tk.config.get("ckanext.quito.demo.admin_email"),
            "password": password,
            "fullname": "Administrador del portal (demo)",
        })
        user = model.User.get(name)
        report.created.append(f"user {name}")
    created = f"user {name}" in report.created
    if not user.sysadmin:
        user.sysadmin = True
        model.repo.commit()
        if not created:
            report.updated.append(f"user {name} (made sysadmin)")
    elif not created:
        report.unchanged.append(f"user {name}")


def load_organigram(admin_password: str) -> Report:
    """The municipality's dependencies, from the shipped organigram."""
    from ckanext.quito_gobiernoabierto import package_path
    from ckanext.quito_gobiernoabierto.organigram import loader, source

    rows = source.read(package_path("data", "organigrama-dmq.yaml"))
    return loader.load(rows, site_context())


def load_admin(admin_password: str) -> Report:
    report = Report("demo sysadmin")
    ensure_sysadmin(report, admin_password)
    return report


def load_datasets(admin_password: str) -> Report:
    """Demo publications of every dataset type (``data/demo/*.yaml``)."""
    from ckanext.quito_gobiernoabierto.logic import demo_datasets

    return demo_datasets.load(site_context())


def load_harvest(admin_password: str) -> Report:
    """Shared folders of sample files, harvested by ``quito_files``."""
    from ckanext.quito_gobiernoabierto.logic import demo_harvest

    return demo_harvest.load(site_context())


#: Each step returns its own report; later capabilities append theirs.
STEPS: list[Callable[[str], Report]] = [load_admin, load_organigram, load_datasets, load_harvest]


def load(admin_password: str) -> list[Report]:
    return [step(admin_password) for step in STEPS]
