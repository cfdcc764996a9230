"""Bulk documents: generated datasets indexed as CKAN's ``index_package`` would index them.

They go straight to the index table (no package rows, no ``package_create``):
each one is a ``package_show``-shaped dict whose key sets and nested shapes are
copied from a real dataset of the subset (the template), flattened by
:func:`solr_doc` exactly as ``PackageSearchIndex.index_package`` flattens.
:func:`check_fidelity` runs CKAN's own ``index_package`` on a sample and
compares, so a CKAN upgrade that changes the document shape is noticed.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import types
import uuid

import sqlalchemy as sa

TABLE = "quito_search_index"
NAMESPACE = uuid.UUID("6f1c9a52-4d0e-4b8e-9c31-5a0d2b7e8f10")
RESOURCE_FIELDS = [("name", "res_name"), ("description", "res_description"), ("format", "res_format"),
                   ("url", "res_url"), ("resource_type", "res_type")]
NOW = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def bulk_id(i: int, kind: str = "dataset") -> str:
    return str(uuid.uuid5(NAMESPACE, f"bench-{kind}-{i}"))


class Template:
    """Shapes and lookups copied from CKAN: a real indexed dataset, organizations, licenses, tags."""

    def __init__(self, stored: dict):
        import ckan.model as model

        pkg = json.loads(stored["data_dict"])
        pkg.pop("validated_data_dict", None)
        self.pkg = pkg
        self.validated_keys = list(json.loads(stored["validated_data_dict"]))
        self.resource = dict(pkg["resources"][0])
        org_keys = list(pkg["organization"] or {})
        groups = model.Session.query(model.Group).filter_by(is_organization=True)
        self.orgs = {g.name: dict({k: getattr(g, k) for k in org_keys}, created=g.created.isoformat())
                     for g in groups}
        self.licenses = model.Package.get_license_register()
        self.tag_ids = dict(model.Session.query(model.Tag.name, model.Tag.id).all())
        self.resource_extras = [(e, "res_extras_" + e) for e in model.Resource.get_extra_columns()]

    def organization(self, name: str) -> dict:
        return self.orgs[name]

    def license_fields(self, license_id: str) -> dict:
        lic = self.licenses.get(license_id)
        if lic and lic.url:
            return {"license_url": lic.url, "license_title": lic.title.split("::")[-1], "isopen": lic.isopen()}
        return {"license_title": lic.title if lic else license_id, "isopen": bool(lic and lic.isopen())}


def load_template(conn, site: str) -> Template:
    """The template: one real dataset of the subset, as indexed by CKAN."""
    stored = conn.execute(sa.text(
        f"SELECT stored FROM {TABLE} t WHERE site_id = :s AND stored->>'num_resources' <> '0' "
        f"AND EXISTS (SELECT 1 FROM package p WHERE p.id = t.id) LIMIT 1"), {"s": site}).scalar()
    if stored is None:
        raise RuntimeError("no real dataset indexed yet: create the subset first")
    return Template(stored)


def dates(i: int, year: int) -> tuple[str, str]:
    """Created in ``year``, modified up to ~14 months later, never in the future (deterministic)."""
    h = int(hashlib.md5(str(i).encode()).hexdigest(), 16)
    start = dt.datetime(year, 1, 1)
    created = min(start + dt.timedelta(seconds=h % (366 * 86400)), NOW - dt.timedelta(days=1))
    modified = min(created + dt.timedelta(seconds=(h >> 64) % (420 * 86400)), NOW)
    return created.isoformat(), modified.isoformat()


def _resources(pkg_id: str, data: dict, tpl: Template, created: str) -> list[dict]:
    return [dict(tpl.resource, id=bulk_id(f"{pkg_id}-{n}", "resource"), package_id=pkg_id, url=r["url"],
                 format=r["format"], description=r["description"], name=r["name"], position=n,
                 created=created, metadata_modified=created)
            for n, r in enumerate(data["resources"])]


def _year(data: dict) -> int:
    cover = next(e["value"] for e in data["extras"] if e["key"] == "cobertura_temporal")
    return int(cover[:4])


def package_dict(i: int, data: dict, tpl: Template) -> dict:
    """``package_show`` of generated dataset ``i``, had it been created."""
    pkg_id = bulk_id(i)
    created, modified = dates(i, _year(data))
    pkg = {k: v for k, v in tpl.pkg.items() if k not in ("license_url",)}
    org = tpl.organization(data["owner_org"])
    pkg.update(id=pkg_id, name=data["name"], title=data["title"], notes=data["notes"],
               license_id=data["license_id"], owner_org=org["id"], organization=org,
               private=data["private"], state="active", type="dataset",
               metadata_created=created, metadata_modified=modified, groups=[],
               relationships_as_subject=[], relationships_as_object=[],
               num_resources=len(data["resources"]), num_tags=len(data["tags"]))
    pkg.update(tpl.license_fields(data["license_id"]))
    pkg["resources"] = _resources(pkg_id, data, tpl, created)
    pkg["tags"] = [{"id": tpl.tag_ids.get(t["name"]) or bulk_id(t["name"], "tag"), "name": t["name"],
                    "vocabulary_id": None, "state": "active", "display_name": t["name"]}
                   for t in data["tags"]]
    pkg["extras"] = [{"id": bulk_id(f"{pkg_id}-{e['key']}", "extra"), "package_id": pkg_id,
                      "key": e["key"], "value": e["value"], "state": "active"}
                     for e in sorted(data["extras"], key=lambda e: e["key"])]
    return pkg


def validated_dict(pkg: dict, tpl: Template) -> dict:
    """What the show schema's validation returns for ``pkg`` (extras reduced to key/value)."""
    out = {k: pkg[k] for k in tpl.validated_keys if k in pkg}
    out["extras"] = [{"key": e["key"], "value": e["value"]} for e in pkg["extras"]]
    out["resources"] = [dict(sorted(r.items())) for r in pkg["resources"]]
    out["tags"] = [dict(sorted(t.items())) for t in pkg["tags"]]
    return out


def permission_labels(pkg: dict) -> list[str]:
    """CKAN's permission labels for the dataset (there is no package row to ask for)."""
    import ckan.lib.plugins as lib_plugins

    obj = types.SimpleNamespace(id=pkg["id"], state=pkg["state"], private=pkg["private"],
                                owner_org=pkg["owner_org"], creator_user_id=pkg["creator_user_id"])
    return lib_plugins.get_permission_labels().get_dataset_labels(obj)


def solr_doc(pkg: dict, tpl: Template, site: str) -> dict:
    """``index_package``'s flattening of a ``package_show`` dict (no vocabularies, groups, relationships)."""
    from ckan.lib.navl.dictization_functions import MissingNullEncoder
    from ckan.lib.search import index as ckan_index

    doc = dict(pkg)
    doc["validated_data_dict"] = json.dumps(validated_dict(pkg, tpl), cls=MissingNullEncoder)
    doc["data_dict"] = json.dumps(doc)
    doc["title_string"] = doc["title"]
    index_fields = ckan_index.RESERVED_FIELDS + list(doc)
    for extra in doc.pop("extras"):
        key = "".join(c for c in extra["key"] if c in ckan_index.KEY_CHARS)
        doc["extras_" + key] = extra["value"]
        if key not in index_fields:
            doc[key] = extra["value"]
    doc["tags"] = [t["name"] for t in doc["tags"]]
    doc["groups"] = [g["name"] for g in doc.pop("groups")]
    doc["capacity"] = "private" if doc["private"] else "public"
    doc["organization"] = doc["organization"]["name"] if doc["organization"] else None
    for okey, nkey in RESOURCE_FIELDS + tpl.resource_extras:
        if doc["resources"]:
            doc[nkey] = [r.get(okey, "") for r in doc["resources"]]
    for key in ("resources", "relationships_as_subject", "relationships_as_object"):
        doc.pop(key)
    for key in ("title", "notes", "title_string"):
        doc[key] = ckan_index.escape_xml_illegal_chars(doc[key])
    doc.update(entity_type=ckan_index.PACKAGE_TYPE, dataset_type=doc["type"], site_id=site,
               metadata_created=doc["metadata_created"] + "Z", metadata_modified=doc["metadata_modified"] + "Z",
               title=doc["title"].lstrip(), permission_labels=permission_labels(pkg),
               index_id=hashlib.md5(f"{doc['id']}{site}".encode()).hexdigest())
    return doc


class _Collector:
    """A connection that keeps what CKAN sends instead of indexing it."""

    def __init__(self):
        self.docs: list[dict] = []

    def add(self, docs, commit=None, **kwargs):
        self.docs.extend(docs)


@contextlib.contextmanager
def _collecting():
    from ckan.lib.search import index as ckan_index

    collector, original = _Collector(), ckan_index.make_connection
    ckan_index.make_connection = lambda *a, **k: collector
    try:
        yield collector
    finally:
        ckan_index.make_connection = original


def _normal(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k != "permission_labels"}
    data = json.loads(out.pop("data_dict"))
    data["validated_data_dict"] = json.loads(data["validated_data_dict"])
    out["data_dict"], out["validated_data_dict"] = data, json.loads(out["validated_data_dict"])
    return out


def check_fidelity(tpl: Template, site: str, indices: list[int], datasets: list[dict]) -> list[str]:
    """Run CKAN's own ``index_package`` on a sample; the names of the datasets whose doc differs."""
    from ckan.lib.search import index as ckan_index

    bad = []
    for i, data in zip(indices, datasets):
        pkg = package_dict(i, data, tpl)
        with _collecting() as sent:
            ckan_index.PackageSearchIndex().index_package(json.loads(json.dumps(pkg)))
        if _normal(sent.docs[0]) != _normal(solr_doc(pkg, tpl, site)):
            bad.append(data["name"])
    return bad


def fidelity_diff(tpl: Template, site: str, i: int, data: dict) -> dict:
    """Keys on which our document and ``index_package``'s differ (for reports)."""
    from ckan.lib.search import index as ckan_index

    pkg = package_dict(i, data, tpl)
    with _collecting() as sent:
        ckan_index.PackageSearchIndex().index_package(json.loads(json.dumps(pkg)))
    ours, theirs = _normal(solr_doc(pkg, tpl, site)), _normal(sent.docs[0])
    return {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)}
