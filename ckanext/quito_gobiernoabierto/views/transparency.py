"""``/transparencia``: the Transparency pillar of the Portal de Gobierno
Abierto (its index, the LOTAIP browser, Concejo Abierto, Proyectos
Emblemáticos and Presupuesto Abierto). Each page reads its datasets through
``package_search`` as the viewing user (see ``lotaip.browser`` and the
``transparency`` package)."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import transparency as common
from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import REGIMES
from ckanext.quito_gobiernoabierto.lotaip import browser
from ckanext.quito_gobiernoabierto.transparency import budget as budget_page
from ckanext.quito_gobiernoabierto.transparency import council as council_page
from ckanext.quito_gobiernoabierto.transparency import projects as projects_page

transparency = Blueprint("quito_transparency", __name__, url_prefix="/transparencia")


@transparency.route("/")
@transparency.route("")
def index():
    return tk.render("transparency/index.html", extra_vars={})


@transparency.route("/lotaip")
def lotaip():
    context = common.user_context()
    law = tk.request.args.get("law", "").strip() or None
    if law is not None and law not in REGIMES:
        tk.abort(400, tk._("Unknown law: choose 2004 or 2023."))
    years = browser.years(context)
    data = browser.page(context, years, common.requested_year(years), law)
    return tk.render("transparency/lotaip.html", extra_vars=data)


@transparency.route("/concejo-abierto")
def council():
    context = common.user_context()
    years = council_page.years(context)
    data = council_page.page(context, years, common.requested_year(years))
    return tk.render("transparency/council.html", extra_vars=data)


@transparency.route("/proyectos-emblematicos")
def projects():
    return tk.render("transparency/projects.html", extra_vars=projects_page.page(common.user_context()))


@transparency.route("/presupuesto-abierto")
def budget():
    context = common.user_context()
    years = budget_page.years(context)
    data = budget_page.page(context, years, common.requested_year(years))
    return tk.render("transparency/budget.html", extra_vars=data)
