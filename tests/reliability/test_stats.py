"""Statistics of the reliability run: percentiles, outcomes, recovery windows, lost edits (no network, no DB)."""
import math

import pytest

from reliability import stats
from reliability.load import MARK


def sample(kind="search_api", start=0.0, ms=100.0, status=200, error=None):
    return {"kind": kind, "start": start, "end": start + ms / 1000, "status": status, "error": error}


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 101)]
    assert stats.percentile(values, 50) == pytest.approx(50.5)
    assert stats.percentile(values, 95) == pytest.approx(95.05)
    assert stats.percentile(values, 0) == 1.0 and stats.percentile(values, 100) == 100.0


def test_percentile_of_one_value_and_of_none():
    assert stats.percentile([7.0], 95) == 7.0
    assert math.isnan(stats.percentile([], 95))


def test_percentile_ignores_input_order():
    assert stats.percentile([300, 100, 200], 50) == stats.percentile([100, 200, 300], 50) == 200


@pytest.mark.parametrize("status, expected", [
    (200, "ok"), (302, "ok"), (404, "other"), (409, "other"), (500, "5xx"), (503, "5xx"), (0, "no_response")])
def test_outcome_classes(status, expected):
    assert stats.outcome(status) == expected


def test_summary_counts_every_class_and_times_only_successes():
    rows = [sample(ms=100), sample(ms=300), sample(ms=5000, status=500), sample(status=0, error="ConnectionError"),
            sample(status=404)]
    summary = stats.summarise(rows, seconds=10)
    assert (summary["requests"], summary["ok"], summary["5xx"], summary["no_response"], summary["other"]) == (
        5, 2, 1, 1, 1)
    assert summary["p50_ms"] == pytest.approx(200.0) and summary["max_ms"] == pytest.approx(300.0)
    assert summary["per_second"] == 0.5


def test_summary_without_successes_has_no_timings():
    summary = stats.summarise([sample(status=500)])
    assert summary["p95_ms"] is None and summary["max_ms"] is None and "per_second" not in summary


def test_by_kind_keeps_kinds_and_adds_all():
    rows = [sample("search_page"), sample("dataset_page"), sample("search_page")]
    out = stats.by_kind(rows, seconds=1)
    assert list(out) == ["search_page", "dataset_page", "all"]
    assert out["search_page"]["requests"] == 2 and out["all"]["requests"] == 3


def test_status_counts_names_missing_responses_by_error():
    rows = [sample(status=200), sample(status=500), sample(status=0, error="ReadTimeout"), sample(status=200)]
    assert stats.status_counts(rows) == {"0:ReadTimeout": 1, "200": 2, "500": 1}


def test_recovery_counts_failures_inside_the_window_only():
    rows = [sample(start=1.0), sample(start=9.9, ms=500, status=500),   # in flight when the fault starts
            sample(start=10.5, status=0, error="ConnectionError"),      # during the fault
            sample(start=12.5, ms=200, status=500),                     # within the grace second
            sample(start=14.0), sample(start=15.0)]
    window = stats.recovery(rows, fault_start=10.0, fault_end=12.0, grace=1.0)
    assert window["requests"] == {"before": 1, "during": 3, "after": 2}
    assert window["failed"] == {"before": 0, "during": 3, "after": 0}
    assert window["failed_statuses"] == {"0:ConnectionError": 1, "500": 2}
    assert window["recovery_seconds"] == pytest.approx(0.7)
    assert window["recovered"] is True


def test_recovery_fails_when_requests_keep_failing_after_the_fault():
    rows = [sample(start=1.0), sample(start=20.0, status=500), sample(start=21.0)]
    window = stats.recovery(rows, 10.0, 12.0)
    assert window["failed"]["after"] == 1 and window["recovered"] is False


def test_recovery_needs_a_success_after_the_fault():
    assert stats.recovery([sample(start=1.0)], 10.0, 12.0)["recovered"] is False


def test_recovery_fails_on_errors_before_the_fault():
    rows = [sample(start=1.0, status=500), sample(start=20.0)]
    assert stats.recovery(rows, 10.0, 12.0)["recovered"] is False


def test_names_fingerprint_ignores_order_and_finds_duplicates():
    one = stats.names_fingerprint(["b", "a", "c"])
    assert one == stats.names_fingerprint(["c", "b", "a"])
    assert one["count"] == 3 and one["duplicates"] == []
    two = stats.names_fingerprint(["a", "b", "b"])
    assert two["duplicates"] == ["b"] and two["sha256"] != one["sha256"]


def edit(dataset, marker, status, t):
    return {"dataset": dataset, "marker": marker, "status": status, "t": t}


def test_lost_edits_accepts_the_last_acknowledged_value():
    edits = [edit("d1", "m1", 200, 1), edit("d1", "m2", 200, 2)]
    assert stats.lost_edits(edits, {"d1": "texto" + MARK + "m2"}, MARK) == []


def test_lost_edits_reports_an_acknowledged_edit_that_is_missing():
    edits = [edit("d1", "m1", 200, 1), edit("d1", "m2", 200, 2)]
    lost = stats.lost_edits(edits, {"d1": "texto" + MARK + "m1"}, MARK)
    assert lost == [{"dataset": "d1", "stored": "m1", "expected": ["m2"]}]


def test_lost_edits_unknown_outcomes_may_or_may_not_be_written():
    edits = [edit("d1", "m1", 200, 1), edit("d1", "m2", 500, 2), edit("d1", "m3", 0, 3)]
    for stored in ("m1", "m2", "m3"):
        assert stats.lost_edits(edits, {"d1": "x" + MARK + stored}, MARK) == []


def test_lost_edits_refused_edits_must_not_be_written():
    edits = [edit("d1", "m1", 200, 1), edit("d1", "m2", 409, 2)]
    assert stats.lost_edits(edits, {"d1": "x" + MARK + "m2"}, MARK)[0]["expected"] == ["m1"]


def test_lost_edits_skips_datasets_never_acknowledged_and_reads_order_from_time():
    edits = [edit("d2", "m9", 500, 1), edit("d1", "m2", 200, 5), edit("d1", "m1", 200, 1)]
    assert stats.lost_edits(edits, {"d1": "x" + MARK + "m2", "d2": "sin marca"}, MARK) == []
    assert stats.lost_edits(edits, {"d1": "sin marca"}, MARK)[0]["stored"] is None


def test_failures_keeps_the_first_unsuccessful_samples():
    rows = [sample(status=200), sample(status=409, error="package_patch"), sample(status=0, error="ReadTimeout"),
            sample(status=500)]
    assert [s["status"] for s in stats.failures(rows, limit=2)] == [409, 0]


def test_a_page_that_says_the_search_failed_is_not_a_success():
    rows = [sample("search_page"), dict(sample("search_page", start=11.0), page_error=True, error="dataset/?q=x")]
    summary = stats.summarise(rows)
    assert (summary["ok"], summary["error_page"]) == (1, 1)
    assert stats.status_counts(rows) == {"200": 1, "200:error-page": 1}
    assert stats.recovery(rows + [sample(start=20.0)], 10.0, 12.0)["failed"]["during"] == 1
    assert stats.failures(rows)[0]["page_error"] is True
