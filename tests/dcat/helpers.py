"""Helpers of the DCAT profile tests: fixtures on disk, serialising and
parsing back with the configured profiles, comparing field by field."""
import copy
import json
import os
import zlib

from ckanext.dcat.processors import RDFParser, RDFSerializer

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
#: The profiles the portal runs. ``euro_dcat_ap_3`` already contains
#: ``euro_dcat_ap_scheming`` (it subclasses it); listing both writes every
#: blank node of the scheming fields twice (temporal, relations...).
PROFILES = ["euro_dcat_ap_3", "quito_dcat_ap"]
PROFILES_SETTING = " ".join(PROFILES)


def registered_types() -> list[str]:
    """The types the datasets plugin registers by default, read from its setting."""
    from ckanext.quito_gobiernoabierto.plugins.datasets import DEFAULTS

    return sorted(ref.rsplit("/", 1)[-1][:-len(".yaml")] for ref in DEFAULTS["scheming.dataset_schemas"].split())


def violations(graph, shapes) -> list[str]:
    """SHACL (pyshacl, no inference): one line per top-level sh:Violation."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    data = rdflib.Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    found = []
    for result in report.objects(None, SH.result):
        if report.value(result, SH.resultSeverity) == SH.Violation:
            found.append(" | ".join(str(report.value(result, p)) for p in
                                    (SH.focusNode, SH.resultPath, SH.resultMessage)))
    return sorted(found)


def fixture(name: str):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return json.load(f)


def serialize(dataset_dict: dict, profiles=PROFILES) -> RDFSerializer:
    serializer = RDFSerializer(profiles=profiles)
    serializer.graph_from_dataset(copy.deepcopy(dataset_dict))
    return serializer


def round_trip(dataset_dict: dict, _format: str = "turtle", profiles=PROFILES) -> tuple[str, dict]:
    """(serialization, the dataset parsed back from it)."""
    text = serialize(dataset_dict, profiles).g.serialize(format=_format)
    parser = RDFParser(profiles=profiles)
    parser.parse(text, _format=_format)
    datasets = list(parser.datasets())
    assert len(datasets) == 1, f"{len(datasets)} datasets parsed back"
    return text, datasets[0]


def normal(value):
    """Empty values (None, "", [], {}) as None, recursively: a field left
    empty and a field left out are the same dataset."""
    if isinstance(value, dict):
        value = {k: normal(v) for k, v in value.items()}
        value = {k: v for k, v in value.items() if v is not None}
    elif isinstance(value, list):
        value = [v for v in (normal(v) for v in value) if v is not None]
    return None if value in (None, "", [], {}) else value


def _field_value(data: dict, name: str):
    if name == "tag_string":
        return sorted(t["name"] for t in data.get("tags") or [])
    if name == "owner_org" and data.get("organization"):
        return data["organization"]["name"]
    return data.get(name)


def differences(original: dict, parsed: dict, schema: dict) -> dict:
    """Field -> (original, parsed) for every schema field that did not come back."""
    diffs = {}
    for field in schema["dataset_fields"]:
        name = field["field_name"]
        before, after = normal(_field_value(original, name)), normal(_field_value(parsed, name))
        if before != after:
            diffs[name] = (before, after)
    if original.get("type") != parsed.get("type"):
        diffs["type"] = (original.get("type"), parsed.get("type"))
    resources = list(zip(original.get("resources") or [], parsed.get("resources") or []))
    if len(resources) != len(original.get("resources") or []) or len(resources) != len(parsed.get("resources") or []):
        diffs["resources"] = (len(original.get("resources") or []), len(parsed.get("resources") or []))
    for position, (before, after) in enumerate(resources):
        for field in schema["resource_fields"]:
            name = field["field_name"]
            if normal(before.get(name)) != normal(after.get(name)):
                diffs[f"resources[{position}].{name}"] = (normal(before.get(name)), normal(after.get(name)))
    return diffs


# --- synthetic datasets, one per type, from the type's current schema ---------

EU = "http://publications.europa.eu/resource/authority/"
SAMPLE_PRESETS = {"quito_year": "2016", "quito_required_year": "2016", "quito_count": "42",
                  "quito_amount": "1250000.50", "date": "2016-03-04", "dcat_date": "2016-03-04"}


def sample_value(field: dict, index: int = 0):
    """A value of the field's shape: what the round trip must keep."""
    from ckanext.quito_gobiernoabierto.dcat import schema as schemas

    choices = schemas.choice_order(field)
    validators = str(field.get("validators") or "").split()
    if schemas.is_repeating(field):
        return [{sub["field_name"]: sample_value(sub, i) for sub in field["repeating_subfields"]} for i in range(2)]
    if schemas.is_multiple(field):
        return choices[-2:] if choices else [f"valor {index} a", f"valor {index} b"]
    if choices:
        return choices[(index + 1) % len(choices)]
    if validators[:1] == ["ignore"]:  # computed by the type (a summary): any JSON
        return [f"{field['field_name']} {index}", {"total": index + 1}]
    if field.get("preset") in SAMPLE_PRESETS:
        return SAMPLE_PRESETS[field["preset"]]
    if "isodate" in validators:
        return "2016-03-04"
    return f"{field['field_name']} de muestra {index}"


def synthetic(schema: dict, organization: dict) -> dict:
    """A package_show-like dict of the type with every own field filled."""
    from ckanext.quito_gobiernoabierto.dcat import schema as schemas

    dataset_type = schema["dataset_type"]
    dataset_id = f"00000000-0000-4000-8000-{zlib.crc32(dataset_type.encode()):012d}"
    data = dict(
        id=dataset_id, type=dataset_type, name=f"{dataset_type.replace('_', '-')}-muestra",
        title=f"Muestra {dataset_type}", notes="Datos de muestra para la prueba de exportación DCAT-AP.",
        owner_org=organization["id"], organization={k: organization[k] for k in ("id", "name", "title")},
        tags=[{"name": "muestra"}], theme=[EU + "data-theme/GOVE"], language=[EU + "language/SPA"],
        license_id="cc-by", issued="2016-05-01", modified="2016-06-01", sample_data="true")
    for field in schemas.own_fields(schema):
        if field["field_name"] not in data:
            data[field["field_name"]] = sample_value(field)
    data["resources"] = [_sample_resource(schema, dataset_id, i) for i in range(2)]
    return data


def _sample_resource(schema: dict, dataset_id: str, index: int) -> dict:
    from ckanext.quito_gobiernoabierto.dcat import schema as schemas

    resource_id = f"{dataset_id[:-2]}{index:02d}"
    resource = dict(id=resource_id, package_id=dataset_id, position=index, name=f"Recurso {index}",
                    url=f"https://example.org/{dataset_id}/{index}.csv", format="CSV", mimetype="text/csv",
                    description="Archivo de muestra.")
    for field in schemas.own_fields(schema, "resource"):
        resource[field["field_name"]] = sample_value(field, index)
    return resource

