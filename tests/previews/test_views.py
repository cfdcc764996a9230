"""The previews through the web app, on demo datasets with uploaded files:
views created automatically (``ckan.views.default_views``), map, chart and
PDF pages, and the size limits."""
import csv
import json

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk

from .conftest import PLUGINS, VIEWS, demo_file, portal_path, resource_named, view_of, view_url

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.views.default_views", VIEWS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

LAYER = ("capa_geografica.yaml", "extension-del-distrito-metropolitano-muestra")
INDICATOR = ("indicador.yaml", "areas-verdes-por-habitante-muestra")
INDICATOR_CSV = "indicador-areas-verdes-serie-muestra.csv"
REPORT = ("informe_gestion.yaml", "informe-rendicion-de-cuentas-2015-alcalde-y-municipio-de-quito")
TOO_LARGE = "This file is larger than"


def json_block(soup, element_id):
    return json.loads(soup.find("script", id=element_id).string)


def link_with(soup, text):
    return next((a for a in soup.find_all("a") if text in a.text), None)


def view_types(resource):
    return sorted(v["view_type"] for v in tk.get_action("resource_view_list")({}, {"id": resource["id"]}))


def test_new_resources_get_their_views(demo_dataset):
    layer = demo_dataset(*LAYER)
    assert view_types(resource_named(layer, ".geojson")) == ["quito_map_view"]
    assert view_types(resource_named(layer, ".kml")) == ["quito_map_view"]
    indicator = demo_dataset(*INDICATOR)
    assert view_types(indicator["resources"][0]) == ["quito_chart_view"]
    report = demo_dataset(*REPORT)
    assert view_types(resource_named(report, ".pdf")) == ["quito_pdf_view"]
    assert [r for r in report["resources"] if ".pdf" not in r["url"] and view_types(r)] == []


@pytest.mark.parametrize("suffix,kind,label", [(".geojson", "geojson", "GeoJSON"), (".kml", "kml", "KML")])
def test_map_page(app, demo_dataset, suffix, kind, label):
    layer = demo_dataset(*LAYER)
    resource = resource_named(layer, suffix)
    res = app.get(view_url(layer, resource, view_of(resource, "quito_map_view")))
    assert res.status_code == 200
    soup = BeautifulSoup(res.body, "html.parser")
    config = json_block(soup, "quito-map-config")
    assert config["url"] == portal_path(resource) and config["url"].startswith("/capa_geografica/")
    assert config["kind"] == kind and config["maxBytes"] == 10 * 1024 * 1024
    assert "{count}" in config["messages"]["summary"] and config["messages"]["too_large"].startswith(TOO_LARGE)
    scripts = [s.get("src") for s in soup.find_all("script") if s.get("src")]
    assert "/vendor/leaflet-1.9.4/leaflet.js" in scripts and "/quito/previews/map-preview.js" in scripts
    assert ("/vendor/togeojson-7.1.3/togeojson.umd.js" in scripts) is (kind == "kml")
    assert soup.find("link", href="/vendor/leaflet-1.9.4/leaflet.css")
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], "no outside script"
    # Text alternative: a live summary the map is described by, the feature list and the data link.
    summary = soup.find(id="quito-map-summary")
    assert summary["aria-live"] == "polite" and summary.text == "Loading the map data…"
    assert "quito-map-summary" in soup.find(id="quito-map")["aria-describedby"]
    assert soup.find(id="quito-map")["tabindex"] == "0" and soup.find(id="quito-map-feature-list") is not None
    download = link_with(soup, f"Download the data ({label})")
    assert download["href"] == config["url"]
    # The file the script fetches is served by the portal itself.
    data = app.get(config["url"])
    with open(demo_file(resource["url"].rsplit("/", 1)[1]), "rb") as f:
        assert data.status_code == 200 and data.get_data() == f.read()


def test_map_page_in_spanish_is_served(app, demo_dataset):
    layer = demo_dataset(*LAYER)
    resource = resource_named(layer, ".geojson")
    res = app.get(view_url(layer, resource, view_of(resource, "quito_map_view"), locale="es"))
    assert res.status_code == 200 and '<html lang="es"' in res.body


@pytest.mark.ckan_config("ckan.max_resource_size", "20")  # MiB; CKAN's own upload limit is 10
def test_map_refuses_a_file_over_the_limit(app, demo_dataset):
    feature = '{"type":"Feature","properties":{"n":"%06d"},"geometry":{"type":"Point","coordinates":[-78.5,-0.2]}},'
    big = ('{"type":"FeatureCollection","features":[' + "".join(feature % i for i in range(120_000))
           + '{"type":"Feature","properties":{},"geometry":null}]}').encode()
    assert len(big) > 10 * 1024 * 1024
    layer = demo_dataset(*LAYER, replace={"capa_geografica-extension-dmq-muestra.geojson": big})
    resource = resource_named(layer, ".geojson")
    assert resource["size"] == len(big)
    soup = BeautifulSoup(app.get(view_url(layer, resource, view_of(resource, "quito_map_view"))).body, "html.parser")
    message = soup.find(class_="quito-preview-message")
    assert message.text.startswith(TOO_LARGE) and "10 MiB" in message.text and "Download it" in message.text
    assert soup.find("a", href=portal_path(resource))
    assert soup.find(id="quito-map") is None and soup.find("script", src="/vendor/leaflet-1.9.4/leaflet.js") is None


def test_chart_page_series_and_table_match_the_csv(app, demo_dataset):
    indicator = demo_dataset(*INDICATOR)
    resource = indicator["resources"][0]
    res = app.get(view_url(indicator, resource, view_of(resource, "quito_chart_view")))
    assert res.status_code == 200
    soup = BeautifulSoup(res.body, "html.parser")
    with open(demo_file(INDICATOR_CSV), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    data = [r for r in rows[1:]]
    chart = json_block(soup, "quito-chart-data")
    years = sorted({r[0] for r in data}, key=int)
    assert chart["labels"] == years and chart["xTitle"] == "anio"
    assert chart["yTitle"] == "Square metres per inhabitant"
    assert indicator["unit_detail"] in soup.find(id="quito-chart-caption").text
    expected = {}
    for year, _, territory, value, _ in data:
        expected.setdefault(territory, [None] * len(years))[years.index(year)] = float(value)
    assert {s["label"]: s["data"] for s in chart["series"]} == expected
    assert len({s["color"] for s in chart["series"][:8]}) == 8
    table = soup.find("table")
    assert "Values of" in table.caption.text and indicator["title"] in table.caption.text
    assert [th.text for th in table.thead.find_all("th")] == rows[0]
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    assert [[td.text for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")] == data
    boxes = soup.select("fieldset.quito-chart-series input[type=checkbox]")
    assert len(boxes) == len(chart["series"]) and all(b.has_attr("checked") for b in boxes)
    assert soup.find("canvas", id="quito-chart")["aria-labelledby"] == "quito-chart-caption"
    scripts = [s.get("src") for s in soup.find_all("script") if s.get("src")]
    assert scripts[-2:] == ["/vendor/chartjs-4.6.1/chart.umd.min.js", "/quito/previews/chart-preview.js"]


@pytest.mark.ckan_config("ckanext.quito.previews.chart_max_bytes", "200")
def test_chart_refuses_a_file_over_the_limit(app, demo_dataset):
    indicator = demo_dataset(*INDICATOR)
    resource = indicator["resources"][0]
    soup = BeautifulSoup(app.get(view_url(indicator, resource, view_of(resource, "quito_chart_view"))).body,
                         "html.parser")
    message = soup.find(class_="quito-preview-message")
    assert message.text.startswith(TOO_LARGE) and "200 bytes" in message.text
    assert soup.find("table") is None and soup.find(id="quito-chart-data") is None
    assert soup.find("a", href=portal_path(resource))


def test_chart_reads_a_spreadsheet_export(app, demo_dataset):
    export = "anio;nivel;territorio;valor;nota\r\n2016;distrito;Distrito Metropolitano de Quito;18,6;Año\r\n"
    indicator = demo_dataset(*INDICATOR, replace={INDICATOR_CSV: export.encode("cp1252")})
    resource = indicator["resources"][0]
    soup = BeautifulSoup(app.get(view_url(indicator, resource, view_of(resource, "quito_chart_view"))).body,
                         "html.parser")
    assert json_block(soup, "quito-chart-data")["series"][0]["data"] == [18.6]
    assert [td.text for td in soup.find("tbody").find_all("td")] == export.split("\r\n")[1].split(";")
    assert soup.find("fieldset") is None  # one line, no checkboxes


def test_pdf_is_shown_in_the_resource_page(app, demo_dataset):
    report = demo_dataset(*REPORT)
    resource = resource_named(report, ".pdf")
    path = portal_path(resource)
    page = BeautifulSoup(app.get(f"/en/informe_gestion/{report['name']}/resource/{resource['id']}").body,
                         "html.parser")
    shown = page.find("object", type="application/pdf")
    assert shown["data"] == path and shown["title"]
    assert "cannot show PDF documents" in shown.text and shown.find("a", href=path)
    assert link_with(page, "Download the document (PDF)")["href"] == path
    embedded = app.get(view_url(report, resource, view_of(resource, "quito_pdf_view")))
    assert embedded.status_code == 200 and f'data="{path}"' in embedded.body
    document = app.get(path)
    assert document.status_code == 200 and document.headers["Content-Type"] == "application/pdf"
    assert "attachment" not in document.headers.get("Content-Disposition", "")
