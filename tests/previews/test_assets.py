"""The vendored libraries and the previews' own files are served by the
portal itself (``public/``), so the previews need no outside server."""
import pytest

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins")]


@pytest.mark.parametrize("path", [
    "/vendor/leaflet-1.9.4/leaflet.js", "/vendor/leaflet-1.9.4/leaflet.css",
    "/vendor/leaflet-1.9.4/images/marker-icon.png", "/vendor/leaflet-1.9.4/LICENSE",
    "/vendor/chartjs-4.6.1/chart.umd.min.js", "/vendor/togeojson-7.1.3/togeojson.umd.js",
    "/quito/previews/map-preview.js", "/quito/previews/chart-preview.js", "/quito/previews/previews.css",
])
def test_vendored_assets_are_served(app, path):
    res = app.get(path)
    assert res.status_code == 200 and len(res.get_data()) > 100


def test_every_file_the_templates_load_is_shipped():
    import os

    from ckanext.quito_gobiernoabierto import package_path
    from ckanext.quito_gobiernoabierto.previews import assets

    for path in assets.FILES.values():
        assert os.path.isfile(package_path("public", *path.strip("/").split("/"))), path
