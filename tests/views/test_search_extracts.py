"""The description extracts of search results: CKAN's, kept once made, never stale."""
import markupsafe
import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import helpers as core
from ckan.tests import factories, helpers

from ckanext.quito_gobiernoabierto import helpers as portal

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

NOTES = "## Catastro\n\nPredios **urbanos** y [rurales](http://x) del *Distrito*. " + "Más texto. " * 40


def test_the_search_page_shows_each_description_as_ckan_extracts_it(app):
    factories.Dataset(title="Catastro de predios", notes=NOTES)
    body = app.get("/dataset/?q=catastro").body
    with app.flask_app.test_request_context():
        expected = str(markupsafe.escape(core.markdown_extract(NOTES, extract_length=180)))
    assert expected in body
    assert "**urbanos**" not in body


def test_an_edited_description_shows_its_new_extract(app):
    dataset = factories.Dataset(title="Catastro de predios", notes="Primera versión de la descripción.")
    assert "Primera versión de la descripción." in app.get("/dataset/?q=catastro").body
    helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]},
                        id=dataset["id"], notes="Segunda versión, _corregida_.")
    body = app.get("/dataset/?q=catastro").body
    assert "Segunda versión, corregida." in body and "Primera versión" not in body


@pytest.mark.parametrize("text", [NOTES, "Sin formato.", "*a* " * 300, "<b>html</b> & más"])
@pytest.mark.parametrize("length", [0, 80, 180])
def test_the_helper_gives_ckans_extract_and_keeps_it(app, text, length):
    portal._extracts.clear()
    with app.flask_app.test_request_context():
        first = tk.h.markdown_extract(text, extract_length=length)
        assert len(portal._extracts) == 1
        assert tk.h.markdown_extract(text, extract_length=length) == first
        assert len(portal._extracts) == 1
    assert first == core.markdown_extract(text, extract_length=length)


def test_the_kept_extracts_are_bounded(app, monkeypatch):
    monkeypatch.setattr(portal, "EXTRACTS_KEPT", 3)
    portal._extracts.clear()
    with app.flask_app.test_request_context():
        for i in range(10):
            tk.h.markdown_extract(f"Texto {i}", extract_length=100)
    assert len(portal._extracts) <= 3
