"""Figures of a run from its request samples: percentiles, error classes, recovery after a fault.

A sample is a dict ``{"kind", "start", "end", "status", "error"}``: ``start``
and ``end`` are seconds on the run's monotonic clock, ``status`` the final
HTTP status (``0`` when no response came: refused, reset, timed out) and
``error`` the exception's class name or the failed request, else ``None``;
``"page_error": True`` marks a 2xx page that says it failed (CKAN's search
page when the engine fails). Nothing here touches the
network or a database (``tests/reliability/`` covers it).
"""
from __future__ import annotations

import math
from typing import Iterable, Optional


def percentile(values: Iterable[float], pct: float) -> float:
    """Linear-interpolated percentile (NaN for no values)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(math.floor(rank))
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def outcome(status: int) -> str:
    """``ok`` (2xx/3xx), ``5xx``, ``no_response`` or ``other`` (4xx and the rest)."""
    if 200 <= status < 400:
        return "ok"
    if status >= 500:
        return "5xx"
    if status == 0:
        return "no_response"
    return "other"


def classify(sample: dict) -> str:
    """:func:`outcome` of a sample, or ``error_page`` for a 2xx page that says it failed."""
    return "error_page" if sample.get("page_error") else outcome(sample["status"])


def millis(sample: dict) -> float:
    """A sample's duration in milliseconds."""
    return (sample["end"] - sample["start"]) * 1000.0


def summarise(samples: list[dict], seconds: Optional[float] = None) -> dict:
    """Counts by outcome, p50/p95/max of successful requests (ms), rate per second."""
    counts = {"requests": len(samples), "ok": 0, "5xx": 0, "no_response": 0, "other": 0, "error_page": 0}
    for sample in samples:
        counts[classify(sample)] += 1
    times = [millis(s) for s in samples if classify(s) == "ok"]
    out = dict(counts, p50_ms=_round(percentile(times, 50)), p95_ms=_round(percentile(times, 95)),
               max_ms=_round(max(times)) if times else None)
    if seconds:
        out["per_second"] = round(len(samples) / seconds, 2)
    return out


def by_kind(samples: list[dict], seconds: Optional[float] = None) -> dict:
    """:func:`summarise` per kind, in order of first appearance, plus ``all``."""
    kinds: dict[str, list] = {}
    for sample in samples:
        kinds.setdefault(sample["kind"], []).append(sample)
    out = {kind: summarise(rows, seconds) for kind, rows in kinds.items()}
    out["all"] = summarise(samples, seconds)
    return out


def failures(samples: list[dict], limit: int = 30) -> list[dict]:
    """The first ``limit`` samples that did not succeed (for the report's reader)."""
    return [s for s in samples if classify(s) != "ok"][:limit]


def status_counts(samples: list[dict]) -> dict:
    """How many samples had each status (``"0:ConnectionError"`` for no response)."""
    counts: dict[str, int] = {}
    for sample in samples:
        key = str(sample["status"]) if sample["status"] else f"0:{sample.get('error') or 'error'}"
        key += ":error-page" if sample.get("page_error") else ""
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def recovery(samples: list[dict], fault_start: float, fault_end: float, grace: float = 1.0) -> dict:
    """How requests fared around a fault window ``[fault_start, fault_end]``.

    ``before``: ended before the fault; ``during``: overlapping the fault or
    started within ``grace`` seconds after it; ``after``: started later. The
    site recovered by itself when nothing failed before, something succeeded
    after, and nothing failed after. ``recovery_seconds``: from the end of the
    fault to the end of the last failed request (0 when none failed after it).
    """
    phases: dict[str, list] = {"before": [], "during": [], "after": []}
    for sample in samples:
        if sample["end"] < fault_start:
            phases["before"].append(sample)
        elif sample["start"] <= fault_end + grace:
            phases["during"].append(sample)
        else:
            phases["after"].append(sample)
    failed = {name: [s for s in rows if classify(s) != "ok"] for name, rows in phases.items()}
    last_failure = max((s["end"] for rows in failed.values() for s in rows), default=None)
    after_ok = len(phases["after"]) - len(failed["after"])
    return {
        "requests": {name: len(rows) for name, rows in phases.items()},
        "failed": {name: len(rows) for name, rows in failed.items()},
        "failed_statuses": status_counts(failed["during"] + failed["after"]),
        "fault_seconds": round(fault_end - fault_start, 2),
        "recovery_seconds": round(max(0.0, (last_failure or fault_end) - fault_end), 2),
        "recovered": not failed["before"] and not failed["after"] and after_ok > 0,
    }


def names_fingerprint(names: Iterable[str]) -> dict:
    """Count, duplicates and an order-free checksum of dataset names."""
    import hashlib

    ordered = sorted(names)
    duplicates = sorted({n for i, n in enumerate(ordered) if i and ordered[i - 1] == n})
    digest = hashlib.sha256("\n".join(ordered).encode("utf-8")).hexdigest()
    return {"count": len(ordered), "duplicates": duplicates, "sha256": digest}


def lost_edits(edits: list[dict], stored_notes: dict, mark: str) -> list[dict]:
    """Acknowledged edits the database does not hold.

    ``edits``: ``{"dataset", "marker", "status", "t"}`` in any order; a 200
    was acknowledged, a 4xx refused (nothing written), a 5xx or no response
    left unknown whether it was written. The stored description must end
    with the last acknowledged marker or a later unknown one. Datasets without
    an acknowledged edit are not checked.
    """
    expected: dict[str, set] = {}
    for edit in sorted(edits, key=lambda e: e["t"]):
        if edit["status"] == 200:
            expected[edit["dataset"]] = {edit["marker"]}
        elif edit["dataset"] in expected and outcome(edit["status"]) in ("5xx", "no_response"):
            expected[edit["dataset"]].add(edit["marker"])
    lost = []
    for name, markers in sorted(expected.items()):
        notes = stored_notes.get(name)
        stored = notes.split(mark)[-1] if notes and mark in notes else None
        if stored not in markers:
            lost.append({"dataset": name, "stored": stored, "expected": sorted(markers)})
    return lost


def _round(value: float) -> Optional[float]:
    return None if value is None or math.isnan(value) else round(value, 1)
