"""A portal whose every text field holds HTML and script: one demo publication
of each dataset type, its files uploaded (so the previews have something to
show), an extra link resource to a ``javascript:`` address, dependencies
with hostile titles and descriptions. Values a validator refuses are left
as the demo has them and reported: refused is inert too."""
from __future__ import annotations

import copy
import csv
import os
import re

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic.demo import site_context

from . import xss_support as xss
from . import datasets_support
from .datasets_support import demo_entries

#: Fields left alone: identifiers, references and what the type's rules derive from.
KEEP = {"name", "owner_org", "type", "id", "tag_string", "license_id", "state", "private", "lotaip_literal",
        "lotaip_regime", "month", "column", "dependency", "url_type", "format", "mimetype"}
MARKDOWN_SNIPPETS = ("markdown.html",)


def _is_free_text(field: dict, keep: set) -> bool:
    validators = field.get("validators")
    words = set(re.findall(r"[A-Za-z_]+", validators or ""))
    if field["field_name"] in keep or "repeating_subfields" in field or field.get("choices"):
        return False
    return validators is None or (words <= {"ignore_missing", "not_empty", "unicode_safe", "strip_value",
                                            "remove_whitespace", "if_empty_same_as", "scheming_required",
                                            "quito_safe_link"})


def _payload(field: dict) -> str:
    name = field["field_name"]
    if re.search(r"url|uri|homepage|landing|email", name):
        return xss.JS_URL
    if name in ("notes", "description") or field.get("display_snippet") in MARKDOWN_SNIPPETS:
        return xss.LONG_TEXT
    return xss.TEXT


def _fill(data: dict, fields: list, keep: set = KEEP) -> None:
    for field in fields:
        name = field["field_name"]
        if "repeating_subfields" in field:
            items = data.get(name) if isinstance(data.get(name), list) and data.get(name) else [{}]
            for item in items:
                _fill(item, field["repeating_subfields"], KEEP - {"name"})
            data[name] = items
        elif _is_free_text(field, keep):
            data[name] = _payload(field)


def hostile_entry(entry: dict, schema: dict) -> dict:
    out = copy.deepcopy(entry)
    out["title"], out["notes"] = xss.TEXT, xss.LONG_TEXT
    _fill(out, schema["dataset_fields"])
    for resource in out.get("resources", []):
        _fill(resource, schema["resource_fields"])
        resource["name"], resource["description"] = xss.TEXT, xss.LONG_TEXT
    out.setdefault("resources", []).append({"name": xss.TEXT, "description": xss.LONG_TEXT, "url": xss.JS_URL,
                                            "format": "HTML", "month": "1"})
    return out


def create_dependencies(entries: list) -> None:
    """Every dependency the entries name, with a hostile title and description."""
    datasets_support.create_dependencies(*entries, title_suffix=f" {xss.TEXT}", description=xss.LONG_TEXT)


def _refuse(data: dict, original: dict, errors: dict, refused: list, where: str) -> None:
    """Give the refused values back their demo value (or drop them)."""
    for key, problem in errors.items():
        items = data.get(key)
        if isinstance(items, list) and isinstance(problem, list) and all(isinstance(p, dict) for p in problem):
            kept_items = original.get(key) if isinstance(original.get(key), list) else []
            for index, item_errors in enumerate(problem):
                if item_errors and index < len(items):
                    kept = kept_items[index] if index < len(kept_items) else {}
                    _refuse(items[index], kept, item_errors, refused, f"{where}{key}[{index}].")
            continue
        refused.append(f"{where}{key}")
        if key in original:
            data[key] = _copy(original[key])
        else:
            data.pop(key, None)


def _copy(value):
    """A copy of the JSON-like parts (an upload's stream is shared, not copied)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def save_with_retries(action: str, data: dict, original: dict, refused: list) -> dict:
    for _ in range(4):
        try:
            return tk.get_action(action)(site_context(), _copy(data))
        except tk.ValidationError as error:
            _refuse(data, original, error.error_dict, refused, "")
    raise AssertionError(f"{action} still refused: {data.get('name')}")


#: Text columns of the demo tables, which previews and pages show.
TEXT_COLUMNS = {"territorio", "nota", "grupo_nombre", "proyecto", "area", "beneficiarios_descripcion",
                "nota_inversion", "puesto_institucional"}


def hostile_table(source: str, folder: str) -> str:
    """A copy of a demo CSV whose text columns hold the payload."""
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    target = os.path.join(folder, os.path.basename(source))
    with open(target, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: (xss.TEXT if k in TEXT_COLUMNS else v) for k, v in row.items()} for row in rows)
    return target


def _upload(package_id: str, resource: dict, original: dict, refused: list, folder: str) -> None:
    path = package_path("data", "demo", "files", resource["file"])
    if path.endswith(".csv"):
        path = hostile_table(path, folder)
    data = {k: v for k, v in resource.items() if k != "file"}
    with open(path, "rb") as stream:
        data.update(package_id=package_id, url=os.path.basename(path),
                    upload=FileStorage(stream=stream, filename=os.path.basename(path)))
        original = dict(original, upload=data["upload"], url=data["url"], package_id=package_id)
        save_with_retries("resource_create", data, original, refused)


def create_publication(dataset_type: str, refused: list, folder: str) -> dict:
    """The type's first demo publication made hostile; returns package_show."""
    entry = next(e for e in demo_entries() if (e.get("type") or "dataset") == dataset_type)
    entry = dict(copy.deepcopy(entry), type=dataset_type)
    schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": dataset_type, "expanded": True})
    data = hostile_entry(entry, schema)
    files = [r for r in data["resources"] if "file" in r]
    originals = [r for r in entry.get("resources", []) if "file" in r]
    links = [r for r in data["resources"] if "file" not in r]
    plain = dict(entry, resources=[r for r in entry.get("resources", []) if "file" not in r])
    saved = save_with_retries("package_create", dict(data, resources=links), plain, refused)
    for resource, original in zip(files, originals):
        _upload(saved["id"], resource, {k: v for k, v in original.items() if k != "file"}, refused, folder)
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": saved["id"]})
