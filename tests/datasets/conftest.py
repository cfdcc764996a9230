"""Fixtures for the dataset-type tests: a dependency, its data steward, and
calls to the action API as that steward (as the web form and API reach it)."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories


@pytest.fixture
def dependency():
    """A municipal dependency (organization) of the organigram."""
    return factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")


@pytest.fixture
def steward(dependency):
    """A data steward: editor of the dependency."""
    user = factories.User(name="steward")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": dependency["id"], "username": user["name"], "role": "editor"})
    return user


@pytest.fixture
def call_as(steward):
    """Call an action as the steward: ``call_as("package_create", **data)``."""
    def call(action, **data):
        context = {"user": steward["name"], "ignore_auth": False}
        return tk.get_action(action)(context, data)
    return call


def field_errors(excinfo) -> dict:
    """The ``error_dict`` of a ValidationError raised in ``pytest.raises``."""
    return excinfo.value.error_dict


@pytest.fixture
def load_demo(tmp_path):
    """Load one demo file (``"gtfs.yaml"``) twice into a fresh site, with the
    organigram dependencies it names (and those in ``also``); assert the second load changes nothing.
    Returns (entries, first report)."""
    import os
    import shutil

    import yaml

    from ckanext.quito_gobiernoabierto import package_path
    from ckanext.quito_gobiernoabierto.logic import demo_datasets
    from ckanext.quito_gobiernoabierto.logic.demo import site_context

    def load(file_name, also=()):
        demo, folder = package_path("data", "demo"), tmp_path / "demo"
        (folder / "files").mkdir(parents=True, exist_ok=True)
        shutil.copy(os.path.join(demo, file_name), folder)
        entries = demo_datasets.read_entries(str(folder))
        for resource in (r for e in entries for r in e.get("resources", []) if "file" in r):
            shutil.copy(os.path.join(demo, "files", resource["file"]), folder / "files")
        with open(package_path("data", "organigrama-dmq.yaml"), encoding="utf-8") as f:
            rows = {r["name"]: r for r in yaml.safe_load(f)["dependencies"]}
        for name in {e["owner_org"] for e in entries} | set(also):
            factories.Organization(name=name, title=rows[name]["title"], kind=rows[name]["kind"])
        first = demo_datasets.load(site_context(), str(folder))
        assert first.problems == [] and sorted(first.created) == sorted(e["name"] for e in entries)
        again = demo_datasets.load(site_context(), str(folder))
        assert (again.problems, again.created, again.updated) == ([], [], [])
        return entries, first

    return load
