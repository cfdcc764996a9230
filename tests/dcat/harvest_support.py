"""Helpers of the harvest test: the source portal in its own process, a
loopback proxy in front of it that fails chosen requests, and a synchronous
harvest run (ckanext-harvest's gather, fetch and import stages in-process)."""
from __future__ import annotations

import http.client
import json
import os
import selectors
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_CONFIG = os.path.join(HERE, "harvest-source.ini")
SERVER_SCRIPT = os.path.join(HERE, "harvest_source_server.py")
#: Headers a proxy does not pass on (it sends whole bodies).
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authenticate", "proxy-authorization"}


class _Forwarder(BaseHTTPRequestHandler):
    server: "FailingProxy"

    def do_GET(self):
        self._forward(body=True)

    def do_HEAD(self):
        self._forward(body=False)

    def _forward(self, body: bool) -> None:
        failing = any(part in self.path for part in self.server.failing)
        if failing:
            status, headers, content = 500, [("Content-Type", "text/plain")], b"failing on purpose"
        else:
            status, headers, content = self.server.upstream_response(self.command, self.path)
        self.server.seen.append((self.command, self.path, status))
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, *args):  # quiet
        pass


class FailingProxy(ThreadingHTTPServer):
    """A loopback HTTP proxy to ``upstream_port``; a request whose path holds
    one of ``failing`` gets HTTP 500 instead. ``seen`` logs (method, path, status)."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Forwarder)
        self.upstream_port: int | None = None
        self.failing: set[str] = set()
        self.seen: list[tuple[str, str, int]] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def start(self) -> "FailingProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def upstream_response(self, method: str, path: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()


class SourcePortal:
    """The source CKAN, started with ``harvest_source_server.py``."""

    def __init__(self, database_url: str, redis_url: str, site_url: str, storage: str, log_path: str):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
        self.env.update(CKAN_SQLALCHEMY_URL=database_url, CKAN_REDIS_URL=redis_url,
                        CKAN_SITE_URL=site_url, CKAN_STORAGE_PATH=storage)
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.info: dict | None = None

    def start(self) -> "SourcePortal":
        with open(self.log_path, "wb") as log:
            # The server exits when its stdin closes: it never outlives the tests.
            self.process = subprocess.Popen([sys.executable, SERVER_SCRIPT, SOURCE_CONFIG], cwd=HERE,
                                            env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=log)
        return self

    def ready(self, timeout: float = 180) -> dict:
        """The server's start line (port, token, dataset names), once it serves."""
        if self.info is None:
            self.info = json.loads(self._first_line(timeout))
        return self.info

    def _first_line(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if selector.select(timeout=1):
                    line = self.process.stdout.readline()
                    if line:
                        return line.decode()
                if self.process.poll() is not None:
                    break
        raise RuntimeError(f"source portal not ready (exit code {self.process.poll()}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def action(self, name: str, **data):
        """Call an action of the source's API directly (not through the proxy)."""
        info = self.ready()
        request = urllib.request.Request(
            f"http://127.0.0.1:{info['port']}/api/3/action/{name}", data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", "Authorization": info["token"]})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["result"]


def run_harvest(source_id: str) -> dict:
    """One harvest job of the source, gathered, fetched and imported here as
    the queue consumers would; returns the job and its objects as they were
    left. A job left unfinished is aborted afterwards (the next could not start)."""
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob

    context = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    job = HarvestJob.get(tk.get_action("harvest_job_create")(dict(context), {"source_id": source_id,
                                                                            "run": False})["id"])
    job_id, summary = job.id, None
    try:
        job.status = "Running"
        job.save()
        harvester = queue.get_harvester(job.source.type)
        for object_id in queue.gather_stage(harvester, job) or []:
            queue.fetch_and_import_stages(harvester, _object(object_id))
        tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source_id})
        summary = job_summary(job_id)
    finally:
        if HarvestJob.get(job_id).status != "Finished":
            tk.get_action("harvest_job_abort")(dict(context), {"id": job_id})
    return summary


def _object(object_id: str):
    from ckanext.harvest.model import HarvestObject

    return HarvestObject.get(object_id)


def job_summary(job_id: str) -> dict:
    """The job's status and gather errors, and each object's outcome."""
    from ckan import model
    from ckanext.harvest.model import HarvestJob, HarvestObject

    model.Session.expire_all()
    job = HarvestJob.get(job_id)
    objects = model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job_id).all()
    return {
        "status": job.status,
        "gather_errors": [e.message for e in job.gather_errors],
        "objects": [{"guid": o.guid, "state": o.state, "report_status": o.report_status,
                     "package_id": o.package_id, "errors": [e.message for e in o.errors]}
                    for o in objects],
    }


# --- comparing a harvested copy with its original ------------------------------

#: Keys that are the portal's own bookkeeping (ids, metadata dates, owner ids)
#: or compared apart (organization by name, tags by name, extras, resources).
DATASET_OWN = {"id", "metadata_created", "metadata_modified", "creator_user_id", "owner_org", "organization",
               "tags", "extras", "resources", "relationships_as_object", "relationships_as_subject"}
#: A copy links to the original's files (``url``) instead of holding uploads,
#: and carries the distribution's URI it was harvested from.
RESOURCE_OWN = {"id", "package_id", "created", "metadata_modified", "last_modified", "url_type",
                "uri", "distribution_ref"}
HARVEST_EXTRAS = {"guid", "harvest_object_id", "harvest_source_id", "harvest_source_title"}


def _other_keys(original: dict, copy: dict, own: set, prefix: str = "") -> dict:
    from .helpers import normal

    return {f"{prefix}{key}": (normal(original.get(key)), normal(copy.get(key)))
            for key in sorted((set(original) | set(copy)) - own)
            if normal(original.get(key)) != normal(copy.get(key))}


def copy_differences(original: dict, copy: dict) -> dict:
    """Key -> (original, copy) for every difference the schema comparison
    (``helpers.differences``) does not look at: core keys, tags, organization,
    extras other than the harvest's, resources' other keys."""
    diffs = _other_keys(original, copy, DATASET_OWN)
    for key, read in (("organization", lambda d: (d.get("organization") or {}).get("name")),
                      ("tags", lambda d: sorted(t["name"] for t in d.get("tags") or [])),
                      ("extras", lambda d: {e["key"]: e["value"] for e in d.get("extras") or []
                                            if e["key"] not in HARVEST_EXTRAS})):
        if read(original) != read(copy):
            diffs[key] = (read(original), read(copy))
    resources = list(zip(original.get("resources") or [], copy.get("resources") or []))
    for position, (before, after) in enumerate(resources):
        diffs.update(_other_keys(before, after, RESOURCE_OWN, f"resources[{position}]."))
    return diffs
