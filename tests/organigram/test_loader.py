"""Loading an organigram: idempotent, reports changes, never deletes silently."""
import os

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source

HERE = os.path.dirname(__file__)
SMALL = os.path.join(HERE, "fixtures", "small.yaml")

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def load(rows, remove=False):
    return loader.load(rows, site_context(), remove)


def small_rows():
    return source.read(SMALL)


def test_first_load_creates_the_tree_and_second_changes_nothing():
    first = load(small_rows())
    assert len(first.created) == 5 and not first.problems
    tree = helpers.call_action("group_tree", type="organization")
    assert [t["name"] for t in tree] == ["alcaldia-metropolitana"]
    movilidad = [c for c in tree[0]["children"] if c["name"] == "secretaria-de-movilidad"][0]
    assert [c["name"] for c in movilidad["children"]] == [
        "empresa-publica-metropolitana-de-transporte-de-pasajeros"]
    second = load(small_rows())
    assert (second.created, second.updated, len(second.unchanged)) == ([], [], 5)


def test_a_changed_file_updates_only_what_changed():
    load(small_rows())
    rows = small_rows()
    rows[1]["authority_email"] = "ambiente@quito.gob.ec"
    rows[4]["parent"] = "alcaldia-metropolitana"
    report = load(rows)
    assert sorted(report.updated) == [
        "empresa-publica-metropolitana-de-transporte-de-pasajeros (parent)",
        "secretaria-de-ambiente (authority_email)"]
    assert len(report.unchanged) == 3
    shown = helpers.call_action("organization_show", id="secretaria-de-ambiente")
    assert shown["authority_email"] == "ambiente@quito.gob.ec"
    assert shown["authority_twitter"] == "@ambientequito"


def test_missing_dependencies_are_reported_and_removed_only_on_request():
    load(small_rows())
    rows = [r for r in small_rows() if r["name"] != "administracion-zonal-calderon"]
    kept = load(rows)
    assert kept.missing == ["administracion-zonal-calderon"]
    assert helpers.call_action("organization_show", id="administracion-zonal-calderon")["state"] == "active"
    removed = load(rows, remove=True)
    assert removed.deleted == ["administracion-zonal-calderon"]


def test_a_dependency_with_datasets_is_not_deleted():
    load(small_rows())
    factories.Dataset(owner_org="administracion-zonal-calderon")
    rows = [r for r in small_rows() if r["name"] != "administracion-zonal-calderon"]
    report = load(rows, remove=True)
    assert report.deleted == [] and "administracion-zonal-calderon" in report.problems[0]
    assert helpers.call_action("organization_show", id="administracion-zonal-calderon")["state"] == "active"


def test_bad_rows_are_problems_and_the_rest_loads():
    rows = small_rows()
    rows[2].pop("kind")
    rows[3]["authority_email"] = "no-es-correo"
    rows.append(dict(rows[0]))
    report = load(rows)
    assert sorted(report.created) == [
        "alcaldia-metropolitana", "empresa-publica-metropolitana-de-transporte-de-pasajeros",
        "secretaria-de-ambiente"] or len(report.problems) >= 3
    text = " | ".join(report.problems)
    assert "missing kind" in text and "duplicate name" in text and "authority_email" in text


def test_csv_files_load_too(tmp_path):
    path = tmp_path / "organigrama.csv"
    path.write_text("name,title,kind,parent,acronym\n"
                    "alcaldia-metropolitana,Alcaldía Metropolitana,alcaldia,,\n"
                    "agencia-metropolitana-de-control,Agencia Metropolitana de Control,agencia,"
                    "alcaldia-metropolitana,AMC\n", encoding="utf-8")
    report = load(source.read(str(path)))
    assert len(report.created) == 2
    assert helpers.call_action("organization_show", id="agencia-metropolitana-de-control")["acronym"] == "AMC"


@pytest.mark.parametrize("text, fmt", [("dependencies: 3", "yaml"), (": : :", "yaml"),
                                       ("nombre,titulo\nx,y\n", "csv")])
def test_unreadable_files_are_refused(text, fmt):
    with pytest.raises(source.SourceError):
        source.parse(text, fmt)


def test_cli_reports_and_is_idempotent(cli):
    result = cli.invoke(ckan, ["quito", "organigram", "load", SMALL])
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output
    again = cli.invoke(ckan, ["quito", "organigram", "load", SMALL])
    assert "0 created, 0 updated, 5 unchanged, 0 problems" in again.output


def test_cli_refuses_a_missing_file(cli):
    result = cli.invoke(ckan, ["quito", "organigram", "load", "/no/existe.yaml"])
    assert result.exit_code != 0 and "no such file" in result.output


def test_the_api_action_is_for_sysadmins_only(app):
    content = open(SMALL, encoding="utf-8").read()
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    res = app.post("/api/3/action/quito_organigram_load", json={"content": content},
                   headers={"Authorization": token})
    assert res.status_code == 403
    admin = factories.Sysadmin()
    token = factories.APIToken(user=admin["name"])["token"]
    res = app.post("/api/3/action/quito_organigram_load", json={"content": content},
                   headers={"Authorization": token})
    assert res.status_code == 200 and len(res.json["result"]["created"]) == 5
    bad = app.post("/api/3/action/quito_organigram_load", json={"content": "dependencies: 3"},
                   headers={"Authorization": token})
    assert bad.status_code == 409 and "content" in bad.json["error"]


def test_the_shipped_organigram_loads_cleanly():
    from ckanext.quito_gobiernoabierto.cli import SHIPPED_ORGANIGRAM

    rows = source.read(SHIPPED_ORGANIGRAM)
    first = load(rows)
    assert not first.problems, first.problems
    assert len(first.created) == len(rows) >= 40
    kinds = [r["kind"] for r in rows]
    assert kinds.count("administracion_zonal") == 9
    tree = helpers.call_action("group_tree", type="organization")
    assert [t["name"] for t in tree] == ["alcaldia-metropolitana"]
    again = load(rows)
    assert not again.created and not again.updated and len(again.unchanged) == len(rows)
    ambiente = helpers.call_action("organization_show", id="secretaria-de-ambiente")
    assert ambiente["authority_email"] == "veronica.aria@quito.gob.ec"
