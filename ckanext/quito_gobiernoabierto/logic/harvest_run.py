"""``ckan quito harvest run SOURCE``: one harvest job run here and now.

The stages are ckanext-harvest's own (``queue.gather_stage`` and
``queue.fetch_and_import_stages``), called in this process instead of through
the Redis queues, so a synchronous run and the workers leave the same
records. The job is then closed by ``harvest_jobs_run`` as the cron does;
with the queue (Redis) down the run still ends cleanly: the job is closed
here and only the queue's own housekeeping is left to the next cron.

A source whose last job never finished (a run killed half-way leaves it
"Running") is refused with that job's figures (:class:`Blocked`);
``abort_unfinished`` closes it first, as ``harvest_job_abort`` does, and the
new run picks up where the other stopped: a dataset the killed run had
created is found again, not duplicated (``importer.adopt``).
"""
from __future__ import annotations

import time
import logging
from collections import Counter
from typing import Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.logic import harvest_jobs

log = logging.getLogger(__name__)

#: ckanext-harvest's report status -> the summary's words. ``errors`` counts
#: the objects with a problem: not imported, or imported with a file reported.
OUTCOMES = {"added": "created", "updated": "updated", "not modified": "unchanged",
            "deleted": "deleted", "errored": "errors"}


def _context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "model": model, "session": model.Session}


class Blocked(Exception):
    """The source has a job that is still pending or running."""

    def __init__(self, source: dict, job: dict):
        super().__init__(f"source {source['name']} has an unfinished job {job['id']} ({job['status']})")
        self.source, self.job = source, job


def start_job(source_id_or_name: str, abort_unfinished: bool = False):
    """A new job for the source; one still pending or running is closed first
    when ``abort_unfinished``, else it is reported (:class:`Blocked`)."""
    from ckanext.harvest.model import HarvestJob

    source = tk.get_action("harvest_source_show")(_context(), {"id": source_id_or_name})
    blocking = harvest_jobs.unfinished(source["id"])
    if blocking and not abort_unfinished:
        raise Blocked(source, blocking)
    if blocking:
        harvest_jobs.abort(_context(), blocking["id"])
    job = tk.get_action("harvest_job_create")(_context(), {"source_id": source["id"], "run": False})
    job_obj = HarvestJob.get(job["id"])
    job_obj.status = "Running"
    job_obj.save()
    return source, job_obj


def run(source_id_or_name: str, progress: Optional[Callable[[int, int], None]] = None,
        abort_unfinished: bool = False) -> dict:
    """Run one job of the source; the summary counts and the time per stage."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestObject

    source, job = start_job(source_id_or_name, abort_unfinished)
    job_id = job.id
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
    job = close(source["id"], job_id)
    return summary(job, outcomes, gathered - started, finished - gathered)


def close(source_id: str, job_id: str):
    """Mark the job finished through ``harvest_jobs_run`` (as the cron does)
    and return it, read again (an import that failed may have rolled the
    session back). That action ends by re-sending lost queue items to Redis;
    when the queue is down the job has been closed by then, and the rest
    waits for the cron."""
    from ckanext.harvest.model import HarvestJob

    try:
        tk.get_action("harvest_jobs_run")(dict(_context(), ignore_auth=True), {"source_id": source_id})
    except harvest_jobs.queue_errors() as error:
        log.warning("harvest queue unavailable while closing job %s: %s", job_id, error)
        model.Session.rollback()
    job = HarvestJob.get(job_id)
    if job.status != "Finished":
        log.warning("harvest job %s still %s after the run", job_id, job.status)
    return job


def summary(job, outcomes: Counter, gather_seconds: float, objects_seconds: float) -> dict:
    from ckanext.harvest.model import HarvestGatherError, HarvestObjectError, HarvestObject

    gather_errors = [e.message for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id)]
    object_errors = [e.message for e in model.Session.query(HarvestObjectError)
                     .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
                     .filter(HarvestObject.harvest_job_id == job.id)]
    counts = {word: outcomes.get(word, 0) for word in ("created", "updated", "unchanged", "deleted", "errors")}
    return dict(counts, job_id=job.id, gather_errors=gather_errors, object_errors=object_errors,
                seconds={"gather": round(gather_seconds, 3), "fetch_import": round(objects_seconds, 3)})
