"""RDF -> dataset dict, after ckanext-dcat's DCAT-AP 3 parser has run.

Only datasets this profile wrote (they carry ``qgov:datasetType``) are
touched: the type, the Quito fields and the CKAN names come back exactly,
and the values the exporter inferred (``qgov:derived``) are dropped again.
"""
from __future__ import annotations

import json
from typing import Optional

from rdflib.namespace import SKOS

from ckanext.dcat.profiles.base import ADMS, DCT

from . import distributions, export, values
from . import schema as schemas
from .vocab import QGOV, standards_for, type_from_concept

#: Extras ckanext-dcat's parser makes from each inferred value when the
#: parsing schema has no field for it.
DERIVED_EXTRAS = {
    "spatial_coverage": ("spatial_uri", "spatial_text", "spatial", "spatial_bbox", "spatial_centroid"),
    "temporal_coverage": ("temporal_start", "temporal_end"),
    "contact": ("contact_uri", "contact_name", "contact_email", "contact_identifier", "contact_url"),
    "publisher": ("publisher_uri", "publisher_name", "publisher_email", "publisher_url",
                  "publisher_type", "publisher_identifier"),
}


def dataset_type(graph, ref) -> Optional[str]:
    value = graph.value(ref, QGOV.datasetType)
    if value is not None:
        return str(value)
    for node in graph.objects(ref, DCT.type):
        found = type_from_concept(str(node))
        if found:
            return found
    return None


def read_dataset(graph, dataset_dict: dict, ref) -> dict:
    found = dataset_type(graph, ref)
    if not found:
        return dataset_dict
    schema = schemas.dataset_schema(found)
    dataset_dict["type"] = found
    for field in schemas.own_fields(schema):
        value = values.read(graph, ref, field)
        _set(dataset_dict, field["field_name"], None if value is values.MISSING else value)
    for key in ("owner_org", "license_id"):
        value = graph.value(ref, QGOV[key])
        if value is not None:
            dataset_dict[key] = str(value)
    for key in export.EXACT_COPIES:
        value = graph.value(ref, QGOV[key])
        if value is not None:
            _set(dataset_dict, key, values.python_value(value))
    _set(dataset_dict, "dcat_type", _other_type(graph, ref))
    _drop_derived(graph, ref, dataset_dict)
    _read_resources(graph, ref, dataset_dict, schemas.own_fields(schema, "resource"))
    _identifiers(graph, ref, dataset_dict)
    _tidy(dataset_dict, _upstream_fields(schema, "dataset"))
    for resource in dataset_dict.get("resources") or []:
        _tidy(resource, _upstream_fields(schema, "resource"))
        for service in resource.get("access_services") or []:
            if isinstance(service, dict):
                service.pop("access_service_ref", None)  # a node id of this graph only
    return dataset_dict


def _upstream_fields(schema: Optional[dict], entity: str) -> list[dict]:
    own = {f["field_name"] for f in schemas.own_fields(schema, entity)}
    return [f for f in (schema or {}).get(f"{entity}_fields", []) if f["field_name"] not in own]


def _tidy(data: dict, fields: list[dict]) -> None:
    """Values of ckanext-dcat's parser in the form the schema stores them:
    lists as lists in choice order (not JSON text), numbers as their text."""
    for field in fields:
        name = field["field_name"]
        value = data.get(name)
        if schemas.is_multiple(field) and isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                continue
        if schemas.is_multiple(field) and isinstance(value, list):
            value = values.in_choice_order(field, value)
        if isinstance(value, float):
            value = str(int(value)) if value.is_integer() else repr(value)
        if name in data:
            data[name] = value


def _identifiers(graph, ref, dataset_dict: dict) -> None:
    """adms:identifier nodes back to their skos:notation (ckanext-dcat writes
    them as nodes but reads the node ids)."""
    notations = [str(graph.value(node, SKOS.notation) or node) for node in graph.objects(ref, ADMS.identifier)]
    if notations and not values.empty(dataset_dict.get("alternate_identifier")):
        dataset_dict["alternate_identifier"] = sorted(notations)


def _set(dataset_dict: dict, key: str, value) -> None:
    """Set (or, with None, remove) a field at the root and drop its extra."""
    dataset_dict["extras"] = [e for e in dataset_dict.get("extras") or [] if e.get("key") != key]
    if value is None:
        dataset_dict.pop(key, None)
    else:
        dataset_dict[key] = value


def _other_type(graph, ref) -> Optional[str]:
    others = [str(o) for o in graph.objects(ref, DCT.type) if not type_from_concept(str(o))]
    return others[0] if others else None


def _drop_derived(graph, ref, dataset_dict: dict) -> None:
    for name in {str(o) for o in graph.objects(ref, QGOV.derived)}:
        if name == "conforms_to":
            _drop_standards(dataset_dict)
            continue
        _set(dataset_dict, name, None)
        for key in DERIVED_EXTRAS.get(name, ()):
            _set(dataset_dict, key, None)


def _drop_standards(dataset_dict: dict) -> None:
    added = {uri for uri, _ in standards_for(dataset_dict)}
    extras = {e.get("key"): e.get("value") for e in dataset_dict.get("extras") or []}
    current = dataset_dict.get("conforms_to", extras.get("conforms_to"))
    if isinstance(current, str):
        current = json.loads(current) if current.startswith("[") else [current]
    kept = [uri for uri in current or [] if uri not in added]
    _set(dataset_dict, "conforms_to", kept or None)


def _read_resources(graph, ref, dataset_dict: dict, fields: list[dict]) -> None:
    nodes = distributions.nodes(graph, ref)
    resources = dataset_dict.get("resources") or []
    for resource in resources:
        node = nodes.get(resource.get("distribution_ref"))
        if node is not None:
            distributions.read(graph, resource, node, fields)
    resources.sort(key=lambda r: distributions.position(graph, nodes.get(r.get("distribution_ref"))))
