"""Resource previews that work offline (views ``quito_map_view``,
``quito_chart_view`` and ``quito_pdf_view``).

The plugins in ``plugins/map_view.py``, ``plugins/chart_view.py`` and
``plugins/pdf_view.py`` only wire CKAN's ``IResourceView``; what each view
can show and what its template gets lives here: ``common`` (formats, the
portal's own URL of a file, size limits), ``map``, ``chart`` (with the CSV
reading of ``timeseries``) and ``pdf``. The browser libraries are vendored in
``public/vendor/`` (``assets``), so no preview contacts another server.
"""
