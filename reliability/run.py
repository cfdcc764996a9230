"""The reliability run: the portal served on loopback, the load phase, the fault scenarios, the report.

    python -m reliability.run --config var/reliability/reliability.ini --state var/reliability/state.json \\
        --out var/reliability/report.json          (scripts/reliability.sh runs it)

Settings come from the ``RELIABILITY_*`` environment variables documented in
scripts/reliability.sh. Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback

from reliability import faults, harvest, load, machine, report, stats
from reliability.db import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "reliability.sh")


def settings() -> dict:
    """The run settings from the ``RELIABILITY_*`` environment variables."""
    env = os.environ.get
    return {"size": int(env("RELIABILITY_SIZE", "10000")), "duration": float(env("RELIABILITY_DURATION", "180")),
            "clients": int(env("RELIABILITY_CLIENTS", "20")), "think_ms": float(env("RELIABILITY_THINK_MS", "1000")),
            "processes": int(env("RELIABILITY_SERVER_PROCESSES", "6")),
            "harvest_files": int(env("RELIABILITY_HARVEST_FILES", "200")),
            "faults": env("RELIABILITY_FAULTS", "pg redis harvest-kill").split(),
            "mix": load.parse_mix(env("RELIABILITY_MIX", "")),
            "web_port": int(env("RELIABILITY_WEB_PORT", "25080")),
            "files_port": int(env("RELIABILITY_FILES_PORT", "25081"))}


class Context:
    """What the load phase and the scenarios share."""

    def __init__(self, config: str, out_dir: str, content: dict, conf: dict):
        self.config, self.dir, self.content, self.conf = config, out_dir, content, conf
        self.base = f"http://127.0.0.1:{conf['web_port']}"
        self.recorder = load.Recorder(time.monotonic())
        self.stewards = [load.Steward(self.base, info, self.recorder, seed=i)
                         for i, info in enumerate(content["stewards"])]
        self.admin = load.Api(self.base, content["admin"]["token"])
        self.checks = Checks(config)
        self.clients, self.think_ms = conf["clients"], conf["think_ms"]
        self.settle, self.outage_edits = 10.0, 5
        self.sources: dict = {}
        self.server_pid = 0

    def phase(self, clients: int | None = None, stewards: bool = True) -> load.LoadPhase:
        """A load phase with the run's clients (or ``clients``) and, unless told otherwise, the stewards."""
        return load.LoadPhase(self.base, self.content, self.recorder, self.clients if clients is None else clients,
                              self.think_ms, self.stewards if stewards else [], mix=self.conf["mix"])

    def control(self, action: str) -> dict:
        """A fault injector of scripts/reliability.sh (private servers only)."""
        started = time.monotonic()
        done = subprocess.run([SCRIPT, action], capture_output=True, text=True, timeout=120)
        return {"action": action, "exit_code": done.returncode, "seconds": round(time.monotonic() - started, 2),
                "output": (done.stdout + done.stderr).strip()[-300:]}


def start_server(config: str, conf: dict, log_path: str) -> subprocess.Popen:
    """The portal (:mod:`reliability.serve`) in a subprocess, its output in ``log_path``."""
    log = open(log_path, "w", encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "reliability.serve", "--config", config, "--port",
                             str(conf["web_port"]), "--processes", str(conf["processes"])],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM the server (it stops its workers), SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prepare_sources(ctx: Context, files_root: str) -> None:
    """Two trees of sample files and their sources: ``carga`` (load phase, Redis), ``corte`` (kill)."""
    url = f"http://127.0.0.1:{ctx.conf['files_port']}"
    for key, prefix in (("load", "carga"), ("cut", "corte")):
        expected = harvest.make_tree(files_root, prefix, ctx.conf["harvest_files"])
        created = harvest.fresh_source(ctx.admin, f"fiabilidad-{prefix}", f"{url}/{prefix}/",
                                       ctx.content["harvest_org"])
        # Datasets of an earlier run that no source owns any more (left by a killed harvest).
        leftovers = ctx.checks.names_titled_like(f"{prefix.capitalize()} % muestra")
        for name in leftovers:
            ctx.admin.require("dataset_purge", {"id": name})
        ctx.sources[key] = {"id": created["id"], "name": created["name"], "prefix": prefix, "expected": expected,
                            "leftovers_purged": len(leftovers)}


def warm_up(ctx: Context, seconds: float = 15) -> None:
    """A short unmeasured phase (templates, caches, connections)."""
    phase = load.LoadPhase(ctx.base, ctx.content, load.Recorder(time.monotonic()), ctx.clients, ctx.think_ms, [],
                           mix=ctx.conf["mix"])
    phase.start()
    time.sleep(seconds)
    phase.stop()


def crawl_catalogue(ctx: Context, workers: int = 2) -> dict:
    """Every page of ``/catalog.ttl`` once, as a national catalogue's
    harvester crawls it each day, before anything is measured: the pages'
    dataset descriptions are then kept (``dcat/fragments.py``), as they are
    on a portal that has been up for a day. The crawl's own timings are the
    pages made from nothing."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    pages = max(1, -(-ctx.content["public_count"] // 100))
    recorder, started = load.Recorder(time.monotonic()), time.monotonic()
    with ThreadPoolExecutor(workers) as pool:  # a session per page: sessions are not shared across threads
        list(pool.map(lambda n: load.get(requests.Session(), recorder, "catalog_page",
                                         f"{ctx.base}/catalog.ttl?page={n}"), range(1, pages + 1)))
    row = stats.by_kind(recorder.samples).get("catalog_page", {})
    return {"pages": pages, "seconds": round(time.monotonic() - started, 1), "workers": workers,
            "p50_ms": row.get("p50_ms"), "p95_ms": row.get("p95_ms"), "statuses": stats.status_counts(recorder.samples)}


def baseline(ctx: Context, per_kind: int = 5) -> dict:
    """Each kind of request alone, one at a time (the latency without concurrency), p50/p95 ms."""
    import random

    import requests

    recorder, session, rng = load.Recorder(time.monotonic()), requests.Session(), random.Random(1)
    for kind, _ in load.MIX:
        for _ in range(per_kind):
            load.get(session, recorder, kind, ctx.base + load.path_for(kind, rng, ctx.content))
    return stats.by_kind(recorder.samples)


def wait_for_phase(ctx: Context, proc, deadline: float, overtime: float = 120) -> float:
    """Until ``deadline`` and the harvest's end (at most ``overtime`` more); when the harvest ended."""
    ended = None
    while ctx.recorder.now() < deadline or (ended is None and ctx.recorder.now() < deadline + overtime):
        if ended is None and proc.poll() is not None:
            ended = ctx.recorder.now()
        time.sleep(0.5)
    return ended or ctx.recorder.now()


def load_phase(ctx: Context, log=print) -> dict:
    """Clients and stewards for the set duration, a harvest job running beside them."""
    source, duration = ctx.sources["load"], ctx.conf["duration"]
    cpu = machine.snapshot(ctx.server_pid)
    phase = ctx.phase().start()
    time.sleep(min(10.0, duration / 10))
    started = time.monotonic()
    proc = harvest.start_run(ctx.config, source["name"], os.path.join(ctx.dir, "harvest-load.log"))
    harvest_start = ctx.recorder.now()
    try:
        harvest_end = wait_for_phase(ctx, proc, phase.started + duration)
        seconds = phase.stop()
        cpu = machine.usage(cpu, machine.snapshot(ctx.server_pid))
        code = proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    run = harvest.outcome(code, time.monotonic() - started, os.path.join(ctx.dir, "harvest-load.log"))
    samples = [s for s in ctx.recorder.since(phase.started) if s["start"] <= phase.started + seconds]
    edits = [e for s in ctx.stewards for e in s.edits]
    log(f"load phase: {len(samples)} requests in {seconds:.0f} s; harvest: {run['summary']}")
    beside = [s for s in samples if harvest_start <= s["start"] <= harvest_end]
    alone = [s for s in samples if not harvest_start <= s["start"] <= harvest_end]
    return {"seconds": round(seconds, 1), "by_kind": stats.by_kind(samples, seconds), "cpu": cpu,
            "p95_ms_with_harvest": {k: v["p95_ms"] for k, v in stats.by_kind(beside).items()},
            "p95_ms_without_harvest": {k: v["p95_ms"] for k, v in stats.by_kind(alone).items()},
            "statuses": stats.status_counts(samples), "failures": stats.failures(samples),
            "harvest": dict(run, counts=harvest.parse_summary(run["summary"]), expected=source["expected"],
                            harvested=ctx.checks.harvested(source["id"])),
            "edits": {"attempted": len(edits), "acknowledged": sum(e["status"] == 200 for e in edits),
                      "refused": sorted({e["error"] or "" for e in edits if e["status"] != 200})[:5],
                      "lost": faults.edits_check(ctx)}}


def run_faults(ctx: Context, names: list[str], log=print) -> list[dict]:
    """Each scenario in turn; one that breaks is a failed verdict with its reason."""
    results = []
    for name in names:
        log(f"fault scenario: {name}")
        try:
            result = faults.SCENARIOS[name](ctx)
        except Exception as error:  # the scenario itself broke: a failed verdict, with the reason
            result = {"name": name, "title": name, "passed": False, "error": repr(error),
                      "traceback": traceback.format_exc()[-2000:]}
        log(f"  {'PASS' if result['passed'] else 'FAIL'}")
        results.append(result)
    return results


def execute(config: str, content: dict, conf: dict, out_dir: str) -> dict:
    """Serve, load, break; the raw figures for :mod:`reliability.report`."""
    ctx = Context(config, out_dir, content, conf)
    idle = round(os.getloadavg()[0], 2)
    server_log = os.path.join(out_dir, "server.log")
    with tempfile.TemporaryDirectory() as files_root:
        files = harvest.serve(files_root, conf["files_port"])
        server = start_server(config, conf, server_log)
        ctx.server_pid = server.pid
        try:
            ready = load.wait_ready(ctx.base)
            print(f"portal ready on {ctx.base} in {ready:.0f} s")
            prepare_sources(ctx, files_root)
            result = {"crawl": crawl_catalogue(ctx)}
            print(f"catalogue crawled: {result['crawl']['pages']} pages in {result['crawl']['seconds']} s")
            warm_up(ctx)
            result["baseline"] = baseline(ctx)
            result.update(load=load_phase(ctx), faults=run_faults(ctx, conf["faults"]))
        finally:
            stop_server(server)
            files.shutdown()
    result["datasets"], result["load_average_at_start"] = len(ctx.checks.dataset_names()), idle
    result["sources"] = ctx.sources
    result["server_errors"] = report.server_errors(server_log)
    return result


def main(argv=None) -> int:
    """Run, print and save the report; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    # `timeout` sends SIGTERM: unwind, so that the server and the file server stop with the run.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(124))
    with open(args.state, encoding="utf-8") as f:
        content = json.load(f)
    conf, started = settings(), time.monotonic()
    result = execute(args.config, content, conf, os.path.dirname(os.path.abspath(args.out)))
    built = report.build(conf, result, round(time.monotonic() - started, 1), os.getloadavg())
    report.print_report(built)
    report.write(built, args.out)
    return 0 if built["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
