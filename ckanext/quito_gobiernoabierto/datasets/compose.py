"""Composition of dataset schemas on top of ckanext-dcat's.

A Quito schema file may name a base schema instead of repeating it::

    quito_base: ckanext.dcat.schemas:dcat_ap_full.yaml   # any "module:path"
    quito_keep: [title, name, notes, ...]                 # base dataset fields kept, in this order
    quito_keep_resource: [url, name, ...]                 # same for resource fields
    dataset_fields: [...]    # a field named like a base field is laid over it;
    resource_fields: [...]   # other fields are appended

The base is read from the installed upstream package at start-up, so
ckanext-dcat's schemas are extended, never copied. Bases may have bases.
"""
from __future__ import annotations

import copy
import inspect
import os
from typing import Callable, Optional

import yaml

#: libyaml's parser where PyYAML was built with it (the wheels are), else PyYAML's own.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Parsed schema files by path, with the stamp of the file they were read from.
_parsed: dict = {}

GROUPINGS = (("dataset_fields", "quito_keep"), ("resource_fields", "quito_keep_resource"))
COMPOSE_KEYS = {"quito_base", "quito_keep", "quito_keep_resource"}
#: Key prefix of the fields of the whole base chain, kept for ``quito_keep``.
POOL = "quito_all_"


class SchemaCompositionError(Exception):
    pass


def load_module_path(ref: str) -> dict:
    """Read a "package.module:relative/file.yaml" schema reference."""
    module_name, _, file_name = ref.partition(":")
    module = __import__(module_name, fromlist=[""])
    path = os.path.join(os.path.dirname(inspect.getfile(module)), file_name)
    if not os.path.exists(path):
        raise SchemaCompositionError(f"schema {ref!r} not found at {path}")
    return copy.deepcopy(_read_yaml(path))


def _read_yaml(path: str):
    """The file parsed, read again when it changed or was replaced (its
    times, size or inode): plugins' ``update_config`` runs on every start of
    CKAN's app and every load of the plugins."""
    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
    kept = _parsed.get(path)
    if kept is None or kept[0] != stamp:
        with open(path, encoding="utf-8") as f:
            kept = _parsed[path] = (stamp, yaml.load(f, Loader=_Loader))
    return kept[1]


def _merge_field(base: dict, own: dict) -> dict:
    merged = {**base, **own}
    if "repeating_subfields" in base and "repeating_subfields" in own:
        merged["repeating_subfields"] = merge_fields(base["repeating_subfields"], own["repeating_subfields"])
    return merged


def merge_fields(base: list, own: list, keep: Optional[list] = None, pool: Optional[list] = None) -> list:
    """Base fields (only ``keep``, in its order, when given), each overlaid by
    the own field of the same name; own fields without a base are appended.
    ``keep`` may also name fields that an ancestor had and a nearer base left
    out (``pool``: every field of the chain)."""
    by_name = {f["field_name"]: f for f in (pool or [])}
    by_name.update({f["field_name"]: f for f in base})
    if keep is not None:
        unknown = [n for n in keep if n not in by_name]
        if unknown:
            raise SchemaCompositionError(f"fields {unknown} are not in the base schema")
        base = [by_name[n] for n in keep]
    own_by_name = {f["field_name"]: f for f in own}
    out = [_merge_field(f, own_by_name[f["field_name"]]) if f["field_name"] in own_by_name else copy.deepcopy(f)
           for f in base]
    names = {f["field_name"] for f in out}
    out += [copy.deepcopy(f) for f in own if f["field_name"] not in names]
    return out


def compose(schema: dict, load: Callable[[str], dict] = load_module_path, _seen: tuple = ()) -> dict:
    """The schema with its ``quito_base`` chain resolved (a new dict)."""
    ref = schema.get("quito_base")
    if not ref:
        return {k: v for k, v in schema.items() if k not in COMPOSE_KEYS}
    if ref in _seen:
        raise SchemaCompositionError(f"schema base cycle through {ref!r}")
    base = compose(load(ref), load, _seen + (ref,))
    out = {**base, **{k: v for k, v in schema.items() if k not in COMPOSE_KEYS}}
    for grouping, keep_key in GROUPINGS:
        pool = base.get(POOL + grouping, []) + base.get(grouping, [])
        out[grouping] = merge_fields(base.get(grouping, []), schema.get(grouping, []), schema.get(keep_key), pool)
        out[POOL + grouping] = _unique(pool + out[grouping])
    return out


def _unique(fields: list) -> list:
    """The last definition of each field name, in first-seen order."""
    latest = {f["field_name"]: f for f in fields}
    return [latest[n] for n in dict.fromkeys(f["field_name"] for f in fields)]


def compose_all(schemas: dict, load: Callable[[str], dict] = load_module_path) -> dict:
    return {name: compose(schema, load) for name, schema in schemas.items()}
