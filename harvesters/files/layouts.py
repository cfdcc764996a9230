"""Files -> planned datasets: which dataset of which type each file feeds.

``plan`` is a pure function of the listing, the source configuration and
the owning dependency (no database, no network). For each file, in path
order, the first that applies decides:

1. ``include`` / ``exclude`` globs (on the path, case-insensitive; a glob
   without "/" also tries the file name): files filtered out are skipped;
2. a manifest row naming ``type`` ``lotaip`` or ``presupuesto`` (the layout
   of that type, fed by the row's ``literal``/``year``/``month``/``stage``),
   or naming a ``dataset`` key (one dataset per type and key);
3. the configured ``rules``, in order (templates over the pattern's groups);
4. the layout of the row's ``type``, else the source's ``layout``.

Manifest columns override what the path implies; the source's ``fields``
and ``license_id`` are defaults under everything. Files nothing takes are
returned in ``unmatched`` with a translated reason.
"""
from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from ckan.plugins.toolkit import _

from ckanext.quito_gobiernoabierto.datasets.common import MIN_YEAR, max_year
from ckanext.quito_gobiernoabierto.datasets.compose import SchemaCompositionError, compose, load_module_path

from . import lotaip_paths
from .config import Rule, SourceConfig
from .lotaip_paths import ckan_name, first_value, humanize as _humanize, plain, slug_path as _slug_path
from .lotaip_paths import path_key as _path_key, stem_ext as _stem_ext, stem_path as _stem_path
from .plan import LayoutResult, PlannedDataset, PlannedResource, RemoteFile

TABULAR = ("csv", "xlsx")
GEO_EXTENSIONS = ("geojson", "kml", "kmz", "gpkg")
LAYER_FOLDERS = ("capas", "layers")
FORMATS = {"csv": "CSV", "xlsx": "XLSX", "xls": "XLS", "ods": "ODS", "pdf": "PDF", "json": "JSON",
           "geojson": "GeoJSON", "kml": "KML", "kmz": "KMZ", "gpkg": "GPKG", "zip": "ZIP", "shp": "SHP",
           "doc": "DOC", "docx": "DOCX", "odt": "ODT", "txt": "TXT", "xml": "XML", "html": "HTML"}
INSPECTORS = {"gtfs": "gtfs", "capa_geografica": "geo", "presupuesto": "tabular", "indicador": "tabular"}
#: Budget stage words (plain file-name words) -> the presupuesto schema's choices.
STAGES = ((r"proformas?", "proforma"), (r"asignad[oa]s?|iniciale?s?", "inicial"),
          (r"codificad[oa]s?", "codificado"), (r"certificad[oa]s?|certificacion(es)?", "certificado"),
          (r"comprometid[oa]s?|compromisos?", "comprometido"), (r"devengad[oa]s?", "devengado"),
          (r"pagad[oa]s?", "pagado"))
STAGE_WORDS = {"proforma": "proforma", "inicial": "asignación inicial", "codificado": "codificado",
               "certificado": "certificado", "comprometido": "comprometido", "devengado": "devengado",
               "pagado": "pagado"}
BUDGET_YEAR = re.compile(r"(?:^|/)presupuestos?/(?P<year>\d{4})/")
#: Manifest columns with a dataset field of another name.
ALIASES = {"description": "notes", "tags": "tag_string"}
#: Manifest columns that steer the layout, and fields a file never sets.
CONTROL = {"type", "dataset", "year", "month", "literal", "numeral", "role", "stage", "name", "id",
           "owner_org", "state", "private", "url", "path"}


@dataclass
class Claim:
    """What one file feeds: a dataset (guid, type, fields) and its resource."""
    guid: str
    dataset_type: str
    key: str
    fields: dict = field(default_factory=dict)  # implied by the path (layout or rule)
    resource: dict = field(default_factory=dict)
    inspect: Optional[str] = None
    owned: frozenset = frozenset()  # fields the layout decided from the manifest row already
    meta: dict = field(default_factory=dict)  # dataset fields from the manifest row


@dataclass
class _Context:
    config: SourceConfig
    dependency: dict
    geo_stems: set


def plan(files: list[RemoteFile], config: SourceConfig, dependency: dict) -> LayoutResult:
    """The datasets ``files`` make for ``dependency`` ({"name", "title"}), and the files left out."""
    kept = sorted((f for f in files if _included(f.path, config)), key=lambda f: f.path)
    context = _Context(config, dependency, {_stem_path(f.path) for f in kept if _is_layer(f.path)})
    assembly = _Assembly()
    for remote in kept:
        claim = _claim(remote, context)
        reason = assembly.add(remote, claim) if isinstance(claim, Claim) else claim
        if reason:
            assembly.unmatched.append((remote.path, reason))
    return LayoutResult(datasets=assembly.datasets(config, dependency), unmatched=assembly.unmatched)


def _included(path: str, config: SourceConfig) -> bool:
    def matches(globs: list) -> bool:
        name = path.rsplit("/", 1)[-1].lower()
        return any(fnmatch.fnmatchcase(path.lower(), g.lower())
                   or ("/" not in g and fnmatch.fnmatchcase(name, g.lower())) for g in globs)
    return (not config.include or matches(config.include)) and not matches(config.exclude)


def _safe(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and "\\" not in path and not any(p in ("", ".", "..") for p in parts) \
        and not any(ord(c) < 32 for c in path) and not re.match(r"^[A-Za-z]:", path)


# ------------------------------------------------------------- dispatch

def _claim(remote: RemoteFile, ctx: _Context) -> Union[Claim, str]:
    if not _safe(remote.path):
        return _("not a plain relative path")
    meta = remote.metadata or {}
    kind = str(meta.get("type") or "").strip()
    if kind in ("lotaip", "presupuesto"):
        claim = LAYOUTS[kind](remote, ctx)
    elif str(meta.get("dataset") or "").strip():
        claim = _manifest_claim(remote, kind or ctx.config.default_type, str(meta["dataset"]), ctx)
    else:
        claim = _rules_claim(remote, ctx)
        if claim is None:
            claim = _layout_of(kind, ctx.config)(remote, ctx)
    if isinstance(claim, Claim):
        dataset_fields, resource_fields = _manifest_fields(meta, claim.dataset_type, claim.owned)
        claim.meta.update(dataset_fields)
        claim.resource.update(resource_fields)
    return claim


def _layout_of(kind: str, config: SourceConfig) -> Callable:
    """The layout a manifest row's ``type`` asks for, else the source's."""
    if not kind or kind == "auto":
        return LAYOUTS[config.layout]
    return LAYOUTS[kind] if kind in LAYOUTS and kind != "dataset" else _general(kind)


def _rules_claim(remote: RemoteFile, ctx: _Context) -> Optional[Union[Claim, str]]:
    for number, rule in enumerate(ctx.config.rules, start=1):
        match = rule.pattern.search(remote.path)
        if match:
            return _rule_claim(remote, rule, number, match, ctx)
    return None


def _rule_claim(remote: RemoteFile, rule: Rule, number: int, match: re.Match, ctx: _Context) -> Union[Claim, str]:
    stem, ext = _stem_ext(remote.path)
    values = {**{k: v or "" for k, v in match.groupdict().items()},
              "path": remote.path, "stem": stem, "ext": ext, "dependency": ctx.dependency["name"]}
    try:
        guid = rule.guid.format(**values).strip()
        title = rule.title.format(**values) if rule.title else None
        filled = {k: v.format(**values) if isinstance(v, str) else v for k, v in rule.fields.items()}
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        return _("rule {number}: its templates cannot be filled ({error})").format(number=number, error=error)
    if not guid:
        return _("rule {number} gives an empty guid").format(number=number)
    dataset_fields, resource_fields = _split(filled, rule.dataset_type)
    dataset_fields = {"title": title or _humanize(guid.rsplit("/", 1)[-1]), **dataset_fields}
    return Claim(guid, rule.dataset_type, _path_key(remote.path), dataset_fields,
                 {**_resource(rule.dataset_type, remote.path), **resource_fields}, _inspect(rule.dataset_type, ext))


def _manifest_claim(remote: RemoteFile, dataset_type: str, key: str, ctx: _Context) -> Claim:
    """A manifest row's ``dataset`` key: one dataset per type and key, whatever the path."""
    guid = f"{dataset_type}/{ctx.dependency['name']}/{_slug_path(key.strip().strip('/'))}"
    title = _humanize(key.strip().strip("/").rsplit("/", 1)[-1])
    return Claim(guid, dataset_type, _path_key(remote.path), {"title": title},
                 _resource(dataset_type, remote.path), _inspect(dataset_type, _stem_ext(remote.path)[1]))


# ------------------------------------------------------------- layouts

def _lotaip(remote: RemoteFile, ctx: _Context, found: Optional[lotaip_paths.LotaipPath] = None) -> Union[Claim, str]:
    entry = lotaip_paths.resolve(found or lotaip_paths.read(remote.path, remote.metadata))
    if isinstance(entry, str):
        return entry
    return Claim(entry.guid(ctx.dependency["name"]), "lotaip", entry.key, entry.dataset_fields(ctx.dependency),
                 {**_resource("lotaip", remote.path), **entry.resource_fields()}, owned=lotaip_paths.OWNED)


def _gtfs(remote: RemoteFile, ctx: _Context) -> Union[Claim, str]:
    if _stem_ext(remote.path)[1] != "zip":
        return _("a GTFS feed is a .zip file")
    return _path_claim("gtfs", remote.path, ctx)


def _layer(remote: RemoteFile, ctx: _Context) -> Union[Claim, str]:
    if not _is_layer(remote.path, zipped=True):
        return _("not a map layer file (GeoJSON, KML, KMZ, GeoPackage or zipped Shapefile)")
    return _path_claim("capa_geografica", remote.path, ctx)


def _budget(remote: RemoteFile, ctx: _Context) -> Union[Claim, str]:
    meta, (stem, ext) = remote.metadata or {}, _stem_ext(remote.path)
    match = BUDGET_YEAR.search(plain(remote.path))
    year = first_value(meta, "year", "fiscal_year") or (match["year"] if match else None)
    stage = _stage(first_value(meta, "stage", "budget_stage") or stem)
    if ext not in TABULAR:
        return _("not a budget table: expected presupuesto/<year>/<stage>....csv or .xlsx")
    if not year:
        return _("no budget year folder (presupuesto/<year>/...)")
    if not re.fullmatch(r"\d{4}", year) or not MIN_YEAR <= int(year) <= max_year():
        return _("“{year}” is not a year").format(year=year)
    if not stage:
        return _("no budget stage (proforma, asignado, codificado, comprometido, devengado, pagado) "
                 "in the file name")
    title = f"Presupuesto {year}, {STAGE_WORDS[stage]} ({ctx.dependency.get('title') or ctx.dependency['name']})"
    fields = {"title": title, "fiscal_year": year, "budget_stage": [stage]}
    natures = [n for n in ("ingresos", "gastos") if re.search(rf"(?<![a-z]){n[:-1]}s?(?![a-z])", plain(remote.path))]
    if natures:
        fields["budget_nature"] = natures
    return Claim(f"presupuesto/{ctx.dependency['name']}/{year}/{stage}", "presupuesto", _path_key(stem + "." + ext),
                 fields, _resource("presupuesto", remote.path), "tabular", frozenset({"fiscal_year", "budget_stage"}))


def _indicator(remote: RemoteFile, ctx: _Context) -> Union[Claim, str]:
    folders = [plain(p) for p in remote.path.split("/")[:-1]]
    if "indicadores" not in folders or _stem_ext(remote.path)[1] not in TABULAR:
        return _("not an indicator table: expected indicadores/<name>.csv or .xlsx")
    return _path_claim("indicador", remote.path, ctx)


def _general(dataset_type: Optional[str] = None) -> Callable:
    """General files of ``dataset_type`` (the source's default type when None)."""
    def layout(remote: RemoteFile, ctx: _Context) -> Claim:
        return _path_claim(dataset_type or ctx.config.default_type, remote.path, ctx)
    return layout


def _auto(remote: RemoteFile, ctx: _Context) -> Union[Claim, str]:
    found = lotaip_paths.read(remote.path, remote.metadata)
    ext, lowered = _stem_ext(remote.path)[1], plain(remote.path)
    if found.looks_lotaip:
        return _lotaip(remote, ctx, found)
    if ext == "zip" and "gtfs" in lowered:
        return _gtfs(remote, ctx)
    if _is_layer(remote.path) or (ext == "zip" and _stem_path(remote.path) in ctx.geo_stems):
        return _layer(remote, ctx)
    if BUDGET_YEAR.search(lowered):
        return _budget(remote, ctx)
    return _general()(remote, ctx)


LAYOUTS: dict[str, Callable] = {"lotaip": _lotaip, "gtfs": _gtfs, "capa_geografica": _layer,
                                "presupuesto": _budget, "indicador": _indicator, "dataset": _general(),
                                "auto": _auto}


def _path_claim(dataset_type: str, path: str, ctx: _Context) -> Claim:
    """One dataset per folder and file stem; the extension is the resource key."""
    stem, ext = _stem_ext(path)
    guid = f"{dataset_type}/{ctx.dependency['name']}/{_stem_path(path)}"
    return Claim(guid, dataset_type, ext or "file", {"title": _humanize(stem)}, _resource(dataset_type, path),
                 _inspect(dataset_type, ext))


# ------------------------------------------------------------- files

def _in_layer_folder(path: str) -> bool:
    return any(plain(p) in LAYER_FOLDERS for p in path.split("/")[:-1])


def _is_layer(path: str, zipped: bool = False) -> bool:
    """Geodata by extension; ``.json`` under a capas/layers folder; ``.zip``
    (a zipped Shapefile) when ``zipped`` or under such a folder."""
    ext = _stem_ext(path)[1]
    return ext in GEO_EXTENSIONS or (ext == "json" and _in_layer_folder(path)) \
        or (ext == "zip" and (zipped or _in_layer_folder(path)))


def _resource(dataset_type: str, path: str) -> dict:
    """Resource name and format (in the type's terms) of the file at ``path``."""
    ext = _stem_ext(path)[1]
    fields = {"name": path.rsplit("/", 1)[-1]}
    fmt = FORMATS.get(ext, ext.upper())
    if dataset_type == "gtfs" and ext == "zip":
        fmt = "GTFS"
    elif dataset_type == "capa_geografica":
        fmt = {"zip": "SHP", "json": "GeoJSON"}.get(ext, fmt)
        fields["distribution_kind"] = "file"
    elif dataset_type == "indicador" and ext == "csv":
        fields["resource_role"] = "time_series"
    if fmt:
        fields["format"] = fmt
    return fields


def _inspect(dataset_type: str, ext: str) -> Optional[str]:
    if dataset_type in INSPECTORS:
        return INSPECTORS[dataset_type]
    return "tabular" if ext in TABULAR and dataset_type != "lotaip" else None


def _stage(text: str) -> Optional[str]:
    for word in re.split(r"[^a-z0-9]+", plain(text)):
        for pattern, stage in STAGES:
            if re.fullmatch(pattern, word):
                return stage
    return None


# ------------------------------------------------------------- fields

@functools.lru_cache(maxsize=None)
def schema_fields(dataset_type: str) -> Optional[tuple[frozenset, frozenset]]:
    """(dataset field names, resource field names) of a type shipped here, or None."""
    if not re.fullmatch(r"[a-z0-9_]+", dataset_type or "") or dataset_type == "common":
        return None
    try:
        schema = compose(load_module_path(f"ckanext.quito_gobiernoabierto.schemas:datasets/{dataset_type}.yaml"))
    except (SchemaCompositionError, ImportError, OSError, ValueError):  # a type of another extension
        return None
    return (frozenset(f["field_name"] for f in schema.get("dataset_fields", [])),
            frozenset(f["field_name"] for f in schema.get("resource_fields", [])))


def _split(values: dict, dataset_type: str) -> tuple[dict, dict]:
    """Fields -> (dataset fields, resource fields): resource-only schema fields go to the resource."""
    names = schema_fields(dataset_type)
    if names is None:
        return dict(values), {}
    resource_only = names[1] - names[0]
    return ({k: v for k, v in values.items() if k not in resource_only},
            {k: v for k, v in values.items() if k in resource_only})


def _manifest_fields(meta: dict, dataset_type: str, owned: frozenset) -> tuple[dict, dict]:
    """A manifest row's columns named like the type's fields (``description`` -> notes,
    ``tags`` -> tag_string), split into dataset and resource fields."""
    names = schema_fields(dataset_type)
    dataset_fields, resource_fields = {}, {}
    for column, value in meta.items():
        name = ALIASES.get(column, column)
        if name in CONTROL or name in owned or value in (None, "", [], {}):
            continue
        if name == "tag_string" and isinstance(value, list):
            value = ",".join(str(v) for v in value)
        if names is None or name in names[0]:
            dataset_fields[name] = value
        elif name in names[1]:
            resource_fields[name] = value
    return dataset_fields, resource_fields


def _defaults(config: SourceConfig, dataset_type: str) -> dict:
    """The source's ``license_id`` and ``fields`` that this type has."""
    names = schema_fields(dataset_type)
    values = dict(config.fields or {}, **({"license_id": config.license_id} if config.license_id else {}))
    return {k: v for k, v in values.items() if k not in CONTROL and (names is None or k in names[0])}


def _merge(into: dict, values: dict) -> None:
    """The first file's value wins; lists gather every file's values."""
    for key, value in values.items():
        if isinstance(into.get(key), list) and isinstance(value, list):
            into[key] = into[key] + [v for v in value if v not in into[key]]
        else:
            into.setdefault(key, value)


# ------------------------------------------------------------- assembly

class _Assembly:
    """Claims gathered by guid, then datasets with unique names."""

    def __init__(self):
        self.groups: dict[str, dict] = {}
        self.unmatched: list[tuple[str, str]] = []

    def add(self, remote: RemoteFile, claim: Claim) -> Optional[str]:
        group = self.groups.setdefault(claim.guid, {"type": claim.dataset_type, "fields": {}, "meta": {},
                                                    "resources": {}, "inspect": None})
        if group["type"] != claim.dataset_type:
            return _("{guid} is already planned as a dataset of type {type}").format(
                guid=claim.guid, type=group["type"])
        if claim.key in group["resources"]:
            return _("another file is already resource {key} of {guid}: {path}").format(
                key=claim.key, guid=claim.guid, path=group["resources"][claim.key].file.path)
        group["resources"][claim.key] = PlannedResource(claim.key, remote, claim.resource)
        _merge(group["fields"], claim.fields)
        _merge(group["meta"], claim.meta)
        group["inspect"] = group["inspect"] or claim.inspect
        return None

    def datasets(self, config: SourceConfig, dependency: dict) -> list[PlannedDataset]:
        out, used = [], set()
        for guid in sorted(self.groups):
            group = self.groups[guid]
            fields = {**group["fields"], **group["meta"], "owner_org": dependency["name"]}
            fields["name"] = ckan_name(fields.get("name") or guid, guid, used)
            defaults = {k: v for k, v in _defaults(config, group["type"]).items() if k not in fields}
            resources = [group["resources"][key] for key in sorted(group["resources"])]
            out.append(PlannedDataset(guid, group["type"], fields, resources, group["inspect"], defaults))
        return out
