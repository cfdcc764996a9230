"""The suite's ``with_plugins`` and ``app`` (tests/conftest.py) keep the plugins
loaded and the app built between tests; each test must still see exactly the
plugins and configuration it asked for, as with CKAN's own fixtures. The tests
alternate configurations so that a kept state would show."""
import pytest

import ckan.plugins as p

TITLE = "Portal de Gobierno Abierto - Quito (test)"  # test.ini
GENERAL_ONLY = "ckanext.quito_gobiernoabierto.schemas:datasets/dataset.yaml"
WITHOUT_PORTAL = "activity quito_search quito_datasets scheming_organizations dcat structured_data"


def site_title(app) -> str:
    res = app.get("/api/3/action/status_show")
    assert res.status_code == 200
    return res.json["result"]["site_title"]


@pytest.mark.usefixtures("with_plugins")
def test_plugins_of_test_ini():
    assert p.plugin_loaded("quito_datasets") and p.plugin_loaded("quito_gobiernoabierto")


@pytest.mark.ckan_config("ckan.plugins", "quito_search")
@pytest.mark.usefixtures("with_plugins")
def test_plugins_of_a_mark_after_those_of_test_ini():
    assert p.plugin_loaded("quito_search")
    assert not p.plugin_loaded("quito_datasets")


@pytest.mark.usefixtures("with_plugins")
def test_plugins_of_test_ini_again_after_a_mark():
    assert p.plugin_loaded("quito_datasets")


def test_no_plugins_without_with_plugins():
    assert not p.plugin_loaded("quito_datasets")
    assert not p.plugin_loaded("quito_search")


@pytest.mark.usefixtures("with_plugins")
def test_app_with_the_configured_title(app):
    assert site_title(app) == TITLE


@pytest.mark.ckan_config("ckan.site_title", "Otro portal")
@pytest.mark.usefixtures("with_plugins")
def test_app_with_the_title_of_a_mark(app):
    assert site_title(app) == "Otro portal"


@pytest.mark.usefixtures("with_plugins")
def test_app_with_the_configured_title_again(app):
    assert site_title(app) == TITLE


@pytest.mark.usefixtures("with_plugins")
def test_a_view_of_the_portal_plugin(app):
    assert app.get("/organigrama").status_code == 200


@pytest.mark.ckan_config("ckan.plugins", WITHOUT_PORTAL)
@pytest.mark.usefixtures("with_plugins")
def test_no_view_of_a_plugin_left_out_by_a_mark(app):
    assert app.get("/organigrama").status_code == 404


@pytest.mark.usefixtures("with_plugins")
def test_the_view_again_after_a_mark(app):
    assert app.get("/organigrama").status_code == 200


def dataset_types() -> set:
    from ckanext.scheming.helpers import scheming_dataset_schemas

    return set(scheming_dataset_schemas())


@pytest.mark.usefixtures("with_plugins")
def test_every_dataset_type_of_test_ini():
    assert {"dataset", "lotaip", "gtfs"} <= dataset_types()


@pytest.mark.ckan_config("scheming.dataset_schemas", GENERAL_ONLY)
@pytest.mark.usefixtures("with_plugins")
def test_the_dataset_types_of_a_mark_reach_the_plugins():
    assert dataset_types() == {"dataset"}


def test_an_app_without_with_plugins_loads_every_type(app):
    """Loaded by building the app, from test.ini's settings (after a test whose
    mark left out every type but one)."""
    assert {"dataset", "lotaip", "gtfs"} <= dataset_types()


@pytest.mark.ckan_config("scheming.dataset_schemas", GENERAL_ONLY)
@pytest.mark.usefixtures("with_plugins")
def test_the_mark_again_after_plugins_loaded_by_an_app():
    """Same configuration and plugin names as the earlier test with this mark,
    but the plugins were since loaded by something else from other settings."""
    assert dataset_types() == {"dataset"}


@pytest.mark.usefixtures("with_plugins")
def test_every_dataset_type_again_after_a_mark():
    assert {"dataset", "lotaip", "gtfs"} <= dataset_types()

