"""Fixtures for the resource previews: demo datasets created with their
files uploaded (as ``ckan quito demo load`` does), and their views' pages."""
import os
import shutil

import pytest
import yaml

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic import demo_datasets
from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.logic.report import Report

#: test.ini's plugins and the three previews.
PLUGINS = ("activity quito_search quito_datasets scheming_organizations dcat structured_data "
           "quito_gobiernoabierto quito_map_view quito_chart_view quito_pdf_view")
VIEWS = "quito_map_view quito_chart_view quito_pdf_view"
DEMO = package_path("data", "demo")


def demo_file(name: str) -> str:
    return os.path.join(DEMO, "files", name)


def demo_entry(yaml_name: str, dataset_name: str) -> dict:
    with open(os.path.join(DEMO, yaml_name), encoding="utf-8") as f:
        entries = yaml.safe_load(f)["datasets"]
    return next(e for e in entries if e["name"] == dataset_name)


def _dependency(name: str) -> None:
    with open(package_path("data", "organigrama-dmq.yaml"), encoding="utf-8") as f:
        row = next(r for r in yaml.safe_load(f)["dependencies"] if r["name"] == name)
    factories.Organization(name=name, title=row["title"], kind=row["kind"])


@pytest.fixture
def demo_dataset(tmp_path):
    """Create one demo dataset (``demo_dataset("indicador.yaml", name)``) in its
    dependency, uploading its files; ``replace={file name: bytes}`` uploads
    other contents under a demo file's name. Returns ``package_show``."""

    def create(yaml_name, dataset_name, replace=None):
        entry = demo_entry(yaml_name, dataset_name)
        files = tmp_path / "files"
        files.mkdir(exist_ok=True)
        for resource in (r for r in entry.get("resources", []) if "file" in r):
            target = files / resource["file"]
            if replace and resource["file"] in replace:
                target.write_bytes(replace[resource["file"]])
            else:
                shutil.copy(demo_file(resource["file"]), target)
        _dependency(entry["owner_org"])
        report = Report("previews")
        demo_datasets.load_entry(entry, site_context(), str(files), report)
        assert report.problems == [] and report.created == [dataset_name]
        return tk.get_action("package_show")({}, {"id": dataset_name})

    return create


def resource_named(dataset: dict, fragment: str) -> dict:
    return next(r for r in dataset["resources"] if fragment in r["url"])


def view_of(resource: dict, view_type: str) -> dict:
    """The resource's view of ``view_type`` (created by ``ckan.views.default_views``)."""
    views = tk.get_action("resource_view_list")({}, {"id": resource["id"]})
    return next(v for v in views if v["view_type"] == view_type)


def view_url(dataset: dict, resource: dict, view: dict, locale: str = "en") -> str:
    return f"/{locale}/{dataset['type']}/{dataset['name']}/resource/{resource['id']}/view/{view['id']}"


def portal_path(resource: dict) -> str:
    """The root-relative address of an upload (what the previews load)."""
    from urllib.parse import urlsplit

    return urlsplit(resource["url"]).path
