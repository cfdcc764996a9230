"""An indicator's time series CSV read into a table and chart series.

The file is read whole (the caller enforces the size limit), decoded as
UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which never
fails), and split with the delimiter its first line uses (comma, semicolon,
tab or bar). The table is the file as it is; the chart has one line per
territory (columns ``nivel``/``territorio`` of the portal's template, see
``data/demo/files/indicador-*.csv``) over the periods (``anio``...) with
the values (``valor``...). Cells that are not numbers are gaps in the line.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Optional

PERIOD_NAMES = ("anio", "ano", "year", "periodo", "period", "fecha", "date", "mes", "month",
                "trimestre", "quarter", "semestre")
VALUE_NAMES = ("valor", "value", "dato", "indicador", "resultado")
TERRITORY_NAMES = ("territorio", "territory", "zona", "parroquia", "administracion_zonal", "area")
LEVEL_NAMES = ("nivel", "level")
DELIMITERS = ",;\t|"
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def delimiter(text: str) -> str:
    """The delimiter the header line uses most (comma when it has none)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(text: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows), blank lines dropped and short rows padded so the
    table is rectangular."""
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter(text)) if any(c.strip() for c in row)]
    if not rows:
        return [], []
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    return rows[0], rows[1:]


def normal(name: str) -> str:
    """A column name without accents, case or spaces ("Año" -> "ano")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def find_column(header: list[str], names: tuple[str, ...], skip: tuple = ()) -> Optional[int]:
    columns = [normal(h) for h in header]
    for name in names:
        for index, column in enumerate(columns):
            if column == name and index not in skip:
                return index
    return None


def to_number(text: str) -> Optional[float]:
    """A number written with a point or a comma as decimal mark, else None."""
    cell = text.strip().rstrip("%").replace(" ", "").replace("\u00a0", "")
    if cell.count(",") and cell.count("."):
        cell = cell.replace(".", "").replace(",", ".") if cell.rfind(",") > cell.rfind(".") else cell.replace(",", "")
    elif cell.count(",") == 1:
        cell = cell.replace(",", ".")
    if not NUMBER.match(cell):
        return None
    value = float(cell)
    return int(value) if value.is_integer() and "e" not in cell.lower() else value


def numeric_column(header: list[str], rows: list[list[str]], skip: tuple) -> Optional[int]:
    """The last column (other than ``skip``) whose filled cells are all numbers."""
    for index in reversed(range(len(header))):
        cells = [row[index] for row in rows if row[index].strip()]
        if index not in skip and cells and all(to_number(c) is not None for c in cells):
            return index
    return None


def columns(header: list[str], rows: list[list[str]]) -> dict:
    """Indexes of the period, value, level and territory columns (None when absent)."""
    period = find_column(header, PERIOD_NAMES)
    period = 0 if period is None and header else period
    value = find_column(header, VALUE_NAMES, skip=(period,))
    if value is None:
        value = numeric_column(header, rows, skip=(period,))
    taken = (period, value)
    return {"period": period, "value": value, "level": find_column(header, LEVEL_NAMES, skip=taken),
            "territory": find_column(header, TERRITORY_NAMES, skip=taken)}


def period_order(periods: list[str]) -> list[str]:
    """Periods in time order: by number when they all are, else as text (ISO dates)."""
    if all(to_number(p) is not None for p in periods):
        return sorted(periods, key=to_number)
    return sorted(periods)


def series_key(row: list[str], cols: dict) -> tuple[str, str]:
    level = row[cols["level"]].strip() if cols["level"] is not None else ""
    territory = row[cols["territory"]].strip() if cols["territory"] is not None else ""
    return level, territory


def series_labels(keys: list[tuple[str, str]], value_name: str) -> list[str]:
    """A series is named after its territory, with its level when two levels share a name."""
    names = [territory or level or value_name for level, territory in keys]
    return [f"{name} ({level})" if level and names.count(name) > 1 else name
            for name, (level, _) in zip(names, keys)]


def chart_series(header: list[str], rows: list[list[str]]) -> Optional[dict]:
    """``{"period_column", "value_column", "labels": [periods], "series":
    [{"label", "data": [value or None per period]}]}``, or None when there
    is no numeric value to draw. A later row for the same territory and
    period replaces an earlier one."""
    cols = columns(header, rows)
    if cols["value"] is None or not rows:
        return None
    points: dict[tuple[str, str], dict[str, Optional[float]]] = {}
    for row in rows:
        period = row[cols["period"]].strip()
        if not period:
            continue
        points.setdefault(series_key(row, cols), {})[period] = to_number(row[cols["value"]])
    if not points or all(v is None for line in points.values() for v in line.values()):
        return None
    labels = period_order(sorted({p for line in points.values() for p in line}))
    keys = list(points)
    return {
        "period_column": header[cols["period"]],
        "value_column": header[cols["value"]],
        "labels": labels,
        "series": [{"label": name, "data": [points[key].get(p) for p in labels]}
                   for name, key in zip(series_labels(keys, header[cols["value"]]), keys)],
    }


def parse(data: bytes) -> dict:
    """``{"header", "rows", "chart"}`` of a CSV file's bytes."""
    header, rows = read_table(decode(data))
    return {"header": header, "rows": rows, "chart": chart_series(header, rows) if header else None}
