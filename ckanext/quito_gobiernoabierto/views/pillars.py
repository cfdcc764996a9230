"""``/participacion`` and ``/colaboracion``: two pillars of open government.

What each pillar offers, as the 2017 Portal de Gobierno Abierto presented it,
with links to the portal's own pages (council sessions, LOTAIP services,
the organigram, the open data, the API and the DCAT catalogue). Transparency
has its own pages under ``/transparencia``.
"""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import home

pillars = Blueprint("quito_pillars", __name__)


def _extra_vars() -> dict:
    """The dataset types the pages link to, with the counts the user may see."""
    return {"types": {entry["type"]: entry for entry in home.quito_type_entries()}}


@pillars.route("/participacion")
def participation():
    return tk.render("pillars/participation.html", extra_vars=_extra_vars())


@pillars.route("/colaboracion")
def collaboration():
    return tk.render("pillars/collaboration.html", extra_vars=_extra_vars())
