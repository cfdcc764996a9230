"""The Redis scenario's checks and the client's request mix, on made-up figures (no network, no DB)."""
import random
from urllib.parse import parse_qs, urlsplit

from reliability import faults, load

CONTENT = {"words": ["agua", "concejo"], "public_names": ["a-m000001", "b-m000002"], "public_count": 950,
           "facets": {"dataset_type": ["lotaip"], "res_format": ["CSV"]}}


def cli(exit_code=0, summary="created 0, updated 0, unchanged 200, deleted 0, errors 0", lines=()):
    return {"exit_code": exit_code, "summary": summary, "last_lines": list(lines)}


def outage(edit_statuses=(200, 200), job_status=200, cli_run=None, jobs=({"status": "Finished"},)):
    return {"edits": [{"dataset": "d", "status": s, "error": None} for s in edit_statuses],
            "api_job_create": {"status": job_status}, "cli_harvest_run": cli_run or cli(), "jobs": list(jobs)}


def after(edit_statuses=(200,), rerun=None):
    return {"edits": [{"dataset": "d", "status": s, "error": None} for s in edit_statuses],
            "cli_harvest_run": rerun or cli()}


READS_OK = {"failed": {"before": 0, "during": 0, "after": 0}, "failed_statuses": {}}


def failed_checks(during, after_outage, reads=READS_OK, lost=()):
    return [c["check"] for c in faults.redis_verdicts(during, after_outage, reads, list(lost)) if not c["passed"]]


def test_redis_scenario_passes_when_everything_answers():
    assert failed_checks(outage(), after()) == []


def test_refused_edits_with_a_clear_error_pass_but_5xx_do_not():
    assert failed_checks(outage(edit_statuses=(409, 200)), after()) == []
    assert failed_checks(outage(edit_statuses=(500,)), after()) == [
        "edits while Redis is down succeed or fail with a clear non-5xx error"]
    assert failed_checks(outage(edit_statuses=(0,)), after())


JOB_CHECK = "harvest job creation (API) is queued, or answers 503 and leaves no job blocking the source"


def test_a_500_on_job_creation_and_a_blocked_source_are_reported():
    blocked = cli(1, None, ["HarvestJobExists: There already is an unrun job for this source"])
    failed = failed_checks(outage(job_status=500), after(rerun=blocked))
    assert failed == [JOB_CHECK, "the source can be harvested again once Redis is back"]


def test_a_503_on_job_creation_passes_only_without_a_job_left_running():
    assert failed_checks(outage(job_status=503), after()) == []
    stuck = outage(job_status=503, jobs=[{"status": "Finished"}, {"status": "Running"}])
    assert failed_checks(stuck, after()) == [JOB_CHECK]


def test_a_cli_run_that_imports_but_exits_with_an_error_fails():
    failed = failed_checks(outage(cli_run=cli(1)), after())
    assert failed == ["`ckan quito harvest run` while Redis is down imports and ends cleanly"]


def test_outage_failures_must_be_503_or_no_response():
    assert faults.only_unavailable({"503": 8, "0:ConnectionError": 1})
    assert faults.only_unavailable({})
    assert not faults.only_unavailable({"503": 3, "500": 1})
    assert not faults.only_unavailable({"409": 1})


def test_failed_reads_and_lost_edits_fail():
    reads = {"failed": {"before": 0, "during": 2, "after": 0}, "failed_statuses": {"500": 2}}
    assert failed_checks(outage(), after(), reads=reads) == ["anonymous reads keep working"]
    assert failed_checks(outage(), after(), lost=[{"dataset": "d"}]) == ["no acknowledged edit lost"]


def test_request_paths_cover_the_mix():
    rng = random.Random(3)
    for kind, _ in load.MIX:
        path = load.path_for(kind, rng, CONTENT)
        query = parse_qs(urlsplit(path).query)
        if kind == "search_page":
            assert path.startswith("/dataset/?") and query["q"][0] in CONTENT["words"]
        elif kind == "search_api":
            assert query["rows"] == ["20"] and "organization" in query["facet.field"][0]
        elif kind == "dataset_page":
            assert path.split("/")[-1] in CONTENT["public_names"]
        elif kind == "catalog_page":
            assert 1 <= int(query["page"][0]) <= 9
        else:
            assert path == "/"


def test_search_page_sometimes_adds_a_facet_filter_and_a_page():
    rng = random.Random(5)
    paths = [load.path_for("search_page", rng, CONTENT) for _ in range(200)]
    assert any("dataset_type=lotaip" in p or "res_format=CSV" in p for p in paths)
    assert any("page=2" in p for p in paths) and any("&" not in p for p in paths)


def test_cpu_usage_in_cores_between_two_snapshots():
    from reliability import machine

    before = {"at": 10.0, "server": 5.0, "generator": 1.0, "busy": 1000, "total": 4000}
    after = {"at": 20.0, "server": 20.0, "generator": 3.0, "busy": 2600, "total": 6000}
    used = machine.usage(before, after)
    assert used["server_cores"] == 1.5 and used["generator_cores"] == 0.2 and used["seconds"] == 10.0
    assert used["machine_busy_cores"] == round(0.8 * used["cpus"], 2)


def test_mix_knob():
    import pytest

    assert load.parse_mix("") == load.MIX
    assert load.parse_mix("search_page=50, search_api=50") == (("search_page", 50), ("search_api", 50))
    for bad in ("search=10", "search_page=x", "search_page=0"):
        with pytest.raises(ValueError):
            load.parse_mix(bad)
