"""schema.org JSON-LD on dataset pages (for dataset search engines) comes from
ckanext-dcat's ``structured_data`` plugin: adding it to ``ckan.plugins`` is
enough for every Quito type (its template extends the type's page)."""
import json
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

PLUGINS = "activity quito_search quito_datasets scheming_organizations dcat structured_data quito_gobiernoabierto"

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckan.plugins", PLUGINS)]


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD in the page"
    return json.loads(found.group(1))


def test_council_session_page_has_schema_org_dataset(app):
    org = factories.Organization(name="secretaria-general-del-concejo", kind="secretaria",
                                 title="Secretaría General del Concejo Metropolitano")
    tk.get_action("package_create")(
        {"user": factories.Sysadmin()["name"]},
        dict(type="sesion_concejo", name="sesion-ordinaria-2016-03-10", title="Sesión ordinaria, 10 de marzo de 2016",
             notes="Sesión ordinaria del pleno.", owner_org=org["name"], session_date="2016-03-10",
             session_kind="ordinaria", council_body="pleno",
             resources=[{"url": "http://example.org/acta.pdf", "name": "Acta", "format": "PDF"}]))
    graph = json_ld(app.get("/sesion_concejo/sesion-ordinaria-2016-03-10").get_data(as_text=True))["@graph"]
    by_type = {node.get("@type"): node for node in graph}
    assert by_type["schema:Dataset"]["schema:name"] == "Sesión ordinaria, 10 de marzo de 2016"
    assert by_type["schema:Organization"]["schema:name"] == "Secretaría General del Concejo Metropolitano"
    assert by_type["schema:DataDownload"]["schema:encodingFormat"] == "PDF"
