"""Schema files read by the composition (no database, no CKAN app): parsed once
per process, read again when they change, and never shared between callers
(plugins' ``update_config`` composes the schemas on every start of CKAN's app)."""
import os
import sys

import pytest

from ckanext.quito_gobiernoabierto.datasets import compose

BASE = "scheming_version: 2\ndataset_type: base\nlanguages: [es]\ndataset_fields:\n- field_name: title\n  label: Title\n"
CHANGED = BASE + "- field_name: notes\n  label: Description\n"


@pytest.fixture
def schema_file(tmp_path, monkeypatch):
    """A package ``quito_compose_sample`` holding ``base.yaml``; returns its path."""
    package = tmp_path / "quito_compose_sample"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    path = package / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "quito_compose_sample", raising=False)  # another test's folder
    return path


@pytest.fixture
def parses(monkeypatch):
    """The files the YAML parser was given, in order."""
    seen = []
    real = compose.yaml.load

    def counting(stream, Loader):
        seen.append(os.path.basename(stream.name))
        return real(stream, Loader=Loader)

    monkeypatch.setattr(compose.yaml, "load", counting)
    return seen


def names(schema):
    return [f["field_name"] for f in schema["dataset_fields"]]


def test_parsed_once_and_each_caller_gets_its_own_copy(schema_file, parses):
    first = compose.load_module_path("quito_compose_sample:base.yaml")
    first["dataset_fields"].append({"field_name": "added_by_a_caller"})
    second = compose.load_module_path("quito_compose_sample:base.yaml")
    assert parses == ["base.yaml"]
    assert names(second) == ["title"]


def test_read_again_when_the_file_changes(schema_file, parses):
    assert names(compose.load_module_path("quito_compose_sample:base.yaml")) == ["title"]
    schema_file.write_text(CHANGED, encoding="utf-8")
    stat = os.stat(schema_file)
    os.utime(schema_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert names(compose.load_module_path("quito_compose_sample:base.yaml")) == ["title", "notes"]
    assert parses == ["base.yaml", "base.yaml"]


def test_a_composed_schema_shares_nothing_with_the_kept_file(schema_file):
    own = {"quito_base": "quito_compose_sample:base.yaml", "quito_keep": ["title"],
           "dataset_fields": [{"field_name": "title", "label": "Título"}]}
    once = compose.compose(own)
    once["languages"].append("en")
    again = compose.compose(own)
    assert again["languages"] == ["es"]
    assert again["dataset_fields"] == [{"field_name": "title", "label": "Título"}]


def test_a_missing_file_is_named(schema_file):
    with pytest.raises(compose.SchemaCompositionError, match="missing.yaml"):
        compose.load_module_path("quito_compose_sample:missing.yaml")
