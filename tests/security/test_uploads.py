"""Uploads are limited in size and type, and harvested file names cannot
escape storage (issue 9, "Holding up").

- ``ckan.max_resource_size`` (MB) refuses a bigger upload through the API,
  with nothing written;
- files a browser would run from the portal's domain (HTML, SVG, scripts,
  executables, a file declared ``text/html``) are refused with a translated
  message (``ckanext.quito.upload.*``, ``datasets/uploads.py``);
- downloads of uploads come with ``nosniff``, and XML or HTML ones as an
  attachment in a sandbox, whatever the refusal settings say;
- a hostile manifest or listing of the files harvester never makes the
  harvester read outside the source nor write outside its cache.
"""
from __future__ import annotations

import io
import json
import os

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.datasets import uploads
from ckanext.quito_gobiernoabierto.views import download_headers

from ..harvest import files_support
from ..harvest import conftest as harvest_fixtures
from ..harvest.fixture_servers import FileTreeServer, FixtureServer, Reply
from .datasets_support import create_dependencies, publication

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

start_server = harvest_fixtures.start_server  # loopback servers of the harvest tests (a fixture)

HTML = b"<html><body><script>alert('xss-upload')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("xss-svg")</script></svg>'
REFUSED_TYPE = "no se pueden subir al portal"


@pytest.fixture
def steward():
    """A sysadmin's token and a dataset to add resources to."""
    data = publication("dataset", 1)
    create_dependencies(data)
    user = factories.SysadminWithToken()
    dataset = factories.Dataset(**dict(data, resources=[]), user=user)
    return {"token": user["token"], "dataset": dataset}


def upload(app, steward, file_name: str, content: bytes, action: str = "resource_create", **fields):
    data = {"package_id": steward["dataset"]["id"], "name": "Archivo", **fields,
            "upload": (io.BytesIO(content), file_name)}
    return app.post(f"/api/3/action/{action}", data=data, headers={"Authorization": steward["token"]},
                    content_type="multipart/form-data", status=None)


def resource_count() -> int:
    model.Session.remove()
    return model.Session.query(model.Resource).filter_by(state="active").count()


# -- size -----------------------------------------------------------------------------------

@pytest.mark.ckan_config("ckan.max_resource_size", "1")
def test_an_upload_over_max_resource_size_is_refused_and_writes_nothing(app, steward):
    before = resource_count()
    res = upload(app, steward, "grande.csv", b"a,b\n" + b"1,2\n" * 400_000)  # 1.6 MB
    assert res.status_code == 409, res.body
    assert res.json["error"]["upload"] == ["El archivo pesa más de 1 MB, el máximo que acepta el portal."]
    assert resource_count() == before
    assert upload(app, steward, "pequeno.csv", b"a,b\n1,2\n").status_code == 200


# -- type -----------------------------------------------------------------------------------

#: (file name, content, other resource fields): each refused.
BLOCKED = [
    ("pagina.html", HTML, {}), ("pagina.HTM", HTML, {}), ("dibujo.svg", SVG, {}), ("datos.csv.html", HTML, {}),
    ("programa.exe", b"MZ\x90\x00", {}), ("script.js", b"alert(1)", {}),
    ("datos.csv", HTML, {"mimetype": "text/html"}), ("datos.csv", SVG, {"mimetype": "image/svg+xml; charset=utf-8"}),
]
ACCEPTED = ["datos.csv", "capa.geojson", "capa.kml", "informe.pdf", "feed.zip", "tabla.xlsx", "sin-extension"]


def test_files_a_browser_would_run_are_refused(app, steward):
    before = resource_count()
    for file_name, content, fields in BLOCKED:
        res = upload(app, steward, file_name, content, **fields)
        assert res.status_code == 409, (file_name, res.body)
        assert REFUSED_TYPE in res.json["error"]["url"][0], file_name
    assert resource_count() == before


def test_open_data_files_are_accepted(app, steward):
    for file_name in ACCEPTED:
        res = upload(app, steward, file_name, b"contenido de muestra")
        assert res.status_code == 200, (file_name, res.body)
        assert res.json["result"]["url_type"] == "upload"


def test_replacing_a_file_by_a_page_is_refused(app, steward):
    created = upload(app, steward, "datos.csv", b"a,b\n1,2\n").json["result"]
    res = upload(app, steward, "pagina.html", HTML, action="resource_update", id=created["id"])
    assert res.status_code == 409 and REFUSED_TYPE in res.json["error"]["url"][0]
    res = app.post("/api/3/action/resource_patch", json={"id": created["id"], "mimetype": "text/html"},
                   headers={"Authorization": steward["token"]}, status=None)
    assert res.status_code == 409 and REFUSED_TYPE in res.json["error"]["url"][0]


def test_a_link_to_a_page_elsewhere_is_not_an_upload(app, steward):
    res = app.post("/api/3/action/resource_create", headers={"Authorization": steward["token"]}, json={
        "package_id": steward["dataset"]["id"], "url": "https://quito.gob.ec/index.html", "format": "HTML"})
    assert res.status_code == 200, res.body


@pytest.mark.ckan_config("ckanext.quito.upload.allowed_extensions", "csv pdf")
def test_an_allow_list_restricts_uploads_further(app, steward):
    assert upload(app, steward, "datos.csv", b"a\n1\n").status_code == 200
    res = upload(app, steward, "capa.kml", b"<kml/>")
    assert res.status_code == 409 and ".kml" in res.json["error"]["url"][0]
    res = upload(app, steward, "sin-extension", b"x")
    assert res.status_code == 409 and "sin extensión" in res.json["error"]["url"][0]


@pytest.mark.usefixtures("with_request_context")
def test_the_refusal_reads_the_settings():
    assert uploads.extension("http://x/dataset/1/resource/2/download/Informe.Final.PDF") == "pdf"
    assert uploads.refusal("pagina.html", None)
    assert uploads.refusal("datos.csv", "text/csv") == ""
    assert uploads.refusal("datos.csv", "Text/HTML ; charset=utf-8")


def download(app, resource: dict):
    return app.get(resource["url"].replace("http://test.quito.local", ""))


KML = b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'
XSLT_PAGE = (b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="#s"?>'
             b'<doc xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert("xss-xml")</h:script></doc>')


@pytest.mark.parametrize("file_name,content,fields,served_as", [
    ("capa.kml", KML, {"mimetype": "application/vnd.google-earth.kml+xml"}, "application/vnd.google-earth.kml+xml"),
    ("datos.xml", XSLT_PAGE, {}, "application/xml"),
    ("grafo.rdf", XSLT_PAGE, {"mimetype": "application/rdf+xml"}, "application/rdf+xml")])
def test_an_xml_upload_is_downloaded_not_shown(app, steward, file_name, content, fields, served_as):
    """XML formats are open data the portal accepts, and a browser would show
    them as documents with their scripts: they come as an attachment in a
    sandbox (views/download_headers.py), with their own type and content."""
    resource = upload(app, steward, file_name, content, **fields).json["result"]
    res = download(app, resource)
    assert res.status_code == 200 and res.get_data() == content
    assert res.headers["Content-Type"].startswith(served_as)
    assert res.headers["Content-Disposition"].startswith("attachment")
    assert res.headers["Content-Security-Policy"] == "sandbox"
    assert res.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.ckan_config("ckanext.quito.upload.blocked_extensions", "")
@pytest.mark.ckan_config("ckanext.quito.upload.blocked_mimetypes", "")
@pytest.mark.parametrize("file_name,content,served_as", [("pagina.html", HTML, "text/html"),
                                                         ("dibujo.svg", SVG, "image/svg+xml")])
def test_with_the_type_refusal_off_a_page_is_still_inert(app, steward, file_name, content, served_as):
    """CKAN 2.11 on its own serves an upload from the portal's domain inline
    with its own type, so a page's script would run there; with the refusal
    of such types switched off by an operator, the download headers still
    make it an attachment that runs nothing."""
    resource = upload(app, steward, file_name, content).json["result"]
    res = download(app, resource)
    assert res.status_code == 200 and res.get_data() == content
    assert res.headers["Content-Type"].startswith(served_as)
    assert res.headers["Content-Disposition"].startswith("attachment")
    assert res.headers["Content-Security-Policy"] == "sandbox"


def test_a_list_of_types_cannot_smuggle_a_page(app, steward):
    """A resource's ``mimetype`` is free text; a browser may take any type of
    a list: the refusal and the download headers look at each one."""
    res = upload(app, steward, "datos.json", HTML, mimetype="application/json, text/html")
    assert res.status_code == 409 and REFUSED_TYPE in res.json["error"]["url"][0]
    assert download_headers.renders_as_document("application/json, text/html")
    assert download_headers.renders_as_document("text/plain;q=1, application/rdf+xml")
    assert not download_headers.renders_as_document("application/json; charset=utf-8")


def test_an_accepted_upload_is_served_with_its_data_type(app, steward):
    resource = upload(app, steward, "datos.csv", b"a,b\n1,2\n").json["result"]
    res = download(app, resource)
    assert res.status_code == 200 and res.headers["Content-Type"].startswith("text/csv")
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in res.headers


def test_a_pdf_stays_inline_for_its_preview(app, steward):
    """The PDF preview shows the download in the browser's viewer (an
    <object>), which a sandbox would block."""
    resource = upload(app, steward, "informe.pdf", b"%PDF-1.4\n%%EOF\n").json["result"]
    res = download(app, resource)
    assert res.status_code == 200 and res.headers["Content-Type"].startswith("application/pdf")
    assert "attachment" not in res.headers.get("Content-Disposition", "")
    assert "Content-Security-Policy" not in res.headers


# -- harvested file names ------------------------------------------------------------------------

#: Names a hostile manifest gives; none may be read nor written (``{server}``: the source's own server).
HOSTILE_NAMES = [
    {"path": "../secreto.csv"}, {"path": "%2e%2e/secreto.csv"}, {"path": "..%2Fsecreto.csv"},
    {"path": "%2E%2E%2Fsecreto.csv"}, {"path": "/secreto.csv"}, {"path": "lotaip/../../secreto.csv"},
    {"path": "..\\secreto.csv"}, {"path": "sub\\..\\..\\secreto.csv"}, {"path": "C:/Windows/win.ini"},
    {"path": "../../../../fuera/pwned.csv"}, {"url": "{server}/secreto.csv"}, {"url": "http://203.0.113.7/x.csv"},
    {"url": "//203.0.113.7/x.csv"}, {"url": "file:///etc/passwd"}, {"url": "ftp://{host}/secreto.csv"},
]


class HostileListing(FixtureServer):
    """An auto-index page (``/publico/``) with links that try to leave it."""

    def respond(self, method, path, query, headers):
        if path == "/publico/":
            hrefs = ["..%2F..%2Fsecreto.csv", "%2e%2e%2fsecreto.csv", "sub%5c..%5c..%5csecreto.csv",
                     "a%00b.csv", self.url_for("/secreto.csv"), "//203.0.113.7/x.csv", "file:///etc/passwd"]
            links = "".join(f'<a href="{h}">{h}</a>' for h in hrefs)
            return Reply(200, f"<html><body>{links}</body></html>".encode())
        return Reply(404, b"")


def files_under(folder) -> set:
    return {os.path.join(d, f) for d, _, names in os.walk(folder) for f in names}


@pytest.fixture
def harvest_cache(tmp_path, ckan_config, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setitem(ckan_config, "ckanext.quito.harvest.cache_path", str(cache))
    return cache


@pytest.fixture
def sgp():
    return factories.Organization(name="sgp", title="Secretaría General de Planificación", kind="secretaria")


@pytest.mark.ckan_config("ckan.plugins", files_support.PLUGINS)
@pytest.mark.usefixtures("with_request_context")
def test_a_hostile_manifest_reads_and_writes_nothing_outside(start_server, tmp_path, harvest_cache, sgp):
    www = tmp_path / "www"
    files_support.publish(www / "publico", {"lotaip/2016/01/c-remuneraciones.csv": "lotaip-sgp-c-2016-01.csv"})
    (www / "secreto.csv").write_text("no,debe\nleerse,nunca\n", encoding="utf-8")
    (www / "publico" / "pagina.html").write_bytes(HTML)
    (tmp_path / "fuera").mkdir()
    server = start_server(FileTreeServer(www))
    host = server.url.split("//", 1)[1]
    rows = [{"path": "lotaip/2016/01/c-remuneraciones.csv"}, {"path": "pagina.html"}, {"path": "a\u0000b.csv"},
            {"path": "\ud800.csv"}] + [
        {k: v.format(server=server.url, host=host) for k, v in row.items()} for row in HOSTILE_NAMES]
    (www / "publico" / "manifiesto.json").write_text(json.dumps({"files": rows}), encoding="utf-8")
    before = files_under(tmp_path)
    result = files_support.run(files_support.create_source(server.url + "/publico/manifiesto.json", sgp,
                                                           kind="manifest"))
    assert [p for _, p in server.log if "secreto" in p or "passwd" in p or "win.ini" in p or "pwned" in p] == []
    refused = next(m for m in result["gather_errors"] if m.startswith("Nombres de archivo rechazados"))
    for row in HOSTILE_NAMES[:10]:
        assert row["path"] in refused, row
    assert "203.0.113.7" in refused and "file:///etc/passwd" in refused
    assert {d["title"] for d in files_support.datasets(sgp).values()} == {
        "LOTAIP 2016, literal c: Remuneración mensual por puesto (Secretaría General de Planificación)"}
    assert "pagina.html (el portal no acepta subir archivos de este tipo)" in refused
    assert "a\\x00b.csv" in refused and "\\ud800.csv" in refused
    written = files_under(tmp_path) - before
    assert all(path.startswith(str(harvest_cache) + os.sep) for path in written), written
    assert files_under(tmp_path / "fuera") == set()


@pytest.mark.ckan_config("ckan.plugins", files_support.PLUGINS)
@pytest.mark.usefixtures("with_request_context")
def test_a_hostile_listing_is_not_followed(start_server, tmp_path, harvest_cache, sgp):
    server = start_server(HostileListing())
    before = files_under(tmp_path)
    result = files_support.run(files_support.create_source(server.url + "/publico/", sgp))
    assert result["created"] == 0
    assert [p for _, p in server.log if p != "/publico/"] == []
    refused = next(m for m in result["gather_errors"] if m.startswith("Nombres de archivo rechazados"))
    assert "../../secreto.csv" in refused and "sub\\..\\..\\secreto.csv" in refused and "a\\x00b.csv" in refused
    assert files_under(tmp_path) == before


@pytest.mark.ckan_config("ckan.plugins", files_support.PLUGINS)
@pytest.mark.ckan_config("ckan.max_resource_size", "1")
@pytest.mark.usefixtures("with_request_context")
def test_a_file_over_max_resource_size_is_reported_at_import(start_server, tmp_path, harvest_cache, sgp):
    files_support.publish(tmp_path / "www", {"lotaip/2016/01/c-remuneraciones.csv": "lotaip-sgp-c-2016-01.csv"})
    with open(tmp_path / "www" / "lotaip" / "2016" / "01" / "c-remuneraciones.csv", "a", encoding="utf-8") as f:
        f.write("1,x,y,z,0,0,0,0,0\n" * 120_000)  # ~2 MB, over 1 MB
    server = start_server(FileTreeServer(tmp_path / "www"))
    result = files_support.run(files_support.create_source(server.url + "/", sgp))
    assert result["created"] == 0 and any("pesa más de 1 MB" in m for m in result["object_errors"])
