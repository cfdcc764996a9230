"""Each bad input the property tests (test_bad_input_properties.py) found
answering 500, kept as an example: it is now refused with a message, and
nothing is written."""
from __future__ import annotations

import json
import math

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.datasets import links

from . import payloads
from .datasets_support import create_dependencies, publication
from .test_bad_input_properties import counts, messages_of, post

pytestmark = pytest.mark.usefixtures("with_plugins")
#: Tests that write reset the database once (not once per case: the cases run in a loop).
writes = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

LINK = {"url": "http://example.org/datos.csv", "name": "Datos"}

#: (what, fields changed on a valid "dataset", the field named in the error)
DATASET_CASES = [
    ("an object in a text column", {"notes": {"a": 1}}, "notes"),
    ("a list as licence", {"license_id": ["cc-by"]}, "license_id"),
    ("an object as dependency", {"owner_org": {"id": "x"}}, "owner_org"),
    ("a number as dependency", {"owner_org": 5}, "owner_org"),
    ("a list as type", {"type": ["dataset"]}, "type"),
    ("a text as resources", {"resources": "datos.csv"}, "resources"),
    ("null resources", {"resources": None}, "resources"),
    ("texts as tags", {"tags": ["agua", "aire"]}, "tags"),
    ("a number as private", {"private": 1}, "private"),
    ("an unknown state, which would hide the dataset", {"state": "oculto"}, "state"),
    ("a NUL character", {"title": "Agua\x00potable"}, "title"),
    ("half a surrogate pair", {"notes": "\ud800"}, "notes"),
    ("NaN in a repeating subfield", {"temporal_coverage": [{"start": math.nan}]}, "temporal_coverage"),
    ("a title over a B-tree key", {"title": "Quito " * 90}, "title"),
    ("an address over a B-tree key", {"resources": [dict(LINK, url="http://x.ec/" + "\U0001f600" * 700)]},
     "resources"),
    ("a size over bigint", {"resources": [dict(LINK, size=10 ** 30)]}, "resources"),
    ("a list mixing objects and texts", {"extras": [{"key": "a", "value": "b"}, "c"]}, "extras"),
    ("a text for a repeating field", {"temporal_coverage": "2016"}, "temporal_coverage"),
    ("null for a repeating field", {"spatial_coverage": None}, "spatial_coverage"),
    ("an object for a multiple choice", {"theme": {"a": 1}}, "theme"),
    ("numbers as keywords", {"tag_string": [1, 2]}, "tag_string"),
    ("an object as format", {"resources": [dict(LINK, format={})]}, "resources"),
    ("a list in a resource's repeating subfield", {"resources": [dict(LINK, access_services=[{"contact": {}}])]},
     "resources"),
    ("a javascript: resource address", {"resources": [dict(LINK, url="javascript:alert(1)")]}, "resources"),
    ("a javascript: home page", {"homepage": " java\tscript:alert(1)"}, "homepage"),
    ("a data: landing page", {"url": "data:text/html,<script>alert(1)</script>"}, "url"),
    ("a vbscript: contact address", {"contact": [{"name": "x", "url": "vbscript:msgbox(1)"}]}, "contact"),
]


@pytest.fixture
def token():
    create_dependencies(publication("dataset", 1))
    return factories.SysadminWithToken()["token"]


@writes
def test_bad_dataset_input_is_refused_by_field(app, token):
    before, wrong = counts(), []
    for what, change, field in DATASET_CASES:
        res = post(app, "package_create", dict(publication("dataset", 1), **change), token)
        error = res.json.get("error") or {}
        if res.status_code != 409 or not messages_of(error.get(field)):
            wrong.append(f"{what}: {res.status_code} {res.body[:300]}")
    assert wrong == [], "\n".join(wrong)
    assert counts() == before


@writes
def test_bad_update_leaves_the_dataset_as_it_was(app, token):
    created = post(app, "package_create", publication("dataset", 1), token).json["result"]
    for _what, change, field in DATASET_CASES:
        res = post(app, "package_update", dict(created, **change), token)
        assert res.status_code == 409 and field in res.json["error"], (field, res.body[:300])
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": created["id"]}) == created


@writes
def test_safe_addresses_are_kept(app, token):
    data = dict(publication("dataset", 1), homepage="https://gobiernoabierto.quito.gob.ec/", url="ftp://x.ec/a",
                contact=[{"name": "Datos", "email": "datos@quito.gob.ec", "url": "mailto:datos@quito.gob.ec"}])
    res = post(app, "package_create", data, token)
    assert res.status_code == 200, res.body[:500]
    assert res.json["result"]["homepage"] == "https://gobiernoabierto.quito.gob.ec/"


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("value,safe", [
    ("https://quito.gob.ec/a", True), ("HTTP://x", True), ("mailto:a@b.ec", True), ("datos.csv", True),
    ("/dataset/x/resource/y/download/a.csv", True), ("javascript:alert(1)", False), ("JaVaScRiPt:x", False),
    ("\tjavascript:x", False), ("java\nscript:x", False), ("vbscript:x", False), ("data:text/html,x", False),
    ("file:///etc/passwd", False),
])
def test_the_link_validator(value, safe):
    if safe:
        assert links.quito_safe_link(value, {}) == value
    else:
        with pytest.raises(tk.Invalid):
            links.quito_safe_link(value, {})


#: (query string, status): search parameters CKAN core or the engine failed on.
SEARCH_CASES = [
    ("start=", 409), ("facet.mincount=", 409), ("rows=%20", 409), ("include_private=quizas", 409),
    ("include_drafts=", 409), ("q=%00", 400), ("fq=tags:%00", 400), ("sort=title_string%00+asc", 400),
    ("defType=dismax&q=agua+aire&mm=abc", 400), ("defType=dismax&q=agua+aire&mm=%5B1%5D", 400),
    ("start=99999999999999999999", 400), ("sort=title_string+asc,", 200),
]


@writes
def test_bad_search_parameters_are_refused(app):
    wrong = []
    for query, status in SEARCH_CASES:
        res = app.get("/api/3/action/package_search?" + query, status=None)
        if res.status_code != status or (status != 200 and not messages_of(res.json["error"])):
            wrong.append(f"{query}: {res.status_code} {res.body[:300]}")
    assert wrong == [], "\n".join(wrong)


SEARCH_BODIES = [{"extras": "ext_bbox"}, {"fq_list": [["tags:agua"]]}, {"fl": [1]}, {"rows": []},
                 {"q": [{}, ""]}, {"q": "\ud800"}, {"rows": math.nan}]


@writes
def test_bad_search_bodies_are_refused(app):
    for body in SEARCH_BODIES:
        res = app.post("/api/3/action/package_search", data=json.dumps(body), status=None,
                       headers={"Content-Type": "application/json"})
        assert res.status_code in (400, 409), (body, res.body[:500])
        assert messages_of(res.json["error"]), body


NUL_PATHS = ["/dataset/?q=%00", "/dataset/?tags=a%00", "/organization/?q=%00", "/group/?q=a%00b",
             "/api/3/action/organization_list?q=%00", "/api/3/action/tag_list?query=%00"]


def test_a_nul_anywhere_in_a_request_is_a_400(app):
    for path in NUL_PATHS:
        res = app.get(path, status=None)
        assert res.status_code == 400, path
        assert "caracteres no permitidos" in res.get_data(as_text=True), path


@writes
def test_a_nul_in_another_action_s_body_is_a_400(app, token):
    res = app.post("/api/3/action/organization_create", data=json.dumps({"name": "x", "title": "a\x00b"}),
                   headers={"Authorization": token, "Content-Type": "application/json"}, status=None)
    assert res.status_code == 400 and res.json["error"]["__type"] == "Bad Request"


@writes
def test_a_text_too_large_for_a_search_vector_is_indexed_in_part(app, token):
    """PostgreSQL's tsvector holds 1 MB: the engine indexes the first
    characters of a long description, as Solr's maxFieldLength did."""
    notes = str(payloads.many_words(250_000))  # ~2.8 MB of distinct words as a vector
    res = post(app, "package_create", dict(publication("dataset", 1), notes=notes), token)
    assert res.status_code == 200, res.body[:500]
    found = app.get("/api/3/action/package_search?q=p0q").json["result"]
    assert found["count"] == 1
