"""The package_search benchmark's code paths at a tiny size (structure and equivalence, no timings)."""
import io

import pytest

from bench import bench_load, floor, search_bench

SIZE, REAL = 300, 20



def quiet(*args):
    pass


@pytest.mark.ckan_config("ckan.plugins", "quito_search")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_benchmark_at_tiny_size():
    """One run (creating datasets is the slow part), then every check on its report."""
    report = search_bench.run(SIZE, REAL, reps=2, warmup=1, log=quiet)
    check_index_holds_real_and_bulk_documents(report)
    check_every_query_has_engine_and_floor_timings(report)
    check_floor_sql_is_equivalent_to_the_engine(report)
    check_report_prints_table_and_targets(report)
    check_second_fill_reuses_the_index_and_shrinks()


def check_index_holds_real_and_bulk_documents(report):
    assert report["indexed"] == SIZE
    bulk = report["loading"]["bulk"]
    assert (bulk["real"], bulk["bulk"], bulk["inserted"]) == (REAL, SIZE - REAL, SIZE - REAL)
    assert report["loading"]["package_create"]["created"] == REAL
    # CKAN's own index_package builds the same documents as the bulk loader
    assert bulk["fidelity"]["checked"] >= 10 and bulk["fidelity"]["differing"] == []
    assert report["rebuild"]["datasets"] == REAL and report["rebuild"]["per_second"] > 0


def check_every_query_has_engine_and_floor_timings(report):
    labels = [r["label"] for r in report["queries"]]
    assert labels[0] == search_bench.FOUR_FACETS and len(labels) == len(search_bench.cases())
    for row in report["queries"]:
        for side in ("engine", "floor"):
            assert {"p50", "p95", "max"} <= set(row[side])
            assert 0 < row[side]["p50"] <= row[side]["p95"] <= row[side]["max"]
        assert 0 < row["engine"]["search_p50"] <= row["engine"]["max"]
        assert row["runs"] == 2
        assert row["ratio"] > 0


def check_floor_sql_is_equivalent_to_the_engine(report):
    four = next(r for r in report["queries"] if r["label"] == search_bench.FOUR_FACETS)
    assert four["hits"] > 0
    for row in report["queries"]:
        assert row["floor_hits"] == row["hits"], row["label"]
        assert row["facets_match"], row["label"]
        assert row["floor_page_rows"] == row["page_rows"], row["label"]


def check_report_prints_table_and_targets(report):
    out = io.StringIO()
    search_bench.print_report(report, out=out)
    text = out.getvalue()
    for row in report["queries"]:
        assert row["label"] in text
    assert "straight to the index" in text
    assert [t["name"] for t in report["targets"]] == ["rebuild throughput, ckan search-index rebuild",
                                                      "rebuild throughput, ckan quito search rebuild"]
    assert "x the stock rebuild, same run" in text
    assert ("PASS" in text) or ("FAIL" in text)


def check_second_fill_reuses_the_index_and_shrinks():
    again = bench_load.fill(SIZE, log=quiet)
    assert (again["inserted"], again["deleted"]) == (0, 0)
    smaller = bench_load.fill(SIZE - 50, log=quiet)
    assert (smaller["inserted"], smaller["deleted"]) == (0, 50)


def test_floor_refuses_shapes_it_does_not_write():
    with pytest.raises(floor.Unsupported):
        floor.build({"q": "notes:agua"}, "s")
    with pytest.raises(floor.Unsupported):
        floor.build({"q": "*:*", "fq": "num_resources:[1 TO 3]"}, "s")
    built = floor.build({"q": "*:*", "fq": 'tags:"a b" AND (res_format:"CSV" OR res_format:SHP)'}, "s")
    assert '"tags": ["a b"]' in built.params["p2"] and built.where.count("OR") == 1
