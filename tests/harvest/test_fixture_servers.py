"""The fixture servers themselves: auto-index listings, conditional
requests, the request log and every fault mode."""
import http.client
import re
import socket
import time

import pytest
import requests

from .conftest import SAMPLE_MTIME
from .fixture_servers import FileTreeServer

HREF = re.compile(r'<a href="([^"]+)">([^<]*)</a>')
MAY = "/Numeral%206/2024/05/"
REPORT = MAY + "Informe%20de%20gesti%C3%B3n%20mayo.pdf"


def links(page: str) -> list[tuple[str, str]]:
    """(href, text) of the entry links of a listing (not Apache's sort links)."""
    return [(h, t) for h, t in HREF.findall(page) if not h.startswith("?")]


# ---------------------------------------------------------------- listings

def test_apache_root_listing(file_tree_server):
    response = requests.get(file_tree_server.url_for("/"), timeout=5)
    assert (response.status_code, response.headers["Content-Type"]) == (200, "text/html;charset=UTF-8")
    assert response.headers["Server"] == "Apache/2.4.62 (Debian)"
    assert "<title>Index of /</title>" in response.text
    assert links(response.text) == [("Numeral%203/", "Numeral 3/"), ("Numeral%206/", "Numeral 6/"),
                                    ("leeme.txt", "leeme.txt")]  # .oculto is not listed


def test_apache_listing_encodes_spaces_and_accents(file_tree_server):
    page = requests.get(file_tree_server.url_for(MAY), timeout=5).text
    assert "<h1>Index of /Numeral 6/2024/05</h1>" in page
    assert links(page) == [
        ("/Numeral%206/2024/", "Parent Directory"),
        ("Informe%20de%20gesti%C3%B3n%20mayo.pdf", "Informe de gestión mayo.pdf"),
        ("Presupuesto%20ejecuci%C3%B3n.xlsx", "Presupuesto ejecución.xlsx"),
    ]
    day = time.strftime("%Y-%m-%d %H:%M", time.localtime(SAMPLE_MTIME))
    assert f'<td align="right">{day}  </td><td align="right">17</td>' in page
    assert f"Server at 127.0.0.1 Port {file_tree_server.port}</address>" in page


def test_nginx_listing(nginx_tree_server):
    root = requests.get(nginx_tree_server.url_for("/"), timeout=5)
    assert root.headers["Server"] == "nginx/1.24.0"
    assert links(root.text) == [("Numeral%203/", "Numeral 3/"), ("Numeral%206/", "Numeral 6/"),
                                ("leeme.txt", "leeme.txt")]
    page = requests.get(nginx_tree_server.url_for("/Numeral%203/"), timeout=5).text
    name = "Organigrama institucional (versión 2024) con unidades administrativas desconcentradas.pdf"
    assert links(page) == [("../", "../"), (requests.utils.quote(name), name[:47] + "..&gt;")]
    assert "31-May-2024 12:00" in page
    assert "<h1>Index of /Numeral 3/</h1><hr><pre>" in page


def test_folder_without_slash_redirects_and_unknown_paths_are_404(file_tree_server):
    response = requests.get(file_tree_server.url_for("/Numeral%206"), allow_redirects=False, timeout=5)
    assert (response.status_code, response.headers["Location"]) == (301, "/Numeral%206/")
    assert requests.get(file_tree_server.url_for("/nada.pdf"), timeout=5).status_code == 404
    assert requests.get(file_tree_server.url_for("/.oculto"), timeout=5).status_code == 404


def test_paths_outside_the_root_are_not_served(file_tree_server):
    connection = http.client.HTTPConnection("127.0.0.1", file_tree_server.port, timeout=5)
    connection.request("GET", "/../../../etc/passwd")
    assert connection.getresponse().status == 404
    connection.close()


# ---------------------------------------------------------------- files, ETag, 304, log

def test_file_headers(file_tree_server, sample_tree):
    response = requests.get(file_tree_server.url_for(REPORT), timeout=5)
    size = len(b"%PDF-1.4 muestra\n")
    assert response.content == b"%PDF-1.4 muestra\n"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == str(size)
    assert response.headers["Last-Modified"] == "Fri, 31 May 2024 12:00:00 GMT"
    assert response.headers["ETag"] == f'"{size:x}-{SAMPLE_MTIME * 1_000_000:x}"'


def test_conditional_requests_answer_304(file_tree_server):
    url = file_tree_server.url_for(REPORT)
    first = requests.get(url, timeout=5)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    cases = [({"If-None-Match": etag}, 304), ({"If-None-Match": '"otro"'}, 200),
             ({"If-Modified-Since": modified}, 304), ({"If-Modified-Since": "Thu, 30 May 2024 12:00:00 GMT"}, 200),
             ({"If-None-Match": '"otro"', "If-Modified-Since": modified}, 200)]  # ETag decides
    for headers, status in cases:
        response = requests.get(url, headers=headers, timeout=5)
        assert (headers, response.status_code) == (headers, status)
        if status == 304:
            assert (response.content, response.headers["ETag"]) == (b"", etag)


def test_request_log_shows_an_unchanged_rerun_downloads_nothing(file_tree_server):
    paths = [REPORT, MAY + "Presupuesto%20ejecuci%C3%B3n.xlsx"]
    seen = {p: requests.get(file_tree_server.url_for(p), timeout=5).headers["ETag"] for p in paths}
    for path, etag in seen.items():
        requests.get(file_tree_server.url_for(path), headers={"If-None-Match": etag}, timeout=5)
    requests.head(file_tree_server.url_for(paths[0]), timeout=5)
    assert file_tree_server.log == [("GET", paths[0]), ("GET", paths[1]), ("GET", paths[0]), ("GET", paths[1]),
                                    ("HEAD", paths[0])]
    assert [status for _, _, status in file_tree_server.responses] == [200, 200, 304, 304, 200]


# ---------------------------------------------------------------- faults

def test_down_refuses_connections_until_cleared(file_tree_server):
    port = file_tree_server.port
    file_tree_server.set_fault("down")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    file_tree_server.clear_fault("down")
    assert (file_tree_server.port, requests.get(file_tree_server.url_for("/"), timeout=5).status_code) == (port, 200)


def test_status_fault_for_matching_paths_only(file_tree_server):
    file_tree_server.set_fault("status", code=503, path=r"^/Numeral%206/")
    assert requests.get(file_tree_server.url_for(MAY), timeout=5).status_code == 503
    assert requests.get(file_tree_server.url_for("/Numeral%203/"), timeout=5).status_code == 200
    file_tree_server.clear_faults()
    assert requests.get(file_tree_server.url_for(MAY), timeout=5).status_code == 200


def test_slow_fault_delays_the_answer(file_tree_server):
    file_tree_server.set_fault("slow", seconds=0.6)
    started = time.monotonic()
    assert requests.get(file_tree_server.url_for("/"), timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.6
    with pytest.raises(requests.Timeout):
        requests.get(file_tree_server.url_for("/"), timeout=0.2)


def test_truncate_short_sends_less_than_content_length(file_tree_server):
    file_tree_server.set_fault("truncate", mode="short")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(file_tree_server.url_for(REPORT), timeout=5)


def test_truncate_cut_sends_half_a_listing(file_tree_server):
    full = requests.get(file_tree_server.url_for(MAY), timeout=5).content
    file_tree_server.set_fault("truncate", mode="cut")
    cut = requests.get(file_tree_server.url_for(MAY), timeout=5)
    assert (cut.status_code, cut.content) == (200, full[:len(full) // 2])
    assert cut.headers["Content-Length"] == str(len(full) // 2)


def test_huge_streams_past_any_limit(file_tree_server):
    file_tree_server.set_fault("huge", size=5 * 1024 * 1024)
    with requests.get(file_tree_server.url_for("/leeme.txt"), stream=True, timeout=5) as response:
        assert "Content-Length" not in response.headers
        received = sum(len(chunk) for chunk in response.iter_content(65536))
    assert received == 5 * 1024 * 1024


def test_redirect_outside_points_off_loopback(file_tree_server):
    file_tree_server.set_fault("redirect_outside")
    response = requests.get(file_tree_server.url_for("/"), allow_redirects=False, timeout=5)
    assert (response.status_code, response.headers["Location"]) == (302, "http://203.0.113.7/geoportal/")


def test_unknown_fault_is_a_test_error(file_tree_server):
    with pytest.raises(ValueError, match="unknown fault 'offline'"):
        file_tree_server.set_fault("offline")


def test_servers_listen_on_loopback_only(start_server, sample_tree):
    server = start_server(FileTreeServer(sample_tree))
    assert server._httpd.server_address[0] == "127.0.0.1"


# ---------------------------------------------------------------- ArcGIS and OGC documents

def test_arcgis_server_answers_json_pjson_and_errors(arcgis_server):
    compact = requests.get(arcgis_server.services_url + "?f=json", timeout=5)
    pretty = requests.get(arcgis_server.services_url + "?f=pjson", timeout=5)
    assert compact.json() == pretty.json() == {
        "currentVersion": 11.1, "folders": ["Movilidad", "Territorio"],
        "services": [{"name": "Geometry", "type": "GeometryServer"}]}
    assert pretty.text.startswith('{\n  "currentVersion"')
    missing = requests.get(arcgis_server.services_url + "/Nada/MapServer?f=json", timeout=5)
    assert (missing.status_code, missing.json()["error"]["code"]) == (200, 404)


def test_ogc_server_fills_in_its_address(ogc_server):
    page = requests.get(ogc_server.wms_url, params={"SERVICE": "WMS", "REQUEST": "GetCapabilities"}, timeout=5)
    assert f'xlink:href="{ogc_server.url}/geoserver/wms"' in page.text
    assert page.headers["Content-Type"] == "text/xml; charset=utf-8"
    other = requests.get(ogc_server.wms_url, params={"service": "WMS", "request": "GetMap"}, timeout=5)
    assert "<ServiceException code=\"OperationNotSupported\">Unknown request</ServiceException>" in other.text
