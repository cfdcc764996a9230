"""What the quito_dcat_ap profile adds to ckanext-dcat's DCAT-AP 3 output:
type, publisher and organigram, inferred contact, coverage, language and
standards, vocabulary IRIs; and what its parser gives back."""
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.dcat.profiles.base import DCAT, DCT, VCARD
from ckanext.dcat.utils import dataset_uri, resource_uri

from ckanext.quito_gobiernoabierto.dcat import schema as schemas
from ckanext.quito_gobiernoabierto.dcat.vocab import DMQ_LOCATION, MUNICIPALITY, ORG, QGOV

from .helpers import PROFILES, PROFILES_SETTING, fixture, round_trip, serialize, synthetic

pytestmark = [pytest.mark.usefixtures("with_plugins", "organizations"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

EU = "http://publications.europa.eu/resource/authority/"
SITE = "http://test.quito.local"


def graph_of(data):
    return serialize(data).g, URIRef(dataset_uri(data))


def of_type(dataset_type, organizations, **fields):
    data = synthetic(tk.h.scheming_get_dataset_schema(dataset_type), organizations["secretaria-de-ambiente"])
    data.update(fields)
    return data


def org_uri(organizations, name):
    return URIRef(f"{SITE}/organization/{organizations[name]['id']}")


def test_type_as_literal_and_concept():
    g, ref = graph_of(fixture("sesion_concejo.json"))
    assert g.value(ref, QGOV.datasetType) == Literal("sesion_concejo")
    concept = URIRef("https://gobiernoabierto.quito.gob.ec/ns/dataset-type/sesion_concejo")
    assert (ref, DCT.type, concept) in g and (concept, RDF.type, SKOS.Concept) in g
    assert set(g.objects(concept, SKOS.prefLabel)) == {Literal("Council session", lang="en"),
                                                     Literal("Sesión del Concejo", lang="es")}


def test_own_fields_typed_by_preset():
    g, ref = graph_of(fixture("proyecto_emblematico.json"))
    assert g.value(ref, QGOV.beneficiaries) == Literal("600000", datatype=XSD.nonNegativeInteger)
    assert g.value(ref, QGOV.investment) == Literal("20000000", datatype=XSD.nonNegativeInteger)
    assert g.value(ref, QGOV.project_status) == Literal("en_operacion")
    g, ref = graph_of(fixture("sesion_concejo.json"))
    assert g.value(ref, QGOV.session_date) == Literal("2016-03-04", datatype=XSD.date)


def test_publisher_is_the_dependency_up_the_organigram(organizations):
    g, ref = graph_of(fixture("proyecto_emblematico.json"))
    emaseo, ambiente = org_uri(organizations, "emaseo"), org_uri(organizations, "secretaria-de-ambiente")
    assert list(g.objects(ref, DCT.publisher)) == [emaseo]
    assert g.value(emaseo, FOAF.name) == Literal("Empresa Pública Metropolitana de Aseo")
    assert g.value(emaseo, SKOS.altLabel) == Literal("EMASEO")
    assert (emaseo, RDF.type, FOAF.Agent) in g
    assert g.value(emaseo, ORG.subOrganizationOf) == ambiente
    assert g.value(ambiente, ORG.subOrganizationOf) == org_uri(organizations, "alcaldia-metropolitana")
    assert g.value(ambiente, FOAF.homepage) == URIRef("http://www.quitoambiente.gob.ec")
    assert g.value(emaseo, DCT.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")


def test_contact_from_the_dependency_authority(organizations):
    g, ref = graph_of(of_type("indicador", organizations))
    contact = g.value(ref, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in g
    assert g.value(contact, VCARD.fn) == Literal("María Verónica Arias")
    assert g.value(contact, VCARD.title) == Literal("Secretaria de Ambiente")
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:veronica.aria@quito.gob.ec")
    assert g.value(contact, VCARD.hasTelephone) == URIRef("tel:+59323952300;ext=24101")


def test_the_dataset_contact_wins():
    g, ref = graph_of(fixture("dataset.json"))
    assert list(g.objects(ref, DCAT.contactPoint)) == [URIRef("https://gobiernoabierto.quito.gob.ec/contact/remmaq")]
    assert Literal("contact") not in set(g.objects(ref, QGOV.derived))


def test_district_when_no_spatial_coverage():
    g, ref = graph_of(fixture("sesion_concejo.json"))
    assert list(g.objects(ref, DCT.spatial)) == [DMQ_LOCATION]
    assert g.value(DMQ_LOCATION, SKOS.prefLabel) == Literal("Distrito Metropolitano de Quito", lang="es")
    assert str(g.value(DMQ_LOCATION, DCAT.bbox)).startswith("POLYGON ((-78.8000 -0.4500")
    g, ref = graph_of(fixture("dataset.json"))
    assert DMQ_LOCATION not in set(g.objects(ref, DCT.spatial))


@pytest.mark.parametrize("dataset_type, fields, span", [
    ("sesion_concejo", {}, ("2016-03-04", "2016-03-04")),
    ("presupuesto", {"fiscal_year": "2016"}, ("2016-01-01", "2016-12-31")),
    ("lotaip", {"lotaip_year": "2017"}, ("2017-01-01", "2017-12-31")),
    ("gtfs", {"service_start_date": "2017-01-02", "service_end_date": "2017-06-30"}, ("2017-01-02", "2017-06-30")),
])
def test_temporal_from_the_type_dates(dataset_type, fields, span, organizations):
    data = fixture("sesion_concejo.json") if dataset_type == "sesion_concejo" else of_type(dataset_type, organizations, **fields)
    g, ref = graph_of(data)
    period = g.value(ref, DCT.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == span
    assert g.value(period, DCAT.startDate).datatype == XSD.date


def test_explicit_temporal_coverage_wins():
    g, ref = graph_of(fixture("dataset.json"))
    assert len(list(g.objects(ref, DCT.temporal))) == 1
    assert Literal("temporal_coverage") not in set(g.objects(ref, QGOV.derived))


def test_spanish_when_no_language(organizations):
    g, ref = graph_of(of_type("indicador", organizations, language=[]))
    assert list(g.objects(ref, DCT.language)) == [URIRef(EU + "language/SPA")]
    _, parsed = round_trip(of_type("indicador", organizations, language=[]))
    assert "language" not in parsed


@pytest.mark.parametrize("dataset_type, fields, standard", [
    ("lotaip", {"lotaip_regime": "2004"}, "https://gobiernoabierto.quito.gob.ec/ns/standard/lotaip-2004"),
    ("lotaip", {"lotaip_regime": "2023"}, "https://gobiernoabierto.quito.gob.ec/ns/standard/lotaip-2023"),
    ("gtfs", {}, "https://gtfs.org/documentation/schedule/reference/"),
    ("presupuesto", {}, "https://specs.frictionlessdata.io/fiscal-data-package/"),
])
def test_standard_of_the_type(dataset_type, fields, standard, organizations):
    g, ref = graph_of(of_type(dataset_type, organizations, **fields))
    assert list(g.objects(ref, DCT.conformsTo)) == [URIRef(standard)]
    assert (URIRef(standard), RDF.type, DCT.Standard) in g and g.value(URIRef(standard), DCT.title)


def test_no_standard_for_other_types(organizations):
    g, ref = graph_of(of_type("indicador", organizations))
    assert list(g.objects(ref, DCT.conformsTo)) == []


def test_licence_formats_and_media_types_as_iris():
    data = fixture("sesion_concejo.json")
    data["resources"][1].update(format="XYZ", mimetype="")
    g, _ = graph_of(data)
    first, second = (URIRef(resource_uri(r)) for r in data["resources"])
    licence = URIRef(EU + "licence/CC_BY_4_0")
    assert g.value(first, DCT.license) == licence == g.value(second, DCT.license)
    assert (licence, RDF.type, DCT.LicenseDocument) in g
    assert (licence, DCT.type, URIRef("http://purl.org/adms/licencetype/Attribution")) in g
    markdown = URIRef("https://www.iana.org/assignments/media-types/text/markdown")
    assert g.value(first, DCT["format"]) == markdown == g.value(first, DCAT.mediaType)
    unknown = g.value(second, DCT["format"])
    assert isinstance(unknown, BNode) and g.value(unknown, RDFS.label) == Literal("XYZ")
    assert (unknown, RDF.type, DCT.MediaTypeOrExtent) in g
    _, parsed = round_trip(data)
    assert [r["format"] for r in parsed["resources"]] == ["Markdown", "XYZ"]
    assert [r.get("mimetype") for r in parsed["resources"]] == ["text/markdown", None]
    assert all("license" not in r for r in parsed["resources"])


def test_eu_file_types():
    data = fixture("proyecto_emblematico.json")
    g, _ = graph_of(data)
    distribution = URIRef(resource_uri(data["resources"][0]))
    assert g.value(distribution, DCT["format"]) == URIRef(EU + "file-type/CSV")
    assert g.value(distribution, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")


def test_theme_labels_from_the_schema():
    g, ref = graph_of(fixture("sesion_concejo.json"))
    theme = URIRef(EU + "data-theme/GOVE")
    assert (theme, RDF.type, SKOS.Concept) in g
    assert Literal("Gobierno y sector público", lang="es") in set(g.objects(theme, SKOS.prefLabel))


def test_parsed_back_as_ckan_names():
    _, parsed = round_trip(fixture("proyecto_emblematico.json"))
    assert (parsed["type"], parsed["name"], parsed["owner_org"], parsed["license_id"]) == (
        "proyecto_emblematico", "sistema-de-recoleccion-mecanizada", "emaseo", "cc-by")
    for inferred in ("publisher", "contact", "spatial_coverage", "identifier", "issued", "modified"):
        assert inferred not in parsed, inferred


def test_resources_come_back_in_order(organizations):
    data = of_type("lotaip", organizations)
    data["resources"] = data["resources"] * 3
    for position, resource in enumerate(data["resources"]):
        resource = data["resources"][position] = dict(resource, id=f"{resource['id'][:-2]}{position:02d}",
                                                     name=f"Mes {position}")
    _, parsed = round_trip(data)
    assert [r["name"] for r in parsed["resources"]] == [f"Mes {i}" for i in range(6)]


def test_foreign_dcat_is_left_to_ckanext_dcat():
    """A dataset another catalogue published (no Quito terms) parses as with
    euro_dcat_ap_3 alone."""
    text = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <http://example.org/d/1> a dcat:Dataset ; dct:title "Foreign" ; dct:description "From elsewhere" ;
        dct:type <http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL> ."""
    parsed = []
    for profiles in (PROFILES, ["euro_dcat_ap_3"]):
        parser = RDFParser(profiles=profiles)
        parser.parse(text, _format="turtle")
        parsed.append(list(parser.datasets()))
    assert parsed[0] == parsed[1]
    assert "type" not in parsed[0][0]


def test_catalogue_node(monkeypatch):
    from ckanext.dcat.profiles.base import RDFProfile
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification", lambda self: None)
    serializer = RDFSerializer(profiles=PROFILES)
    catalog = serializer.graph_from_catalog()
    g = serializer.g
    assert list(g.objects(catalog, DCT.language)) == [URIRef(EU + "language/SPA")]
    assert g.value(catalog, DCT.publisher) == MUNICIPALITY
    assert g.value(MUNICIPALITY, FOAF.name) == Literal("Municipio del Distrito Metropolitano de Quito", lang="es")
    assert g.value(catalog, DCT.description) is not None
    assert g.value(catalog, DCT.spatial) == DMQ_LOCATION


def test_schema_from_the_yaml_without_scheming(monkeypatch):
    """Plain scripts (no scheming plugin) read the type's schema from the package."""
    def no_action(name):
        raise KeyError(name)
    monkeypatch.setattr(tk, "get_action", no_action)
    schema = schemas.dataset_schema("lotaip")
    assert schemas.has_field(schema, "lotaip_year") and schemas.has_field(schema, "title")
    assert schemas.year_fields(schema) == ["lotaip_year"]
    assert schemas.dataset_schema("no_such_type") is None
    assert schemas.dataset_schema("../organization") is None
