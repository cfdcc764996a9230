"""``/organigrama``: the municipal organigram with each dependency's authority card."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.organigram import page

organigram = Blueprint("quito_organigram", __name__)


@organigram.route("/organigrama")
def index():
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    return tk.render("organigram/index.html", extra_vars=page.organigram(context))
