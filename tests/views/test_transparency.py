"""The Transparency pillar's pages (/transparencia/...), through the web app,
with the demo content of the LOTAIP, council-session, emblematic-project and
budget types (and factories for what the demo lacks)."""
import csv
import datetime
import os
import shutil
from decimal import Decimal

import pytest
import yaml
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic import demo_datasets
from ckanext.quito_gobiernoabierto.logic.demo import site_context

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DEMO = package_path("data", "demo")
SGP = "secretaria-general-de-planificacion"
AMBIENTE = "secretaria-de-ambiente"


def demo_entries(file_name):
    with open(os.path.join(DEMO, file_name), encoding="utf-8") as f:
        return yaml.safe_load(f)["datasets"]


@pytest.fixture
def load_demo(tmp_path):
    """Load demo files (``"lotaip.yaml"``...) with the organigram dependencies they name
    (and those in ``also``)."""
    def load(*file_names, also=()):
        folder = tmp_path / "demo"
        (folder / "files").mkdir(parents=True, exist_ok=True)
        for name in file_names:
            shutil.copy(os.path.join(DEMO, name), folder)
        entries = demo_datasets.read_entries(str(folder))
        for resource in (r for e in entries for r in e.get("resources", []) if "file" in r):
            shutil.copy(os.path.join(DEMO, "files", resource["file"]), folder / "files")
        with open(package_path("data", "organigrama-dmq.yaml"), encoding="utf-8") as f:
            rows = {r["name"]: r for r in yaml.safe_load(f)["dependencies"]}
        existing = set(tk.get_action("organization_list")({"ignore_auth": True}, {}))
        for org in ({e["owner_org"] for e in entries} | set(also)) - existing:
            factories.Organization(name=org, title=rows[org]["title"], kind=rows[org]["kind"])
        report = demo_datasets.load(site_context(), str(folder))
        assert report.problems == []
        return entries
    return load


def page(app, url, **kwargs):
    res = app.get(url, **kwargs)
    assert res.status_code == 200, res.body[:2000]
    return BeautifulSoup(res.body, "html.parser")


def lotaip_dataset(org, literal, year, resources, regime="2004", **extra):
    """A LOTAIP publication created by the site user (resources link ``url``s)."""
    data = {"type": "lotaip", "owner_org": org, "lotaip_regime": regime, "lotaip_literal": literal,
            "lotaip_year": str(year), "license_id": "cc-by", "notes": "Publicación de prueba.",
            "resources": resources, **extra}
    return tk.get_action("package_create")(site_context(), data)


def month_file(month, url, role=None):
    resource = {"name": f"Mes {month}", "url": url, "format": "CSV", "month": str(month)}
    return {**resource, "lotaip_file_role": role} if role else resource


def cells(soup, literal, dependency):
    """{month: cell} of a dependency's row in a literal's section."""
    section = soup.find(attrs={"data-testid": "lotaip-literal", "data-literal": literal})
    if section is None:
        return {}
    found = section.find_all(attrs={"data-testid": "lotaip-month", "data-dependency": dependency})
    return {int(c["data-month"]): c for c in found}


def completeness(soup, literal, dependency):
    section = soup.find(attrs={"data-testid": "lotaip-literal", "data-literal": literal})
    cell = section.find(attrs={"data-testid": "lotaip-completeness", "data-dependency": dependency})
    return int(cell["data-published"]), int(cell["data-expected"]), " ".join(cell.get_text().split())


# ----------------------------------------------------------------- index

def test_index_links_every_page_of_the_pillar(app):
    soup = page(app, "/transparencia")
    hrefs = {a["href"] for a in soup.find(attrs={"data-testid": "transparency-pages"}).find_all("a")}
    assert hrefs == {"/dataset/", "/transparencia/concejo-abierto", "/transparencia/lotaip",
                     "/transparencia/presupuesto-abierto", "/plan_operativo/", "/informe_gestion/",
                     "/transparencia/proyectos-emblematicos", "/indicador/", "/organigrama"}
    assert soup.find("h1").get_text(strip=True)
    assert soup.find(attrs={"role": "main"}) is not None
    assert [h.name for h in soup.select("[role=main] h1, [role=main] h2")][0] == "h1"
    assert app.get("/transparencia/").status_code == 200


# ----------------------------------------------------------------- LOTAIP

def test_lotaip_year_tabs_newest_first_with_the_selected_one_marked(app, load_demo):
    load_demo("lotaip.yaml")
    lotaip_dataset(SGP, "c", 2009, [month_file(1, "http://example.com/2009.csv")])  # before 2010: no tab
    soup = page(app, "/transparencia/lotaip")
    tabs = soup.find_all(attrs={"data-testid": "lotaip-year-tab"})
    assert [t.get_text(strip=True) for t in tabs] == ["2024", "2016", "2015", "2014"]
    assert [t.get("aria-current") for t in tabs] == ["page", None, None, None]
    soup = page(app, "/transparencia/lotaip?year=2016")
    current = soup.find(attrs={"data-testid": "lotaip-year-tab", "aria-current": "page"})
    assert current.get_text(strip=True) == "2016" and current["href"] == "/transparencia/lotaip?year=2016"


def test_lotaip_literal_rows_show_published_and_missing_months(app, load_demo):
    load_demo("lotaip.yaml")
    soup = page(app, "/transparencia/lotaip?year=2016")
    literals = [s["data-literal"] for s in soup.find_all(attrs={"data-testid": "lotaip-literal"})]
    assert literals == ["c", "i", "n"]  # the law's order
    row = cells(soup, "c", SGP)
    assert sorted(row) == list(range(1, 13))
    published = {m for m, c in row.items() if c["data-state"] == "published"}
    assert published == {1, 7}
    dataset = tk.get_action("package_show")({}, {"id": "lotaip-secretaria-general-de-planificacion-c-2016"})
    urls = {int(r["month"]): r["url"] for r in dataset["resources"]}
    for month in (1, 7):
        links = row[month].find_all("a")
        assert [a["href"] for a in links] == [urls[month]]
        assert "lotaip-sgp-c-2016-0" in links[0]["href"]
    for month in set(range(1, 13)) - published:
        assert row[month]["data-state"] == "missing" and row[month].find("a") is None
        assert row[month].get_text(strip=True)  # said in words, not only by colour
    assert soup.find(attrs={"data-testid": "lotaip-literal", "data-literal": "c"}) is not None
    assert cells(soup, "c", AMBIENTE) == {} and cells(soup, "c", "epmmop") == {}
    assert set(cells(soup, "n", AMBIENTE)) == set(range(1, 13)) and set(cells(soup, "i", "epmmop"))


def test_lotaip_tables_have_captions_and_header_scopes(app, load_demo):
    load_demo("lotaip.yaml")
    soup = page(app, "/transparencia/lotaip?year=2016")
    for table in soup.select("[data-testid=lotaip-literal] table"):
        assert table.find("caption").get_text(strip=True)
        assert len(table.select("thead th[scope=col]")) == 14  # dependency, 12 months, completeness
        assert table.select("tbody th[scope=row]")
    headings = [int(h.name[1]) for h in soup.select("[role=main] h1, [role=main] h2, [role=main] h3")]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:]))


def test_lotaip_completeness_figures(app, load_demo):
    load_demo("lotaip.yaml")
    lotaip_dataset(SGP, "a1", 2016, [month_file(m, f"http://example.com/a1-{m}.csv") for m in (1, 2, 3)])
    soup = page(app, "/transparencia/lotaip?year=2016")
    assert completeness(soup, "c", SGP)[:2] == (2, 12)
    assert completeness(soup, "a1", SGP)[:2] == (3, 12)
    assert completeness(soup, "n", AMBIENTE)[:2] == (2, 12)
    assert completeness(soup, "i", "epmmop")[:2] == (2, 12)
    total = soup.find(attrs={"data-testid": "lotaip-completeness-total", "data-dependency": SGP})
    assert (total["data-published"], total["data-expected"]) == ("5", "24")
    assert "21" in total.get_text()  # 5/24 = 21 %
    english = page(app, "/en/transparencia/lotaip?year=2016")
    assert completeness(english, "c", SGP)[2] == "2 of 12 (17%)"


def test_lotaip_current_year_expects_months_up_to_the_current_one(app, load_demo, monkeypatch):
    from ckanext.quito_gobiernoabierto import transparency

    year = datetime.date.today().year
    monkeypatch.setattr(transparency, "today", lambda: datetime.date(year, 4, 15))
    load_demo("lotaip.yaml")
    lotaip_dataset(SGP, "3", year, [month_file(m, f"http://example.com/{m}-{r}.csv", r)
                                    for m in (1, 2) for r in ("dataset", "metadata", "dictionary")],
                   regime="2023")
    soup = page(app, f"/transparencia/lotaip?year={year}")
    assert completeness(soup, "3", SGP)[:2] == (2, 4)
    row = cells(soup, "3", SGP)
    assert [row[m]["data-state"] for m in (3, 4, 5, 12)] == ["missing", "missing", "not_due", "not_due"]


def test_lotaip_2023_law_links_the_three_files_of_each_month(app, load_demo):
    load_demo("lotaip.yaml")
    lotaip_dataset(AMBIENTE, "1.1", 2024, [month_file(1, "http://example.com/datos.csv", "dataset"),
                                          month_file(1, "http://example.com/meta.csv", "metadata")],
                   regime="2023")
    soup = page(app, "/transparencia/lotaip?year=2024")
    dataset = tk.get_action("package_show")({}, {"id": "lotaip-secretaria-general-de-planificacion-n3-2024"})
    row = cells(soup, "3", SGP)
    for month in (1, 2):
        expected = {r["lotaip_file_role"]: r["url"] for r in dataset["resources"] if r["month"] == str(month)}
        links = row[month].find_all("a")
        assert [a["data-role"] for a in links] == ["dataset", "metadata", "dictionary"]
        assert {a["data-role"]: a["href"] for a in links} == expected
        assert row[month]["data-state"] == "published"
    assert row[3]["data-state"] == "missing"
    assert completeness(soup, "3", SGP)[:2] == (2, 12)
    incomplete = cells(soup, "1.1", AMBIENTE)[1]
    assert incomplete["data-state"] == "incomplete" and len(incomplete.find_all("a")) == 2
    assert completeness(soup, "1.1", AMBIENTE)[:2] == (0, 12)


def test_lotaip_private_publication_only_for_those_allowed(app, load_demo):
    load_demo("lotaip.yaml")
    lotaip_dataset(AMBIENTE, "a1", 2016, [month_file(5, "http://example.com/privado.csv")], private=True)
    anonymous = page(app, "/transparencia/lotaip?year=2016")
    assert cells(anonymous, "a1", AMBIENTE) == {}
    assert "privado.csv" not in str(anonymous)
    editor = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": AMBIENTE, "username": editor["name"], "role": "editor"})
    outsider = factories.User()
    as_user = lambda user: {"headers": {"Authorization": factories.APIToken(user=user["name"])["token"]}}  # noqa: E731
    assert cells(page(app, "/transparencia/lotaip?year=2016", **as_user(outsider)), "a1", AMBIENTE) == {}
    row = cells(page(app, "/transparencia/lotaip?year=2016", **as_user(editor)), "a1", AMBIENTE)
    assert row[5]["data-state"] == "published" and row[5].find("a")["href"] == "http://example.com/privado.csv"


def test_lotaip_private_year_gives_no_tab_to_anonymous_users(app, load_demo):
    load_demo("lotaip.yaml")
    lotaip_dataset(AMBIENTE, "a1", 2012, [month_file(5, "http://example.com/2012.csv")], private=True)
    tabs = page(app, "/transparencia/lotaip").find_all(attrs={"data-testid": "lotaip-year-tab"})
    assert "2012" not in [t.get_text(strip=True) for t in tabs]


def test_lotaip_law_filter_and_bad_parameters(app, load_demo):
    load_demo("lotaip.yaml")
    lotaip_dataset(SGP, "c", 2023, [month_file(1, "http://example.com/c.csv")])
    lotaip_dataset(SGP, "3", 2023, [month_file(1, "http://example.com/3.csv", "dataset")], regime="2023")
    soup = page(app, "/transparencia/lotaip?year=2023")
    assert {s["data-law"] for s in soup.find_all(attrs={"data-testid": "lotaip-literal"})} == {"2004", "2023"}
    assert len(soup.find_all(attrs={"data-testid": "lotaip-law"})) == 3
    soup = page(app, "/transparencia/lotaip?year=2023&law=2023")
    assert {s["data-law"] for s in soup.find_all(attrs={"data-testid": "lotaip-literal"})} == {"2023"}
    assert app.get("/transparencia/lotaip?year=dos").status_code == 400
    assert app.get("/transparencia/lotaip?law=1999").status_code == 400


# ----------------------------------------------------------------- council

def test_council_sessions_of_march_2016_with_their_documents(app, load_demo):
    load_demo("sesion_concejo.yaml")
    soup = page(app, "/transparencia/concejo-abierto?year=2016")
    assert soup.find(attrs={"data-testid": "council-year-tab", "aria-current": "page"}).get_text(strip=True) == "2016"
    month = soup.find(attrs={"data-testid": "council-month", "data-month": "2016-03"})
    sessions = month.find_all(attrs={"data-testid": "council-session"})
    assert [s["data-date"] for s in sessions] == ["2016-03-31", "2016-03-24", "2016-03-17", "2016-03-10", "2016-03-04"]
    assert [s["data-kind"] for s in sessions] == ["extraordinaria", "ordinaria", "extraordinaria", "ordinaria",
                                                  "extraordinaria"]
    assert {s["data-body"] for s in sessions} == {"pleno"}
    for session in sessions:
        dataset = tk.get_action("package_show")({}, {"id": session["data-session"]})
        urls = {r["document_kind"]: r["url"] for r in dataset["resources"]}
        docs = {a["data-kind"]: a["href"] for a in session.find_all(attrs={"data-testid": "council-document"})}
        assert docs == {"orden_del_dia": urls["orden_del_dia"], "acta": urls["acta"]}
    english = page(app, "/en/transparencia/concejo-abierto?year=2016")
    text = " ".join(english.get_text().split())
    assert "March 2016" in text and "Extraordinary" in text and "Ordinary" in text
    assert "Agenda of the session of March 4, 2016" in text and "Minutes of the session of March 4, 2016" in text


# ----------------------------------------------------------------- projects

def test_emblematic_projects_with_their_totals(app, load_demo):
    entries = load_demo("proyecto_emblematico.yaml",
                        also=("administracion-zonal-calderon", "administracion-zonal-eugenio-espejo"))
    expected_investment = sum(Decimal(e["investment"]) for e in entries if e.get("investment"))
    expected_beneficiaries = sum(int(e["beneficiaries"]) for e in entries if e.get("beneficiaries"))
    soup = page(app, "/en/transparencia/proyectos-emblematicos")
    cards = soup.find_all(attrs={"data-testid": "project-card"})
    assert len(cards) == 7 == len(entries)
    assert {c["data-project"] for c in cards} == {e["name"] for e in entries}
    total = soup.find(attrs={"data-testid": "project-total-investment"})
    assert Decimal(total["data-amount"]) == expected_investment == Decimal("110843000")
    assert "US$\xa0110,843,000" in total.get_text()
    beneficiaries = soup.find(attrs={"data-testid": "project-total-beneficiaries"})
    assert int(beneficiaries["data-count"]) == expected_beneficiaries
    assert f"{expected_beneficiaries:,}" in beneficiaries.get_text()
    card = soup.find(attrs={"data-testid": "project-card", "data-project": "intercambiador-carapungo"})
    text = " ".join(card.get_text().split())
    assert "US$\xa03,545,000" in card.get_text() and "In progress" in text and "Todos los ciudadanos" in text
    spanish = page(app, "/transparencia/proyectos-emblematicos")
    assert "US$\xa0110.843.000" in spanish.find(attrs={"data-testid": "project-total-investment"}).get_text()


# ----------------------------------------------------------------- budget

def stage_sums(csv_name):
    sums = {}
    with open(os.path.join(DEMO, "files", csv_name), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sums[row["etapa"]] = sums.get(row["etapa"], Decimal(0)) + Decimal(row["monto"])
    return sums


def test_budget_chart_values_by_stage(app, load_demo):
    entries = load_demo("presupuesto.yaml")
    expected = stage_sums(entries[0]["resources"][0]["file"])
    soup = page(app, "/en/transparencia/presupuesto-abierto")
    assert soup.find(attrs={"data-testid": "budget-year-tab", "aria-current": "page"}).get_text(strip=True) == "2016"
    chart = soup.find(attrs={"data-testid": "budget-chart"})
    bars = chart.find_all(attrs={"data-testid": "budget-bar"})
    assert [b["data-stage"] for b in bars] == ["inicial", "codificado", "comprometido", "devengado", "pagado"]
    assert {b["data-stage"]: Decimal(b["data-amount"]) for b in bars} == expected
    for bar in bars:
        assert bar.find("title").get_text().endswith(f"US$\xa0{int(expected[bar['data-stage']]):,}")
        assert float(bar.find("rect")["width"]) > 0
    widest = max(bars, key=lambda b: float(b.find("rect")["width"]))
    assert widest["data-stage"] == "codificado"
    svg = chart.find("svg")
    assert svg["role"] == "img" and svg.find("title") and svg.find("desc")
    amounts = soup.find(attrs={"data-testid": "budget-table"}).find_all(attrs={"data-testid": "budget-amount"})
    assert {a["data-stage"]: Decimal(a["data-amount"]) for a in amounts} == expected


def test_budget_files_not_read_are_reported_not_charted(app, load_demo, monkeypatch):
    from ckanext.quito_gobiernoabierto.transparency import budget

    load_demo("presupuesto.yaml")
    tk.get_action("package_create")(site_context(), {
        "type": "presupuesto", "name": "presupuesto-2015-enlace", "title": "Presupuesto 2015 (enlace)",
        "owner_org": SGP, "fiscal_year": "2015", "budget_nature": ["gastos"], "budget_stage": ["inicial"],
        "license_id": "cc-by", "notes": "Presupuesto de prueba.",
        "resources": [{"name": "Tabla externa", "url": "http://example.com/presupuesto.csv", "format": "CSV",
                       "fdp_mapping": [{"column": "monto", "concept": "value"},
                                       {"column": "etapa", "concept": "phase:id"}]}]})
    soup = page(app, "/en/transparencia/presupuesto-abierto?year=2015")
    assert soup.find(attrs={"data-testid": "budget-chart"}) is None
    assert "is a link" in soup.find(attrs={"data-testid": "budget-note"}).get_text()
    monkeypatch.setattr(budget, "MAX_CSV_BYTES", 100)  # the demo CSV is larger
    soup = page(app, "/en/transparencia/presupuesto-abierto?year=2016")
    assert soup.find(attrs={"data-testid": "budget-chart"}) is None
    assert "too large" in soup.find(attrs={"data-testid": "budget-note"}).get_text()


# ----------------------------------------------------------------- languages

@pytest.mark.parametrize("url", ["/en/transparencia", "/en/transparencia/lotaip", "/en/transparencia/concejo-abierto",
                                 "/en/transparencia/proyectos-emblematicos", "/en/transparencia/presupuesto-abierto"])
def test_pages_in_english(app, load_demo, url):
    load_demo("lotaip.yaml")
    soup = page(app, url)
    assert soup.find("html")["lang"] == "en"
    assert soup.select_one("ol.breadcrumb") is not None
    assert "Transparency" in soup.find("title").get_text()


def test_lotaip_page_in_english_reads_in_english(app, load_demo):
    load_demo("lotaip.yaml")
    soup = page(app, "/en/transparencia/lotaip?year=2016")
    text = " ".join(soup.get_text().split())
    for phrase in ("Transparency Law (LOTAIP)", "Monthly pay by position", "Missing", "Completeness",
                   "How completeness is counted", "Dependency"):
        assert phrase in text
    assert soup.find("abbr", title="March") is not None
    link = cells(soup, "c", SGP)[1].find("a")
    assert " ".join(link.get_text().split()) == "File: January 2016, literal c, Secretaría General de Planificación"


def _catalogue_has(msgid, lang="es"):
    from babel.support import Translations

    return Translations.load(package_path("i18n"), [lang], "ckanext-quito_gobiernoabierto").gettext(msgid) != msgid


def test_pages_are_spanish_by_default(app, load_demo):
    load_demo("lotaip.yaml")
    soup = page(app, "/transparencia/lotaip?year=2016")
    assert soup.find("html")["lang"] == "es"
    assert soup.find("abbr", title="marzo") is not None  # month names in the user's language
    assert "Remuneración mensual por puesto" in soup.get_text()  # subjects already translated
    if not _catalogue_has("Transparency Law (LOTAIP)"):
        pytest.skip("the page's messages are not compiled yet: run make i18n")
    assert soup.find("h1").get_text(strip=True) == "Ley de Transparencia (LOTAIP)"
    assert cells(soup, "c", SGP)[2].get_text(strip=True) == "Falta"
    assert completeness(soup, "c", SGP)[2] == "2 de 12 (17 %)"  # (whitespace normalised)


def test_every_message_of_the_pages_is_in_the_translation_table():
    """``make i18n`` fills the catalogues from i18n/translations/*.tsv: every msgid of these pages is there."""
    from babel.messages.extract import extract_from_dir

    from tests.conftest import ROOT

    rows = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "i18n", "translations"))):
        with open(os.path.join(ROOT, "i18n", "translations", name), encoding="utf-8") as f:
            for line in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if line and not line[0].startswith("#"):
                    rows[line[0]] = line[1:]
    base = os.path.join(ROOT, "ckanext", "quito_gobiernoabierto")
    wanted = set()
    for folder, method in (("templates/transparency", "ckan.lib.extract:extract_ckan"),
                           ("transparency", "python"), ("lotaip", "python"), ("views", "python")):
        for filename, _line, message, *_rest in extract_from_dir(os.path.join(base, folder), [("**", method)]):
            if folder != "views" or filename == "transparency.py":
                wanted.add(message[0] if isinstance(message, tuple) else message)
    missing = sorted(m for m in wanted if m not in rows)
    assert not missing, missing
