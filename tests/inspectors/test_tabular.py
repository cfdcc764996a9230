"""Tables: encoding, delimiter, columns with their types and row counts of
CSV files; sheets, columns and rows of XLSX workbooks."""
import pytest

from ckanext.quito_gobiernoabierto.inspectors import Limits, inspect
from ckanext.quito_gobiernoabierto.inspectors.tabular import (
    inspect_csv, inspect_xlsx, merge_types, sniff_delimiter, text_type)

from . import builders

AIR_COLUMNS = [{"name": "fecha", "type": "date"}, {"name": "estación", "type": "text"},
               {"name": "contaminante", "type": "text"}, {"name": "concentración_µg_m3", "type": "number"},
               {"name": "nota", "type": "text"}]
POPULATION_COLUMNS = [{"name": "año", "type": "integer"}, {"name": "administración_zonal", "type": "text"},
                      {"name": "parroquia", "type": "text"}, {"name": "población", "type": "integer"}]


def test_utf8_csv_with_semicolons(tmp_path):
    path = builders.write_csv(tmp_path / "calidad_aire.csv", builders.AIR_QUALITY)
    result = inspect(path, "calidad_aire.csv")
    assert result.kind == "csv"
    assert (result.errors, result.warnings, result.metadata) == ([], [], {})
    assert result.resource == {"size": 204, "format": "CSV", "mimetype": "text/csv", "encoding": "utf-8",
                               "delimiter": ";", "columns": AIR_COLUMNS, "rows": 3, "rows_partial": False}


def test_latin1_csv(tmp_path):
    path = builders.write_csv(tmp_path / "poblacion.csv", builders.LATIN1_ROWS, encoding="latin-1")
    result = inspect_csv(path)
    assert result.errors == [] and result.warnings == []
    assert result.resource["encoding"] == "cp1252"  # Windows' superset of latin-1, as Excel writes it
    assert result.resource["columns"] == POPULATION_COLUMNS
    assert result.resource["rows"] == 3


def test_utf8_with_bom_and_commas(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + 'nombre,nota\r\n"Plaza Grande, Centro",ok\r\nLa Carolina,ok\r\n'.encode())
    result = inspect_csv(path)
    assert result.resource["encoding"] == "utf-8"
    assert result.resource["delimiter"] == ","
    assert result.resource["columns"] == [{"name": "nombre", "type": "text"}, {"name": "nota", "type": "text"}]
    assert result.resource["rows"] == 2


def test_utf16_tab_separated_as_excel_saves_unicode_text(tmp_path):
    path = tmp_path / "poblacion.txt"
    path.write_bytes("".join("\t".join(row) + "\r\n" for row in builders.LATIN1_ROWS).encode("utf-16"))
    result = inspect(path, "poblacion.txt")
    assert result.kind == "csv"
    assert (result.resource["encoding"], result.resource["delimiter"]) == ("utf-16", "\t")
    assert (result.resource["format"], result.resource["mimetype"]) == ("TSV", "text/tab-separated-values")
    assert result.resource["columns"] == POPULATION_COLUMNS
    assert result.resource["rows"] == 3


def test_tab_separated(tmp_path):
    path = builders.write_csv(tmp_path / "t.tsv", builders.LATIN1_ROWS, delimiter="\t")
    result = inspect(path, "t.tsv")
    assert result.resource["delimiter"] == "\t"
    assert result.resource["columns"] == POPULATION_COLUMNS


def test_ragged_rows_and_header_problems(tmp_path):
    rows = [["id", "", "id"], ["1", "a", "b"], ["2", "c"], ["3", "d", "e", "f"]]
    result = inspect_csv(builders.write_csv(tmp_path / "r.csv", rows))
    assert result.warnings == ["Columns without a name in the header row: 1.",
                               "The header row repeats column names: id.",
                               "Rows with a different number of fields than the header: 2."]
    assert result.resource["rows"] == 3


def test_mixed_encodings_are_reported(tmp_path):
    """UTF-8 in the first megabyte, latin-1 further on: the rows that do not
    decode are counted."""
    path = tmp_path / "m.csv"
    path.write_bytes(b"nombre;valor\r\n" + b"fila;1\r\n" * 140000 + b"ca\xf1a;2\r\nni\xf1o;3\r\n")
    result = inspect_csv(path)
    assert result.resource["encoding"] == "utf-8"
    assert result.resource["rows"] == 140002
    assert result.warnings == ["Rows with characters that are not valid utf-8 (the file may mix encodings): 2."]


def test_not_utf8_from_the_start(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("nombre;valor\r\nañil;1\r\n".encode() + b"ca\xf1a;2\r\n")
    result = inspect_csv(path)
    assert result.resource["encoding"] == "cp1252"
    assert result.resource["rows"] == 2


def test_row_limit(tmp_path):
    path = builders.write_csv(tmp_path / "a.csv", builders.AIR_QUALITY)
    result = inspect_csv(path, Limits(max_rows=2))
    assert result.resource["rows"] == 2
    assert result.resource["rows_partial"] is True
    assert result.warnings == ["Only the first 2 rows were read; the row count is partial."]


def test_header_only(tmp_path):
    result = inspect_csv(builders.write_csv(tmp_path / "h.csv", [["a", "b"]]))
    assert result.resource["rows"] == 0
    assert result.resource["columns"] == [{"name": "a", "type": "empty"}, {"name": "b", "type": "empty"}]


def test_binary_content(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"abc\x00\x01\x02" * 10)
    assert inspect_csv(path).errors == ["The file is not a text table: it holds binary data."]


@pytest.mark.parametrize("value,kind", [
    ("2025", "integer"), ("-3", "integer"), ("0101", "text"), ("14,2", "number"), ("1.234.567,5", "number"),
    ("3.5", "number"), ("2025-01-06", "date"), ("06/01/2025", "date"), ("2025-01-06T08:30:00-05:00", "datetime"),
    ("true", "boolean"), ("Falso", "boolean"), ("PM2,5", "text"), ("  ", None),
])
def test_text_types(value, kind):
    assert text_type(value) == kind


def test_merge_types():
    assert merge_types("integer", "number") == "number"
    assert merge_types(None, "date") == "date"
    assert merge_types("date", "datetime") == "datetime"
    assert merge_types("integer", "text") == "text"
    assert merge_types("integer", None) == "integer"


def test_delimiter_sniffing():
    assert sniff_delimiter(["a;b;c", "1;2,5;3", "4;5,5;6"]) == ";"
    assert sniff_delimiter(["a,b", "1,2"]) == ","
    assert sniff_delimiter(["a|b|c", "1|2|3"]) == "|"
    assert sniff_delimiter(["una sola columna", "x"]) == ","


# ---------------------------------------------------------------- XLSX

def test_xlsx(tmp_path):
    result = inspect(builders.write_xlsx(tmp_path / "viajes.xlsx"), "viajes.xlsx")
    assert result.kind == "xlsx"
    assert (result.errors, result.warnings, result.metadata) == ([], [], {})
    trips = [{"name": "fecha", "type": "date"}, {"name": "línea", "type": "text"},
             {"name": "pasajeros", "type": "integer"}, {"name": "tarifa_usd", "type": "number"},
             {"name": "nota", "type": "text"}]
    assert result.resource["sheets"] == [
        {"name": "Viajes", "columns": trips, "rows": 3, "rows_partial": False},
        {"name": "Notas", "columns": [{"name": "campo", "type": "text"}, {"name": "descripción", "type": "text"}],
         "rows": 1, "rows_partial": False}]
    assert (result.resource["columns"], result.resource["rows"]) == (trips, 3)
    assert result.resource["format"] == "XLSX"
    assert result.resource["mimetype"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_xlsx_row_limit(tmp_path):
    result = inspect_xlsx(builders.write_xlsx(tmp_path / "v.xlsx"), Limits(max_rows=1))
    assert result.resource["rows"] == 1
    assert result.resource["rows_partial"] is True
    assert result.warnings == ["Only the first 1 rows of Viajes were read; its figures are partial."]


def test_damaged_xlsx(tmp_path):
    path = builders.write_zip(tmp_path / "roto.xlsx", {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x"})
    result = inspect(path, "roto.xlsx")
    assert result.kind == "xlsx"
    assert result.errors[0].startswith("The spreadsheet is damaged or is not an XLSX workbook (")
    assert result.fatal
