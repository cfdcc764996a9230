"""What each index field is, read from CKAN's own Solr schema.

The engine gives every field the meaning CKAN's ``schema.xml`` gives it
(string, analysed text, date, number, boolean; single or multi-valued;
copied into the catch-all ``text``), so a query means the same thing under
both engines.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import functools
import os
import xml.etree.ElementTree as ET

import ckan

SCHEMA_XML = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")

KIND_BY_CLASS = {
    "solr.StrField": "string",
    "solr.TextField": "text",
    "solr.BoolField": "boolean",
    "solr.DatePointField": "date",
    "solr.IntPointField": "number",
    "solr.LongPointField": "number",
    "solr.FloatPointField": "number",
    "solr.DoublePointField": "number",
}


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    kind: str  # string | text | date | number | boolean
    multi: bool = False


@dataclasses.dataclass(frozen=True)
class Schema:
    fields: dict
    dynamic: tuple  # (pattern, Field) in schema order
    copy_to_text: tuple  # source patterns copied into ``text``

    def field(self, name: str) -> Field:
        if name in self.fields:
            return self.fields[name]
        for pattern, proto in self.dynamic:
            if fnmatch.fnmatchcase(name, pattern):
                return dataclasses.replace(proto, name=name)
        return Field(name, "string")

    def in_text(self, name: str) -> bool:
        """True if Solr copies this field into the catch-all ``text`` field."""
        return any(fnmatch.fnmatchcase(name, p) for p in self.copy_to_text)


def _types(root) -> dict:
    kinds = {}
    for ft in root.iter("fieldType"):
        kinds[ft.get("name")] = (KIND_BY_CLASS.get(ft.get("class"), "string"),
                                 ft.get("multiValued") == "true")
    return kinds


def _field(el, kinds) -> Field:
    kind, multi = kinds.get(el.get("type"), ("string", False))
    multi = el.get("multiValued", "true" if multi else "false") == "true"
    return Field(el.get("name"), kind, multi)


@functools.lru_cache(maxsize=1)
def schema(path: str = SCHEMA_XML) -> Schema:
    root = ET.parse(path).getroot()
    kinds = _types(root)
    fields = {el.get("name"): _field(el, kinds) for el in root.iter("field")}
    dynamic = tuple((el.get("name"), _field(el, kinds)) for el in root.iter("dynamicField"))
    copies = tuple(el.get("source") for el in root.iter("copyField") if el.get("dest") == "text")
    # Fields copied into ``urls`` reach ``text`` through it.
    copies += tuple(el.get("source") for el in root.iter("copyField") if el.get("dest") == "urls")
    return Schema(fields, dynamic, copies)
