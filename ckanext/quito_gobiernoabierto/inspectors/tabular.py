"""Tables: CSV and XLSX files give resource facts (no dataset fields).

Resource keys: ``format`` (CSV, TSV when tab-separated, XLSX),
``mimetype``, ``size``, ``columns`` (a list of {"name", "type"}, the type
guessed from the values: integer, number, date, datetime, boolean, text or
empty), ``rows`` (data rows, header excluded) and ``rows_partial`` (True
when ``Limits.max_rows`` stopped the count).
CSV adds ``encoding`` (a Python codec name: utf-8, cp1252...) and
``delimiter``; XLSX adds ``sheets`` (name, columns, rows of each sheet; the
top-level columns and rows are the first sheet's).
"""
from __future__ import annotations

import codecs
import csv
import datetime
import re
from typing import Iterable, Optional

from ckanext.quito_gobiernoabierto.inspectors.archive import open_zip
from ckanext.quito_gobiernoabierto.inspectors.base import InspectionError, Limits, _, describe, guarded

SAMPLE_SIZE = 1024 * 1024
TYPED_ROWS = 1000
DELIMITERS = (",", ";", "\t", "|")
#: Encodings charset-normalizer may choose from for a file that is not UTF-8.
CANDIDATES = ["cp1252", "latin_1", "iso8859_15", "cp850", "utf_16", "mac_roman"]
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PATTERNS = (
    ("integer", re.compile(r"[+-]?(0|[1-9]\d*)")),
    ("number", re.compile(r"[+-]?(\d+[.,]\d+|\d{1,3}([.,]\d{3})+([.,]\d+)?|[.,]\d+)")),
    ("date", re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}")),
    ("datetime", re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")),
    ("boolean", re.compile(r"true|false|verdadero|falso", re.IGNORECASE)),
)


# ---------------------------------------------------------------- types

def text_type(text: str) -> Optional[str]:
    """The type a text value looks like; None when blank."""
    value = text.strip()
    if not value:
        return None
    for name, pattern in PATTERNS:
        if pattern.fullmatch(value):
            return name
    return "text"


def value_type(value) -> Optional[str]:
    """The type of a spreadsheet cell's value; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, datetime.datetime):
        return "datetime" if (value.hour, value.minute, value.second) != (0, 0, 0) else "date"
    if isinstance(value, datetime.date):
        return "date"
    return text_type(str(value))


def merge_types(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """The type of a column holding values of types ``a`` and ``b``."""
    if a is None or a == b:
        return b if a is None else a
    if b is None:
        return a
    if {a, b} == {"integer", "number"}:
        return "number"
    if {a, b} == {"date", "datetime"}:
        return "datetime"
    return "text"


class Columns:
    """Column names and guessed types, fed row by row."""

    def __init__(self, names: list):
        self.names = names
        self.types: list = [None] * len(names)

    def add(self, values: Iterable, typer) -> None:
        for index, value in enumerate(values):
            if index < len(self.types):
                self.types[index] = merge_types(self.types[index], typer(value))

    def facts(self) -> list:
        return [{"name": name, "type": kind or "empty"} for name, kind in zip(self.names, self.types)]


def check_header(result, names: list) -> None:
    """Warnings for blank or repeated column names."""
    blank = sum(1 for name in names if not name)
    if blank:
        result.warn(_("Columns without a name in the header row: {count}.").format(count=blank))
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        result.warn(_("The header row repeats column names: {names}.").format(names=", ".join(repeated)))


# ---------------------------------------------------------------- CSV

def detect_encoding(sample: bytes) -> str:
    """A BOM's encoding; else UTF-8 when the sample decodes as UTF-8; else
    charset-normalizer's guess among ``CANDIDATES`` (cp1252 when it has none)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=CANDIDATES).best()
    return codecs.lookup(best.encoding).name if best else "cp1252"


def sniff_delimiter(lines: list) -> str:
    """The delimiter that splits the first lines into the most consistent
    number (above one) of fields; a comma when none does."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        if not widths or widths[0] < 2:
            continue
        score = (sum(1 for width in widths if width == widths[0]), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_lines(path: str, encoding: str) -> list:
    with open(path, "rb") as f:
        sample = f.read(SAMPLE_SIZE)
    text = sample.decode(encoding, errors="replace")
    lines = text.splitlines()
    return lines[:-1] if len(sample) == SAMPLE_SIZE and len(lines) > 1 else lines


def _count_rows(reader, header: list, limits: Limits) -> dict:
    columns = Columns(header)
    rows = ragged = replaced = 0
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if rows >= limits.max_rows:
            return {"columns": columns.facts(), "rows": rows, "rows_partial": True, "ragged": ragged,
                    "replaced": replaced}
        rows += 1
        ragged += len(values) != len(header)
        replaced += any("\ufffd" in v for v in values)
        if rows <= TYPED_ROWS:
            columns.add(values, text_type)
    return {"columns": columns.facts(), "rows": rows, "rows_partial": False, "ragged": ragged, "replaced": replaced}


def _report_csv(result, facts: dict, encoding: str, limits: Limits) -> None:
    ragged = facts.pop("ragged")
    if ragged:
        result.warn(_("Rows with a different number of fields than the header: {count}.").format(count=ragged))
    replaced = facts.pop("replaced")
    if replaced:
        result.warn(_("Rows with characters that are not valid {encoding} (the file may mix encodings): {count}.")
                    .format(count=replaced, encoding=encoding))
    if facts["rows_partial"]:
        result.warn(_("Only the first {limit} rows were read; the row count is partial.")
                    .format(limit=limits.max_rows))


@guarded("csv")
def inspect_csv(path: str, limits: Limits, result) -> None:
    """A CSV (or TSV) file: encoding, delimiter, columns, rows."""
    with open(path, "rb") as f:
        sample = f.read(SAMPLE_SIZE)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InspectionError(_("The file is not a text table: it holds binary data."))
    encoding = detect_encoding(sample)
    delimiter = sniff_delimiter(_sample_lines(path, encoding))
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as text:
            reader = csv.reader(text, delimiter=delimiter)
            header = [name.strip() for name in next(reader, [])]
            facts = _count_rows(reader, header, limits)
    except csv.Error as error:
        raise InspectionError(_("The file is not a valid CSV file ({detail}).").format(detail=error))
    check_header(result, header)
    _report_csv(result, facts, encoding, limits)
    tsv = delimiter == "\t"
    result.resource.update(format="TSV" if tsv else "CSV", mimetype="text/tab-separated-values" if tsv else "text/csv",
                           encoding=encoding.replace("-sig", ""), delimiter=delimiter, **facts)


# ---------------------------------------------------------------- XLSX

def read_sheet(sheet, limits: Limits, result) -> dict:
    """Name, columns and row count of one worksheet (header = first row)."""
    rows = iter(sheet.iter_rows(values_only=True))
    header = list(next(rows, ()) or ())
    while header and header[-1] is None:
        header.pop()
    columns = Columns(["" if v is None else str(v).strip() for v in header])
    count, partial = 0, False
    for values in rows:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        if count >= limits.max_rows:
            partial = True
            break
        count += 1
        if count <= TYPED_ROWS:
            columns.add(values, value_type)
    check_header(result, columns.names)
    if partial:
        result.warn(_("Only the first {limit} rows of {name} were read; its figures are partial.")
                    .format(limit=limits.max_rows, name=sheet.title))
    return {"name": sheet.title, "columns": columns.facts(), "rows": count, "rows_partial": partial}


@guarded("xlsx")
def inspect_xlsx(path: str, limits: Limits, result) -> None:
    """An XLSX workbook: every worksheet (read-only, cached values)."""
    import openpyxl

    open_zip(path, limits).close()  # size, ratio and name checks before openpyxl reads it
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise InspectionError(_("The spreadsheet is damaged or is not an XLSX workbook ({detail}).")
                              .format(detail=describe(error)))
    try:
        sheets = [read_sheet(sheet, limits, result) for sheet in workbook.worksheets]
    except Exception as error:  # a damaged sheet part
        raise InspectionError(_("The spreadsheet is damaged or is not an XLSX workbook ({detail}).")
                              .format(detail=describe(error)))
    finally:
        workbook.close()
    if not sheets:
        raise InspectionError(_("The workbook holds no worksheet."))
    first = sheets[0]
    result.resource.update(format="XLSX", mimetype=XLSX_MIMETYPE, sheets=sheets, columns=first["columns"],
                           rows=first["rows"], rows_partial=any(s["rows_partial"] for s in sheets))
