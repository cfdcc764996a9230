"""Which resources each preview applies to (``can_view``), and the views'
``info()`` that makes them suitable for ``ckan.views.default_views``."""
import pytest

from ckanext.quito_gobiernoabierto.previews import chart, map as map_preview, pdf

SITE = "http://test.quito.local"  # test.ini's ckan.site_url
ELSEWHERE = "https://geoportal.quito.gob.ec/capas"


def upload(file_name, **fields):
    return dict(url=f"{SITE}/dataset/d/resource/r/download/{file_name}", url_type="upload", **fields)


def link(url, **fields):
    return dict(url=url, url_type="", **fields)


@pytest.mark.parametrize("resource,expected", [
    (upload("capa.geojson", format="GeoJSON"), True),
    (upload("capa.kml", format="KML"), True),
    (upload("capa.json", format="geojson"), True),
    (upload("capa.geojson", format=""), True),
    (upload("capa.kml", format="", mimetype="application/vnd.google-earth.kml+xml"), True),
    (upload("capa.json", format="JSON", mimetype="application/geo+json"), True),
    (link(f"{SITE}/archivos/capa.geojson", format="GeoJSON"), True),
    (link(f"{ELSEWHERE}/capa.geojson", format="GeoJSON"), False),
    (link(f"{ELSEWHERE}/capa.kml", format="KML"), False),
    (upload("capa.kmz", format="KMZ"), False),
    (upload("capa.zip", format="SHP"), False),
    (upload("serie.csv", format="CSV"), False),
    (upload("capa.json", format="JSON"), False),
])
@pytest.mark.parametrize("dataset_type", ["capa_geografica", "dataset"])
def test_map_view_applies_to_geojson_and_kml_the_portal_serves(resource, expected, dataset_type):
    assert map_preview.can_view({"resource": resource, "package": {"type": dataset_type}}) is expected


SERIES = dict(format="CSV", resource_role="time_series")


@pytest.mark.parametrize("dataset_type,resource,expected", [
    ("indicador", upload("serie.csv", **SERIES), True),
    ("indicador", upload("serie.csv", format="", resource_role="time_series"), True),
    ("indicador", upload("serie.txt", format="", mimetype="text/csv", resource_role="time_series"), True),
    ("indicador", upload("serie.csv", format="CSV", resource_role="methodology"), False),
    ("indicador", upload("serie.csv", format="CSV"), False),
    ("indicador", upload("serie.xlsx", format="XLSX", resource_role="time_series"), False),
    ("indicador", link("http://example.org/serie.csv", **SERIES), False),
    ("indicador", link(f"{SITE}/archivos/serie.csv", **SERIES), False),
    ("dataset", upload("serie.csv", **SERIES), False),
    ("presupuesto", upload("serie.csv", **SERIES), False),
])
def test_chart_view_applies_to_the_uploaded_time_series_of_an_indicator(dataset_type, resource, expected):
    assert chart.can_view({"resource": resource, "package": {"type": dataset_type}}) is expected


@pytest.mark.parametrize("resource,expected", [
    (upload("informe.pdf", format="PDF"), True),
    (upload("acta.pdf", format="pdf"), True),
    (upload("acta.pdf", format=""), True),
    (upload("acta", format="", mimetype="application/pdf"), True),
    (link(f"{SITE}/archivos/acta.pdf", format="PDF"), True),
    (link("https://www.quito.gob.ec/documents/lotaip.pdf", format="PDF"), True),
    (link("http://www.quito.gob.ec/documents/lotaip.pdf", format="PDF"), False),
    (upload("acta.md", format="Markdown"), False),
    (upload("serie.csv", format="CSV"), False),
    (upload("documento.docx", format="DOCX"), False),
])
@pytest.mark.parametrize("dataset_type", ["lotaip", "sesion_concejo", "informe_gestion", "dataset"])
def test_pdf_view_applies_to_pdf_documents(resource, expected, dataset_type):
    assert pdf.can_view({"resource": resource, "package": {"type": dataset_type}}) is expected


@pytest.mark.parametrize("module,name,iframed", [
    (map_preview, "quito_map_view", True),
    (chart, "quito_chart_view", True),
    (pdf, "quito_pdf_view", False),
])
def test_info_suits_default_views(app, module, name, iframed):
    with app.flask_app.test_request_context():
        info = module.info()
    assert info["name"] == name and info["iframed"] is iframed
    assert info["default_title"] and info["title"] and info["icon"]
    assert info["preview_enabled"] is True and info["filterable"] is False
    assert info["requires_datastore"] is False and info["always_available"] is False
