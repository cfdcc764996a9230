"""Fixtures of the harvest tests: loopback servers started for one test and
stopped after it (``fixture_servers.py``), and a sample folder tree like the
ones municipal dependencies publish (accents and spaces in the names)."""
import os

import pytest

from .fixture_servers import ArcGISServer, FileTreeServer, OGCServer

#: Files of the sample tree: relative path -> content.
SAMPLE_TREE = {
    "Numeral 6/2024/05/Informe de gestión mayo.pdf": b"%PDF-1.4 muestra\n",
    "Numeral 6/2024/05/Presupuesto ejecución.xlsx": b"PK muestra",
    "Numeral 6/2024/04/Informe de gestión abril.pdf": b"%PDF-1.4 muestra abril\n",
    "Numeral 3/Organigrama institucional (versión 2024) con unidades administrativas desconcentradas.pdf":
        b"%PDF-1.4 organigrama\n",
    "leeme.txt": "Datos de muestra para pruebas del cosechador.\n".encode("utf-8"),
}

#: Modification time of every file of the sample tree (2024-05-31 12:00:00 UTC).
SAMPLE_MTIME = 1717156800


@pytest.fixture
def sample_tree(tmp_path):
    """A folder with :data:`SAMPLE_TREE`, every file dated :data:`SAMPLE_MTIME`."""
    root = tmp_path / "publicados"
    for relative, content in SAMPLE_TREE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.utime(path, (SAMPLE_MTIME, SAMPLE_MTIME))
    (root / ".oculto").write_text("no se lista")
    return root


@pytest.fixture
def start_server():
    """Start a fixture server (``start_server(FileTreeServer(root))``); every
    server started this way is stopped when the test ends."""
    started = []

    def start(server):
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def file_tree_server(start_server, sample_tree):
    """The sample tree served as an Apache auto-index."""
    return start_server(FileTreeServer(sample_tree, style="apache"))


@pytest.fixture
def nginx_tree_server(start_server, sample_tree):
    """The sample tree served as an nginx auto-index."""
    return start_server(FileTreeServer(sample_tree, style="nginx"))


@pytest.fixture
def arcgis_server(start_server):
    """The fake ArcGIS REST services directory (``arcgis_server.services_url``)."""
    return start_server(ArcGISServer())


@pytest.fixture
def ogc_server(start_server):
    """The fake WMS/WFS (``ogc_server.wms_url``, ``ogc_server.wfs_url``)."""
    return start_server(OGCServer())
