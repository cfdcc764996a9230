"""Accountability and management reports (``informe_gestion``).

The presentation date is checked against the reported year. Any report is
presented once the reported year has begun. An accountability report
(rendición de cuentas) covers a whole year and is presented after it ends:
"al finalizar el año fiscal" the Alcalde reports the year's activities to
the public (seed presentation, Informes de Gestión), so its date falls in a
later year. A management report may be partial (e.g. a semester), so only
the first rule applies to it.
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.datasets.common import blank

ACCOUNTABILITY = "rendicion_de_cuentas"


def _year(value) -> int | None:
    text = "" if blank(value) else str(value).strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def quito_report_presented(key, data, errors, context):
    """On ``presentation_date``: not before the reported year (``report_year``);
    for an accountability report, after the end of that year."""
    value = data.get(key)
    year = _year(data.get(key[:-1] + ("report_year",)))
    if blank(value) or year is None or errors.get(key):
        return
    presented = int(str(value)[:4])
    kind = data.get(key[:-1] + ("report_kind",))
    if presented < year:
        errors[key].append(tk._("The presentation date cannot be earlier than the reported year ({year}).").format(
            year=year))
    elif kind == ACCOUNTABILITY and presented == year:
        errors[key].append(tk._("An accountability report is presented after the reported year ends: "
                                "from 1 January {next} on.").format(next=year + 1))


VALIDATORS = {
    "quito_report_presented": quito_report_presented,
}
