"""The dependency (organization) schema: fields, validation and hierarchy."""
import pytest

from ckan.logic import ValidationError
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

AMBIENTE = {
    "name": "secretaria-de-ambiente", "title": "Secretaría de Ambiente", "kind": "secretaria",
    "acronym": "SA", "website": "https://ambiente.quito.gob.ec",
    "authority_name": "María Verónica Arias", "authority_title": "Secretaria de Ambiente",
    "authority_email": "veronica.aria@quito.gob.ec", "authority_phone": "+593 2 395 2300",
    "authority_phone_ext": "24101", "authority_twitter": "ambientequito",
    "ruc": "1760003410001", "lotaip_unit": "Dirección Administrativa",
}


def sysadmin_ctx():
    return {"user": factories.Sysadmin()["name"]}


def create(**data):
    return helpers.call_action("organization_create", context=sysadmin_ctx(), **data)


def test_round_trip_with_parent_in_group_hierarchy():
    root = create(name="alcaldia-metropolitana", title="Alcaldía Metropolitana", kind="alcaldia")
    org = create(parent=root["name"], **AMBIENTE)
    shown = helpers.call_action("organization_show", id=org["id"])
    for key, value in AMBIENTE.items():
        expected = "@ambientequito" if key == "authority_twitter" else value
        assert shown[key] == expected, key
    assert shown["parent"] == "alcaldia-metropolitana"
    tree = helpers.call_action("group_tree", type="organization")
    assert tree[0]["name"] == "alcaldia-metropolitana"
    assert [c["name"] for c in tree[0]["children"]] == ["secretaria-de-ambiente"]


def test_moving_to_the_root_removes_the_parent():
    root = create(name="alcaldia-metropolitana", title="Alcaldía", kind="alcaldia")
    org = create(parent=root["name"], **AMBIENTE)
    helpers.call_action("organization_patch", context=sysadmin_ctx(), id=org["id"], parent="")
    tree = helpers.call_action("group_tree", type="organization")
    assert sorted(t["name"] for t in tree) == ["alcaldia-metropolitana", "secretaria-de-ambiente"]


@pytest.mark.parametrize("field, value, message", [
    ("authority_email", "veronica.aria@", "e-mail"),
    ("authority_phone", "12", "phone"),
    ("authority_phone_ext", "ext 24101", "extension"),
    ("website", "ambiente.quito", "http"),
    ("ruc", "1760003420001", "RUC"),
    ("authority_twitter", "ambiente quito!", "account"),
    ("kind", "ministerio", ""),
    ("parent", "no-existe", "parent"),
])
def test_bad_values_are_rejected_with_a_message(field, value, message):
    data = dict(AMBIENTE, **{field: value})
    with pytest.raises(ValidationError) as err:
        create(**data)
    assert field in err.value.error_dict
    assert message.lower() in " ".join(err.value.error_dict[field]).lower()


def test_cycles_and_self_parent_are_rejected():
    a = create(name="dep-a", title="A", kind="secretaria")
    b = create(name="dep-b", title="B", kind="agencia", parent="dep-a")
    with pytest.raises(ValidationError) as err:
        helpers.call_action("organization_patch", context=sysadmin_ctx(), id=a["id"], parent=b["name"])
    assert "cycle" in err.value.error_dict["parent"][0]
    with pytest.raises(ValidationError) as err:
        helpers.call_action("organization_patch", context=sysadmin_ctx(), id=a["id"], parent="dep-a")
    assert "own parent" in err.value.error_dict["parent"][0]
