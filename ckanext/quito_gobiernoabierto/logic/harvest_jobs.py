"""Harvest jobs that survive their queue and their process.

- ``harvest_job_create`` (chained over ckanext-harvest's): the job is saved,
  then sent to the gather queue; when the queue (Redis) cannot be reached the
  unsent job is removed again, so the source is not left blocked by a job
  marked "Running" that no worker will ever see, and the caller gets a 503
  with a clear message (:class:`~ckanext.quito_gobiernoabierto.outage.ServiceUnavailable`).
- A source that already has a job pending or running is refused with a
  validation error (409 through the API) instead of ckanext-harvest's bare
  ``HarvestJobExists`` (a 500); the exception is still a ``HarvestJobExists``
  for the code that catches that (harvest's "Reharvest" button, the cron).
- :func:`unfinished` and :func:`abort` let ``ckan quito harvest run`` tell
  an operator which job blocks a source (a run killed half-way leaves its job
  "Running") and close it the way ckanext-harvest's ``harvest_job_abort`` does.
"""
from __future__ import annotations

import functools
import logging
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import outage

log = logging.getLogger(__name__)


def queue_errors() -> tuple:
    """The exceptions of an unreachable queue (Redis, or RabbitMQ when used)."""
    import redis

    errors: tuple = (redis.exceptions.RedisError, OSError)
    try:
        import pika.exceptions
    except ImportError:
        return errors
    return errors + (pika.exceptions.AMQPError,)


@functools.cache
def _job_exists_class() -> type:
    from ckanext.harvest.logic import HarvestJobExists

    return type("JobExists", (HarvestJobExists, tk.ValidationError), {})


def job_exists_error():
    """The refusal of a second job, both a ``HarvestJobExists`` and a ``ValidationError``."""
    return _job_exists_class()({"source_id": [tk._("This source already has a harvest job waiting or running; "
                                          "wait for it to finish.")]})


@tk.chained_action
def harvest_job_create(up, context, data_dict):
    """ckanext-harvest's, with the job removed again if it could not be queued."""
    from ckanext.harvest.logic import HarvestJobExists

    try:
        job = up(context, dict(data_dict, run=False))
    except HarvestJobExists:
        raise job_exists_error()
    if not tk.asbool(data_dict.get("run", True)):
        return job
    try:
        return tk.get_action("harvest_send_job_to_gather_queue")(context, {"id": job["id"]})
    except queue_errors() as error:
        log.warning("harvest job %s not queued, removed: %s", job["id"], error)
        _discard(job["id"])
        outage.flag("queue")
        raise outage.ServiceUnavailable(outage.message("queue"))


def _discard(job_id: str) -> None:
    """Remove a job that never reached a worker (no objects, no errors)."""
    from ckanext.harvest.model import HarvestJob

    model.Session.rollback()
    job = HarvestJob.get(job_id)
    if job is not None and not job.objects and not job.gather_errors:
        job.delete()
        model.Session.commit()


def chained_actions() -> dict:
    """The chained actions, when ckanext-harvest is loaded."""
    import ckan.plugins as p

    return {"harvest_job_create": harvest_job_create} if p.plugin_loaded("harvest") else {}


def unfinished(source_id: str) -> Optional[dict]:
    """The source's job that is still New or Running, with when it last did something."""
    from ckanext.harvest.model import HarvestJob

    job = (model.Session.query(HarvestJob)
           .filter(HarvestJob.source_id == source_id, HarvestJob.status.in_(("New", "Running")))
           .order_by(HarvestJob.created.desc()).first())
    if job is None:
        return None
    last = job.get_last_action_time() if job.status == "Running" else job.created
    pending = sum(1 for o in job.objects if o.state not in ("COMPLETE", "ERROR"))
    return {"id": job.id, "status": job.status, "created": job.created, "last_action": last,
            "objects": len(job.objects), "pending_objects": pending}


def abort(context: dict, job_id: str) -> None:
    """Close the job as ckanext-harvest does (Finished, unfinished objects ERROR)."""
    tk.get_action("harvest_job_abort")(dict(context, ignore_auth=True), {"id": job_id})
