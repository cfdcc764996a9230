"""``ckan quito harvest run SOURCE``: one harvest job run here and now.

The stages are ckanext-harvest's own (``queue.gather_stage`` and
``queue.fetch_and_import_stages``), called in this process instead of through
the Redis queues, so a synchronous run and the workers leave the same
records. The job is then closed by ``harvest_jobs_run`` as the cron does.
"""
from __future__ import annotations

import time
from collections import Counter
from typing import Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

#: ckanext-harvest's report status -> the summary's words. ``errors`` counts
#: the objects with a problem: not imported, or imported with a file reported.
OUTCOMES = {"added": "created", "updated": "updated", "not modified": "unchanged",
            "deleted": "deleted", "errored": "errors"}


def _context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "model": model, "session": model.Session}


def start_job(source_id_or_name: str):
    """A new job for the source (ckanext-harvest refuses one when a job is
    already pending or running: its message is passed on)."""
    from ckanext.harvest.model import HarvestJob

    source = tk.get_action("harvest_source_show")(_context(), {"id": source_id_or_name})
    job = tk.get_action("harvest_job_create")(_context(), {"source_id": source["id"], "run": False})
    job_obj = HarvestJob.get(job["id"])
    job_obj.status = "Running"
    job_obj.save()
    return source, job_obj


def run(source_id_or_name: str, progress: Optional[Callable[[int, int], None]] = None) -> dict:
    """Run one job of the source; the summary counts and the time per stage."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestObject

    source, job = start_job(source_id_or_name)
    harvester = queue.get_harvester(source["source_type"])
    started = time.perf_counter()
    ids = queue.gather_stage(harvester, job) or []
    gathered = time.perf_counter()
    outcomes: Counter = Counter()
    for done, object_id in enumerate(ids, start=1):
        obj = HarvestObject.get(object_id)
        queue.fetch_and_import_stages(harvester, obj)
        outcomes[OUTCOMES.get(obj.report_status, "errors")] += 1
        if obj.report_status != "errored" and obj.errors:
            outcomes["errors"] += 1  # imported, with a file reported
        if progress:
            progress(done, len(ids))
    finished = time.perf_counter()
    tk.get_action("harvest_jobs_run")(dict(_context(), ignore_auth=True), {"source_id": source["id"]})
    return summary(job, outcomes, gathered - started, finished - gathered)


def summary(job, outcomes: Counter, gather_seconds: float, objects_seconds: float) -> dict:
    from ckanext.harvest.model import HarvestGatherError, HarvestObjectError, HarvestObject

    gather_errors = [e.message for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id)]
    object_errors = [e.message for e in model.Session.query(HarvestObjectError)
                     .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
                     .filter(HarvestObject.harvest_job_id == job.id)]
    counts = {word: outcomes.get(word, 0) for word in ("created", "updated", "unchanged", "deleted", "errors")}
    return dict(counts, job_id=job.id, gather_errors=gather_errors, object_errors=object_errors,
                seconds={"gather": round(gather_seconds, 3), "fetch_import": round(objects_seconds, 3)})
