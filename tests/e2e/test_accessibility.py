"""axe-core (vendored, tests/e2e/vendor/) on the portal's main pages in a real
headless Chromium: no serious or critical WCAG 2.0/2.1 A/AA violation."""
from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.e2e

#: (id, path) of the pages checked; the dataset is a demo publication with an uploaded file.
PAGES = [
    ("home", "/"),
    ("search", "/dataset?q=agua"),
    ("dataset", "/dataset/calidad-del-aire-quito-muestra"),
    ("lotaip", "/transparencia/lotaip"),
    ("organigram", "/organigrama"),
]


@pytest.mark.parametrize("path", [path for _, path in PAGES], ids=[name for name, _ in PAGES])
def test_no_serious_or_critical_violations(live_portal, browser, screenshot, axe, path):
    url = live_portal.url(path)
    status = requests.get(url, timeout=15).status_code
    assert status == 200, f"{path} answered {status}; nothing to check yet"
    browser.get(url)
    screenshot("page")
    violations = axe(browser)
    assert not violations, f"axe-core: serious/critical WCAG A/AA violations on {path}:\n{violations}"


def test_axe_reports_violations(browser, axe):
    """The check itself works: a page with an unlabelled image and an empty link fails."""
    browser.get("data:text/html;charset=utf-8,<!doctype html><html lang='es'><head><title>t</title></head>"
                "<body><main><h1>Prueba</h1><img src='x.png'><a href='/x'></a></main></body></html>")
    violations = axe(browser)
    assert {v["id"] for v in violations} >= {"image-alt", "link-name"}, str(violations)
    assert "image-alt" in str(violations) and "img" in str(violations)
