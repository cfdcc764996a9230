"""Verdicts and printing of the reliability report, on made-up figures (no network, no DB)."""
import io
import json

from reliability import report

CONF = {"size": 10000, "duration": 180, "clients": 20, "think_ms": 1000, "processes": 2, "harvest_files": 200,
        "faults": ["pg", "redis", "harvest-kill"], "web_port": 25080, "files_port": 25081}


def kind(requests=100, p95=120.0, fivexx=0, no_response=0):
    return {"requests": requests, "ok": requests - fivexx - no_response, "5xx": fivexx, "no_response": no_response,
            "other": 0, "p50_ms": 50.0, "p95_ms": p95, "max_ms": 400.0, "per_second": 1.0}


def harvest_run(exit_code=0, datasets=200, errors=0):
    return {"exit_code": exit_code, "seconds": 60.0, "expected": 200, "last_lines": [],
            "summary": f"created {datasets}, updated 0, unchanged 0, deleted 0, errors {errors} (gather 1 s)",
            "counts": {"created": datasets, "errors": errors},
            "harvested": {"datasets": datasets, "names": datasets, "titles": datasets, "duplicate_titles": [],
                          "current_objects": datasets, "current_guids": datasets, "without_current_object": 0}}


def load(search_p95=120.0, fivexx=0, harvest=None, acknowledged=50):
    return {"seconds": 180.0, "statuses": {"200": 1000},
            "by_kind": {"search_page": kind(p95=search_p95, fivexx=fivexx), "search_api": kind(), "all": kind(
                requests=1000, fivexx=fivexx)},
            "harvest": harvest or harvest_run(),
            "edits": {"attempted": 50, "acknowledged": acknowledged, "refused": [], "lost": []}}


def pg_fault(passed=True):
    fingerprint = {"count": 10000, "duplicates": [], "sha256": "abc"}
    return {"name": "pg", "title": "PostgreSQL restarted mid-load", "passed": passed,
            "restart": {"seconds": 1.1}, "lost_edits": [], "datasets_before": fingerprint,
            "datasets_after": fingerprint,
            "window": {"failed": {"before": 0, "during": 4, "after": 0}, "failed_statuses": {"500": 4},
                       "recovery_seconds": 0.3}}


def result(load_figures=None, faults=None, datasets=10000):
    return {"load": load_figures or load(), "faults": [pg_fault()] if faults is None else faults,
            "datasets": datasets, "server_errors": {"tracebacks": 0, "exceptions": []},
            "load_average_at_start": 0.5}


def verdicts(built):
    return {t["target"].split(" (")[0]: t["passed"] for t in built["targets"]}


def test_a_clean_run_passes_every_target():
    built = report.build(CONF, result(), 300.0, (1.0, 1.0, 1.0))
    assert built["passed"] and all(verdicts(built).values())
    assert len(built["targets"]) == 8


def test_one_5xx_fails_the_run():
    built = report.build(CONF, result(load(fivexx=1)), 300.0, (1.0, 1.0, 1.0))
    assert not built["passed"] and not verdicts(built)["no 5xx during the load phase"]


def test_search_p95_at_or_over_300_ms_fails():
    built = report.build(CONF, result(load(search_p95=300.0)), 300.0, (1.0, 1.0, 1.0))
    assert not verdicts(built)["p95 of search_page < 300 ms"]
    assert verdicts(built)["p95 of search_api < 300 ms"]


def test_a_search_kind_without_timings_fails():
    figures = load()
    del figures["by_kind"]["search_api"]
    assert not verdicts(report.build(CONF, result(figures), 1.0, (0, 0, 0)))["p95 of search_api < 300 ms"]


def test_targets_say_when_the_run_is_smaller_than_defined():
    small = report.build(dict(CONF, clients=5), result(datasets=1000), 1.0, (0, 0, 0))
    search = next(t for t in small["targets"] if t["target"].startswith("p95 of search_page"))
    assert "1000 datasets, 5 clients" in search["target"] and "set at 10000 datasets and 20 clients" in search["target"]
    full = report.build(CONF, result(), 1.0, (0, 0, 0))
    assert "set at" not in next(t for t in full["targets"] if t["target"].startswith("p95"))["target"]


def test_incomplete_or_duplicated_harvest_fails():
    assert not report.harvest_ok(harvest_run(datasets=199))
    assert not report.harvest_ok(harvest_run(exit_code=1))
    assert not report.harvest_ok(harvest_run(errors=1))
    duplicated = harvest_run()
    duplicated["harvested"]["titles"] = 199
    assert not report.harvest_ok(duplicated)
    assert report.harvest_ok(harvest_run())


def test_unacknowledged_edits_fail_the_target():
    built = report.build(CONF, result(load(acknowledged=49)), 1.0, (0, 0, 0))
    assert not verdicts(built)["steward edits acknowledged and kept"]


def test_a_failed_or_broken_fault_scenario_fails_the_run():
    broken = {"name": "redis", "title": "Redis", "passed": False, "error": "RuntimeError('x')"}
    built = report.build(CONF, result(faults=[pg_fault(), broken]), 1.0, (0, 0, 0))
    assert not built["passed"]
    assert report.fault_line(broken) == "scenario error: RuntimeError('x')"


def test_pg_fault_line_gives_the_figures():
    line = report.fault_line(pg_fault())
    assert "failed 4 during {'500': 4}" in line and "10000 -> 10000 (same checksum" in line


def test_harvest_kill_line_mentions_the_operator_remedy():
    rerun = {"exit_code": 1, "summary": None, "last_lines": ["HarvestJobExists: There already is an unrun job"]}
    fault = {"name": "harvest-kill", "title": "kill", "passed": False, "expected": 200, "rerun": rerun,
             "kill": {"imported_after_kill": 50}, "harvested": harvest_run(datasets=199)["harvested"],
             "datasets_by_title": {"count": 200, "duplicates": [], "not_linked_to_source": ["corte-0050"]},
             "operator_remedy": {"rerun": harvest_run(exit_code=1), "rerun_again": harvest_run(exit_code=1)}}
    line = report.fault_line(fault)
    assert "re-run: exit 1 (HarvestJobExists" in line and "not linked to the source ['corte-0050']" in line
    assert "after `ckan harvester job-abort`: re-run exit 1 (created 200" in line


def test_print_and_write(tmp_path):
    built = report.build(CONF, result(), 12.0, (1.5, 1.0, 1.0))
    out = io.StringIO()
    report.print_report(built, out)
    text = out.getvalue()
    assert "search_page" in text and "PASS  fault pg" in text and text.rstrip().splitlines()[-1].startswith("PASSED")
    path = tmp_path / "sub" / "report.json"
    report.write(built, str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["passed"] is True


def test_server_errors_counts_tracebacks_by_final_line(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("Traceback (most recent call last):\n  File x\nValueError: a\nnoise\n"
                   "Traceback (most recent call last):\n  File y\nValueError: a\n", encoding="utf-8")
    assert report.server_errors(str(log)) == {"tracebacks": 2, "exceptions": [("ValueError: a", 2)]}
    assert report.server_errors(str(tmp_path / "none.log"))["tracebacks"] == 0
