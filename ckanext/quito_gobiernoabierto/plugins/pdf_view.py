"""``quito_pdf_view``: PDF documents in the browser's own viewer, with a
download link (``previews/pdf.py``)."""
from __future__ import annotations

from ckanext.quito_gobiernoabierto.previews import pdf as preview
from ckanext.quito_gobiernoabierto.previews.plugin import PreviewViewPlugin


class QuitoPdfViewPlugin(PreviewViewPlugin):
    preview = preview
    template = "previews/pdf.html"
