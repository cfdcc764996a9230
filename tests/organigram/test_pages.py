"""/organigrama and the organization page show the tree and the authority cards."""
import os

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source

SMALL = os.path.join(os.path.dirname(__file__), "fixtures", "small.yaml")

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def organigram():
    loader.load(source.read(SMALL), site_context())
    factories.Dataset(owner_org="secretaria-de-ambiente", title="Calidad del aire")
    factories.Dataset(owner_org="secretaria-de-ambiente", title="Ruido urbano")
    factories.Dataset(owner_org="secretaria-de-ambiente", title="Sumarios", private=True)


def test_organigram_page_shows_every_dependency_with_cards_and_counts(app, organigram):
    res = app.get("/organigrama")
    assert res.status_code == 200
    body = res.body
    for title in ("Alcaldía Metropolitana de Quito", "Secretaría de Ambiente", "Secretaría de Movilidad",
                  "Administración Zonal Calderón", "Empresa Pública Metropolitana de Transporte de Pasajeros (EPMTPQ)"):
        assert title in body
    assert "María Verónica Arias" in body and "mailto:veronica.aria@quito.gob.ec" in body
    assert "24101" in body and "@ambientequito" in body
    assert "2 conjuntos de datos" in body or "2 datasets" in body  # the private one is not counted
    assert 'href="/organization/secretaria-de-ambiente"' in body
    assert 'id="quito-organigram-q"' in body and "<details open>" in body


def test_organigram_page_in_english(app, organigram):
    res = app.get("/en/organigrama")
    assert res.status_code == 200
    assert "Institutional organigram" in res.body and "Secretariat" in res.body


def test_organization_page_shows_card_and_place_in_tree(app, organigram):
    res = app.get("/organization/secretaria-de-movilidad")
    assert res.status_code == 200
    body = res.body
    assert "Alcaldía Metropolitana de Quito" in body  # ancestor
    assert "Empresa Pública Metropolitana de Transporte de Pasajeros" in body  # child
    res = app.get("/organization/secretaria-de-ambiente")
    assert "María Verónica Arias" in res.body and "Secretaria de Ambiente" in res.body


def test_organigram_page_with_the_shipped_file(app):
    from ckanext.quito_gobiernoabierto.cli import SHIPPED_ORGANIGRAM

    rows = source.read(SHIPPED_ORGANIGRAM)
    loader.load(rows, site_context())
    body = app.get("/organigrama").body
    assert body.count('class="quito-node"') == len(rows)
    # siblings by kind, then by name: the Concejo, then Secretarías, then empresas
    order = [body.index(t) for t in ("Concejo Metropolitano de Quito", "Secretaría de Comunicación",
                                      "Secretaría General de Planificación",
                                      "Empresa Pública Metropolitana de Servicios Aeroportuarios")]
    assert order == sorted(order)


def test_the_place_of_every_dependency_is_ckans_hierarchy():
    """``place_of`` reads the tree in one statement: the same ancestors (root
    first) and children as CKAN's Group methods, by name or id, with the whole
    shipped organigram (several levels) and a removed dependency."""
    from ckan import model
    from ckanext.quito_gobiernoabierto.cli import SHIPPED_ORGANIGRAM
    from ckanext.quito_gobiernoabierto.organigram import page

    loader.load(source.read(SHIPPED_ORGANIGRAM), site_context())
    groups = model.Session.query(model.Group).filter_by(is_organization=True, state="active").all()
    removed = groups[len(groups) // 2]
    tk.get_action("organization_delete")(dict(site_context(), ignore_auth=True), {"id": removed.id})
    model.Session.remove()
    depths = set()
    for group in model.Session.query(model.Group).filter_by(is_organization=True, state="active"):
        ancestors = [g.name for g in group.get_parent_group_hierarchy(type="organization")]
        children = sorted((g.title or g.name for g in group.get_children_groups(type="organization")))
        found = page.place_of(group.name)
        assert [a["name"] for a in found["ancestors"]] == ancestors, group.name
        assert [c["title"] for c in found["children"]] == children, group.name
        assert page.place_of(group.id) == found
        depths.add(len(ancestors))
    assert max(depths) >= 2 and removed.name not in str(page.place_of(groups[0].name))
    assert page.place_of("no-existe") == {"ancestors": [], "children": []}
