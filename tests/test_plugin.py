"""The portal plugin loads, is listed by the API and speaks Spanish and English."""
import pytest

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@pytest.mark.usefixtures("with_plugins")
def test_plugin_is_loaded():
    assert p.plugin_loaded("quito_gobiernoabierto")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_status_show_lists_the_plugin(app):
    res = app.get("/api/3/action/status_show")
    assert res.status_code == 200
    result = res.json["result"]
    assert "quito_gobiernoabierto" in result["extensions"]
    assert result["ckan_version"].startswith("2.1")


@pytest.mark.usefixtures("with_plugins")
def test_config_declarations_are_registered():
    assert tk.config.get("ckanext.quito.demo.admin_user") == "admin"


@pytest.mark.usefixtures("with_plugins", "with_request_context")
@pytest.mark.parametrize("lang, expected", [
    ("es", "Portal de Gobierno Abierto de Quito"),
    ("en", "Quito Open Government Portal"),
])
def test_portal_name_is_translated(lang, expected, monkeypatch):
    from flask_babel import force_locale

    with force_locale(lang):
        assert tk.h.quito_portal_name() == expected
