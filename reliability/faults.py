"""Fault scenarios, each ending in a verdict (``passed`` plus the figures it rests on).

1. ``pg``: the private PostgreSQL restarted (``pg_ctl restart -m fast``) under
   full load: requests may fail while it restarts, only with an honest 503
   (``Service Unavailable``, never a 500 or an error naming a search server),
   then every one succeeds without help; no dataset lost or duplicated (count
   and checksum of names), no acknowledged edit lost.
2. ``redis``: the private Redis stopped while a steward edits and while a
   harvest job is created (API, as the "Reharvest" button does, and the CLI),
   then started again: edits succeed or fail with a clear non-5xx error,
   anonymous reads keep working, the job creation answers 503 and leaves no
   job behind to block the source, the CLI run imports and closes its job,
   nothing acknowledged is lost, and the source can be harvested again.
3. ``harvest-kill``: ``ckan quito harvest run`` killed (SIGKILL) after some
   datasets were imported: a plain re-run is refused naming the stuck job;
   re-run with ``--abort-unfinished`` it completes, with one dataset per file,
   no duplicates and every dataset linked to the source.

The injectors are ``scripts/reliability.sh pg-restart|redis-stop|redis-start``:
they act on the run's private servers only.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

from reliability import harvest, stats
from reliability.load import MARK


def edits_check(ctx) -> list[dict]:
    """Acknowledged edits (of the whole run so far) that the database lost."""
    edits = [e for s in ctx.stewards for e in s.edits]
    return stats.lost_edits(edits, ctx.checks.notes(sorted({e["dataset"] for e in edits})), MARK)


def pg(ctx) -> dict:
    """PostgreSQL restarted mid-load."""
    before = stats.names_fingerprint(ctx.checks.dataset_names())
    phase = ctx.phase().start()
    time.sleep(ctx.settle)
    t0 = ctx.recorder.now()
    restart = ctx.control("pg-restart")
    t1 = ctx.recorder.now()
    time.sleep(ctx.settle * 2)
    phase.stop()
    samples = ctx.recorder.since(phase.started)
    window = stats.recovery(samples, t0, t1)
    after = stats.names_fingerprint(ctx.checks.dataset_names())
    lost = edits_check(ctx)
    same = before == after and not after["duplicates"]
    honest = only_unavailable(window["failed_statuses"])
    return {"name": "pg", "title": "PostgreSQL restarted mid-load",
            "passed": window["recovered"] and same and not lost and honest, "failures_all_503": honest,
            "restart": restart, "window": window, "by_kind": stats.by_kind(samples),
            "failures": stats.failures(samples),
            "datasets_before": before, "datasets_after": after, "lost_edits": lost}


def only_unavailable(statuses: dict) -> bool:
    """Requests that failed during an outage all answered 503 (or found the
    server restarting its socket: no response)."""
    return all(key == "503" or key.startswith("0:") for key in statuses)


def _outage_actions(ctx, source: dict) -> dict:
    """What a steward and an administrator do while Redis is down."""
    steward = ctx.stewards[0]
    edits = [steward.edit_once() for _ in range(ctx.outage_edits)]
    cli_job = harvest.run_to_end(ctx.config, source["name"], os.path.join(ctx.dir, "harvest-redis-down.log"), 300)
    status, result = ctx.admin.action("harvest_job_create", {"source_id": source["id"]})
    return {"edits": [{k: e[k] for k in ("dataset", "status", "error")} for e in edits],
            "cli_harvest_run": cli_job, "api_job_create": {"status": status, "result": str(result)[:300]},
            "jobs": ctx.checks.jobs(source["id"])[-2:]}


def _after_outage(ctx, source: dict) -> dict:
    """Once Redis is back: edits, the source's jobs, the cron's action, a new harvest run."""
    edits = [ctx.stewards[0].edit_once() for _ in range(3)]
    cron_status, cron = ctx.admin.action("harvest_jobs_run", {"source_id": source["id"]})
    jobs_after_cron = ctx.checks.jobs(source["id"])[-2:]
    rerun = harvest.run_to_end(ctx.config, source["name"], os.path.join(ctx.dir, "harvest-redis-after.log"), 300)
    remedy = None if rerun["exit_code"] == 0 else operator_remedy(ctx, source, "harvest-redis-after-abort")
    return {"edits": [{k: e[k] for k in ("dataset", "status", "error")} for e in edits],
            "harvest_jobs_run": {"status": cron_status, "result": str(cron)[:300]},
            "jobs_after_cron": jobs_after_cron, "cli_harvest_run": rerun, "operator_remedy": remedy}


def redis(ctx) -> dict:
    """Redis unavailable while a steward edits and a harvest job is created."""
    source = ctx.sources["load"]
    phase = ctx.phase(clients=max(1, ctx.clients // 4), stewards=False).start()
    t0 = ctx.recorder.now()
    ctx.control("redis-stop")
    try:
        during = _outage_actions(ctx, source)
    finally:
        ctx.control("redis-start")
    t1 = ctx.recorder.now()
    after = _after_outage(ctx, source)
    phase.stop()
    reads = [s for s in ctx.recorder.since(phase.started) if s["kind"] != "edit"]
    window = stats.recovery(reads, t0, t1)
    lost = edits_check(ctx)
    verdicts = redis_verdicts(during, after, window, lost)
    return {"name": "redis", "title": "Redis unavailable during edits and harvest job creation",
            "passed": all(v["passed"] for v in verdicts), "checks": verdicts, "outage_seconds": round(t1 - t0, 1),
            "during": during, "after": after, "reads": window, "read_failures": stats.failures(reads),
            "lost_edits": lost}


def redis_verdicts(during: dict, after: dict, reads: dict, lost: list) -> list[dict]:
    """The scenario's checks, each with what was seen."""
    edit_statuses = [e["status"] for e in during["edits"]]
    job_status = during["api_job_create"]["status"]
    return [
        {"check": "edits while Redis is down succeed or fail with a clear non-5xx error",
         "seen": edit_statuses, "passed": all(stats.outcome(s) in ("ok", "other") for s in edit_statuses)},
        {"check": "anonymous reads keep working", "seen": reads["failed_statuses"],
         "passed": reads["failed"]["during"] + reads["failed"]["after"] == 0},
        {"check": "harvest job creation (API) is queued, or answers 503 and leaves no job blocking the source",
         "seen": {"status": job_status, "unfinished_jobs": unfinished(during["jobs"])},
         "passed": stats.outcome(job_status) == "ok" or (job_status == 503 and not unfinished(during["jobs"]))},
        {"check": "`ckan quito harvest run` while Redis is down imports and ends cleanly",
         "seen": during["cli_harvest_run"]["summary"] or during["cli_harvest_run"]["last_lines"][-1:],
         "passed": during["cli_harvest_run"]["summary"] is not None and during["cli_harvest_run"]["exit_code"] == 0},
        {"check": "edits work again once Redis is back", "seen": [e["status"] for e in after["edits"]],
         "passed": all(e["status"] == 200 for e in after["edits"])},
        {"check": "the source can be harvested again once Redis is back",
         "seen": after["cli_harvest_run"]["summary"] or after["cli_harvest_run"]["last_lines"][-1:],
         "passed": after["cli_harvest_run"]["exit_code"] == 0},
        {"check": "no acknowledged edit lost", "seen": len(lost), "passed": not lost},
    ]


def unfinished(jobs: list) -> list:
    return [job for job in jobs if job.get("status") in ("New", "Running")]


def _kill_when(ctx, source: dict, proc, at_least: int, timeout: float = 300) -> dict:
    """SIGKILL the harvest process once ``at_least`` datasets exist; what was seen then."""
    started = time.monotonic()
    imported = 0
    while time.monotonic() - started < timeout and proc.poll() is None:
        imported = ctx.checks.imported_count(source["id"])
        if imported >= at_least:
            break
        time.sleep(0.3)
    finished_first = proc.poll() is not None
    if not finished_first:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return {"killed": not finished_first, "imported_at_kill": imported,
            "imported_after_kill": ctx.checks.imported_count(source["id"]),
            "seconds_before_kill": round(time.monotonic() - started, 1)}


def harvest_kill(ctx) -> dict:
    """A harvest worker killed mid-job, then the source re-run."""
    source = ctx.sources["cut"]
    log_path = os.path.join(ctx.dir, "harvest-killed.log")
    kill = _kill_when(ctx, source, harvest.start_run(ctx.config, source["name"], log_path),
                      max(1, source["expected"] // 4))
    jobs_after_kill = ctx.checks.jobs(source["id"])
    refused = harvest.run_to_end(ctx.config, source["name"], os.path.join(ctx.dir, "harvest-rerun-plain.log"), 600)
    rerun = harvest.run_to_end(ctx.config, source["name"], os.path.join(ctx.dir, "harvest-rerun.log"), 600,
                               "--abort-unfinished")
    remedy = None if rerun["exit_code"] == 0 else operator_remedy(ctx, source, "harvest-rerun-after-abort")
    refused_clearly = refused["exit_code"] == 1 and any("--abort-unfinished" in line for line in refused["last_lines"])
    result = ctx.checks.harvested(source["id"])
    titles = ctx.checks.titled_like(f"{source['prefix'].capitalize()} % muestra")
    titles["not_linked_to_source"] = ctx.checks.unlinked(source["id"], f"{source['prefix'].capitalize()} % muestra")
    complete = result["datasets"] == source["expected"] == titles["count"] and not titles["duplicates"]
    return {"name": "harvest-kill", "title": "Harvest worker killed mid-job, source re-run",
            "passed": kill["killed"] and rerun["exit_code"] == 0 and complete
            and result["without_current_object"] == 0 and not titles["not_linked_to_source"] and refused_clearly,
            "kill": kill, "jobs_after_kill": jobs_after_kill, "plain_rerun": refused, "rerun": rerun,
            "operator_remedy": remedy,
            "expected": source["expected"], "harvested": result, "datasets_by_title": titles}


def operator_remedy(ctx, source: dict, tag: str) -> dict:
    """What an operator would do when a re-run is refused: abort the stuck job, run again."""
    abort = subprocess.run(harvest.ckan_command(ctx.config, "harvester", "job-abort", source["name"]),
                           capture_output=True, text=True, timeout=120)
    lines = [line for line in (abort.stdout + abort.stderr).splitlines() if line.strip() and "CSRF" not in line]
    rerun = harvest.run_to_end(ctx.config, source["name"], os.path.join(ctx.dir, f"{tag}.log"), 600)
    again = harvest.run_to_end(ctx.config, source["name"], os.path.join(ctx.dir, f"{tag}-again.log"), 600)
    return {"job_abort": {"exit_code": abort.returncode, "output": lines[-3:]}, "rerun": rerun,
            "rerun_again": again, "jobs": ctx.checks.jobs(source["id"])[-3:]}


SCENARIOS = {"pg": pg, "redis": redis, "harvest-kill": harvest_kill}
