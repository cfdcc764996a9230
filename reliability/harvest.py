"""The harvests of the run: sample files on loopback, ``quito_files`` sources, ``ckan quito harvest run``.

Each source gets its own folder of single-file CSV datasets (labelled sample
data, one dataset per file, titles ``<Prefix> NNNN muestra``) under one
``http.server`` auto-index on loopback. Sources are created through the
action API by the run's sysadmin, emptied first when a previous run left them.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from typing import Optional

FILE_HEADER = "codigo;unidad;valor;nota\n"


def make_tree(root: str, prefix: str, files: int) -> int:
    """``files`` CSVs under ``root/prefix/datos/``; the number of datasets they make."""
    folder = os.path.join(root, prefix, "datos")
    os.makedirs(folder, exist_ok=True)
    for i in range(files):
        rows = "".join(f"{i}-{k};Dirección {k % 7};{(i * 31 + k) % 9973}.50;MUESTRA\n" for k in range(30))
        with open(os.path.join(folder, f"{prefix}-{i:04d}-muestra.csv"), "w", encoding="utf-8") as f:
            f.write(FILE_HEADER + rows)
    return files


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: str, port: int) -> http.server.ThreadingHTTPServer:
    """The folder as an auto-index on 127.0.0.1:``port``, in a daemon thread."""
    handler = functools.partial(_Quiet, directory=root)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def fresh_source(api, name: str, url: str, org: str) -> dict:
    """The source ``name`` on ``url``, emptied of what an earlier run harvested."""
    status, old = api.action("harvest_source_show", {"id": name})
    if status == 200:
        api.require("harvest_source_clear", {"id": old["id"]}, timeout=600)
        api.require("dataset_purge", {"id": old["id"]})
    config = {"kind": "listing", "fields": {"sample_data": "true"}}
    return api.require("harvest_source_create", {
        "name": name, "title": f"Fiabilidad: {name} (muestra)", "url": url, "source_type": "quito_files",
        "owner_org": org, "config": json.dumps(config)})


def ckan_command(config: str, *args: str) -> list[str]:
    """The ``ckan -c CONFIG ...`` command line of this virtualenv."""
    return [os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", config, *args]


def start_run(config: str, source: str, log_path: str, *options: str) -> subprocess.Popen:
    """``ckan quito harvest run SOURCE -q [OPTIONS]`` in a subprocess, its output in ``log_path``."""
    log = open(log_path, "w", encoding="utf-8")
    return subprocess.Popen(ckan_command(config, "quito", "harvest", "run", source, "-q", *options),
                            stdout=log, stderr=subprocess.STDOUT)


def run_to_end(config: str, source: str, log_path: str, timeout: float = 600, *options: str) -> dict:
    """One harvest job through the CLI: exit code, seconds, the summary line."""
    started = time.monotonic()
    proc = start_run(config, source, log_path, *options)
    try:
        code: Optional[int] = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    return outcome(code, time.monotonic() - started, log_path)


def outcome(code: Optional[int], seconds: float, log_path: str) -> dict:
    """Exit code, seconds, summary line (and the last lines when it failed) of a finished run."""
    with open(log_path, encoding="utf-8", errors="replace") as f:
        lines = [line.rstrip() for line in f if "CSRF" not in line and line.strip()]
    summary = next((line for line in lines if line.startswith("created ")), None)
    return {"exit_code": code, "seconds": round(seconds, 1), "summary": summary,
            "last_lines": lines[-6:] if summary is None or code else []}


def parse_summary(line: Optional[str]) -> dict:
    """``created 5, updated 0, ...`` -> {"created": 5, "updated": 0, ...}."""
    counts = {}
    for part in (line or "").split("(")[0].split(","):
        words = part.split()
        if len(words) == 2 and words[1].isdigit():
            counts[words[0]] = int(words[1])
    return counts
