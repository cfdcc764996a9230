#!/usr/bin/env python3
"""Extract translatable messages into a .pot (Python code and Jinja templates).

Babel's mapping files cannot name CKAN's template extractor (its
"module:function" name clashes with the file's section syntax, and the entry
point lookup needs pkg_resources, which current setuptools no longer ships),
so the mapping is given here.

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


def extract(root: str) -> Catalog:
    catalog = Catalog(project="ckanext-quito-gobiernoabierto", version="0.1.0")
    for folder in FOLDERS:
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        for filename, lineno, message, comments, context in extract_from_dir(path, METHODS):
            catalog.add(message, None, [(os.path.join(folder, filename), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def main() -> None:
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(sys.argv[1], "wb") as f:
        write_po(f, extract(root), omit_header=False, no_location=True, sort_output=True)


if __name__ == "__main__":
    main()
