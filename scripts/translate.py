#!/usr/bin/env python3
"""Fill missing translations from a TSV of msgid<TAB>es<TAB>en (used by `make i18n`).

Usage: scripts/translate.py i18n/translations
The folder holds one TSV per topic (portal, lotaip, geo...); together they are the reviewed source of our Spanish and English texts; msgids not
in it stay untranslated and the i18n tests point at them. For a plural
message the msgid column holds the singular and each translation is
"singular||plural".
"""
import csv
import glob
import os
import sys

import polib

DOMAIN = "ckanext-quito_gobiernoabierto"


def read_rows(folder: str) -> dict:
    rows: dict = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.tsv"))):
        with open(path, encoding="utf-8") as f:
            for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if r and not r[0].startswith("#"):
                    if len(r) != 3:
                        sys.exit(f"{path}: expected msgid<TAB>es<TAB>en, got {r!r}")
                    rows[r[0]] = r[1:]
    return rows


def main(folder: str) -> None:
    rows = read_rows(folder)
    for col, lang in enumerate(("es", "en")):
        path = f"i18n/{lang}/LC_MESSAGES/{DOMAIN}.po"
        po = polib.pofile(path)
        for entry in po:
            if entry.msgid in rows:
                text = rows[entry.msgid][col]
                if entry.msgid_plural:
                    one, _, many = text.partition("||")
                    entry.msgstr_plural = {0: one, 1: many or one}
                else:
                    entry.msgstr = text
                entry.flags = [fl for fl in entry.flags if fl != "fuzzy"]
        po.save(path)


if __name__ == "__main__":
    main(sys.argv[1])
