"""The run's report: targets and verdicts, a printed table, ``var/reliability/report.json``.

Targets (a run passes when every one is met):

- no 5xx and no request left without a response during the load phase;
- p95 of the search page and of ``package_search`` under 300 ms (defined
  at 20 clients and 10,000 datasets: a run at another size says so);
- the harvest run beside the load completes, one dataset per file, no duplicates;
- no steward edit acknowledged during the load phase is lost;
- every fault scenario passes (:mod:`reliability.faults`).
"""
from __future__ import annotations

import json
import os
import sys

SEARCH_P95_MS = 300.0
SEARCH_KINDS = ("search_page", "search_api")
TARGET_SIZE, TARGET_CLIENTS = 10_000, 20
COLUMNS = (("requests", 8), ("per_second", 6), ("ok", 7), ("5xx", 5), ("no_response", 7), ("other", 5),
           ("error_page", 7),
           ("p50_ms", 7), ("p95_ms", 7), ("max_ms", 8))


def _target(name: str, measured, passed: bool) -> dict:
    return {"target": name, "measured": measured, "passed": bool(passed)}


def load_targets(load: dict, conf: dict, datasets: int) -> list[dict]:
    """Verdicts on the load phase's figures."""
    total = load["by_kind"]["all"]
    where = f" ({datasets} datasets, {conf['clients']} clients)"
    if datasets < TARGET_SIZE or conf["clients"] < TARGET_CLIENTS:
        where += f"; the target is set at {TARGET_SIZE} datasets and {TARGET_CLIENTS} clients"
    out = [_target("no 5xx during the load phase", total["5xx"], total["5xx"] == 0),
           _target("every request of the load phase answered", total["no_response"], total["no_response"] == 0),
           _target("no search page saying that the search failed", total.get("error_page", 0),
                   not total.get("error_page"))]
    for kind in SEARCH_KINDS:
        p95 = load["by_kind"].get(kind, {}).get("p95_ms")
        out.append(_target(f"p95 of {kind} < {SEARCH_P95_MS:.0f} ms{where}", p95,
                           p95 is not None and p95 < SEARCH_P95_MS))
    out.append(_target("harvest beside the load: one dataset per file, no duplicates, no errors",
                       harvest_line(load["harvest"]), harvest_ok(load["harvest"])))
    edits = load["edits"]
    out.append(_target("steward edits acknowledged and kept",
                       f"{edits['acknowledged']}/{edits['attempted']} acknowledged, {len(edits['lost'])} lost",
                       edits["attempted"] > 0 and edits["acknowledged"] == edits["attempted"] and not edits["lost"]))
    return out


def harvest_ok(run: dict) -> bool:
    """The harvest beside the load: exit 0, no errors, one dataset per file, all linked to the source."""
    got = run["harvested"]
    return (run["exit_code"] == 0 and run["counts"].get("errors", 1) == 0
            and got["datasets"] == got["names"] == got["titles"] == run["expected"]
            and got["without_current_object"] == 0)


def harvest_line(run: dict) -> str:
    """The harvest run in one line of figures."""
    got = run["harvested"]
    return (f"exit {run['exit_code']} in {run['seconds']} s: {run['summary'] or 'no summary'}; "
            f"{got['datasets']} datasets of {run['expected']} expected, {got['names']} names, {got['titles']} titles")


def fault_targets(faults: list[dict]) -> list[dict]:
    """One target per fault scenario: its verdict."""
    return [_target(f"fault {f['name']}: {f['title']}", fault_line(f), f["passed"]) for f in faults]


def fault_line(fault: dict) -> str:
    """One line of figures for a scenario's verdict."""
    if "error" in fault:
        return f"scenario error: {fault['error']}"
    if fault["name"] == "pg":
        w, b, a = fault["window"], fault["datasets_before"], fault["datasets_after"]
        same = "same checksum" if b["sha256"] == a["sha256"] else "CHECKSUM DIFFERS"
        return (f"restart {fault['restart']['seconds']} s; failed {w['failed']['during']} during "
                f"{w['failed_statuses']}, {w['failed']['after']} after, {w['failed']['before']} before; "
                f"recovered in {w['recovery_seconds']} s; datasets {b['count']} -> {a['count']} ({same}, "
                f"{len(a['duplicates'])} duplicated); lost edits {len(fault['lost_edits'])}")
    if fault["name"] == "redis":
        return "; ".join(f"{'ok' if c['passed'] else 'FAILED'}: {c['check']} (seen {c['seen']})"
                         for c in fault["checks"])
    kill, got, titles = fault["kill"], fault["harvested"], fault["datasets_by_title"]
    line = (f"killed after {kill['imported_after_kill']} datasets; re-run: {_run_text(fault['rerun'])}; "
            f"{got['datasets']} datasets of the source for {fault['expected']} files, {titles['count']} by title "
            f"(duplicated {titles['duplicates'][:3]}, not linked to the source {titles['not_linked_to_source'][:3]})")
    remedy = fault.get("operator_remedy")
    if remedy:
        line += (f"; after `ckan harvester job-abort`: re-run {_run_text(remedy['rerun'])}, "
                 f"again {_run_text(remedy['rerun_again'])}")
    return line


def _run_text(run: dict) -> str:
    """A harvest run in a few words: exit code and summary, or its last line."""
    text = run["summary"] or (run["last_lines"][-1] if run["last_lines"] else "no output")
    return f"exit {run['exit_code']} ({text.split(' (gather')[0]})"


def server_errors(log_path: str) -> dict:
    """Tracebacks in the server's log and the distinct exception lines that end them."""
    if not os.path.exists(log_path):
        return {"tracebacks": 0, "exceptions": []}
    with open(log_path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    ends, inside = {}, False
    for line in lines:
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line.startswith((" ", "\t")):
            ends[line[:200]] = ends.get(line[:200], 0) + 1
            inside = False
    return {"tracebacks": sum(ends.values()), "exceptions": sorted(ends.items(), key=lambda kv: -kv[1])[:10]}


def build(conf: dict, result: dict, seconds: float, load_average) -> dict:
    """The report: settings, figures, every target with its verdict, ``passed``."""
    targets = load_targets(result["load"], conf, result["datasets"]) + fault_targets(result["faults"])
    return {"settings": conf, "datasets": result["datasets"], "seconds": seconds,
            "load_average_at_start": result.get("load_average_at_start"),
            "load_average": [round(x, 2) for x in load_average], "load": result["load"],
            "faults": result["faults"], "server_errors": result["server_errors"], "targets": targets,
            "sources": result.get("sources"), "baseline": result.get("baseline"), "crawl": result.get("crawl"),
            "passed": all(t["passed"] for t in targets)}


def _row(label: str, row: dict) -> str:
    cells = ["-" if row.get(key) is None else str(row.get(key)) for key, _ in COLUMNS]
    return f"{label:<13}| " + " | ".join(f"{c:>{w}}" for c, (_, w) in zip(cells, COLUMNS))


def print_load(report: dict, out) -> None:
    """The load phase as a table, one row per kind of request."""
    conf, load = report["settings"], report["load"]
    mix = ", ".join(f"{kind} {weight}" for kind, weight in conf.get("mix") or ())
    print(f"\nLoad phase: {load['seconds']} s, {conf['clients']} clients (mean pause {conf['think_ms']:.0f} ms; "
          f"mix {mix}), "
          f"2 stewards and a harvest of {conf['harvest_files']} files beside; {conf['processes']} server "
          f"processes, threaded; {report['datasets']} datasets.\n", file=out)
    print(f"{'kind':<13}| " + " | ".join(f"{k[:w]:>{w}}" for k, w in COLUMNS), file=out)
    for kind, row in load["by_kind"].items():
        print(_row(kind, row), file=out)
    crawl = report.get("crawl")
    if crawl:
        print(f"\ncatalogue crawled once before (a harvester's daily crawl): {crawl['pages']} pages in "
              f"{crawl['seconds']} s with {crawl['workers']} clients, p50 {crawl['p50_ms']} ms, p95 "
              f"{crawl['p95_ms']} ms, {crawl['statuses']}", file=out)
    if report.get("baseline"):
        print("\none request at a time, before the load (p50 ms): " + ", ".join(
            f"{kind} {row['p50_ms']}" for kind, row in report["baseline"].items() if kind != "all"), file=out)
    print(f"p95 ms while the harvest ran: {_p95s(load.get('p95_ms_with_harvest'))}; "
          f"without it: {_p95s(load.get('p95_ms_without_harvest'))}", file=out)
    cpu = load.get("cpu")
    if cpu:
        print(f"CPU during the load phase (cores, of {cpu['cpus']}): portal workers {cpu['server_cores']}, "
              f"load generator {cpu['generator_cores']}, whole machine {cpu['machine_busy_cores']} (the rest: "
              f"the harvest, PostgreSQL, other programs)", file=out)
    print(f"statuses: {load['statuses']}; sources: " + ", ".join(
        f"{s['name']} ({s['expected']} files, {s.get('leftovers_purged', 0)} leftover datasets of earlier runs purged)"
        for s in (report.get("sources") or {}).values()), file=out)
    print(f"harvest: {harvest_line(load['harvest'])}", file=out)
    edits = load["edits"]
    print(f"steward edits: {edits['acknowledged']}/{edits['attempted']} acknowledged, {len(edits['lost'])} lost",
          file=out)


def _p95s(row) -> str:
    return ", ".join(f"{kind} {p95}" for kind, p95 in (row or {}).items() if kind != "all") or "-"


def print_report(report: dict, out=sys.stdout) -> None:
    """The whole report, for the terminal."""
    print_load(report, out)
    print("\nFaults:", file=out)
    for fault in report["faults"]:
        print(f"  {'PASS' if fault['passed'] else 'FAIL'}  {fault['name']}: {fault_line(fault)}", file=out)
    errors = report["server_errors"]
    print(f"\nserver tracebacks: {errors['tracebacks']} {errors['exceptions'][:3]}", file=out)
    print("\nTargets:", file=out)
    for target in report["targets"]:
        print(f"  {'PASS' if target['passed'] else 'FAIL'}  {target['target']}: {target['measured']}", file=out)
    print(f"\n{'PASSED' if report['passed'] else 'FAILED'} in {report['seconds']} s (1-minute load average "
          f"{report.get('load_average_at_start') or '?'} before the run, {report['load_average'][0]} at the end; "
          f"timings are only meaningful on an otherwise idle machine)", file=out)


def write(report: dict, path: str) -> None:
    """The report as JSON at ``path``."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1, default=str)
    print(f"Report: {path}")
