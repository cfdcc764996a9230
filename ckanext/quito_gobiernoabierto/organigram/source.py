"""Reading an organigram file (YAML or CSV) into flat organization dicts.

YAML: ``dependencies:`` a list of mappings, with optional nested
``authority`` (name, title, email, phone, phone_ext, photo_url, social:
{twitter, facebook}) and ``lotaip_contact`` (unit, responsible, email).
CSV: one row per dependency, columns named as the schema's fields
(``name,title,acronym,kind,parent,...,authority_email,...``).
"""
from __future__ import annotations

import csv
import io
import os

import yaml

FIELDS = (
    "name", "title", "acronym", "kind", "parent", "description", "website", "address", "ruc",
    "authority_name", "authority_title", "authority_email", "authority_phone",
    "authority_phone_ext", "authority_photo_url", "authority_twitter", "authority_facebook",
    "lotaip_unit", "lotaip_responsible", "lotaip_email",
)
REQUIRED = ("name", "title", "kind")


class SourceError(ValueError):
    """The file cannot be read as an organigram at all."""


def _flatten(entry: dict) -> dict:
    flat = {k: entry.get(k) for k in FIELDS if k in entry}
    authority = entry.get("authority") or {}
    for key in ("name", "title", "email", "phone", "phone_ext", "photo_url"):
        if authority.get(key) is not None:
            flat[f"authority_{key}"] = authority[key]
    social = authority.get("social") or {}
    for key in ("twitter", "facebook"):
        if social.get(key):
            flat[f"authority_{key}"] = social[key]
    contact = entry.get("lotaip_contact") or {}
    for key in ("unit", "responsible", "email"):
        if contact.get(key):
            flat[f"lotaip_{key}"] = contact[key]
    return normalise(flat)


def normalise(row: dict) -> dict:
    """Strings stripped, empty values dropped, social handles with their @."""
    out = {}
    for key, value in row.items():
        text = "" if value is None else str(value).strip()
        if text:
            out[key] = text
    if out.get("authority_twitter"):
        out["authority_twitter"] = "@" + out["authority_twitter"].lstrip("@")
    return out


def parse(text: str, fmt: str) -> list[dict]:
    """Rows of an organigram given as text; SourceError if it is not one."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        unknown = set(reader.fieldnames or []) - set(FIELDS)
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise SourceError("the CSV needs a header row with at least name,title,kind")
        if unknown:
            raise SourceError(f"unknown CSV columns: {', '.join(sorted(unknown))}")
        return [normalise(row) for row in reader]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise SourceError(f"not valid YAML: {e}") from e
    entries = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourceError("the YAML needs a 'dependencies' list of mappings")
    return [_flatten(e) for e in entries]


def read(path: str) -> list[dict]:
    fmt = "csv" if path.lower().endswith(".csv") else "yaml"
    if not os.path.isfile(path):
        raise SourceError(f"no such file: {path}")
    with open(path, encoding="utf-8-sig") as f:
        return parse(f.read(), fmt)
