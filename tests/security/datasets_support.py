"""Valid publications of every dataset type (from the demo content, files
turned into links) and the dependencies they name, for the security tests."""
from __future__ import annotations

import copy
import functools
import os

import yaml

import ckan.model as model
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import package_path

#: The portal's dataset types (``scheming_dataset_schema_list`` is checked against it).
TYPES = ("dataset", "lotaip", "indicador", "capa_geografica", "gtfs", "presupuesto", "sesion_concejo",
         "proyecto_emblematico", "informe_gestion", "plan_operativo")


@functools.lru_cache(maxsize=None)
def demo_entries() -> tuple:
    folder = package_path("data", "demo")
    entries = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                entries += yaml.safe_load(f)["datasets"]
    return tuple(entries)


@functools.lru_cache(maxsize=None)
def organigram() -> dict:
    with open(package_path("data", "organigrama-dmq.yaml"), encoding="utf-8") as f:
        return {row["name"]: row for row in yaml.safe_load(f)["dependencies"]}


def publication(dataset_type: str, index: int = 0) -> dict:
    """The ``index``-th demo publication of the type (cycling), with links for files."""
    entries = [e for e in demo_entries() if (e.get("type") or "dataset") == dataset_type]
    entry = copy.deepcopy(entries[index % len(entries)])
    entry["type"] = dataset_type
    for resource in entry.get("resources", []):
        if "file" in resource:
            resource["url"] = "http://example.org/archivos/" + resource.pop("file")
    if index >= len(entries):
        entry["name"] = f"{entry['name']}-{index}"
    return entry


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def create_dependencies(*entries: dict, title_suffix: str = "", **fields) -> None:
    """The organizations the publications name (owner and any other reference)
    that do not exist yet (their title ending with ``title_suffix``, with
    ``fields`` added)."""
    rows = organigram()
    names = {s for entry in entries for s in _strings(entry) if s in rows}
    for name in sorted(n for n in names if model.Group.get(n) is None):
        factories.Organization(name=name, title=rows[name]["title"] + title_suffix, kind=rows[name]["kind"],
                               **fields)
