"""Vocabulary of the Quito DCAT-AP profile: its namespace, its own concepts
(dataset types, standards, the district as a location) and the EU / IANA
code lists that CKAN values are mapped to."""
from __future__ import annotations

from rdflib import Namespace, URIRef

#: Properties for the fields DCAT-AP has no term for (``qgov:<field_name>``).
QGOV = Namespace("https://gobiernoabierto.quito.gob.ec/ns/dcat#")
#: Individuals defined by the portal (concepts, standards, places, agents).
QGOV_ID = "https://gobiernoabierto.quito.gob.ec/ns/"
ORG = Namespace("http://www.w3.org/ns/org#")
RDF_JSON = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")

TYPE_SCHEME = URIRef(QGOV_ID + "dataset-type")
TYPE_SCHEME_TITLE = {"es": "Tipos de publicación del Portal de Gobierno Abierto de Quito",
                     "en": "Publication types of the Quito Open Government Portal"}
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

SPANISH = URIRef(EU_AUTHORITY + "language/SPA")

#: Agents of the municipality: the catalogue publisher and its type.
MUNICIPALITY = URIRef(QGOV_ID + "agent/mdmq")
MUNICIPALITY_NAME = "Municipio del Distrito Metropolitano de Quito"
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

#: The Distrito Metropolitano de Quito as a dct:Location. The bounding box is
#: an approximate envelope in WGS84 (the same one the demo map layer uses),
#: not the official boundary.
DMQ_LOCATION = URIRef(QGOV_ID + "location/dmq")
DMQ_NAME = "Distrito Metropolitano de Quito"
DMQ_BBOX = {"type": "Polygon", "coordinates": [[[-78.8, -0.45], [-78.2, -0.45], [-78.2, 0.2],
                                                [-78.8, 0.2], [-78.8, -0.45]]]}
DMQ_CENTROID = {"type": "Point", "coordinates": [-78.5, -0.125]}

#: dct:Standard each type conforms to: type -> [(uri, title)]. ``lotaip`` is
#: resolved by its law (``lotaip_regime``) when the dataset names it.
LOTAIP_TITLE = "Ley Orgánica de Transparencia y Acceso a la Información Pública (LOTAIP)"
LOTAIP_LAWS = {
    "2004": (QGOV_ID + "standard/lotaip-2004",
             LOTAIP_TITLE + ", Registro Oficial Suplemento 337, 18 de mayo de 2004"),
    "2023": (QGOV_ID + "standard/lotaip-2023",
             LOTAIP_TITLE + ", Registro Oficial Segundo Suplemento 245, 7 de febrero de 2023"),
}
STANDARDS = {
    "lotaip": [(QGOV_ID + "standard/lotaip", LOTAIP_TITLE)],
    "gtfs": [("https://gtfs.org/documentation/schedule/reference/", "GTFS Schedule Reference")],
    "presupuesto": [("https://specs.frictionlessdata.io/fiscal-data-package/", "Fiscal Data Package")],
}

#: Code lists whose concepts DCAT-AP wants placed in their scheme: IRI prefix
#: -> (scheme, title).
SCHEMES = {"http://purl.org/adms/status/": ("http://purl.org/adms/status/1.0", "ADMS status")}

#: CKAN licence ids -> EU licence vocabulary codes.
LICENCES = {
    "cc-by": "CC_BY_4_0",
    "cc-by-sa": "CC_BYSA_4_0",
    "cc-nc": "CC_BYNC_4_0",
    "cc-zero": "CC0",
    "odc-by": "ODC_BY",
    "odc-odbl": "ODC_ODBL",
    "odc-pddl": "ODC_PDDL",
}
#: ADMS licence types of those licences (what DCAT-AP recommends on a licence).
LICENCE_TYPE_BASE = "http://purl.org/adms/licencetype/"
LICENCE_TYPES = {
    "CC_BY_4_0": ("Attribution",), "CC_BYSA_4_0": ("Attribution", "ShareAlike"),
    "CC_BYNC_4_0": ("Attribution", "NonCommercialUseOnly"), "CC0": ("PublicDomain",),
    "ODC_BY": ("Attribution",), "ODC_ODBL": ("Attribution", "ShareAlike"), "ODC_PDDL": ("PublicDomain",),
}

#: CKAN format labels (upper case) -> EU file-type codes (all in the 2017
#: file-type list, so they are known to every DCAT-AP validator).
FILE_TYPES = {
    "CSV": "CSV", "TSV": "TSV", "JSON": "JSON", "JSON-LD": "JSON_LD", "GEOJSON": "GEOJSON",
    "KML": "KML", "KMZ": "KMZ", "GML": "GML", "SHP": "SHP", "ZIP": "ZIP", "PDF": "PDF",
    "XLS": "XLS", "XLSX": "XLSX", "ODS": "ODS", "ODT": "ODT", "DOC": "DOC", "DOCX": "DOCX",
    "XML": "XML", "HTML": "HTML", "TXT": "TXT", "RDF": "RDF_XML", "TTL": "RDF_TURTLE",
    "PNG": "PNG", "JPEG": "JPEG", "JPG": "JPEG", "TIFF": "TIFF", "GTFS": "ZIP",
    "WMS": "MAP_SRVC", "WFS": "MAP_SRVC", "SQL": "SQL", "RSS": "RSS", "ATOM": "ATOM",
}
#: Formats with no EU file type but an IANA media type.
FORMAT_MEDIA_TYPES = {"MARKDOWN": "text/markdown", "MD": "text/markdown"}


def licence_uri(license_id: str) -> str | None:
    code = LICENCES.get(license_id or "")
    return f"{EU_AUTHORITY}licence/{code}" if code else None


def licence_types(uri: str) -> list[URIRef]:
    code = uri.rsplit("/", 1)[-1] if uri.startswith(EU_AUTHORITY + "licence/") else ""
    return [URIRef(LICENCE_TYPE_BASE + name) for name in LICENCE_TYPES.get(code, ())]



def format_uri(label: str) -> str | None:
    key = (label or "").strip().upper()
    if key in FILE_TYPES:
        return f"{EU_AUTHORITY}file-type/{FILE_TYPES[key]}"
    if key in FORMAT_MEDIA_TYPES:
        return IANA_MEDIA_TYPES + FORMAT_MEDIA_TYPES[key]
    return None


def media_type_uri(mimetype: str) -> str | None:
    value = (mimetype or "").strip()
    if value.startswith(IANA_MEDIA_TYPES):
        return value
    if "/" in value and " " not in value and not value.startswith("http"):
        return IANA_MEDIA_TYPES + value
    return None



def type_concept(dataset_type: str) -> URIRef:
    return URIRef(f"{TYPE_SCHEME}/{dataset_type}")


def type_from_concept(uri: str) -> str | None:
    prefix = f"{TYPE_SCHEME}/"
    return uri[len(prefix):] if uri.startswith(prefix) else None


def standards_for(dataset_dict: dict) -> list[tuple[str, str]]:
    dataset_type = dataset_dict.get("type") or "dataset"
    if dataset_type == "lotaip" and str(dataset_dict.get("lotaip_regime") or "") in LOTAIP_LAWS:
        return [LOTAIP_LAWS[str(dataset_dict["lotaip_regime"])]]
    return STANDARDS.get(dataset_type, [])
