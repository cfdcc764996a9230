"""The municipal theme through the web app: the home page (types with their
counts, recent and most downloaded datasets, never a private one for the
public), the pillar navigation and the language switch on the main pages,
/participacion and /colaboracion in Spanish and English, the footer."""
import csv
import datetime
import glob
import os
import re
from html.parser import HTMLParser

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic import demo_datasets
from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source
from tests.conftest import ROOT
from tests.datasets.conftest import load_demo  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TEST_PLUGINS = ("activity quito_search quito_datasets scheming_organizations dcat structured_data "
                "quito_gobiernoabierto")
NAV_PATHS = ("/transparencia", "/transparencia/lotaip", "/transparencia/concejo-abierto",
             "/transparencia/proyectos-emblematicos", "/transparencia/presupuesto-abierto",
             "/participacion", "/colaboracion", "/dataset", "/organigrama")


# -- reading pages ---------------------------------------------------------------
class Hooks(HTMLParser):
    """Elements with a ``data-testid``, each with its attributes and the links inside it."""

    def __init__(self):
        super().__init__()
        self.found, self.open = [], []  # open: [tag, depth, record]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for entry in self.open:
            if tag == entry[0]:
                entry[1] += 1
            if tag == "a":
                entry[2]["links"].append(attrs)
        if "data-testid" in attrs:
            record = {"attrs": attrs, "links": [], "text": []}
            self.found.append(record)
            self.open.append([tag, 1, record])

    def handle_endtag(self, tag):
        for entry in list(self.open):
            if tag == entry[0]:
                entry[1] -= 1
                if entry[1] == 0:
                    self.open.remove(entry)

    def handle_data(self, data):
        for entry in self.open:
            entry[2]["text"].append(data)


def hooks(body: str, testid: str) -> list[dict]:
    parser = Hooks()
    parser.feed(body)
    found = [h for h in parser.found if h["attrs"]["data-testid"] == testid]
    for hook in found:
        hook["text"] = " ".join(" ".join(hook["text"]).split())
    return found


def hook(body: str, testid: str) -> dict:
    found = hooks(body, testid)
    assert len(found) == 1, f"{len(found)} elements with data-testid={testid}"
    return found[0]


def hrefs(record: dict) -> list[str]:
    return [link.get("href") for link in record["links"]]


def listed_names(body: str, testid: str) -> list[str]:
    section = body.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="quito-dataset-item" data-name="([^"]+)"', section)


def as_user(user: dict) -> dict:
    return {"environ_overrides": {"REMOTE_USER": user["name"]}}


# -- content ----------------------------------------------------------------------
@pytest.fixture
def demo():
    """The whole demo content, by the dependencies of the shipped organigram."""
    loader.load(source.read(package_path("data", "organigrama-dmq.yaml")), site_context())
    report = demo_datasets.load(site_context(), package_path("data", "demo"))
    assert report.problems == []
    return demo_datasets.read_entries(package_path("data", "demo"))


@pytest.fixture
def sessions(load_demo):  # noqa: F811
    """The council sessions of the demo (five public datasets with uploaded files)."""
    entries, _ = load_demo("sesion_concejo.yaml")
    return entries


@pytest.fixture
def private_dataset(sessions):
    """A private dataset of the council's dependency, updated after the demo, and a member who may see it."""
    org = sessions[0]["owner_org"]
    member = factories.User(name="concejo-editor")
    tk.get_action("organization_member_create")({"ignore_auth": True},
                                                {"id": org, "username": member["name"], "role": "editor"})
    dataset = factories.Dataset(name="sumarios-internos", title="Sumarios internos", owner_org=org, private=True,
                                resources=[{"url": "http://example.com/sumarios.csv", "format": "CSV"}])
    return dataset, member


# -- home page: entry points and lists ------------------------------------------------------
def test_home_lists_every_type_with_its_exact_count(app, demo):
    body = app.get("/").body
    entries = {e["attrs"]["data-type"]: e for e in hooks(body, "type-entry")}
    expected = {}
    for entry in demo:
        expected[entry.get("type", "dataset")] = expected.get(entry.get("type", "dataset"), 0) + 1
    assert set(entries) == set(tk.h.scheming_dataset_schemas())
    assert {t: int(e["attrs"]["data-count"]) for t, e in entries.items()} == {t: expected.get(t, 0) for t in entries}
    assert hrefs(entries["sesion_concejo"]) == ["/sesion_concejo/"]
    assert hrefs(entries["dataset"]) == ["/dataset/?dataset_type=dataset"]
    assert "Sesiones del Concejo" in entries["sesion_concejo"]["text"]  # the schema's plural label, in Spanish
    assert re.search(r"\b5\b", entries["sesion_concejo"]["text"])
    for dataset_type, entry in entries.items():  # each type's search page lists as many (fewer than a page)
        found = app.get(hrefs(entry)[0]).body
        assert found.count('<li class="dataset-item') == expected.get(dataset_type, 0), dataset_type


def test_home_lists_the_recently_updated_datasets(app, sessions):
    last = sessions[2]["name"]
    tk.get_action("package_patch")(site_context(), {"id": last, "notes": "Acta corregida."})
    body = app.get("/").body
    names = listed_names(body, "recent-datasets")
    assert names[0] == last and sorted(names) == sorted(e["name"] for e in sessions)
    assert f'href="/sesion_concejo/{last}"' in body


def test_home_search_form_and_page_structure(app, sessions):
    body = app.get("/").body
    form = hook(body, "site-search")
    assert form["attrs"]["action"] == "/dataset/" and form["attrs"]["method"] == "get"
    assert '<label for="quito-home-q">' in body and 'id="quito-home-q" type="search" name="q"' in body
    assert body.count("<h1") == 1 and body.count("<main") + body.count('role="main"') == 1
    assert 'href="#content"' in body and 'id="content"' in body
    for pillar in ("/transparencia", "/participacion", "/colaboracion"):
        assert f'<h3><a href="{pillar}">' in body


def test_a_private_dataset_is_never_listed_to_the_public(app, private_dataset):
    dataset, member = private_dataset
    public = app.get("/").body
    assert "sumarios-internos" not in public and "Sumarios internos" not in public
    assert int(hook_of_type(public, "dataset")["attrs"]["data-count"]) == 0
    own = app.get("/", **as_user(member)).body
    assert listed_names(own, "recent-datasets")[0] == "sumarios-internos"
    assert int(hook_of_type(own, "dataset")["attrs"]["data-count"]) == 1


def hook_of_type(body: str, dataset_type: str) -> dict:
    return next(e for e in hooks(body, "type-entry") if e["attrs"]["data-type"] == dataset_type)


def test_without_the_tracking_plugin_no_download_list(app, sessions):
    body = app.get("/").body
    assert 'data-testid="downloaded-datasets"' not in body


# -- most downloaded (CKAN's tracking plugin) ----------------------------------------------------
def track_downloads(app, url: str, visitors: int) -> None:
    """What tracking.js posts when a visitor clicks a resource link."""
    for n in range(visitors):
        app.post("/_tracking", data={"url": url, "type": "resource"},
                 headers={"User-Agent": f"visitor-{n}"}, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})


def first_resource_url(name: str) -> str:
    return tk.get_action("package_show")(site_context(), {"id": name})["resources"][0]["url"]


@pytest.mark.ckan_config("ckan.plugins", TEST_PLUGINS + " tracking")
def test_most_downloaded_datasets_from_the_tracking_plugin(app, sessions, private_dataset):
    from ckanext.tracking.cli.tracking import update_all

    dataset, member = private_dataset
    first, second = sessions[3]["name"], sessions[0]["name"]
    track_downloads(app, first_resource_url(first), 3)
    track_downloads(app, first_resource_url(second), 1)
    track_downloads(app, dataset["resources"][0]["url"], 5)
    update_all(datetime.date.today().isoformat())

    public = app.get("/").body
    assert listed_names(public, "downloaded-datasets") == [first, second]
    assert re.search(r'data-downloads="3">3 (descargas|downloads)<', public)
    own = app.get("/", **as_user(member)).body
    assert listed_names(own, "downloaded-datasets") == ["sumarios-internos", first, second]


@pytest.mark.ckan_config("ckan.plugins", TEST_PLUGINS + " tracking")
def test_no_downloads_counted_yet(app, sessions):
    body = app.get("/").body
    assert 'data-testid="downloaded-datasets"' in body and listed_names(body, "downloaded-datasets") == []


# -- header: pillars and languages on every main page --------------------------------------------
def main_pages(sessions) -> list[str]:
    return ["/", "/transparencia", "/participacion", "/colaboracion", "/dataset/", "/sesion_concejo/",
            f"/sesion_concejo/{sessions[0]['name']}", "/organigrama", "/organization/"]


def test_pillar_navigation_on_every_main_page(app, sessions):
    for path in main_pages(sessions):
        for prefix in ("", "/en"):
            res = app.get(prefix + path)
            assert res.status_code == 200, prefix + path
            nav = hook(res.body, "pillar-nav")
            assert nav["attrs"].get("aria-label")
            assert hrefs(nav) == [prefix + p for p in NAV_PATHS], prefix + path


def test_pillar_navigation_marks_the_current_page(app):
    nav = app.get("/participacion").body.split('data-testid="pillar-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/participacion" aria-current="page">' in nav
    assert nav.count('aria-current="page"') == 1
    assert "<details" in nav and "<summary>" in nav  # Transparency's pages, without JavaScript


def test_language_switch_links_the_same_page_in_the_other_language(app, sessions):
    name = sessions[0]["name"]
    for spanish, english in (("/", "/en/"), ("/participacion", "/en/participacion"),
                             (f"/sesion_concejo/{name}", f"/en/sesion_concejo/{name}"),
                             ("/dataset/?q=concejo", "/en/dataset/?q=concejo")):
        switch = hook(app.get(spanish).body, "language-switch")
        assert switch["links"] == [{"href": english, "lang": "en", "hreflang": "en"}], spanish
        assert "Español" in switch["text"] and "English" in switch["text"]
        switch = hook(app.get(english).body, "language-switch")
        assert switch["links"] == [{"href": spanish, "lang": "es", "hreflang": "es"}], english
    assert 'class="quito-lang-current" lang="es" aria-current="true"' in app.get("/").body
    assert '<html lang="en"' in app.get("/en/").body


# -- /participacion and /colaboracion --------------------------------------------------------------
def test_participation_page(app, sessions):
    for prefix in ("", "/en"):
        res = app.get(prefix + "/participacion")
        assert res.status_code == 200
        body = res.body
        for link in ("/sesion_concejo/", "/transparencia/concejo-abierto", "/lotaip/?lotaip_literal=d",
                     "/organigrama", "/transparencia", "/informe_gestion/"):
            assert f'href="{prefix}{link}"' in body, link
        assert body.count("<h1") == 1 and 'id="servicios-ciudadanos"' in body
        assert re.search(r"Sesiones del Concejo|Council sessions", body) and "(5 " in body
    english = app.get("/en/participacion").body
    for text in ("Citizen participation", "Open Council", "Quito Participa", "Quito Controla", "Citizen services",
                 "Public hearings", "Quito Honesto"):
        assert text in english
    assert '<html lang="en"' in english and '<html lang="es"' in app.get("/participacion").body


def test_collaboration_page(app, sessions):
    for prefix in ("", "/en"):
        body = app.get(prefix + "/colaboracion").body
        for link in ("/dataset/", "/gtfs/", "/indicador/", "/capa_geografica/"):
            assert f'href="{prefix}{link}"' in body, link
        assert 'href="/api/3"' in body and 'href="/catalog.ttl"' in body  # the same in every language
    english = app.get("/en/colaboracion").body
    for text in ("Collaboration", "Open public transport data", "CKAN Action API, version 3", "DCAT catalogue",
                 "ConQuito", "Empresa Pública Metropolitana de Transporte de Pasajeros"):
        assert text in english
    assert app.get("/api/3").status_code == 200
    assert app.get("/catalog.ttl").status_code == 200


def translated(lang: str, msgid: str) -> bool:
    from babel.messages.mofile import read_mo

    path = os.path.join(ROOT, "i18n", lang, "LC_MESSAGES", "ckanext-quito_gobiernoabierto.mo")
    with open(path, "rb") as f:
        return any(m.id == msgid and m.string for m in read_mo(f))


def test_pillar_pages_in_spanish(app):
    if not translated("es", "Citizen participation"):
        pytest.skip("the theme's texts are not compiled yet: run make i18n")
    assert "Participación ciudadana" in app.get("/participacion").body
    assert "Datos abiertos de transporte público" in app.get("/colaboracion").body
    body = app.get("/").body
    assert "Explore por tipo de publicación" in body and "Navegación principal" in body


# -- footer ----------------------------------------------------------------------------------------
def test_footer(app):
    for prefix in ("", "/en"):
        footer = app.get(prefix + "/").body.split('<footer class="site-footer">', 1)[1]
        for link in (f"{prefix}/transparencia/lotaip", "/api/3", "/catalog.ttl", f"{prefix}/organigrama"):
            assert f'href="{link}"' in footer, link
        assert "Secretaría General de Planificación" in footer
    assert "Municipality of the Metropolitan District of Quito" in app.get("/en/").body


# -- texts -------------------------------------------------------------------------------------------
THEME_FILES = ("templates/header.html", "templates/footer.html", "templates/home/index.html",
               "templates/home/snippets/quito_*.html", "templates/pillars/*.html")


def test_every_theme_text_has_spanish_and_english():
    from babel.messages.extract import extract_from_file

    rows = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "i18n", "translations", "*.tsv"))):
        with open(path, encoding="utf-8") as f:
            rows.update({r[0]: r[1:] for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                         if r and not r[0].startswith("#")})
    here = package_path()
    files = [f for pattern in THEME_FILES for f in glob.glob(os.path.join(here, pattern))]
    messages = [m for f in files for _, m, _, _ in extract_from_file("ckan.lib.extract:extract_ckan", f)]
    messages += [m for _, m, _, _ in extract_from_file("python", os.path.join(here, "home.py"))]
    assert len(files) >= 8 and len(messages) > 50
    for message in messages:
        msgid = message[0] if isinstance(message, tuple) else message
        assert msgid in rows and all(rows[msgid]), f"{msgid!r} lacks a translation in i18n/translations/"
