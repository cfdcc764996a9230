"""Reading an indicator's time series CSV: encodings, delimiters, numbers,
one line per territory in period order."""
import csv
import glob
import io
import os

import pytest

from ckanext.quito_gobiernoabierto.previews import timeseries

from .conftest import DEMO


def expected_from_csv(text):
    """The chart the demo's CSV layout (anio,nivel,territorio,valor,nota) should give, computed independently."""
    rows = list(csv.DictReader(io.StringIO(text)))
    periods = sorted({r["anio"] for r in rows}, key=int)
    lines = {}
    for r in rows:
        lines.setdefault((r["nivel"], r["territorio"]), {})[r["anio"]] = float(r["valor"])
    return periods, {territory: [points.get(p) for p in periods] for (_, territory), points in lines.items()}


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(DEMO, "files", "indicador-*.csv"))))
def test_demo_series_match_their_files(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    parsed = timeseries.parse(data)
    rows = list(csv.reader(io.StringIO(text)))
    assert parsed["header"] == rows[0] and parsed["rows"] == rows[1:]
    periods, lines = expected_from_csv(text)
    chart = parsed["chart"]
    assert (chart["period_column"], chart["value_column"]) == ("anio", "valor")
    assert chart["labels"] == periods
    assert {s["label"]: s["data"] for s in chart["series"]} == lines


def test_semicolons_decimal_commas_and_windows_1252():
    text = "Año;Territorio;Valor\r\n2018;Calderón;1.234,5\r\n2016;Calderón;12,5\r\n2017;Calderón;\r\n"
    parsed = timeseries.parse(text.encode("cp1252"))
    assert parsed["header"] == ["Año", "Territorio", "Valor"]
    assert parsed["rows"][0] == ["2018", "Calderón", "1.234,5"]
    chart = parsed["chart"]
    assert chart["labels"] == ["2016", "2017", "2018"]
    assert chart["series"] == [{"label": "Calderón", "data": [12.5, None, 1234.5]}]


def test_utf8_bom_tabs_and_blank_lines():
    data = "\ufeffperiodo\tvalor\n2020-02\t3\n\n2020-01\t4\n".encode("utf-8")
    parsed = timeseries.parse(data)
    assert parsed["header"] == ["periodo", "valor"] and parsed["rows"] == [["2020-02", "3"], ["2020-01", "4"]]
    assert parsed["chart"]["labels"] == ["2020-01", "2020-02"]
    assert parsed["chart"]["series"] == [{"label": "valor", "data": [4, 3]}]


def test_a_name_shared_by_two_levels_is_labelled_with_its_level():
    text = ("anio,nivel,territorio,valor\n2017,administracion_zonal,Calderón,1\n"
            "2017,parroquia,Calderón,2\n2017,parroquia,Conocoto,3\n")
    labels = [s["label"] for s in timeseries.parse(text.encode())["chart"]["series"]]
    assert labels == ["Calderón (administracion_zonal)", "Calderón (parroquia)", "Conocoto"]


def test_without_known_names_the_last_numeric_column_is_charted():
    parsed = timeseries.parse(b"fecha_corte,monto,fuente\n2019,10,INEC\n2020,12.5,INEC\n")
    chart = parsed["chart"]
    assert (chart["period_column"], chart["value_column"]) == ("fecha_corte", "monto")
    assert chart["series"] == [{"label": "monto", "data": [10, 12.5]}]


def test_no_numbers_no_chart_but_a_table():
    parsed = timeseries.parse(b"anio,estado\n2019,en curso\n2020,terminado\n")
    assert parsed["chart"] is None and parsed["rows"] == [["2019", "en curso"], ["2020", "terminado"]]


def test_empty_file_and_ragged_rows():
    assert timeseries.parse(b"") == {"header": [], "rows": [], "chart": None}
    parsed = timeseries.parse(b"anio,valor\n2019\n2020,5,extra\n")
    assert parsed["header"] == ["anio", "valor", ""] and parsed["rows"] == [["2019", "", ""], ["2020", "5", "extra"]]
    assert parsed["chart"]["series"][0]["data"] == [None, 5]


@pytest.mark.parametrize("text,number", [
    ("18.2", 18.2), ("18,2", 18.2), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("-3", -3), ("40%", 40),
    ("1e3", 1000.0), ("", None), ("n/d", None), ("12 500", 12500),
])
def test_numbers(text, number):
    assert timeseries.to_number(text) == number
