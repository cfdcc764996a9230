"""package_search served by the PostgreSQL engine, through the action API."""
import pytest

from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("with_plugins")


def search(**params):
    return helpers.call_action("package_search", **params)


def api_search(app, user=None, **params):
    """package_search through the web API, as a client (anonymous or with a token)."""
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    res = app.get("/api/3/action/package_search", query_string=params, headers=headers)
    assert res.status_code == 200, res.body
    return res.json["result"]


def as_sysadmin():
    return {"user": factories.Sysadmin()["name"]}


def names(result):
    return sorted(d["name"] for d in result["results"])


def test_free_text_is_stemmed_and_accent_insensitive(corpus):
    assert names(search(q="agua")) == ["calidad-del-agua"]
    assert names(search(q="indice calidad aire")) == ["calidad-del-aire"]
    assert names(search(q="CICLOVIA")) == ["ciclovias"]
    assert names(search(q="paradas trolebus")) == ["paradas-trolebus"]


def test_title_outranks_description(corpus):
    result = search(q="trolebús ciclovías", sort="score desc")
    assert result["count"] == 0  # mm: both words needed for two-word queries
    result = search(q="calidad")
    assert [d["name"] for d in result["results"]][:2] == ["calidad-del-agua", "calidad-del-aire"] or \
        [d["name"] for d in result["results"]][:2] == ["calidad-del-aire", "calidad-del-agua"]


def test_fielded_phrase_and_boolean_queries(corpus):
    assert names(search(q='title:"calidad del aire"')) == ["calidad-del-aire"]
    assert names(search(q="tags:agua OR tags:aire")) == ["calidad-del-agua", "calidad-del-aire"]
    assert names(search(q="tags:ambiente AND NOT tags:aire")) == ["calidad-del-agua"]
    assert names(search(q="tags:ambiente -res_format:JSON")) == ["calidad-del-agua"]
    assert search(q="*:*")["count"] == 4


def test_filters_in_solr_syntax(corpus):
    assert names(search(fq='organization:"secretaria-de-movilidad"')) == ["ciclovias", "paradas-trolebus"]
    assert names(search(fq="+res_format:CSV +license_id:cc-by")) == ["calidad-del-agua"]
    assert names(search(fq="-organization:secretaria-de-ambiente")) == ["ciclovias", "paradas-trolebus"]
    assert names(search(fq="res_format:(JSON OR SHP)")) == ["calidad-del-aire", "paradas-trolebus"]
    assert names(search(fq_list=["tags:movilidad", "res_format:*"])) == ["paradas-trolebus"]
    assert names(search(fq="anio:[2016 TO *]")) == ["calidad-del-agua"]
    assert search(fq="metadata_modified:[NOW-1DAY TO NOW+1DAY]")["count"] == 4
    assert search(fq="metadata_created:[* TO 2000-01-01T00:00:00Z]")["count"] == 0


def test_facets_counts_limit_and_mincount(corpus):
    result = search(**{"facet.field": ["organization", "tags", "res_format"], "facet.limit": 2})
    facets = result["facets"]
    assert facets["organization"] == {"secretaria-de-ambiente": 2, "secretaria-de-movilidad": 2}
    assert facets["tags"] == {"ambiente": 2, "movilidad": 2}
    assert facets["res_format"] == {"CSV": 2, "JSON": 1}
    items = {i["name"]: i["count"] for i in result["search_facets"]["tags"]["items"]}
    assert items == {"ambiente": 2, "movilidad": 2}
    narrow = search(q="agua", **{"facet.field": ["tags"], "facet.mincount": 1})
    assert narrow["facets"]["tags"] == {"agua": 1, "ambiente": 1}


def test_sort_rows_start_and_fl(corpus):
    result = search(sort="title_string asc", rows=2, start=1)
    assert result["count"] == 4
    # Solr orders string fields by code point: "Índice..." sorts after "Red..."
    assert [d["name"] for d in result["results"]] == ["paradas-trolebus", "ciclovias"]
    newest = search(sort="metadata_modified desc", rows=1)["results"][0]["name"]
    assert newest == "ciclovias"
    ids = search(fl="id,name", sort="name asc")["results"]
    assert ids[0] == {"id": corpus["datasets"]["agua"]["id"], "name": "calidad-del-agua"}


def test_sort_on_a_field_some_or_no_datasets_have(corpus):
    by_year = search(sort="anio desc, name asc", fl="name")["results"]
    assert [d["name"] for d in by_year] == ["calidad-del-agua", "calidad-del-aire", "ciclovias", "paradas-trolebus"]
    assert [d["name"] for d in search(sort="prioridad desc, name desc")["results"]] == \
        ["paradas-trolebus", "ciclovias", "calidad-del-aire", "calidad-del-agua"]
    # the first dataset holding a field makes the sort on it count at once
    helpers.call_action("package_patch", context=as_sysadmin(), id="ciclovias", extras=[{"key": "prioridad", "value": "1"}])
    assert [d["name"] for d in search(sort="prioridad desc, name desc")["results"]] == \
        ["ciclovias", "paradas-trolebus", "calidad-del-aire", "calidad-del-agua"]


def test_invalid_sort_is_a_validation_error(corpus):
    with pytest.raises(Exception) as err:
        search(sort="title_string sideways")
    assert "sort" in str(err.value).lower()


def test_bad_query_syntax_is_reported(corpus):
    from ckan.lib.search import SearchError

    with pytest.raises(SearchError) as err:
        search(q="title:(agua")
    assert "Invalid q" in str(err.value)


def test_private_datasets_need_permission(corpus, app):
    amb = corpus["orgs"]["amb"]
    stranger, member = factories.User(), factories.User()
    helpers.call_action("organization_member_create", id=amb["id"], username=member["name"], role="member")
    params = {"q": "agua", "include_private": "true", "facet.field": '["tags"]'}
    for user in (None, stranger):
        res = api_search(app, user, **params)
        assert names(res) == ["calidad-del-agua"]
        assert res["facets"]["tags"] == {"agua": 1, "ambiente": 1}
    res = api_search(app, member, **params)
    assert names(res) == ["calidad-del-agua", "sumarios-internos"]
    assert res["facets"]["tags"] == {"agua": 2, "ambiente": 1}
    assert names(api_search(app, member, q="agua")) == ["calidad-del-agua"]
    org_page = app.get("/organization/secretaria-de-ambiente")
    assert "Sumarios internos" not in org_page.body


def test_drafts_and_deleted(corpus):
    user = factories.User()
    org = factories.Organization(kind="agencia", users=[{"name": user["name"], "capacity": "editor"}])
    factories.Dataset(name="borrador", owner_org=org["id"], state="draft", user=user)
    ctx = {"user": user["name"]}
    assert "borrador" not in names(helpers.call_action("package_search", context=dict(ctx)))
    assert "borrador" in names(helpers.call_action("package_search", context=dict(ctx), include_drafts=True))
    helpers.call_action("package_delete", context=as_sysadmin(), id="ciclovias")
    assert "ciclovias" not in names(search())
    sysadmin = factories.Sysadmin()
    res = helpers.call_action("package_search", context={"user": sysadmin["name"]}, include_deleted=True)
    assert "ciclovias" not in names(res)  # ckan.search.remove_deleted_packages: gone from the index


@pytest.mark.ckan_config("ckan.search.remove_deleted_packages", "false")
def test_include_deleted_when_deleted_are_kept(corpus):
    helpers.call_action("package_delete", context=as_sysadmin(), id="ciclovias")
    sysadmin = factories.Sysadmin()
    res = helpers.call_action("package_search", context={"user": sysadmin["name"]}, include_deleted=True)
    assert "ciclovias" in names(res)
    assert "ciclovias" not in names(search())


def test_updates_and_deletes_reach_the_index(corpus):
    helpers.call_action("package_patch", context=as_sysadmin(), id="ciclovias", title="Red de ciclovías y bicicleta pública BiciQ")
    assert names(search(q="biciq")) == ["ciclovias"]
    helpers.call_action("dataset_purge", context=as_sysadmin(), id="ciclovias")
    assert search(q="biciq")["count"] == 0


def test_spatial_filter_with_ext_bbox(corpus):
    centro = "-78.53,-0.24,-78.49,-0.20"
    assert names(search(extras={"ext_bbox": centro})) == ["calidad-del-agua"]
    both = "-78.60,-0.30,-78.30,-0.10"
    assert names(search(extras={"ext_bbox": both})) == ["calidad-del-agua", "ciclovias"]
    assert search(extras={"ext_bbox": "-80,-3,-79,-2"})["count"] == 0


def test_bad_bbox_is_a_clear_error(corpus):
    from ckan.logic import ValidationError

    with pytest.raises(ValidationError) as err:
        search(extras={"ext_bbox": "norte,sur"})
    assert "minx" in err.value.error_dict["ext_bbox"][0]


def test_dataset_types(corpus):
    assert search(fq="+dataset_type:dataset")["count"] == 4
    assert search(fq="+dataset_type:lotaip")["count"] == 0


def test_organization_page_and_counts(corpus, app):
    orgs = helpers.call_action("organization_list", all_fields=True)
    counts = {o["name"]: o["package_count"] for o in orgs}
    assert counts == {"secretaria-de-ambiente": 2, "secretaria-de-movilidad": 2}
    res = app.get("/organization/secretaria-de-movilidad")
    assert res.status_code == 200
    assert "Paradas del Trolebús" in res.body and "Calidad del agua" not in res.body


def test_dataset_page_with_query_and_facets(corpus, app):
    res = app.get("/dataset/", query_string={"q": "calidad", "tags": "agua"})
    assert res.status_code == 200
    assert "Calidad del agua potable" in res.body
    assert "Índice de calidad del aire" not in res.body
    assert "sumarios-internos" not in res.body


def test_autocomplete(corpus):
    result = helpers.call_action("package_autocomplete", q="calid")
    assert {r["name"] for r in result} == {"calidad-del-agua", "calidad-del-aire"}


def test_stop_words_are_dropped_like_solr_does(corpus):
    assert names(search(q="calidad del agua")) == ["calidad-del-agua"]
    assert names(search(q="red de ciclovías")) == ["ciclovias"]
    assert search(q="de la")["count"] == 0
    assert names(search(q='title:"calidad del aire" AND notes:de')) == ["calidad-del-aire"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_optional_clause_beside_a_required_one_ranks_but_does_not_filter():
    """Lucene's ``+a b OR c``: only ``a`` filters (``b``/``c`` are optional)."""
    factories.Dataset(name="agua-potable", title="Agua potable")
    factories.Dataset(name="agua-riego", title="Agua de riego")
    result = search(fq="+dataset_type:dataset name:agua-potable OR name:ninguno")
    assert names(result) == ["agua-potable", "agua-riego"]
    assert names(search(fq="+name:agua-riego capacity:public OR capacity:private")) == ["agua-riego"]
