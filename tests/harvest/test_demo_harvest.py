"""The demo's shared folders fill their dependencies through ``quito_files``,
and loading the demo again changes nothing."""
import pytest

from ckanext.quito_gobiernoabierto.logic import demo_harvest
from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source
from ckanext.quito_gobiernoabierto import package_path

from .files_support import PLUGINS, datasets

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.quito.harvest.folder_roots", demo_harvest.ROOT),
              pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")]


def test_demo_folders_fill_their_dependencies_once():
    assert loader.load(source.read(package_path("data", "organigrama-dmq.yaml")), site_context()).problems == []
    first = demo_harvest.load(site_context())
    assert first.problems == []
    assert first.created == ["harvest source archivos-secretaria-de-cultura-muestra"]
    found = datasets({"id": _org_id("secretaria-de-cultura")})
    lotaip = found["lotaip-secretaria-de-cultura-a1-2016"]
    assert sorted(r["month"] for r in lotaip["resources"]) == ["1", "2"]
    assert all(d["sample_data"] in (True, "true") for d in found.values())
    assert len(found) == 2
    again = demo_harvest.load(site_context())
    assert (again.created, again.updated, again.problems) == ([], [], [])
    assert again.unchanged == ["archivos-secretaria-de-cultura-muestra (2 datasets)"]


def _org_id(name: str) -> str:
    import ckan.model as model

    return model.Group.get(name).id


def test_the_demo_source_follows_the_shipped_folder(tmp_path, monkeypatch, ckan_config):
    import shutil

    assert loader.load(source.read(package_path("data", "organigrama-dmq.yaml")), site_context()).problems == []
    demo_harvest.load(site_context())
    moved = tmp_path / "harvest"
    shutil.copytree(demo_harvest.ROOT, moved)
    monkeypatch.setattr(demo_harvest, "ROOT", str(moved))
    monkeypatch.setitem(ckan_config, "ckanext.quito.harvest.folder_roots", str(moved))
    again = demo_harvest.load(site_context())
    assert again.problems == []
    assert again.updated == [f"harvest source archivos-secretaria-de-cultura-muestra (folder {moved}/secretaria-de-cultura)"]
    assert again.unchanged == ["archivos-secretaria-de-cultura-muestra (2 datasets)"]
