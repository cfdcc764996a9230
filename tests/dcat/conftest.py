"""Fixtures of the DCAT profile tests. They run from dataset dicts (real
``package_show`` output saved in ``fixtures/``, or built from a schema) and
never write to the database: organizations come from ``fixtures/`` too."""
import copy
import os

import pytest
import rdflib

from ckanext.dcat.profiles.base import RDFProfile

from ckanext.quito_gobiernoabierto.dcat import agents, series

from .helpers import fixture


@pytest.fixture
def organizations(monkeypatch):
    """organization_show answered, by id or name, from fixtures/organizations.json
    (real output), for this profile and for ckanext-dcat's publisher fallback alike."""
    orgs = fixture("organizations.json")
    found = {key: org for org in orgs for key in (org["id"], org["name"])}
    monkeypatch.setattr(agents, "fetch_all", lambda: copy.deepcopy(found))
    monkeypatch.setattr(RDFProfile, "_org_cache", {org["id"]: org for org in orgs})
    # LOTAIP series look up the other years in the database; fixture tests have none.
    monkeypatch.setattr(series, "stored_series", lambda org_id: {})
    return found


SHAPES = os.path.join(os.path.dirname(__file__), *[os.pardir] * 3, "shared", "dcat-ap", "bundles",
                      "dcat-ap_3.0.1_full.ttl")


@pytest.fixture(scope="session")
def shapes():
    """The DCAT-AP 3.0.1 full SHACL bundle of ../shared/ (the project's target)."""
    path = os.path.normpath(SHAPES)
    if not os.path.exists(path):
        pytest.fail(f"DCAT-AP 3.0.1 shapes missing: {path} (../shared/ must sit beside the project)")
    return rdflib.Graph().parse(path, format="turtle")
