"""End-to-end fixtures: the portal served over real HTTP, driven by Debian's
headless Chromium through Selenium, with screenshots and axe-core checks.

* ``live_portal`` (package-scoped): a fresh database (CKAN's ``reset_db`` plus the
  plugins' migrations, as ``tests/conftest.py``'s ``clean_db``), an empty index,
  the shipped organigram and the demo publications (files uploaded into a
  temporary storage), and the CKAN app of ``test.ini`` served by werkzeug on
  127.0.0.1 at a free port, with ``ckan.site_url`` set to that address.
* ``browser``: a Chrome WebDriver on ``/usr/bin/chromium`` + ``/usr/bin/chromedriver``
  (Selenium Manager is never used, so nothing is downloaded).
* ``screenshot(name)``: a PNG in ``var/test-artifacts/e2e/<test>-<name>.png``.
* ``axe(driver)``: the serious/critical WCAG 2.0/2.1 A/AA violations of the page.

Selected with ``-m e2e``. Without Chromium the browser tests are skipped, unless
``QUITO_REQUIRE_BROWSER=1`` (CI), when they fail.
"""
from __future__ import annotations

import logging
import os
import re
import threading

import pytest

# Selenium Manager is bypassed (explicit driver path), but make sure it would
# neither download nor report anything if some code path reached it.
os.environ.setdefault("SE_AVOID_STATS", "true")
os.environ.setdefault("SE_OFFLINE", "true")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(ROOT, "var", "test-artifacts", "e2e")
AXE_VERSION = "4.14.1"
AXE_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor", f"axe-core-{AXE_VERSION}", "axe.min.js")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")
WINDOW = (1366, 900)
#: Seconds a browser waits for an element or a page.
WAIT = 10

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_IMPACTS = ("serious", "critical")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: end-to-end test in a real headless Chromium against the live portal (tests/e2e)")


# --------------------------------------------------------------------------- live portal

def _patch_config(values: dict) -> dict:
    """Set ``values`` in CKAN's config and in the snapshot that CKAN's pytest
    plugin restores before every test (so they hold for the whole module).
    Returns what to put back."""
    from ckan.common import config
    from ckan.tests.pytest_ckan import ckan_setup

    missing = object()
    saved = {key: (config.get(key, missing), ckan_setup._config.get(key, missing)) for key in values}
    for key, value in values.items():
        config[key] = value
        ckan_setup._config[key] = value
    return {"saved": saved, "missing": missing}


def _restore_config(state: dict) -> None:
    from ckan.common import config
    from ckan.tests.pytest_ckan import ckan_setup

    for key, (live, snapshot) in state["saved"].items():
        for target, value in ((config, live), (ckan_setup._config, snapshot)):
            if value is state["missing"]:
                target.pop(key, None)
            else:
                target[key] = value


class LivePortal:
    """The running portal: ``url("/dataset")`` gives an absolute address."""

    def __init__(self, base_url: str, flask_app, datasets: list[dict]):
        self.base_url = base_url
        self.flask_app = flask_app
        #: The demo entries as loaded (``data/demo/*.yaml``).
        self.datasets = datasets

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)


def _load_content() -> list[dict]:
    """The shipped organigram and the demo publications (same steps as ``ckan quito demo load``,
    without the harvest sources)."""
    from ckanext.quito_gobiernoabierto import package_path
    from ckanext.quito_gobiernoabierto.logic import demo, demo_datasets

    organigram = demo.load_organigram("")
    datasets = demo.load_datasets("")
    problems = organigram.problems + datasets.problems
    assert problems == [], f"demo content did not load: {problems}"
    return demo_datasets.read_entries(package_path("data", "demo"))


@pytest.fixture(scope="package")
def live_portal(chromium, reset_db, reset_index, migrate_db_for, tmp_path_factory):
    """The CKAN app of test.ini with the organigram and demo content, served over
    HTTP on 127.0.0.1 (a free port) by a threaded werkzeug server. Package-scoped:
    one database reset and content load for all of tests/e2e, torn down (config,
    plugins) after its last test, so tests that run after it see CKAN as before."""
    import ckan.plugins as p
    from ckan.config.middleware import make_app
    from ckan.common import config
    from ckan.lib.app_globals import _CONFIG_CACHE
    from werkzeug.serving import make_server

    from tests.conftest import reset_database

    # One log line per request (and per static file) is noise in the test output.
    werkzeug_log = logging.getLogger("werkzeug")
    werkzeug_level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    # Bind first (port 0 = any free port) so the site URL is known before the app is built.
    holder: dict = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    base_url = f"http://127.0.0.1:{server.port}"
    state = _patch_config({
        "ckan.site_url": base_url,
        "ckan.storage_path": str(tmp_path_factory.mktemp("e2e-storage")),
        "testing": True,
    })
    thread = None
    try:
        _CONFIG_CACHE.clear()
        p.load_all()
        reset_database(reset_db, migrate_db_for)
        reset_index()

        wsgi_app = make_app(config)
        flask_app = getattr(wsgi_app, "_wsgi_app", wsgi_app)
        with flask_app.test_request_context(base_url=base_url):
            datasets = _load_content()
        holder["app"] = wsgi_app

        thread = threading.Thread(target=server.serve_forever, name="e2e-live-portal", daemon=True)
        thread.start()
        yield LivePortal(base_url, flask_app, datasets)
    finally:
        if thread is not None:
            server.shutdown()
            thread.join(10)
        server.server_close()
        p.unload_non_system_plugins()
        _restore_config(state)
        _CONFIG_CACHE.clear()
        werkzeug_log.setLevel(werkzeug_level)


# --------------------------------------------------------------------------- browser

def _browser_required() -> bool:
    return os.environ.get("QUITO_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium and chromedriver are there: skip (before any database work)
    when chromium is missing, unless ``QUITO_REQUIRE_BROWSER=1``, when that fails."""
    if not os.path.exists(CHROMIUM):
        if not _browser_required():
            pytest.skip(f"{CHROMIUM} is missing: run scripts/browser.sh "
                        "(with QUITO_REQUIRE_BROWSER=1 this is a failure)")
        pytest.fail(f"QUITO_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: run scripts/browser.sh")
    if not os.path.exists(CHROMEDRIVER):
        pytest.fail(f"{CHROMIUM} is there but {CHROMEDRIVER} is missing: run scripts/browser.sh")
    return CHROMIUM


@pytest.fixture
def browser(chromium):
    """A headless Chromium (Debian's) driven by Selenium; quit at teardown."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    options.add_argument("--lang=es")
    options.add_experimental_option("prefs", {"intl.accept_languages": "es,es-EC"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.set_window_size(*WINDOW)
        driver.set_page_load_timeout(30)
        driver.implicitly_wait(0)
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def wait(browser):
    """``wait(condition)``: a WebDriverWait on the browser (WAIT seconds)."""
    from selenium.webdriver.support.ui import WebDriverWait

    def until(condition, message: str = "", timeout: float = WAIT):
        return WebDriverWait(browser, timeout).until(condition, message)

    return until


@pytest.fixture
def screenshot(request, browser):
    """``screenshot("step")`` saves the browser's viewport as
    ``var/test-artifacts/e2e/<test name>-<step>.png`` and returns the path."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")

    def shoot(name: str) -> str:
        path = os.path.join(ARTIFACTS, f"{test}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png")
        assert browser.save_screenshot(path), f"screenshot not saved: {path}"
        return path

    return shoot


# --------------------------------------------------------------------------- axe-core

def format_violations(violations: list[dict]) -> str:
    """One line per offending node: impact, rule id, selector, and the rule's help."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"[{v['impact']}] {v['id']}: {target} ({v['help']})")
    return "\n".join(lines)


class AxeViolations(list):
    """The violations as axe returns them; ``str()`` gives one readable line per node."""

    def __str__(self) -> str:
        return format_violations(self) or "no violations"


@pytest.fixture(scope="session")
def axe():
    """``axe(driver)`` injects the vendored axe.min.js into the current page and
    returns its serious and critical WCAG 2.0/2.1 A/AA violations (an
    ``AxeViolations`` list whose ``str()`` is readable in an assertion message)."""
    with open(AXE_JS, encoding="utf-8") as f:
        source = f.read()

    def run(driver) -> AxeViolations:
        if not driver.execute_script("return !!window.axe"):
            driver.execute_script(source)
        result = driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
              .then(r => done({violations: r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                  nodes: v.nodes.map(n => ({target: n.target, html: n.html, impact: n.impact,
                                            summary: n.failureSummary}))}))}))
              .catch(e => done({error: String(e)}));
            """,
            AXE_TAGS,
        )
        assert "error" not in result, f"axe-core failed: {result.get('error')}"
        return AxeViolations(v for v in result["violations"] if v["impact"] in AXE_IMPACTS)

    return run
