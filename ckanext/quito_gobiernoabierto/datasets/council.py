"""Council sessions (``sesion_concejo``): who met (plenary or a commission)
and the year, taken from the session date for the year facet."""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.datasets.common import blank


def quito_session_year(key, data, errors, context):
    """The year of ``session_date`` (derived; any value sent is replaced)."""
    date = data.get(key[:-1] + ("session_date",))
    match = re.match(r"^(\d{4})-", str(date or ""))
    data[key] = match.group(1) if match else ""


def quito_commission(key, data, errors, context):
    """A commission session names its commission; a plenary session names none."""
    body = data.get(key[:-1] + ("council_body",))
    value = data.get(key)
    if body == "comision" and blank(value):
        errors[key].append(tk._("Name the commission that held the session."))
    elif body == "pleno" and not blank(value):
        errors[key].append(tk._("A plenary session has no commission; leave this field empty."))


VALIDATORS = {
    "quito_session_year": quito_session_year,
    "quito_commission": quito_commission,
}
