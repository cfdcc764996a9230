"""``quito_chart_view``: the line chart and table of an indicator's time
series CSV (``previews/chart.py``)."""
from __future__ import annotations

from ckanext.quito_gobiernoabierto.previews import chart as preview
from ckanext.quito_gobiernoabierto.previews.plugin import PreviewViewPlugin


class QuitoChartViewPlugin(PreviewViewPlugin):
    preview = preview
    template = "previews/chart.html"
