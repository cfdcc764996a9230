"""Summarise a conformance run: one row per suite, then every failing test.

scripts/conformance.sh leaves, per suite NAME, in the output folder:
``NAME.xml`` (pytest's junit report, xunit1 so test cases carry their file),
``NAME.rc`` (pytest's exit status, 124 when ``timeout`` stopped it) and
``NAME.log`` (pytest's console output).

    python conformance/summary.py --dir var/conformance [--known FILE] SUITE...

Exit status 0 when every suite ran, even with failing tests; 1 when a suite
crashed at start-up (collection error, no tests, pytest error) or timed out.
"""
from __future__ import annotations

import argparse
import dataclasses
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

#: pytest exit statuses (and timeout's) that mean the suite did not run through.
CRASH_CODES = {
    2: "interrupted (a collection error, or a test stopped the session)",
    3: "pytest internal error",
    4: "pytest usage error",
    5: "no tests collected",
    124: "timed out",
    137: "killed (timed out and ignored SIGINT)",
}
TIMEOUT_CODES = {124, 137}
LOG_ERROR_MARKERS = ("ERROR", "!!!", "Traceback", "ImportError", "ModuleNotFoundError", "error:")
REASON_WIDTH = 220
BARE_ASSERT = re.compile(r"\bassert (False|True|None)$")
SEARCH_ERROR = re.compile(r"running query: (?P<query>\{.*\}) Error: (?P<error>.*)$")
QUERY_Q = re.compile(r"'q': ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


@dataclasses.dataclass
class Problem:
    nodeid: str
    outcome: str  # "failed" or "error"
    reason: str


@dataclasses.dataclass
class SuiteResult:
    name: str
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    time: float = 0.0
    problems: list[Problem] = dataclasses.field(default_factory=list)
    crash: str | None = None


def first_line(text: str | None) -> str:
    """The first non-blank line of a message, as one readable table line."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[0]
    if BARE_ASSERT.search(line) and len(lines) > 1:
        line = f"{line} ({lines[1].lstrip('+ ')})"
    return shorten(condense_search_error(line))


def condense_search_error(line: str) -> str:
    """CKAN's SearchError repeats the whole Solr query: keep q and the engine's error."""
    match = SEARCH_ERROR.search(line)
    if not match:
        return line
    q = QUERY_Q.search(match.group("query"))
    q_text = q.group(1) if q else "?"
    return f"{line[:match.start()]}running query: q={q_text} -> {match.group('error')}"


def shorten(line: str) -> str:
    return line if len(line) <= REASON_WIDTH else line[:REASON_WIDTH - 1] + "…"


def node_id(case: ET.Element) -> str:
    """pytest's node id of a junit test case: file::Class::name."""
    file = case.get("file") or ""
    classname = case.get("classname") or ""
    name = case.get("name") or ""
    if not file.endswith(".py"):
        return "::".join(p for p in (classname, name) if p)
    module = file[:-3].replace("/", ".")
    inner = classname[len(module):].lstrip(".") if classname.startswith(module) else classname
    return "::".join([file, *filter(None, inner.split(".")), name])


def case_outcome(case: ET.Element) -> tuple[str, str]:
    """(outcome, one-line reason) of a junit test case."""
    for tag, outcome in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        child = case.find(tag)
        if child is not None:
            return outcome, first_line(child.get("message")) or first_line(child.text)
    return "passed", ""


def parse_report(name: str, xml_text: str) -> SuiteResult:
    """Counts and problems of one suite from its junit XML text."""
    root = ET.fromstring(xml_text)
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    result = SuiteResult(name, time=sum(float(s.get("time") or 0) for s in suites))
    for case in root.iter("testcase"):
        outcome, reason = case_outcome(case)
        count(result, outcome)
        if outcome in ("failed", "error"):
            result.problems.append(Problem(node_id(case), outcome, reason))
    return result


def count(result: SuiteResult, outcome: str) -> None:
    field = {"passed": "passed", "failed": "failed", "error": "errors", "skipped": "skipped"}[outcome]
    setattr(result, field, getattr(result, field) + 1)


def crash_reason(rc: int | None, result: SuiteResult | None, log_text: str) -> str | None:
    """Why a suite did not run through, or None when it did."""
    if rc is None:
        return "the runner left no exit status (did the suite start?)"
    if rc in TIMEOUT_CODES:
        return f"{CRASH_CODES[rc]} (CONFORMANCE_SUITE_TIMEOUT); the counts are partial"
    if rc in CRASH_CODES:
        why = CRASH_CODES[rc]
    elif result is None:
        why = f"exit status {rc} and no junit report"
    else:
        return None
    return "; ".join([why, *(collection_errors(result) or log_errors(log_text))])


def collection_errors(result: SuiteResult | None) -> list[str]:
    """Problems pytest reported outside any test (collection errors have no file)."""
    if result is None:
        return []
    return [f"{p.nodeid}: {p.reason}" for p in result.problems if "::" not in p.nodeid]


def log_errors(log_text: str, limit: int = 3) -> list[str]:
    """pytest's own error lines from its console output, else its last line."""
    lines = [first_line(line) for line in log_text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(LOG_ERROR_MARKERS)]
    return errors[-limit:] or lines[-1:]


def load_suite(folder: pathlib.Path, name: str) -> SuiteResult:
    rc_file, xml_file, log_file = (folder / f"{name}.{ext}" for ext in ("rc", "xml", "log"))
    rc = int(rc_file.read_text().strip()) if rc_file.exists() else None
    log_text = log_file.read_text(errors="replace") if log_file.exists() else ""
    try:
        result = parse_report(name, xml_file.read_text()) if xml_file.exists() else None
    except ET.ParseError:
        result = None
    crash = crash_reason(rc, result, log_text)
    result = result or SuiteResult(name)
    result.crash = crash
    return result


def load_known(path: pathlib.Path | None) -> dict[str, str]:
    """known-failures.txt: ``node id | reason`` lines; lines starting with ``#`` are comments."""
    if path is None or not path.exists():
        return {}
    known = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "|" in line:
            nodeid, reason = (part.strip() for part in line.split("|", 1))
            known[nodeid] = reason
    return known


def known_reason(nodeid: str, known: dict[str, str]) -> str | None:
    """The documented reason of a failure; a known id also covers its parametrisations."""
    if nodeid in known:
        return known[nodeid]
    base = nodeid.split("[", 1)[0]
    return known.get(base)


def table(results: list[SuiteResult]) -> list[str]:
    header = ("suite", "passed", "failed", "errors", "skipped", "time")
    rows = [header] + [row(r) for r in results] + [row(total(results))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(r, widths))) for r in rows]
    rule = "-+-".join("-" * w for w in widths)
    return [lines[0], rule, *lines[1:-1], rule, lines[-1]]


def status(r: SuiteResult) -> str:
    """Empty when the suite ran through, else CRASHED or TIMED OUT."""
    if not r.crash:
        return ""
    return "TIMED OUT" if r.crash.startswith(("timed out", "killed")) else "CRASHED"


def row(r: SuiteResult) -> tuple[str, ...]:
    name = f"{r.name} ({status(r)})" if r.crash else r.name
    return (name, str(r.passed), str(r.failed), str(r.errors), str(r.skipped), f"{r.time:.0f}s")


def total(results: list[SuiteResult]) -> SuiteResult:
    t = SuiteResult("total")
    for r in results:
        t.passed, t.failed = t.passed + r.passed, t.failed + r.failed
        t.errors, t.skipped, t.time = t.errors + r.errors, t.skipped + r.skipped, t.time + r.time
    return t


def problem_lines(results: list[SuiteResult], known: dict[str, str]) -> list[str]:
    lines = []
    for r in results:
        for p in r.problems:
            documented = known_reason(p.nodeid, known)
            tag = f"known: {documented}" if documented else "NOT in known-failures.txt"
            lines.append(f"[{r.name}] {p.outcome.upper()} {p.nodeid}")
            lines.append(f"    {p.reason}")
            lines.append(f"    ({tag})")
    return lines


def crash_lines(results: list[SuiteResult]) -> list[str]:
    return [f"[{r.name}] {status(r)}: {r.crash}" for r in results if r.crash]


def report(results: list[SuiteResult], known: dict[str, str]) -> str:
    out = ["", "== conformance with upstream suites", "", *table(results)]
    problems = problem_lines(results, known)
    if problems:
        out += ["", "== failing tests (node id, first line of the failure)", "", *problems]
    crashes = crash_lines(results)
    if crashes:
        out += ["", "== suites that did not run through", "", *crashes]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", required=True, type=pathlib.Path, help="the runner's output folder")
    parser.add_argument("--known", type=pathlib.Path, help="known-failures.txt")
    parser.add_argument("suites", nargs="+")
    args = parser.parse_args(argv)
    results = [load_suite(args.dir, name) for name in args.suites]
    sys.stdout.write(report(results, load_known(args.known)))
    return 1 if any(r.crash for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
