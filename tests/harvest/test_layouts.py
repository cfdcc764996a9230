"""Files -> planned datasets (``harvesters/files/layouts.py``): every built-in
layout, both LOTAIP laws, rules, manifest metadata, filters, names. Pure:
no database, no network."""
import json
import random
import re

import pytest

from ckanext.quito_gobiernoabierto.harvesters.files import config, layouts
from ckanext.quito_gobiernoabierto.harvesters.files.plan import PlannedDataset, RemoteFile

DEP = {"name": "sgp", "title": "Secretaría General de Planificación"}
ORG = "(Secretaría General de Planificación)"
NAME_RE = re.compile(r"^[a-z0-9_-]{2,100}$")
ANNUAL = "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
NOT_A_LITERAL = "“{}” is not a literal of LOTAIP 2004 nor a numeral of LOTAIP 2023"
NOT_A_MONTH = "“{}” is not a month (1 to 12 or a month name)"
NOT_A_BUDGET_TABLE = "not a budget table: expected presupuesto/<year>/<stage>....csv or .xlsx"


def cfg(**settings):
    settings.setdefault("kind", "listing")
    return config.parse(json.dumps(settings))


def remote(path, **metadata):
    return RemoteFile(path=path, url="https://datos.example/" + path, metadata=metadata)


def run(paths, dependency=DEP, **settings):
    files = [p if isinstance(p, RemoteFile) else remote(p) for p in paths]
    return layouts.plan(files, cfg(**settings), dependency)


def one(paths, **settings):
    """The only dataset planned, every file taken."""
    result = run(paths, **settings)
    assert result.unmatched == []
    [dataset] = result.datasets
    return dataset


def head(dataset):
    return dataset.guid, dataset.dataset_type, dataset.inspect


def resources(dataset):
    """(key, path, fields) of each resource."""
    return [(r.key, r.file.path, r.fields) for r in dataset.resources]


def by_guid(result):
    return {d.guid: d for d in result.datasets}


# ------------------------------------------------------------------ LOTAIP 2004

@pytest.mark.parametrize("path", [
    "lotaip/2016/03/a1-organigrama.pdf", "2016/03/literal-a1.pdf", "LOTAIP 2016/03 marzo/Literal a1) Organigrama.pdf",
    "2016/marzo/A1.pdf", "2016/3/a1_organigrama.pdf", "2016/03-marzo/LITERAL A1 - Organigrama.pdf",
    "Transparencia/Año 2016/Marzo/a1.pdf",
])
def test_lotaip_2004_path_variants(path):
    dataset = one([path], layout="lotaip")
    assert head(dataset) == ("lotaip/sgp/a1/2016", "lotaip", None)
    assert dataset.fields == {"lotaip_regime": "2004", "lotaip_literal": "a1", "lotaip_year": "2016",
                              "name": "lotaip-sgp-a1-2016", "owner_org": "sgp",
                              "title": f"LOTAIP 2016, literal a1: Organigrama de la institución {ORG}"}
    assert resources(dataset) == [("2016-03", path, {"name": "Marzo 2016", "format": "PDF", "month": "3"})]


def test_lotaip_2004_one_dataset_per_literal_and_year_one_resource_per_month():
    result = run(["2016/03/b2.xlsx", "2016/01/b2.xlsx", "2016/setiembre/b2.xlsx", "2017/01/b2.xlsx", "2016/01/c.pdf",
                  "2023/12/a1.pdf"], layout="lotaip")
    assert result.unmatched == []
    assert [d.guid for d in result.datasets] == ["lotaip/sgp/a1/2023", "lotaip/sgp/b2/2016", "lotaip/sgp/b2/2017",
                                                 "lotaip/sgp/c/2016"]
    a1, b2, c = result.datasets[0], result.datasets[1], result.datasets[3]
    assert resources(b2) == [
        ("2016-01", "2016/01/b2.xlsx", {"name": "Enero 2016", "format": "XLSX", "month": "1"}),
        ("2016-03", "2016/03/b2.xlsx", {"name": "Marzo 2016", "format": "XLSX", "month": "3"}),
        ("2016-09", "2016/setiembre/b2.xlsx", {"name": "Septiembre 2016", "format": "XLSX", "month": "9"})]
    assert b2.fields["title"] == f"LOTAIP 2016, literal b2: Distributivo del personal {ORG}"
    assert c.fields["title"] == f"LOTAIP 2016, literal c: Remuneración mensual por puesto {ORG}"
    assert (a1.fields["lotaip_regime"], a1.fields["lotaip_year"]) == ("2004", "2023")  # 2023: still the 2004 law


def test_lotaip_2004_second_file_of_a_month_is_unmatched():
    result = run(["2016/03/a1-organigrama.pdf", "2016/03/a1-organigrama.xlsx"], layout="lotaip")
    assert [r[:2] for r in resources(result.datasets[0])] == [("2016-03", "2016/03/a1-organigrama.pdf")]
    assert result.unmatched == [("2016/03/a1-organigrama.xlsx", "another file is already resource 2016-03 of "
                                                                "lotaip/sgp/a1/2016: 2016/03/a1-organigrama.pdf")]


# ------------------------------------------------------------------ LOTAIP 2023

def test_lotaip_2023_month_triple():
    dataset = one(["Numeral 6/2024/05/Presupuesto ejecución.csv", "Numeral 6/2024/05/Metadatos.csv",
                   "Numeral 6/2024/05/Diccionario de datos.csv"], layout="lotaip")
    assert dataset.guid == "lotaip/sgp/6/2024"
    assert dataset.fields == {"lotaip_regime": "2023", "lotaip_literal": "6", "lotaip_year": "2024",
                              "name": "lotaip-sgp-n6-2024", "owner_org": "sgp",
                              "title": f"LOTAIP 2024, numeral 6: Presupuesto de la institución {ORG}"}
    assert resources(dataset) == [
        ("2024-05-dataset", "Numeral 6/2024/05/Presupuesto ejecución.csv",
         {"name": "Mayo 2024 – conjunto de datos", "format": "CSV", "month": "5", "lotaip_file_role": "dataset"}),
        ("2024-05-dictionary", "Numeral 6/2024/05/Diccionario de datos.csv",
         {"name": "Mayo 2024 – diccionario", "format": "CSV", "month": "5", "lotaip_file_role": "dictionary"}),
        ("2024-05-metadata", "Numeral 6/2024/05/Metadatos.csv",
         {"name": "Mayo 2024 – metadatos", "format": "CSV", "month": "5", "lotaip_file_role": "metadata"})]


@pytest.mark.parametrize("path,code,name", [
    ("numeral-6/2024/5/metadato.csv", "6", "lotaip-sgp-n6-2024"),
    ("2024/05/numeral 1.2-1.3/metadatos.csv", "1.2-1.3", "lotaip-sgp-n1-2-1-3-2024"),
    ("lotaip/2024/mayo/numeral_5-22_metadatos.csv", "5-22", "lotaip-sgp-n5-22-2024"),
    ("2024/05-mayo/2.1-2.2 metadatos.csv", "2.1-2.2", "lotaip-sgp-n2-1-2-2-2024"),
])
def test_lotaip_2023_path_variants(path, code, name):
    dataset = one([path], layout="lotaip")
    assert (dataset.guid, dataset.fields["lotaip_literal"], dataset.fields["name"]) == (
        f"lotaip/sgp/{code}/2024", code, name)
    assert resources(dataset) == [("2024-05-metadata", path, {"name": "Mayo 2024 – metadatos", "format": "CSV",
                                                              "month": "5", "lotaip_file_role": "metadata"})]


def test_lotaip_2023_missing_and_duplicate_roles():
    result = run(["Numeral 6/2024/05/Informe de gestión mayo.pdf", "Numeral 6/2024/05/Presupuesto ejecución.xlsx",
                  "Numeral 6/2024/04/metadatos.csv"], layout="lotaip")
    [dataset] = result.datasets
    assert [r[:2] for r in resources(dataset)] == [("2024-04-metadata", "Numeral 6/2024/04/metadatos.csv"),
                                                   ("2024-05-dataset", "Numeral 6/2024/05/Informe de gestión mayo.pdf")]
    assert result.unmatched == [("Numeral 6/2024/05/Presupuesto ejecución.xlsx",
                                 "another file is already resource 2024-05-dataset of lotaip/sgp/6/2024: "
                                 "Numeral 6/2024/05/Informe de gestión mayo.pdf")]


@pytest.mark.parametrize("path,reason", [
    ("2016/03/x9-otro.pdf", NOT_A_LITERAL.format("x9")),
    ("numeral 25/2024/05/datos.csv", NOT_A_LITERAL.format("25")),
    ("2024/03/a1.pdf", "literal a1 belongs to LOTAIP 2004 (Art. 7, literals), published from 2004 to 2023; "
                       "2024 is outside it"),
    ("2003/03/a1.pdf", "literal a1 belongs to LOTAIP 2004 (Art. 7, literals), published from 2004 to 2023; "
                       "2003 is outside it"),
    ("Numeral 6/2022/05/datos.csv", "numeral 6 belongs to LOTAIP 2023 (Art. 19, numerals), published from 2023; "
                                    "2022 is before it"),
    ("2016/13/a1.pdf", NOT_A_MONTH.format("13")), ("2016/00/a1.pdf", NOT_A_MONTH.format("00")),
    ("2016/03 abril/a1.pdf", NOT_A_MONTH.format("03 abril")), ("2016/informes/a1.pdf", NOT_A_MONTH.format("informes")),
    ("lotaip/2016/a1.pdf", "no month folder after the year"),
    ("lotaip/a1.pdf", "no LOTAIP year folder (e.g. 2016/03/...)"),
    ("2016/03/organigrama.pdf", "no literal or numeral at the start of the file name or in a folder"),
])
def test_lotaip_unmatched_reasons(path, reason):
    result = run([path], layout="lotaip")
    assert (result.datasets, result.unmatched) == ([], [(path, reason)])


# ------------------------------------------------------------------ other layouts

def test_gtfs_layout():
    result = run(["feeds/GTFS Trolebús 2024.zip", "feeds/leeme.txt"], layout="gtfs")
    [dataset] = result.datasets
    assert head(dataset) == ("gtfs/sgp/feeds/gtfs-trolebus-2024", "gtfs", "gtfs")
    assert dataset.fields == {"title": "GTFS Trolebús 2024", "owner_org": "sgp",
                              "name": "gtfs-sgp-feeds-gtfs-trolebus-2024"}
    assert resources(dataset) == [("zip", "feeds/GTFS Trolebús 2024.zip",
                                   {"name": "GTFS Trolebús 2024.zip", "format": "GTFS"})]
    assert result.unmatched == [("feeds/leeme.txt", "a GTFS feed is a .zip file")]


def test_capa_geografica_layout_groups_formats_of_one_layer():
    result = run(["capas/barrios.geojson", "capas/barrios.kml", "capas/barrios.zip", "capas/vias.json",
                  "otros/vias.json", "otros/parques.kmz", "otros/parques.gpkg", "otros/parques.csv"],
                 layout="capa_geografica")
    datasets = by_guid(result)
    assert sorted(datasets) == ["capa_geografica/sgp/capas/barrios", "capa_geografica/sgp/capas/vias",
                                "capa_geografica/sgp/otros/parques"]
    barrios = datasets["capa_geografica/sgp/capas/barrios"]
    assert head(barrios) == ("capa_geografica/sgp/capas/barrios", "capa_geografica", "geo")
    assert barrios.fields == {"title": "Barrios", "owner_org": "sgp", "name": "capa_geografica-sgp-capas-barrios"}
    file = {"distribution_kind": "file"}
    assert resources(barrios) == [
        ("geojson", "capas/barrios.geojson", {"name": "barrios.geojson", **file, "format": "GeoJSON"}),
        ("kml", "capas/barrios.kml", {"name": "barrios.kml", **file, "format": "KML"}),
        ("zip", "capas/barrios.zip", {"name": "barrios.zip", **file, "format": "SHP"})]
    assert resources(datasets["capa_geografica/sgp/capas/vias"])[0][2]["format"] == "GeoJSON"
    assert [(r[0], r[2]["format"]) for r in resources(datasets["capa_geografica/sgp/otros/parques"])] == [
        ("gpkg", "GPKG"), ("kmz", "KMZ")]
    reason = "not a map layer file (GeoJSON, KML, KMZ, GeoPackage or zipped Shapefile)"
    assert result.unmatched == [("otros/parques.csv", reason), ("otros/vias.json", reason)]


@pytest.mark.parametrize("file_name,stage", [
    ("proforma.csv", "proforma"), ("Asignado inicial.xlsx", "inicial"), ("presupuesto-inicial.csv", "inicial"),
    ("codificado.csv", "codificado"), ("gastos comprometidos.csv", "comprometido"),
    ("Devengado_enero.xlsx", "devengado"), ("pagado.csv", "pagado"), ("certificación.csv", "certificado"),
])
def test_presupuesto_stage_words(file_name, stage):
    dataset = one([f"presupuesto/2024/{file_name}"], layout="presupuesto")
    assert (dataset.guid, dataset.fields["budget_stage"]) == (f"presupuesto/sgp/2024/{stage}", [stage])


def test_presupuesto_layout():
    result = run(["Presupuesto/2024/Devengado gastos.csv", "Presupuesto/2024/devengado-ingresos.xlsx",
                  "presupuesto/2023/codificado.csv", "presupuesto/2024/notas.pdf", "presupuesto/2024/resumen.csv",
                  "finanzas/devengado.csv"], layout="presupuesto")
    datasets = by_guid(result)
    assert sorted(datasets) == ["presupuesto/sgp/2023/codificado", "presupuesto/sgp/2024/devengado"]
    devengado = datasets["presupuesto/sgp/2024/devengado"]
    assert head(devengado) == ("presupuesto/sgp/2024/devengado", "presupuesto", "tabular")
    assert devengado.fields == {
        "title": f"Presupuesto 2024, devengado {ORG}", "fiscal_year": "2024", "budget_stage": ["devengado"],
        "budget_nature": ["gastos", "ingresos"], "owner_org": "sgp", "name": "presupuesto-sgp-2024-devengado"}
    assert resources(devengado) == [
        ("devengado-gastos.csv", "Presupuesto/2024/Devengado gastos.csv",
         {"name": "Devengado gastos.csv", "format": "CSV"}),
        ("devengado-ingresos.xlsx", "Presupuesto/2024/devengado-ingresos.xlsx",
         {"name": "devengado-ingresos.xlsx", "format": "XLSX"})]
    assert "budget_nature" not in datasets["presupuesto/sgp/2023/codificado"].fields
    assert result.unmatched == [
        ("finanzas/devengado.csv", "no budget year folder (presupuesto/<year>/...)"),
        ("presupuesto/2024/notas.pdf", NOT_A_BUDGET_TABLE),
        ("presupuesto/2024/resumen.csv",
         "no budget stage (proforma, asignado, codificado, comprometido, devengado, pagado) in the file name")]


def test_indicador_layout_takes_methodology_from_the_source_fields_only():
    fields = {"definition": "Hogares con acceso a agua potable.", "unit": "percentage", "periodicity": "annual",
              "disaggregation": ["distrito"], "frequency": ANNUAL}
    result = run(["indicadores/cobertura_agua_potable.csv", "indicadores/cobertura_agua_potable.xlsx",
                  "indicadores/notas.pdf", "otros/tasa.csv"], layout="indicador", fields=fields, license_id="cc-by-4.0")
    [dataset] = result.datasets
    assert head(dataset) == ("indicador/sgp/indicadores/cobertura_agua_potable", "indicador", "tabular")
    assert dataset.fields == {"title": "Cobertura agua potable",
                              "owner_org": "sgp", "name": "indicador-sgp-indicadores-cobertura_agua_potable"}
    assert dataset.defaults == {**fields, "license_id": "cc-by-4.0"}
    assert resources(dataset) == [
        ("csv", "indicadores/cobertura_agua_potable.csv",
         {"name": "cobertura_agua_potable.csv", "resource_role": "time_series", "format": "CSV"}),
        ("xlsx", "indicadores/cobertura_agua_potable.xlsx", {"name": "cobertura_agua_potable.xlsx", "format": "XLSX"})]
    reason = "not an indicator table: expected indicadores/<name>.csv or .xlsx"
    assert result.unmatched == [("indicadores/notas.pdf", reason), ("otros/tasa.csv", reason)]
    bare = one(["indicadores/tasa.csv"], layout="indicador")  # nothing invented without the source's fields
    assert bare.fields == {"title": "Tasa", "owner_org": "sgp", "name": "indicador-sgp-indicadores-tasa"}


def test_dataset_layout_one_dataset_per_folder_and_stem():
    result = run(["movilidad/Conteo vehicular.csv", "movilidad/Conteo vehicular.xlsx", "movilidad/Conteo vehicular.pdf",
                  "movilidad/informe.pdf", "otra/informe.pdf", "LEEME"], layout="dataset")
    assert result.unmatched == []
    datasets = by_guid(result)
    assert sorted(datasets) == ["dataset/sgp/leeme", "dataset/sgp/movilidad/conteo-vehicular",
                                "dataset/sgp/movilidad/informe", "dataset/sgp/otra/informe"]
    conteo = datasets["dataset/sgp/movilidad/conteo-vehicular"]
    assert head(conteo)[1:] == ("dataset", "tabular")
    assert conteo.fields == {"title": "Conteo vehicular", "owner_org": "sgp",
                             "name": "dataset-sgp-movilidad-conteo-vehicular"}
    assert [(r[0], r[2]["format"]) for r in resources(conteo)] == [("csv", "CSV"), ("pdf", "PDF"), ("xlsx", "XLSX")]
    assert datasets["dataset/sgp/movilidad/informe"].inspect is None
    assert resources(datasets["dataset/sgp/leeme"]) == [("file", "LEEME", {"name": "LEEME"})]
    poa = one(["poa/2024.csv"], layout="dataset", default_type="plan_operativo")
    assert (poa.guid, poa.dataset_type, poa.fields["name"]) == (
        "plan_operativo/sgp/poa/2024", "plan_operativo", "plan_operativo-sgp-poa-2024")


def test_auto_layout():
    result = run(["lotaip/2016/03/a1-organigrama.pdf", "Numeral 6/2024/05/datos.csv", "lotaip/2016/03/x9.pdf",
                  "transporte/gtfs/quito.zip", "transporte/rutas.zip", "mapas/barrios.geojson", "mapas/barrios.zip",
                  "capas/parroquias.json", "presupuesto/2024/pagado.csv", "presupuesto/2024/notas.pdf",
                  "datos/2020/ventas.csv", "datos/2020/01/informe.pdf"], layout="auto")
    assert {d.guid: (d.dataset_type, d.inspect, [r.key for r in d.resources]) for d in result.datasets} == {
        "capa_geografica/sgp/capas/parroquias": ("capa_geografica", "geo", ["json"]),
        "capa_geografica/sgp/mapas/barrios": ("capa_geografica", "geo", ["geojson", "zip"]),
        "dataset/sgp/datos/2020/01/informe": ("dataset", None, ["pdf"]),
        "dataset/sgp/datos/2020/ventas": ("dataset", "tabular", ["csv"]),
        "dataset/sgp/transporte/rutas": ("dataset", None, ["zip"]),
        "gtfs/sgp/transporte/gtfs/quito": ("gtfs", "gtfs", ["zip"]),
        "lotaip/sgp/6/2024": ("lotaip", None, ["2024-05-dataset"]),
        "lotaip/sgp/a1/2016": ("lotaip", None, ["2016-03"]),
        "presupuesto/sgp/2024/pagado": ("presupuesto", "tabular", ["pagado.csv"])}
    assert result.unmatched == [("lotaip/2016/03/x9.pdf", NOT_A_LITERAL.format("x9")),
                                ("presupuesto/2024/notas.pdf", NOT_A_BUDGET_TABLE)]
    general = one(["informes/anual.pdf"], default_type="informe_gestion")
    assert head(general)[:2] == ("informe_gestion/sgp/informes/anual", "informe_gestion")


# ------------------------------------------------------------------ rules

RULES = [
    {"pattern": r"^poa/(?P<year>\d{4})/(?P<part>[^/]+)\.csv$", "type": "plan_operativo",
     "guid": "poa/{dependency}/{year}", "title": "Plan operativo anual {year}",
     "fields": {"fiscal_year": "{year}", "notes": "Desde {path} ({stem}, {ext})", "sample_data": "false"}},
    {"pattern": r"^poa/", "type": "dataset", "guid": "poa-otros", "title": "Otros archivos del POA"},
    {"pattern": r"^indicadores/(?P<name>[^/]+)/ficha\.pdf$", "type": "indicador", "guid": "indicador/sgp/{name}",
     "fields": {"resource_role": "methodology"}},
]


def test_rules_fill_templates_and_take_precedence_over_the_layout():
    result = run(["poa/2024/Enero.csv", "poa/2024/febrero.csv", "poa/2024/notas.pdf", "poa/leeme.txt",
                  "lotaip/2016/03/a1.pdf", "indicadores/tasa/ficha.pdf"], layout="lotaip", rules=RULES)
    assert result.unmatched == []
    datasets = by_guid(result)
    assert sorted(datasets) == ["indicador/sgp/tasa", "lotaip/sgp/a1/2016", "poa-otros", "poa/sgp/2024"]
    poa = datasets["poa/sgp/2024"]
    assert head(poa)[1:] == ("plan_operativo", "tabular")
    assert poa.fields == {"title": "Plan operativo anual 2024", "fiscal_year": "2024", "sample_data": "false",
                          "notes": "Desde poa/2024/Enero.csv (Enero, csv)", "owner_org": "sgp", "name": "poa-sgp-2024"}
    assert resources(poa) == [
        ("poa/2024/enero.csv", "poa/2024/Enero.csv", {"name": "Enero.csv", "format": "CSV"}),
        ("poa/2024/febrero.csv", "poa/2024/febrero.csv", {"name": "febrero.csv", "format": "CSV"})]
    others = datasets["poa-otros"]
    assert (others.dataset_type, others.fields["title"], [r.key for r in others.resources]) == (
        "dataset", "Otros archivos del POA", ["poa/2024/notas.pdf", "poa/leeme.txt"])
    ficha = datasets["indicador/sgp/tasa"]  # resource-only fields of the type go to the resource
    assert ficha.fields == {"title": "Tasa", "owner_org": "sgp", "name": "indicador-sgp-tasa"}
    assert resources(ficha) == [("indicadores/tasa/ficha.pdf", "indicadores/tasa/ficha.pdf",
                                 {"name": "ficha.pdf", "format": "PDF", "resource_role": "methodology"})]


def test_rule_optional_group_is_empty_and_bad_template_is_reported():
    rules = [{"pattern": r"^a/(?P<x>\d+)?-?(?P<y>\w+)\.csv$", "type": "dataset", "guid": "a/{x}/{y}"},
             {"pattern": r"^b/(?P<year>\w+)\.csv$", "type": "dataset", "guid": "b/{year:d}"}]
    result = run(["a/tabla.csv", "b/2024.csv"], layout="dataset", rules=rules)
    assert [(d.guid, d.fields["name"]) for d in result.datasets] == [("a//tabla", "a-tabla")]
    assert result.unmatched == [("b/2024.csv", "rule 2: its templates cannot be filled "
                                               "(Unknown format code 'd' for object of type 'str')")]


def test_a_guid_keeps_its_first_type():
    rules = [{"pattern": r"\.csv$", "type": "dataset", "guid": "uno"},
             {"pattern": r"\.pdf$", "type": "informe_gestion", "guid": "uno"}]
    result = run(["a.csv", "b.pdf"], rules=rules)
    assert [(d.guid, d.dataset_type, len(d.resources)) for d in result.datasets] == [("uno", "dataset", 1)]
    assert result.unmatched == [("b.pdf", "uno is already planned as a dataset of type dataset")]


# ------------------------------------------------------------------ manifest metadata

def test_manifest_metadata_overrides_the_path_and_the_source_defaults():
    files = [remote("capas/barrios.geojson", title="Barrios del DMQ", description="Límites barriales.",
                    tags="barrios,límites", license_id="odc-odbl", crs="EPSG:32717", columna_interna="x",
                    layer_name="barrios"),
             remote("capas/barrios.kml")]
    defaults = {"frequency": ANNUAL, "crs": "EPSG:4326", "notes": "Por defecto.", "definition": "(no es de capas)"}
    dataset = one(files, layout="auto", license_id="cc-by-4.0", fields=defaults)
    assert dataset.fields == {"crs": "EPSG:32717", "notes": "Límites barriales.",
                              "license_id": "odc-odbl", "title": "Barrios del DMQ", "tag_string": "barrios,límites",
                              "owner_org": "sgp", "name": "capa_geografica-sgp-capas-barrios"}
    assert dataset.defaults == {"frequency": ANNUAL}  # "definition" is not a layer's field
    assert resources(dataset)[0][2] == {"name": "barrios.geojson", "distribution_kind": "file", "format": "GeoJSON",
                                        "layer_name": "barrios"}


def test_manifest_dataset_key_groups_files_whatever_their_paths():
    files = [remote("2024/agua/consumo.csv", type="dataset", dataset="Consumo de agua", tags=["agua", "consumo"]),
             remote("anexos/diccionario consumo.pdf", type="dataset", dataset="Consumo de agua",
                    title="Consumo de agua potable"),
             remote("capas/zonas.geojson", dataset="zonas")]
    result = run(files, layout="lotaip")
    assert result.unmatched == []
    datasets = by_guid(result)
    assert sorted(datasets) == ["dataset/sgp/consumo-de-agua", "dataset/sgp/zonas"]
    water = datasets["dataset/sgp/consumo-de-agua"]
    assert head(water)[1:] == ("dataset", "tabular")
    assert water.fields == {"title": "Consumo de agua potable", "tag_string": "agua,consumo", "owner_org": "sgp",
                            "name": "dataset-sgp-consumo-de-agua"}
    assert resources(water) == [
        ("2024/agua/consumo.csv", "2024/agua/consumo.csv", {"name": "consumo.csv", "format": "CSV"}),
        ("anexos/diccionario-consumo.pdf", "anexos/diccionario consumo.pdf",
         {"name": "diccionario consumo.pdf", "format": "PDF"})]
    assert datasets["dataset/sgp/zonas"].fields["title"] == "Zonas"


def test_manifest_lotaip_rows_need_no_lotaip_path_and_beat_rules():
    files = [remote("archivos/remuneraciones.pdf", type="lotaip", literal="Literal C", year="2017", month="marzo",
                    lotaip_unit="Dirección de Talento Humano", lotaip_regime="2023"),
             remote("archivos/n3-meta.csv", type="lotaip", numeral="3", year="2024", month="02", role="metadatos"),
             remote("2016/03/a1.pdf", month="4")]
    result = run(files, layout="dataset", rules=[{"pattern": r"^archivos/", "type": "dataset", "guid": "x"}])
    assert result.unmatched == []
    datasets = by_guid(result)
    assert sorted(datasets) == ["dataset/sgp/2016/03/a1", "lotaip/sgp/3/2024", "lotaip/sgp/c/2017"]
    literal_c = datasets["lotaip/sgp/c/2017"]
    assert {k: literal_c.fields[k] for k in ("lotaip_regime", "lotaip_literal", "lotaip_year", "lotaip_unit")} == {
        "lotaip_regime": "2004", "lotaip_literal": "c", "lotaip_year": "2017",
        "lotaip_unit": "Dirección de Talento Humano"}
    assert resources(literal_c) == [("2017-03", "archivos/remuneraciones.pdf",
                                     {"name": "Marzo 2017", "format": "PDF", "month": "3"})]
    assert resources(datasets["lotaip/sgp/3/2024"]) == [("2024-02-metadata", "archivos/n3-meta.csv", {
        "name": "Febrero 2024 – metadatos", "format": "CSV", "month": "2", "lotaip_file_role": "metadata"})]
    moved = one([remote("2016/03/a1.pdf", month="4")], layout="lotaip")  # the row's month beats the folder's
    assert resources(moved)[0][0] == "2016-04"


def test_manifest_type_chooses_the_layout_of_a_file():
    files = [remote("datos/feed.zip", type="gtfs"), remote("datos/tabla.csv", type="informe_gestion"),
             remote("otros/2024-pagado.csv", type="presupuesto", year="2024"),
             remote("otros/cuadro.csv", type="presupuesto", fiscal_year="2023", stage="codificado")]
    result = run(files, layout="dataset")
    assert result.unmatched == []
    assert [(d.guid, d.dataset_type) for d in result.datasets] == [
        ("gtfs/sgp/datos/feed", "gtfs"), ("informe_gestion/sgp/datos/tabla", "informe_gestion"),
        ("presupuesto/sgp/2023/codificado", "presupuesto"), ("presupuesto/sgp/2024/pagado", "presupuesto")]


# ------------------------------------------------------------------ filters, names, paths

def test_include_and_exclude_filter_first():
    paths = ["datos/a.csv", "datos/B.CSV", "datos/c.pdf", "borradores/d.csv", "datos/borradores/e.csv"]
    result = run(paths, layout="dataset", include=["*.csv"], exclude=["borradores/*"])
    assert ([d.guid for d in result.datasets], result.unmatched) == (
        ["dataset/sgp/datos/a", "dataset/sgp/datos/b", "dataset/sgp/datos/borradores/e"], [])
    result = run(paths, layout="dataset", exclude=["*/borradores/*", "c.pdf"])
    assert [d.guid for d in result.datasets] == ["dataset/sgp/borradores/d", "dataset/sgp/datos/a",
                                                 "dataset/sgp/datos/b"]


def test_long_names_are_cut_with_a_hash_and_stay_deterministic():
    path = ("Dirección Metropolitana de Gestión de Riesgos/Informes técnicos de evaluación estructural/"
            "Evaluación de viviendas en zonas de riesgo del Distrito Metropolitano.csv")
    name = one([path], layout="dataset").fields["name"]
    assert len(name) == 100 and NAME_RE.match(name) and re.fullmatch(r".*-[0-9a-f]{8}", name)
    assert name.startswith("dataset-sgp-direccion-metropolitana-de-gestion-de-riesgos-informes-tecnicos-de-")
    assert one([path], layout="dataset").fields["name"] == name
    dependency = {"name": "secretaria-" + "x" * 90, "title": "Secretaría"}
    lotaip = one(["2016/03/a1.pdf"], dependency=dependency, layout="lotaip")
    assert lotaip.guid == f"lotaip/{dependency['name']}/a1/2016"
    assert len(lotaip.fields["name"]) == 100 and NAME_RE.match(lotaip.fields["name"])


def test_names_are_unique_among_planned_datasets():
    result = run(["a-b/c.csv", "a/b-c.csv", "a/b/c.csv"], layout="dataset")
    names = [d.fields["name"] for d in result.datasets]
    assert [d.guid for d in result.datasets] == ["dataset/sgp/a-b/c", "dataset/sgp/a/b-c", "dataset/sgp/a/b/c"]
    assert names[0] == "dataset-sgp-a-b-c"
    assert len(set(names)) == 3 and all(re.fullmatch(r"dataset-sgp-a-b-c-[0-9a-f]{8}", n) for n in names[1:])


def test_accents_and_spaces():
    """A name of symbols only becomes the first 8 hex digits of its SHA-1 (sha1("¿?") = 18827bcb...)."""
    result = run(["Numeral 6/2024/05/Presupuesto ejecución.csv", "Datos Públicos/Población Año 2020.csv",
                  "Datos Públicos/¿?.csv"], layout="auto")
    assert result.unmatched == []
    datasets = by_guid(result)
    assert sorted(datasets) == ["dataset/sgp/datos-publicos/18827bcb", "dataset/sgp/datos-publicos/poblacion-ano-2020",
                                "lotaip/sgp/6/2024"]
    people = datasets["dataset/sgp/datos-publicos/poblacion-ano-2020"]
    assert (people.fields["title"], people.fields["name"]) == (
        "Población Año 2020", "dataset-sgp-datos-publicos-poblacion-ano-2020")
    assert resources(datasets["lotaip/sgp/6/2024"])[0][:2] == (
        "2024-05-dataset", "Numeral 6/2024/05/Presupuesto ejecución.csv")


@pytest.mark.parametrize("path", ["../secreto.csv", "a/../../b.csv", "/etc/passwd", "a\\b.csv", "a//b.csv",
                                  "./a.csv", "C:/datos/a.csv", "a/b/"])
def test_unsafe_paths_are_unmatched(path):
    result = run([path], layout="auto")
    assert (result.datasets, result.unmatched) == ([], [(path, "not a plain relative path")])


def test_plan_is_sorted_and_independent_of_listing_order():
    paths = ["2016/03/a1.pdf", "2016/01/a1.pdf", "capas/b.kml", "capas/b.geojson", "x/y.csv", "2016/02/b1.pdf"]
    first = run(paths)
    shuffled = paths[:]
    random.Random(7).shuffle(shuffled)
    assert run(shuffled) == first
    assert [d.guid for d in first.datasets] == sorted(d.guid for d in first.datasets)
    assert all([r.key for r in d.resources] == sorted(r.key for r in d.resources) for d in first.datasets)
    assert all(PlannedDataset.from_json(json.loads(json.dumps(d.to_json()))) == d for d in first.datasets)
