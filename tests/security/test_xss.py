"""HTML and script in every text field are rendered inert (issue 9, XSS): a
portal whose titles, descriptions, custom fields, resources and dependencies
all carry payloads; every page a citizen sees is parsed and must hold no
script element, event handler or ``javascript:`` address from them. The
escaped text may appear."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ..previews.conftest import PLUGINS, VIEWS, view_url
from . import hostile_site
from . import xss_support as xss
from .datasets_support import TYPES, create_dependencies, demo_entries, publication

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.views.default_views", VIEWS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context"),
]

SITE_PAGES = ("/", "/dataset/", "/dataset/?q=Datos", "/organization/", "/organigrama", "/transparencia",
              "/transparencia/lotaip", "/transparencia/proyectos-emblematicos", "/transparencia/concejo-abierto",
              "/transparencia/presupuesto-abierto", "/participacion", "/colaboracion")


def dataset_pages(dataset: dict, view_types: set) -> list:
    """The dataset's pages (its type's address and /dataset/), its activity,
    each resource's page and each view (their types are added to ``view_types``)."""
    base = f"/{dataset['type']}/{dataset['name']}"
    pages = [base, f"/dataset/{dataset['name']}", f"/dataset/activity/{dataset['name']}"]
    for resource in dataset["resources"]:
        pages.append(f"{base}/resource/{resource['id']}")
        views = tk.get_action("resource_view_list")({}, {"id": resource["id"]})
        view_types.update(view["view_type"] for view in views)
        pages += [view_url(dataset, resource, view, locale="es") for view in views]
    return pages


def organization_pages(dataset: dict) -> list:
    org = dataset["organization"]["name"]
    return [f"/organization/{org}", f"/organization/about/{org}"]


def problems_of(app, url: str) -> list:
    res = app.get(url, status=None, follow_redirects=True)
    if res.status_code != 200:
        return [f"{url}: answered {res.status_code}"]
    return [f"{url}: {found}" for found in xss.executable_payloads(res.get_data(as_text=True))]


@pytest.fixture
def hostile_portal(tmp_path):
    """One hostile publication of each type; returns (datasets, refused fields)."""
    refused: list = []
    hostile_site.create_dependencies(list(demo_entries()))
    datasets = [hostile_site.create_publication(t, refused, str(tmp_path)) for t in TYPES]
    return datasets, refused


def test_no_page_executes_the_payloads(app, hostile_portal):
    datasets, refused = hostile_portal
    assert len(datasets) == len(TYPES)
    urls, view_types = list(SITE_PAGES), set()
    for dataset in datasets:
        urls += dataset_pages(dataset, view_types) + organization_pages(dataset)
    assert view_types >= set(VIEWS.split()), view_types  # every preview was looked at
    found = [p for url in dict.fromkeys(urls) for p in problems_of(app, url)]
    assert found == [], "\n".join(found)
    # The payloads were there to be escaped (refusing every field would prove nothing).
    page = app.get(f"/{datasets[0]['type']}/{datasets[0]['name']}").get_data(as_text=True)
    assert "xss-script" in page and "&lt;script&gt;" in page
    assert "title" not in refused and "notes" not in refused, refused


def test_the_json_ld_block_cannot_be_closed_from_a_title(app):
    """The structured data (schema.org JSON-LD) is a script element: a title
    with ``</script>`` must not end it."""
    factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")
    data = dict(publication("dataset", 1), title=xss.BREAKOUT, notes=xss.BREAKOUT)
    dataset = tk.get_action("package_create")({"ignore_auth": True, "user": factories.Sysadmin()["name"]}, data)
    html = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert 'type="application/ld+json"' in html
    assert xss.executable_payloads(html) == []


@pytest.mark.parametrize("tag", [xss.SCRIPT, "<b>negrita</b>", 'a" onmouseover="x', "javascript:alert(1)"])
def test_tags_with_markup_are_refused(tag):
    create_dependencies(publication("dataset", 1))
    data = dict(publication("dataset", 1), tags=[{"name": tag}])
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("package_create")({"ignore_auth": True, "user": factories.Sysadmin()["name"]}, data)
    assert "tags" in error.value.error_dict
