"""The world of the access tests (fixtures ``world`` and ``fresh_world``,
imported by the test modules): a dependency with a public, a private, a draft
and a deleted dataset (plain ``dataset`` type) and a public, a private and a
draft LOTAIP publication, each with a distinctive word in its title, its own
tag and resource format; and the people who look at them."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import reset_database
from tests.datasets.test_lotaip import publication

#: dataset key -> (distinctive word, tag, resource format)
WORDS = {
    "public": ("zafiro", "etiqueta-zafiro", "CSV"),
    "private": ("obsidiana", "etiqueta-obsidiana", "ODS"),
    "draft": ("malaquita", "etiqueta-malaquita", "KML"),
    "deleted": ("turmalina", "etiqueta-turmalina", "GEOJSON"),
    "lotaip_public": ("amatista", "etiqueta-amatista", "CSV"),
    "lotaip_private": ("berilo", "etiqueta-berilo", "XLSX"),
    "lotaip_draft": ("cuarzo", "etiqueta-cuarzo", "TSV"),
}
KEYS = tuple(WORDS)
HIDDEN = ("private", "draft", "deleted", "lotaip_private", "lotaip_draft")
VISIBLE = ("public", "lotaip_public")
ORG = "secretaria-de-seguridad"
#: Who looks: anonymous, a logged-in stranger, a member of the dependency, a sysadmin.
VIEWERS = ("anonymous", "stranger", "member", "sysadmin")
#: Those who may see the dependency's private datasets and drafts.
INSIDERS = ("member", "sysadmin")


def _plain(key: str, org: dict, **fields) -> dict:
    word, tag, fmt = WORDS[key]
    data = dict(name=f"datos-{word}", title=f"Registro {word.capitalize()} municipal",
                notes=f"Datos de prueba {word}.", owner_org=org["id"], tags=[{"name": tag}],
                resources=[{"url": f"http://example.org/{word}.{fmt.lower()}", "format": fmt, "name": word}])
    data.update(fields)
    return data


def _lotaip(key: str, org: dict, literal: str, **fields) -> dict:
    """A LOTAIP 2024 publication with January's three files (the same name and format three times)."""
    word, tag, fmt = WORDS[key]
    resources = [{"url": f"http://example.org/lotaip/{word}-{role}.{fmt.lower()}", "name": word,
                  "format": fmt, "month": "1", "lotaip_file_role": role}
                 for role in ("dataset", "metadata", "dictionary")]
    return publication(org, name=f"lotaip-{word}", title=f"LOTAIP {word.capitalize()} 2024",
                       lotaip_literal=literal, tags=[{"name": tag}], resources=resources, **fields)


def _create(editor: dict, data: dict) -> dict:
    return tk.get_action("package_create")({"user": editor["name"], "ignore_auth": False}, data)


def build_world() -> dict:
    """The dependency, its people, its datasets (by key, as created) and API tokens."""
    people = {"stranger": factories.User(name="forastero"), "member": factories.User(name="miembro"),
              "editor": factories.User(name="editora"), "sysadmin": factories.Sysadmin(name="raiz")}
    org = factories.Organization(
        name=ORG, title="Secretaría de Seguridad", kind="secretaria",
        users=[{"name": people["member"]["name"], "capacity": "member"},
               {"name": people["editor"]["name"], "capacity": "editor"}])
    editor = people["editor"]
    datasets = {
        "public": _create(editor, _plain("public", org)),
        "private": _create(editor, _plain("private", org, private=True)),
        "draft": _create(editor, _plain("draft", org, state="draft")),
        "deleted": _create(editor, _plain("deleted", org)),
        "lotaip_public": _create(editor, _lotaip("lotaip_public", org, "3")),
        "lotaip_private": _create(editor, _lotaip("lotaip_private", org, "1.1", private=True)),
        "lotaip_draft": _create(editor, _lotaip("lotaip_draft", org, "1.4", state="draft")),
    }
    # created public, then deleted: its first activity was a public one
    tk.get_action("package_delete")({"user": editor["name"]}, {"id": datasets["deleted"]["id"]})
    tokens = {role: factories.APIToken(user=user["name"])["token"] for role, user in people.items()}
    return {"org": org, "people": people, "datasets": datasets, "tokens": tokens}


@pytest.fixture(scope="module")
def world(reset_db, reset_index, migrate_db_for):
    """The world, built once for a module whose tests only read it (with the
    plugins of test.ini, on a fresh database and index, like ``clean_db``)."""
    import ckan.plugins as p

    p.load_all()
    reset_database(reset_db, migrate_db_for)
    reset_index()
    return build_world()


@pytest.fixture(scope="module")
def module_app(world):
    """The web app, made once for a module that reads the module's world
    (its tests still load the plugins with ``with_plugins``)."""
    from ckan.tests import helpers

    return helpers._get_test_app()


@pytest.fixture
def shared_app(module_app):
    """``app`` for the tests of a module that reads the module's world."""
    from ckan.lib.app_globals import _CONFIG_CACHE

    _CONFIG_CACHE.clear()  # as CKAN's make_app fixture does
    return module_app


@pytest.fixture
def fresh_world(clean_db, clean_index):
    """The world for a test that changes it."""
    return build_world()


def headers(world: dict, role: str) -> dict:
    """The API's ``Authorization`` header of a role (none for anonymous)."""
    return {"Authorization": world["tokens"][role]} if role != "anonymous" else {}


def as_user(world: dict, role: str) -> dict:
    """Keyword arguments of ``app.get`` for a web visit as a role (logged in by REMOTE_USER)."""
    if role == "anonymous":
        return {}
    return {"environ_overrides": {"REMOTE_USER": world["people"][role]["name"]}}


def searchable(role: str, drafts: bool = False) -> set:
    """The datasets a role finds in searches and listings. Deleted ones are out
    of the index for everybody (``ckan.search.remove_deleted_packages``)."""
    keys = set(VISIBLE)
    if role in INSIDERS:
        keys |= {"private", "lotaip_private"} | ({"draft", "lotaip_draft"} if drafts else set())
    return keys


def readable(role: str) -> set:
    """The datasets a role may open by id: the dependency's members and the
    sysadmins read its private, draft and deleted datasets (CKAN's labels)."""
    return set(KEYS) if role in INSIDERS else set(VISIBLE)


def keys_named(names) -> set:
    """The world's keys of the datasets with these names."""
    by_name = {f"datos-{w}": k for k, (w, _, _) in WORDS.items()}
    by_name.update({f"lotaip-{w}": k for k, (w, _, _) in WORDS.items()})
    return {by_name[n] for n in names if n in by_name}


def keys_mentioned(text: str) -> set:
    """The world's keys whose distinctive title word (capitalised, as in titles) or tag is in a text."""
    return {k for k, (word, tag, _) in WORDS.items() if word.capitalize() in text or tag in text}
