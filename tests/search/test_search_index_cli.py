"""``ckan search-index rebuild|check|show|clear`` work against the PostgreSQL engine."""
import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.quito_gobiernoabierto.search.connection import PostgresSearchConnection

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def count():
    return helpers.call_action("package_search")["count"]


def test_clear_then_rebuild(cli):
    for i in range(3):
        factories.Dataset(name=f"indicador-{i}", title=f"Indicador distrital {i}")
    assert count() == 3
    assert cli.invoke(ckan, ["search-index", "clear"]).exit_code == 0
    assert count() == 0
    result = cli.invoke(ckan, ["search-index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert count() == 3


def test_rebuild_one_and_check(cli):
    ds = factories.Dataset(name="presupuesto-2016", title="Presupuesto 2016")
    other = factories.Dataset(name="poa-2016")
    PostgresSearchConnection().delete(q="*:*")
    result = cli.invoke(ckan, ["search-index", "check"])
    assert result.exit_code == 0
    assert "Packages not indexed = 2 out of 2" in result.output
    assert cli.invoke(ckan, ["search-index", "rebuild", ds["name"]]).exit_code == 0
    result = cli.invoke(ckan, ["search-index", "check"])
    assert "Packages not indexed = 1 out of 2" in result.output and other["name"] in result.output


def test_show_and_clear_one(cli):
    ds = factories.Dataset(name="sesiones-concejo", title="Sesiones del Concejo")
    result = cli.invoke(ckan, ["search-index", "show", ds["name"]])
    assert result.exit_code == 0, result.output
    assert "Sesiones del Concejo" in result.output and "index_id" in result.output
    assert cli.invoke(ckan, ["search-index", "clear", ds["name"]]).exit_code == 0
    assert count() == 0


def test_rebuild_only_missing_and_commit(cli):
    factories.Dataset(name="capa-parroquias")
    PostgresSearchConnection().delete(q="name:capa-parroquias")
    result = cli.invoke(ckan, ["search-index", "rebuild", "--only-missing"])
    assert result.exit_code == 0, result.output
    assert count() == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_parallel_rebuild_gives_the_same_index(cli, workers):
    for i in range(5):
        factories.Dataset(name=f"capa-{i}", title=f"Capa geográfica {i}", tags=[{"name": "mapas"}])
    before = helpers.call_action("package_search", q="geográfica", **{"facet.field": ["tags"]})
    PostgresSearchConnection().delete(q="*:*")
    PostgresSearchConnection().add([{"index_id": "gone", "id": "gone", "site_id": "test.quito",
                                     "state": "active", "name": "gone", "title": "Dataset that no longer exists"}])
    result = cli.invoke(ckan, ["quito", "search", "rebuild", "--workers", workers, "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "5 datasets indexed" in result.output and "1 stale entries removed" in result.output
    after = helpers.call_action("package_search", q="geográfica", **{"facet.field": ["tags"]})
    assert after["count"] == before["count"] == 5
    assert after["facets"] == before["facets"] == {"tags": {"mapas": 5}}
    assert helpers.call_action("package_search", q="no longer exists")["count"] == 0
