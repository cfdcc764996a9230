"""Journeys of a citizen through the portal in a real headless Chromium, with a
screenshot at every step (var/test-artifacts/e2e/).

Downloads are checked by fetching the link's address with ``requests`` (headless
downloads are awkward) and comparing the body with the demo file it came from.
"""
from __future__ import annotations

import os
import re

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from ckanext.quito_gobiernoabierto import package_path

pytestmark = pytest.mark.e2e

DEMO_FILES = package_path("data", "demo", "files")


# --------------------------------------------------------------------------- helpers

def visible(driver, css: str, within=None) -> list:
    return [e for e in (within or driver).find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]


def page_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def html_lang(driver) -> str:
    return (driver.find_element(By.TAG_NAME, "html").get_attribute("lang") or "").lower()


def click(driver, element) -> None:
    """Scroll the element into view and click it as a person would."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def fetch(url: str) -> requests.Response:
    response = requests.get(url, timeout=15)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    assert response.content, f"GET {url} answered an empty body"
    return response


def demo_file(name: str) -> bytes:
    with open(os.path.join(DEMO_FILES, name), "rb") as f:
        return f.read()


def demo_entry(live_portal, name: str) -> dict:
    return next(e for e in live_portal.datasets if e["name"] == name)


# --------------------------------------------------------------------------- search → facet → dataset → download

SEARCH_QUERY = "calidad aire"
SEARCH_DATASET = "calidad-del-aire-quito-muestra"


def test_search_facet_dataset_download(live_portal, browser, wait, screenshot):
    entry = demo_entry(live_portal, SEARCH_DATASET)
    browser.get(live_portal.url("/"))
    screenshot("01-home")

    # The home page's own search box if it has one, else the header's.
    boxes = visible(browser, "[role=main] input[name=q], main input[name=q]") or visible(browser, "input[name=q]")
    assert boxes, "no visible search box (input[name=q]) on the home page"
    boxes[0].send_keys(SEARCH_QUERY, Keys.ENTER)
    wait(EC.url_contains("q="), "submitting the search did not reach the search page")
    wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-list, .dataset-item")),
         f"no results list for {SEARCH_QUERY!r}")
    screenshot("02-results")
    assert entry["title"] in page_text(browser), f"{entry['title']!r} not among the results for {SEARCH_QUERY!r}"

    # Facet: the dependency that publishes it.
    facet_css = f"a[href*='organization={entry['owner_org']}']"
    facets = visible(browser, facet_css)
    assert facets, f"no visible facet link {facet_css}"
    click(browser, facets[0])
    wait(EC.url_contains(f"organization={entry['owner_org']}"), "the facet did not filter the search")
    screenshot("03-facet")
    headings = visible(browser, ".dataset-heading a")
    assert headings, "no dataset listed after filtering by dependency"
    target = [a for a in headings if a.get_attribute("href").rstrip("/").endswith("/" + SEARCH_DATASET)]
    assert target, f"{SEARCH_DATASET} not listed after the facet: {[a.text for a in headings]}"

    # Dataset page.
    click(browser, target[0])
    wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".resource-item")), "the dataset page lists no resource")
    assert entry["title"] in page_text(browser)
    screenshot("04-dataset")

    # The resource's "Explorar" menu and its download link.
    item = visible(browser, ".resource-item")[0]
    toggles = visible(browser, ".dropdown-toggle", within=item)
    if toggles:
        click(browser, toggles[0])
    link = wait(lambda d: next(iter(visible(d, "a.resource-url-analytics", within=item)), False),
                "no visible download link (a.resource-url-analytics) for the first resource")
    screenshot("05-download-link")
    href = link.get_attribute("href")
    assert href.startswith(live_portal.base_url), f"download link {href} does not point at the portal"
    response = fetch(href)
    uploaded = [r["file"] for r in entry["resources"] if "file" in r][0]
    assert response.content == demo_file(uploaded), f"{href} does not serve {uploaded}"

    # The resource's own page (its title in the list) offers the same download.
    click(browser, item.find_element(By.CSS_SELECTOR, "a.heading"))
    buttons = wait(lambda d: visible(d, "a.resource-url-analytics"), "no download button on the resource page")
    screenshot("06-resource")
    assert buttons[0].get_attribute("href") == href


# --------------------------------------------------------------------------- organigram → dependency → datasets

ORGANIGRAM_DEPENDENCY = "secretaria-de-ambiente"


def test_organigram_dependency_datasets(live_portal, browser, wait, screenshot):
    expected = [e for e in live_portal.datasets if e["owner_org"] == ORGANIGRAM_DEPENDENCY and not e.get("private")]
    assert expected, f"the demo has no public dataset of {ORGANIGRAM_DEPENDENCY}"
    browser.get(live_portal.url("/organigrama"))
    wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".quito-node")), "the organigram shows no dependency")
    screenshot("01-organigram")

    # Narrow the tree with its filter, as a person looking for "Ambiente" would.
    filters = visible(browser, "#quito-organigram-q")
    if filters:
        filters[0].send_keys("Ambiente")
        screenshot("02-filtered")

    node_link = f".quito-node-title a[href$='/organization/{ORGANIGRAM_DEPENDENCY}']"
    links = wait(lambda d: visible(d, node_link), f"no visible dependency link {node_link} in the organigram")
    click(browser, links[0])
    wait(EC.url_contains(f"/organization/{ORGANIGRAM_DEPENDENCY}"), "the dependency's page did not open")
    wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-item")), "the dependency's page lists no dataset")
    screenshot("03-dependency")

    listed = {a.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] for a in visible(browser, ".dataset-heading a")}
    wanted = {e["name"] for e in expected}
    assert wanted <= listed, f"listed {sorted(listed)}, expected {sorted(wanted)}"
    text = page_text(browser)
    assert f"{len(expected)} conjuntos de datos" in text, f"dataset count {len(expected)} not shown"


# --------------------------------------------------------------------------- language switch

def switch_language(browser, live_portal, lang: str, fallback_path: str) -> str:
    """Use the header's language switch (``data-testid="language-switch"``) if the
    page has one, else go to the page's address in that language. Returns how."""
    switches = visible(browser, "[data-testid=language-switch]")
    if not switches:
        browser.get(live_portal.url(fallback_path))
        return "url"
    switch = switches[0]
    if switch.tag_name == "select":
        select = Select(switch)
        option = next((o for o in select.options
                       if re.search(rf"(^|/){lang}(/|$)", o.get_attribute("value") or "")
                       or (o.get_attribute("lang") or "").lower() == lang), None)
        assert option is not None, f"the language switch offers no {lang!r} option"
        select.select_by_value(option.get_attribute("value"))
        return "select"
    if switch.tag_name == "a":
        click(browser, switch)
        return "link"
    def leads_to(e) -> bool:
        declared = (e.get_attribute("hreflang") or e.get_attribute("lang") or "").lower()
        if declared:
            return declared.startswith(lang)
        path = (e.get_attribute("href") or "").replace(live_portal.base_url, "")
        english = bool(re.match(r"^/en(/|$)", path))
        return bool(path) and english == (lang == "en")

    targets = [e for e in visible(browser, "a, button", within=switch) if leads_to(e)]
    assert targets, f"the language switch has no visible link or button to {lang!r}"
    click(browser, targets[0])
    return "switch"


def test_language_switch(live_portal, browser, wait, screenshot):
    browser.get(live_portal.url("/dataset"))
    assert html_lang(browser).startswith("es")
    assert "conjuntos de datos encontrados" in page_text(browser)
    screenshot("01-spanish")

    how = switch_language(browser, live_portal, "en", "/en/dataset")
    wait(lambda d: html_lang(d).startswith("en"), f"the page did not turn English (via {how})")
    text = page_text(browser)
    assert "datasets found" in text and "conjuntos de datos encontrados" not in text, "no visible English text"
    assert "/en/dataset" in browser.current_url, f"not the same page in English: {browser.current_url}"
    screenshot("02-english")

    how = switch_language(browser, live_portal, "es", "/dataset")
    wait(lambda d: html_lang(d).startswith("es"), f"the page did not turn back to Spanish (via {how})")
    assert "conjuntos de datos encontrados" in page_text(browser)
    assert "/en/" not in browser.current_url
    screenshot("03-spanish-again")


# --------------------------------------------------------------------------- LOTAIP browser

#: A demo publication whose months are published: year, literal, dependency, a month and its file.
LOTAIP_DATASET = "lotaip-secretaria-de-ambiente-n-2016"


def _same_literal(a: str, b: str) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def _month_number(value: str):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _month_link(element):
    if element.tag_name == "a" and element.get_attribute("href"):
        return element
    links = [a for a in element.find_elements(By.CSS_SELECTOR, "a[href]") if a.is_displayed()]
    return links[0] if links else None


def test_lotaip_year_literal_month_file(live_portal, browser, wait, screenshot):
    """Contract (the page is being built): /transparencia/lotaip with
    ``data-testid="lotaip-year-tab"``, ``data-testid="lotaip-literal"`` (``data-literal``) and
    ``data-testid="lotaip-month"`` (``data-month``, ``data-dependency``; a link when published)."""
    entry = demo_entry(live_portal, LOTAIP_DATASET)
    year, literal, dependency = entry["lotaip_year"], entry["lotaip_literal"], entry["owner_org"]
    published = {int(r["month"]): r["file"] for r in entry["resources"] if "file" in r}

    browser.get(live_portal.url("/transparencia/lotaip"))
    screenshot("01-lotaip")
    try:
        tabs = WebDriverWait(browser, 3).until(lambda d: visible(d, "[data-testid=lotaip-year-tab]"))
    except TimeoutException:
        pytest.fail(f"/transparencia/lotaip shows no [data-testid=lotaip-year-tab] "
                    f"(page title {browser.title!r}): the LOTAIP browser is not there yet")

    tab = next((t for t in tabs if t.get_attribute("data-year") == year or year in t.text), None)
    assert tab is not None, f"no year tab for {year}: {[t.text for t in tabs]}"
    click(browser, tab)
    literals = wait(lambda d: [e for e in visible(d, "[data-testid=lotaip-literal]")
                               if _same_literal(e.get_attribute("data-literal"), literal)],
                    f"no visible literal {literal!r} after choosing {year}")
    screenshot("02-year")

    # Open the literal if it is a control (a tab, an accordion, a link to its own page);
    # a literal shown in place (a section with its month grid) needs no click.
    literal_element = literals[0]
    controls = "button, summary, [role=tab], [aria-expanded]"
    if literal_element.tag_name in ("a", "button", "summary") or literal_element.get_attribute("role") == "tab":
        click(browser, literal_element)
    elif visible(browser, controls, within=literal_element):
        click(browser, visible(browser, controls, within=literal_element)[0])
    else:
        browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", literal_element)

    def published_month(driver):
        try:
            scope = literal_element if literal_element.is_displayed() else driver
        except StaleElementReferenceException:  # the literal opened a page of its own
            scope = driver
        for month in visible(driver, "[data-testid=lotaip-month]", within=scope):
            number = _month_number(month.get_attribute("data-month"))
            if number in published and month.get_attribute("data-dependency") == dependency:
                link = _month_link(month)
                if link is not None:
                    return number, link
        return False

    number, link = wait(published_month, f"no published month link of {dependency} "
                                         f"({sorted(published)}) under literal {literal!r}, {year}")
    screenshot("03-literal")
    href = link.get_attribute("href")
    response = fetch(href)
    assert response.content == demo_file(published[number]), f"{href} does not serve {published[number]}"
