#!/usr/bin/env python3
"""Extract translatable messages into a .pot (Python code and Jinja templates).

Babel's mapping files cannot name CKAN's template extractor (its
"module:function" name clashes with the file's section syntax, and the entry
point lookup needs pkg_resources, which current setuptools no longer ships),
so the mapping is given here.

Dataset schemas are extracted too: the plain-string labels, help texts,
placeholders and choice labels of every schema in schemas/datasets/, with the
fields they take from their bases (ckanext-dcat's DCAT-AP schema), since
ckanext-scheming shows plain strings through gettext.

Usage: scripts/extract_messages.py OUTPUT.pot [ROOT]
"""
import os
import sys

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

METHODS = [
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**.py", "python"),
    ("**/public/**.js", "javascript"),
]
FOLDERS = ("ckanext", "harvesters")
SCHEMA_TEXT_KEYS = ("label", "help_text", "repeating_label", "form_placeholder", "quito_label", "quito_label_plural")


def _field_texts(field: dict):
    for key in SCHEMA_TEXT_KEYS:
        if isinstance(field.get(key), str) and field[key].strip():
            yield field[key]
    for choice in field.get("choices", []):
        if isinstance(choice.get("label"), str):
            yield choice["label"]
    for sub in field.get("repeating_subfields", []):
        yield from _field_texts(sub)


def schema_messages(root: str):
    """(file, message) of every translatable text of the dataset schemas."""
    import glob

    import yaml
    from ckanext.quito_gobiernoabierto.datasets import compose

    for path in sorted(glob.glob(os.path.join(root, "schemas", "datasets", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            schema = compose.compose(yaml.safe_load(f))
        rel = os.path.relpath(path, root)
        yield from ((rel, t) for t in _field_texts(schema))
        for grouping in ("dataset_fields", "resource_fields"):
            for field in schema.get(grouping, []):
                yield from ((rel, t) for t in _field_texts(field))


def extract(root: str) -> Catalog:
    catalog = Catalog(project="ckanext-quito-gobiernoabierto", version="0.1.0")
    for folder in FOLDERS:
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        for filename, lineno, message, comments, context in extract_from_dir(path, METHODS):
            catalog.add(message, None, [(os.path.join(folder, filename), lineno)],
                        auto_comments=comments, context=context)
    for filename, message in schema_messages(root):
        catalog.add(message, None, [(filename, 0)])
    return catalog


def main() -> None:
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(sys.argv[1], "wb") as f:
        write_po(f, extract(root), omit_header=False, no_location=True, sort_output=True)


if __name__ == "__main__":
    main()
