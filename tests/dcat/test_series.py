"""LOTAIP years grouped as dcat:DatasetSeries (dcat/series.py): one series
per dependency and literal or numeral, its description and navigation, a
stable URI from the base URI, listed once in a catalogue, never parsed back,
and zero SHACL violations. The first tests run from dataset dicts (members
in the database answered by a stand-in); the last ones from the database."""
import zlib

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles.base import DCAT, DCT, VCARD, RDFProfile
from ckanext.dcat.utils import dataset_uri

from ckanext.quito_gobiernoabierto.dcat import series
from ckanext.quito_gobiernoabierto.dcat.vocab import DMQ_LOCATION, QGOV

from .helpers import PROFILES, PROFILES_SETTING, differences, fixture, round_trip, serialize, synthetic, violations

pytestmark = [pytest.mark.usefixtures("with_plugins"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

SITE = "http://test.quito.local"
SERIES_C = URIRef(f"{SITE}/lotaip/serie/secretaria-de-ambiente/2004-c")
TITLE_C = "LOTAIP literal c – Remuneración mensual por puesto, Secretaría de Ambiente"


@pytest.fixture
def stored(monkeypatch, organizations):
    """Members in the database, by (organization id, regime, literal): none unless a test adds some."""
    members = {}

    def stored_series(org_id):
        return {(regime, code): list(found) for (org, regime, code), found in members.items() if org == org_id}

    monkeypatch.setattr(series, "stored_series", stored_series)
    return members


def lotaip(organizations, year="2016", literal="c", regime="2004", org="secretaria-de-ambiente", **fields):
    """A synthetic lotaip dataset with ids of its own (several go in one catalogue)."""
    data = synthetic(tk.h.scheming_get_dataset_schema("lotaip"), organizations[org])
    data.update(lotaip_regime=regime, lotaip_literal=literal, lotaip_year=year, **fields)
    data["id"] = f"00000000-0000-4000-8000-{zlib.crc32(f'{org} {regime} {literal} {year}'.encode()):012d}"
    for position, resource in enumerate(data["resources"]):
        resource.update(package_id=data["id"], id=f"{data['id'][:-2]}{position:02d}")
    return data


def member(year: int, modified: str = "") -> series.Member:
    return series.Member(year, f"{SITE}/dataset/{year}", modified)


def test_dataset_in_its_series(stored, organizations):
    data = lotaip(organizations)
    g = serialize(data).g
    ref = URIRef(dataset_uri(data))
    assert list(g.objects(ref, DCAT.inSeries)) == [SERIES_C]
    assert set(g.objects(SERIES_C, RDF.type)) == {DCAT.DatasetSeries}  # not a dcat:Dataset: never harvested as one
    assert set(g.objects(SERIES_C, DCT.title)) == {
        Literal(TITLE_C, lang="es"),
        Literal("LOTAIP literal c – Monthly pay by position, Secretaría de Ambiente", lang="en")}
    description = str(g.value(SERIES_C, DCT.description, any=True))
    assert "Secretaría de Ambiente" in description and "literal c" in description
    assert Literal(series.texts(series.key_of(data), organizations["secretaria-de-ambiente"])["es"][1],
                   lang="es") in set(g.objects(SERIES_C, DCT.description))
    ambiente = URIRef(f"{SITE}/organization/{organizations['secretaria-de-ambiente']['id']}")
    assert list(g.objects(SERIES_C, DCT.publisher)) == [ambiente]
    contact = g.value(SERIES_C, DCAT.contactPoint)
    assert g.value(contact, VCARD.fn) == Literal("María Verónica Arias")
    assert g.value(SERIES_C, DCT.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL")
    assert g.value(SERIES_C, DCT.spatial) == DMQ_LOCATION
    assert Literal("in_series") in set(g.objects(ref, QGOV.derived))


def test_spanish_texts(stored, organizations):
    texts = series.texts(series.Key("secretaria-de-ambiente", "2004", "c"), organizations["secretaria-de-ambiente"])
    assert texts["es"] == (TITLE_C, "Serie anual de las publicaciones de transparencia de Secretaría de Ambiente según "
                                    "la LOTAIP 2004 (Art. 7, literales): literal c (Remuneración mensual por puesto). "
                                    "Cada año se publica como un conjunto de datos propio.")


@pytest.mark.parametrize("regime, literal, year, path, title", [
    ("2023", "1.2-1.3", "2024", "2023-1.2-1.3",
     "LOTAIP numeral 1.2-1.3 – Base legal, regulaciones y procedimientos internos, Secretaría de Ambiente"),
    ("2004", "t", "2016", "2004-t", "LOTAIP literal t, Secretaría de Ambiente"),  # no verified subject
])
def test_numerals_and_literals_without_subject(stored, organizations, regime, literal, year, path, title):
    g = serialize(lotaip(organizations, year=year, literal=literal, regime=regime)).g
    ref = URIRef(f"{SITE}/lotaip/serie/secretaria-de-ambiente/{path}")
    assert (ref, RDF.type, DCAT.DatasetSeries) in g
    assert Literal(title, lang="es") in set(g.objects(ref, DCT.title))


@pytest.mark.ckan_config("ckanext.dcat.base_uri", "https://datos.quito.gob.ec")
def test_series_uri_from_the_base_uri(stored, organizations):
    data = lotaip(organizations)
    g = serialize(data).g
    assert list(g.objects(URIRef(dataset_uri(data)), DCAT.inSeries)) == [
        URIRef("https://datos.quito.gob.ec/lotaip/serie/secretaria-de-ambiente/2004-c")]


def test_other_types_have_no_series(stored, organizations):
    g = serialize(fixture("sesion_concejo.json")).g
    assert list(g.subjects(RDF.type, DCAT.DatasetSeries)) == []
    assert list(g.triples((None, DCAT.inSeries, None))) == []


def test_navigation_over_the_years(stored, organizations):
    data = lotaip(organizations, year="2015", metadata_modified="2017-03-04T08:30:00")
    ref = URIRef(dataset_uri(data))
    stored[(organizations["secretaria-de-ambiente"]["id"], "2004", "c")] = [
        member(2014, "2017-01-02T10:00:00"), series.Member(2015, str(ref), "2016-12-31T00:00:00"), member(2016)]
    g = serialize(data).g
    assert g.value(ref, DCAT.prev) == URIRef(member(2014).uri)
    assert g.value(ref, DCAT.next) == URIRef(member(2016).uri)
    assert g.value(SERIES_C, DCAT.first) == URIRef(member(2014).uri)
    assert g.value(SERIES_C, DCAT.last) == URIRef(member(2016).uri)
    assert set(g.objects(SERIES_C, DCAT.seriesMember)) == {URIRef(member(y).uri) for y in (2014, 2016)} | {ref}
    period = g.value(SERIES_C, DCT.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == ("2014-01-01", "2016-12-31")
    # the latest change: this dataset as serialised, not its stored copy
    assert g.value(SERIES_C, DCT.modified) == Literal("2017-03-04T08:30:00", datatype=XSD.dateTime)


def test_first_of_its_series_has_no_previous(stored, organizations):
    stored[(organizations["secretaria-de-ambiente"]["id"], "2004", "c")] = [member(2017)]
    data = lotaip(organizations, year="2016")
    g = serialize(data).g
    ref = URIRef(dataset_uri(data))
    assert g.value(ref, DCAT.prev) is None and g.value(ref, DCAT.next) == URIRef(member(2017).uri)
    assert g.value(SERIES_C, DCAT.first) == ref


@pytest.mark.parametrize("_format", ["turtle", "xml", "json-ld"])
def test_series_is_not_parsed_back(stored, organizations, _format):
    original = lotaip(organizations)
    _, parsed = round_trip(original, _format)  # asserts one dataset: the series is not one
    diffs = differences(original, parsed, tk.h.scheming_get_dataset_schema("lotaip"))
    diffs.pop("uri", None)
    assert diffs == {}
    assert not {"in_series", "series_navigation"} & set(parsed)
    assert not [e for e in parsed.get("extras") or [] if "serie" in str(e).lower()]


def _catalogue(datasets) -> rdflib.Graph:
    text = RDFSerializer(profiles=PROFILES).serialize_catalog({}, dataset_dicts=datasets, _format="turtle")
    return rdflib.Graph().parse(data=text, format="turtle")


def test_listed_once_in_the_catalogue(stored, organizations, shapes, monkeypatch):
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification", lambda self: "2017-06-01T00:00:00")
    datasets = [lotaip(organizations, year=y) for y in ("2014", "2015", "2016")]
    datasets.append(lotaip(organizations, year="2016", literal="n"))
    g = _catalogue(datasets)
    catalog = URIRef(SITE)
    series_n = URIRef(f"{SITE}/lotaip/serie/secretaria-de-ambiente/2004-n")
    assert set(g.objects(catalog, DCAT.resource)) == {SERIES_C, series_n}
    assert len(set(g.objects(catalog, DCAT.dataset))) == 4  # the series are not listed as datasets
    # described once though three of its datasets are on the page
    for predicate in (DCT.publisher, DCAT.contactPoint, DCT.temporal, DCAT.first, DCAT.last):
        assert len(list(g.objects(SERIES_C, predicate))) == 1, predicate
    assert len(list(g.objects(SERIES_C, DCT.title))) == 2
    assert len(set(g.objects(SERIES_C, DCAT.seriesMember))) == 3
    assert violations(g, shapes) == []


def test_dataset_graph_validates(stored, organizations, shapes):
    stored[(organizations["secretaria-de-ambiente"]["id"], "2004", "c")] = [member(2015, "2016-01-01T00:00:00")]
    assert violations(serialize(lotaip(organizations)).g, shapes) == []


def test_shacl_finds_a_broken_series(stored, organizations, shapes):
    """The check can fail: a series without its mandatory description."""
    g = serialize(lotaip(organizations)).g
    g.remove((SERIES_C, DCT.description, None))
    assert any("description" in line for line in violations(g, shapes))


# --- from the database -------------------------------------------------------

@pytest.fixture
def publications(clean_db, clean_index):
    """Literal c of Secretaría de Ambiente for 2014, 2015 (public) and 2016
    (private); literal n of the same dependency and literal c of another."""
    ambiente = factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")
    other = factories.Organization(name="secretaria-de-cultura", title="Secretaría de Cultura", kind="secretaria")
    context = {"user": factories.Sysadmin()["name"]}

    def create(org, year, literal="c", private=False):
        data = dict(type="lotaip", owner_org=org["name"], notes="Publicación LOTAIP.", lotaip_regime="2004",
                    lotaip_literal=literal, lotaip_year=year, private=private,
                    resources=[{"url": f"http://example.org/{literal}-{year}.csv", "name": "Enero",
                                "format": "CSV", "month": "1"}])
        return tk.get_action("package_create")(dict(context), data)

    return {"2014": create(ambiente, "2014"), "2015": create(ambiente, "2015"),
            "2016": create(ambiente, "2016", private=True), "n": create(ambiente, "2015", literal="n"),
            "other": create(other, "2015"), "ambiente": ambiente}


def test_stored_series_hold_the_public_datasets(publications):
    found = series.stored_series(publications["ambiente"]["id"])
    assert sorted(found) == [("2004", "c"), ("2004", "n")]  # not the other dependency's
    assert [(m.year, m.uri) for m in sorted(found[("2004", "c")])] == [
        (2014, dataset_uri(publications["2014"])), (2015, dataset_uri(publications["2015"]))]  # not the private 2016
    assert [m.uri for m in found[("2004", "n")]] == [dataset_uri(publications["n"])]
    assert all(m.modified.startswith("20") for m in found[("2004", "c")])


def test_private_years_never_appear(app, publications, shapes):
    response = app.get(f"/dataset/{publications['2015']['id']}.ttl")
    assert response.status_code == 200
    g = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    ref = URIRef(dataset_uri(publications["2015"]))
    assert g.value(ref, DCAT.prev) == URIRef(dataset_uri(publications["2014"]))
    assert g.value(ref, DCAT.next) is None
    assert g.value(SERIES_C, DCAT.last) == ref
    assert publications["2016"]["id"] not in response.get_data(as_text=True)
    assert violations(g, shapes) == []


def test_catalogue_endpoint_lists_each_series_once(app, publications, shapes):
    response = app.get("/catalog.ttl")
    assert response.status_code == 200
    g = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert set(g.objects(URIRef(SITE), DCAT.resource)) == {
        SERIES_C, URIRef(f"{SITE}/lotaip/serie/secretaria-de-ambiente/2004-n"),
        URIRef(f"{SITE}/lotaip/serie/secretaria-de-cultura/2004-c")}
    public = {URIRef(dataset_uri(publications[year])) for year in ("2014", "2015")}
    assert set(g.objects(SERIES_C, DCAT.seriesMember)) == public
    assert len(list(g.objects(SERIES_C, DCAT.contactPoint))) == 1
    assert violations(g, shapes) == []
