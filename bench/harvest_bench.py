"""quito_files benchmark: a first harvest of N files and an unchanged re-run.

    python -m bench.harvest_bench --config var/harvest-bench.ini --files 1000   (scripts/bench.sh harvest)

One run, on its own database (emptied of its previous bench source first):

1. N sample files (labelled sample data) in a temporary folder: LOTAIP
   literals of the 2004 law by year and month (ten months each, so ten files
   per dataset) and single-file general CSVs, served as an auto-index by
   Python's own ``http.server`` on loopback;
2. the floor: every file downloaded once with plain ``requests`` (what any
   harvester must at least spend on transfers);
3. the first harvest through ``ckan quito harvest run``'s runner, with the
   time split by stage (gather: listing + HEADs; fetch: downloads +
   inspection; import: CKAN actions and uploads);
4. an unchanged re-run of the same source (same split);
5. a table and ``bench/results/harvest-<files>.json``.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import tempfile
import threading
import time

import requests

from bench import dcat_app
from bench import report as report_file

LITERALS = ("a1", "a2", "a3", "a4", "b1", "b2", "c", "d", "e", "f1", "f2", "g", "h", "i", "j", "k", "l", "m",
            "n", "o")
ORG = "secretaria-general-de-planificacion"
SOURCE = "bench-archivos"


def make_tree(root: str, files: int) -> dict:
    """80% LOTAIP files (ten months per literal and year), 20% general CSVs."""
    lotaip, general = files * 8 // 10 // 10 * 10, 0
    written = 0
    for index in range(lotaip // 10):
        literal, year = LITERALS[index % len(LITERALS)], 2010 + index // len(LITERALS)
        for month in range(1, 11):
            _write(root, f"lotaip/{year}/{month:02d}/{literal}-muestra.csv", index, month)
            written += 1
    while written < files:
        _write(root, f"datos/conjunto-{general:04d}-muestra.csv", general, 0)
        general, written = general + 1, written + 1
    return {"files": written, "lotaip_datasets": lotaip // 10, "general_datasets": general}


def _write(root: str, path: str, seed: int, month: int) -> None:
    full = os.path.join(root, *path.split("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    rows = "".join(f"{seed}-{month}-{i};Dirección {i % 7};{(seed * 31 + i) % 9973}.50;MUESTRA\n" for i in range(40))
    with open(full, "w", encoding="utf-8") as f:
        f.write("codigo;unidad;valor;nota\n" + rows)


def serve(root: str):
    handler = functools.partial(_Quiet, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def transfer_floor(root: str, base: str) -> float:
    """Seconds to GET every file once with one keep-alive session."""
    session, started = requests.Session(), time.perf_counter()
    for folder, _, names in os.walk(root):
        for name in names:
            relative = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            session.get(base + relative).raise_for_status()
    return time.perf_counter() - started


class StageClock:
    """Seconds spent in the harvester's fetch and import stages."""

    def __init__(self, harvester):
        self.seconds = {"fetch": 0.0, "import": 0.0}
        for stage in ("fetch", "import"):
            original = getattr(harvester, f"{stage}_stage")
            setattr(harvester, f"{stage}_stage", self._timed(stage, original))

    def _timed(self, stage, original):
        def run(obj):
            started = time.perf_counter()
            try:
                return original(obj)
            finally:
                self.seconds[stage] += time.perf_counter() - started
        return run

    def reset(self):
        self.seconds = {"fetch": 0.0, "import": 0.0}


def fresh_source(url: str) -> dict:
    """The bench source, emptied of what an earlier run harvested."""
    import json

    import ckan.plugins.toolkit as tk

    context = dcat_app.site_context()
    try:
        old = tk.get_action("harvest_source_show")(context, {"id": SOURCE})
        tk.get_action("harvest_source_clear")(context, {"id": old["id"]})
        tk.get_action("dataset_purge")(context, {"id": old["id"]})
    except tk.ObjectNotFound:
        pass
    org = tk.get_action("organization_show")(context, {"id": ORG})
    return tk.get_action("harvest_source_create")(context, {
        "name": SOURCE, "title": "Bench (muestra)", "url": url, "source_type": "quito_files",
        "owner_org": org["id"], "config": json.dumps({"kind": "listing", "fields": {"sample_data": "true"}})})


def timed_run(source: dict, clock: StageClock) -> dict:
    from ckanext.quito_gobiernoabierto.logic import harvest_run

    clock.reset()
    started = time.perf_counter()
    result = harvest_run.run(source["id"])
    total = time.perf_counter() - started
    datasets = result["created"] + result["updated"] + result["unchanged"]
    return dict(result, total_seconds=round(total, 2), datasets_per_second=round(datasets / total, 1),
                stages={"gather": result["seconds"]["gather"], "fetch": round(clock.seconds["fetch"], 2),
                        "import": round(clock.seconds["import"], 2)})


def run(args) -> dict:
    from ckanext.harvest import queue

    from ckanext.quito_gobiernoabierto.organigram import source as organigram
    from ckanext.quito_gobiernoabierto import package_path

    app, started = dcat_app.open_app(args.config), time.monotonic()
    with tempfile.TemporaryDirectory() as root, app.test_request_context():
        tree = make_tree(root, args.files)
        server, url = serve(root)
        try:
            dcat_app.ensure_organizations(organigram.read(package_path("data", "organigrama-dmq.yaml")))
            floor = transfer_floor(root, url)
            source = fresh_source(url)
            clock = StageClock(queue.get_harvester("quito_files"))
            first, again = timed_run(source, clock), timed_run(source, clock)
        finally:
            server.shutdown()
    return {"tree": tree, "floor_seconds": round(floor, 2), "first": first, "rerun": again,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "total_seconds": round(time.monotonic() - started, 1)}


def print_report(report: dict, out=sys.stdout) -> None:
    tree, first, again = report["tree"], report["first"], report["rerun"]
    print(f"\n{tree['files']} sample files: {tree['lotaip_datasets']} LOTAIP datasets of ten monthly files, "
          f"{tree['general_datasets']} single-file datasets; served by http.server on loopback.\n", file=out)
    print(f"{'run':<22} | {'total s':>8} | {'datasets/s':>10} | {'gather s':>8} | {'fetch s':>8} | "
          f"{'import s':>8} | created/updated/unchanged/errors", file=out)
    for label, row in (("first harvest", first), ("unchanged re-run", again)):
        s = row["stages"]
        print(f"{label:<22} | {row['total_seconds']:>8} | {row['datasets_per_second']:>10} | {s['gather']:>8} | "
              f"{s['fetch']:>8} | {s['import']:>8} | {row['created']}/{row['updated']}/{row['unchanged']}/"
              f"{row['errors']}", file=out)
    floor = report["floor_seconds"]
    print(f"\nfloor: every file downloaded once with requests: {floor} s; first harvest / floor = "
          f"{first['total_seconds'] / floor:.1f}; re-run / first = {again['total_seconds'] / first['total_seconds']:.2f}"
          f" (load average {report['load_average'][0]})", file=out)


def _args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--out")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = _args(argv)
    report = run(args)
    report_file.finish(report, print_report, args.out)
    ok = report["first"]["errors"] == 0 and report["rerun"]["created"] + report["rerun"]["updated"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
