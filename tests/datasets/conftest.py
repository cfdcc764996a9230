"""Fixtures for the dataset-type tests: a dependency, its data steward, and
calls to the action API as that steward (as the web form and API reach it)."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories


@pytest.fixture
def dependency():
    """A municipal dependency (organization) of the organigram."""
    return factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")


@pytest.fixture
def steward(dependency):
    """A data steward: editor of the dependency."""
    user = factories.User(name="steward")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": dependency["id"], "username": user["name"], "role": "editor"})
    return user


@pytest.fixture
def call_as(steward):
    """Call an action as the steward: ``call_as("package_create", **data)``."""
    def call(action, **data):
        context = {"user": steward["name"], "ignore_auth": False}
        return tk.get_action(action)(context, data)
    return call


def field_errors(excinfo) -> dict:
    """The ``error_dict`` of a ValidationError raised in ``pytest.raises``."""
    return excinfo.value.error_dict
