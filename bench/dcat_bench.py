"""DCAT catalogue benchmark: the Quito profile beside ckanext-dcat's stock one.

    python -m bench.dcat_bench --config var/dcat-bench.ini --size 2000   (scripts/bench.sh dcat)

One run, at one catalogue size, on its own database:

1. ``--size`` sample datasets (clones of the demo publications, every type,
   labelled sample data, one in twenty private; :mod:`bench.dcat_data`)
   through ``package_create`` in parallel workers (kept between runs);
2. catalogue pages of 100 datasets (``/catalog.ttl?page=N``) requested
   through the app, anonymous, for ``euro_dcat_ap_3`` and for
   ``euro_dcat_ap_3,quito_dcat_ap`` alternately on the same pages (the
   ``profiles`` parameter of the endpoint), p50/p95 and their ratio; the
   Quito pages three ways: from kept descriptions (``dcat/fragments.py``,
   as the portal serves them once a harvester has crawled it), on the first
   visit (every description made and kept), and built whole (kept
   descriptions off, as ckanext-dcat builds a page);
3. the full dump (``ckan quito dcat dump``, one process per profile set and
   format): datasets/s, peak RSS of the process (``wait4``) and its RSS
   sampled while it runs (flat memory: the RSS after the first tenth of the
   catalogue and at the end are both reported);
4. a table, the targets, and ``bench/results/dcat-<size>.json``.
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
import time

from bench import report as report_file
from bench import dcat_app, dcat_data

PROFILE_SETS = {"stock": "euro_dcat_ap_3", "quito": "euro_dcat_ap_3,quito_dcat_ap"}
PAGE_TARGET_MS = 500.0
PAGE_SIZE = 100
DATASET_TYPE_NT = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def stats(times: list[float]) -> dict:
    return {"p50": round(percentile(times, 50), 1), "p95": round(percentile(times, 95), 1),
            "min": round(min(times), 1), "max": round(max(times), 1), "runs": len(times)}


def sample_pages(public: int, count: int) -> list[int]:
    """``count`` full pages spread over the catalogue (first, middle, last...)."""
    last = max(1, public // PAGE_SIZE)
    if count <= 1 or last == 1:
        return [1]
    return sorted({1 + round(i * (last - 1) / (count - 1)) for i in range(count)})


def _get(client, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url)
    took = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return took, response.data


def check_page(body: bytes, fmt: str) -> int:
    """Datasets on a page (the response parses)."""
    import rdflib

    rdflib_format = {"ttl": "turtle", "rdf": "xml", "xml": "xml", "jsonld": "json-ld"}[fmt]
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    return len(set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset"))))


#: What is measured on each page: (profile set, the kept descriptions of
#: dcat/fragments.py on or off). "quito" is the portal's page once its
#: descriptions are kept; "quito_whole" the page built whole by ckanext-dcat.
MODES = {"stock": ("stock", False), "quito_whole": ("quito", False), "quito": ("quito", True)}


def forget_descriptions() -> int:
    """Drop the kept descriptions, so that the first round makes them all."""
    from ckanext.quito_gobiernoabierto.dcat import fragments

    store = fragments._redis()
    keys = list(store.scan_iter(fragments.STORE_PREFIX + "*", count=1000))
    return store.delete(*keys) if keys else 0


def measure_pages(app, pages: list[int], reps: int, fmt: str, log=print) -> dict:
    """Every mode on the same pages, alternating which goes first. The first
    round warms up; its "quito" times are the pages made from nothing
    (``quito_made``: every description written and kept)."""
    import ckan.plugins.toolkit as tk

    client, times, sizes, checked = app.test_client(), {n: [] for n in MODES}, {n: [] for n in MODES}, {}
    made: list = []
    forget_descriptions()
    for rep in range(reps + 1):
        names = list(MODES) if rep % 2 == 0 else list(reversed(MODES))
        for page in pages:
            for name in names:
                profiles, kept = MODES[name]
                tk.config["ckanext.quito.dcat.fragment_cache"] = kept
                took, body = _get(client, f"/catalog.{fmt}?page={page}&profiles={PROFILE_SETS[profiles]}")
                checked.setdefault(name, check_page(body, fmt))
                (times[name] if rep else made if name == "quito" else []).append(took)
                sizes[name].append(len(body))
        if rep:
            log(f"  round {rep}/{reps}: " + ", ".join(f"{n} p50 {percentile(times[n], 50):.0f} ms" for n in times))
    tk.config["ckanext.quito.dcat.fragment_cache"] = True
    out = {name: dict(stats(times[name]), bytes=int(percentile(sizes[name], 50)), datasets=checked[name])
           for name in MODES}
    out["quito_made"] = dict(stats(made), bytes=out["quito"]["bytes"], datasets=checked["quito"])
    for key in ("p50", "p95"):
        out[f"ratio_{key}"] = round(out["quito"][key] / out["stock"][key], 2)
        out[f"ratio_whole_{key}"] = round(out["quito_whole"][key] / out["stock"][key], 2)
        out[f"ratio_made_{key}"] = round(out["quito_made"][key] / out["stock"][key], 2)
    return out


def _rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            found = re.search(r"VmRSS:\s+(\d+) kB", f.read())
        return int(found.group(1)) if found else None
    except OSError:
        return None


def run_dump(config: str, profiles: str, fmt: str, batch: int) -> dict:
    """One ``ckan quito dcat dump`` process: its rate, output and memory."""
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, f"catalogo.{fmt}")
        err_path = os.path.join(tmp, "stderr")
        started = time.monotonic()
        with open(err_path, "w") as err:
            proc = subprocess.Popen([ckan, "-c", config, "quito", "dcat", "dump", "--format", fmt, "--output",
                                     target, "--profiles", profiles, "--batch", str(batch), "--quiet"],
                                    stdout=subprocess.DEVNULL, stderr=err)
        samples = []
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            samples.append((round(time.monotonic() - started, 2), _rss_kb(proc.pid), _size(target)))
            time.sleep(0.25)
        wall = time.monotonic() - started
        with open(err_path, encoding="utf-8") as f:
            stderr = f.read()
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"dump failed ({profiles}, {fmt}): {stderr[-2000:]}")
        return _dump_report(stderr, wall, usage.ru_maxrss, samples, target, fmt)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _dump_report(stderr: str, wall: float, maxrss_kb: int, samples: list, target: str, fmt: str) -> dict:
    found = re.search(r"(\d+) datasets in (\d+) batches, ([\d.]+) s \(([\d.]+) datasets/s\)", stderr)
    if not found:
        raise RuntimeError(f"no summary from the dump: {stderr[-2000:]}")
    datasets, batches, seconds, rate = found.groups()
    size = _size(target)
    rss = [(t, kb) for t, kb, written in samples if kb and written]  # while writing (after start-up)
    early = [kb for t, kb in rss[: max(1, len(rss) // 10)]]
    report = {"datasets": int(datasets), "batches": int(batches), "seconds": float(seconds),
              "per_second": float(rate), "wall_seconds_with_startup": round(wall, 1), "bytes": size,
              "peak_rss_mb": round(maxrss_kb / 1024, 1),
              "rss_mb_first_tenth": round(max(early) / 1024, 1) if early else None,
              "rss_mb_last_sample": round(rss[-1][1] / 1024, 1) if rss else None}
    if fmt == "nt":
        with open(target, encoding="utf-8") as f:
            report["datasets_in_output"] = sum(1 for line in f if DATASET_TYPE_NT in line)
    return report


def measure_dumps(config: str, formats: list[str], batch: int, log=print) -> dict:
    out: dict = {}
    for fmt in formats:
        for name, profiles in PROFILE_SETS.items():
            out.setdefault(fmt, {})[name] = run_dump(config, profiles, fmt, batch)
            r = out[fmt][name]
            log(f"  dump {fmt} {name}: {r['datasets']} datasets, {r['per_second']} datasets/s, "
                f"peak RSS {r['peak_rss_mb']} MB")
        out[fmt]["ratio_rate"] = round(out[fmt]["quito"]["per_second"] / out[fmt]["stock"]["per_second"], 2)
    return out


def targets(report: dict) -> list[dict]:
    """The page target applies to the app as the portal serves it (its WSGI
    entry point freezes the start-up heap); without ``--gc-freeze`` it is
    checked on the plain app. The other page figure is printed as information."""
    out = []
    frozen = "pages_gc_frozen" in report
    for key, label in (("pages", " (plain app, like `ckan run`)"),
                       ("pages_gc_frozen", " (as served by ckanext.quito_gobiernoabierto.wsgi: gc.freeze())")):
        if key in report:
            page = report[key]["quito"]
            checked = key == "pages_gc_frozen" or not frozen
            out.append({"name": f"catalogue page of {PAGE_SIZE} (quito_dcat_ap), p50{label}",
                        "value": page["p50"], "limit": f"< {PAGE_TARGET_MS:.0f} ms",
                        "pass": (page["p50"] < PAGE_TARGET_MS) if checked else None})
    for fmt, rows in report["dumps"].items():
        r = rows["quito"]
        complete = r.get("datasets_in_output", r["datasets"]) == r["datasets"] == report["public"]
        out.append({"name": f"dump {fmt} (quito_dcat_ap) holds every public dataset once",
                    "value": r.get("datasets_in_output", r["datasets"]), "limit": f"= {report['public']}",
                    "pass": complete})
    return out


def table(report: dict) -> str:
    pages, lines = report["pages"], []
    lines.append(f"{'measure':<44} | {'euro_dcat_ap_3':>15} | {'+ quito_dcat_ap':>15} | {'ratio':>5}")
    lines.append("-" * len(lines[0]))
    for key in ("p50", "p95"):
        for mode, label in (("quito", f"page ({pages['format']}, 100), kept descriptions, {key} ms"),
                            ("quito_made", f"  first visit (descriptions made), {key} ms"),
                            ("quito_whole", f"  built whole (descriptions off), {key} ms")):
            ratio = pages[f"ratio_{key}" if mode == "quito" else f"ratio_{mode[6:]}_{key}"]
            lines.append(f"{label:<44} | {pages['stock'][key]:>15.1f} | {pages[mode][key]:>15.1f} | {ratio:>5.2f}")
    frozen = report.get("pages_gc_frozen")
    for key in ("p50", "p95") if frozen else ():
        label = f"same, after gc.freeze(), {key} ms"
        lines.append(f"{label:<44} | {frozen['stock'][key]:>15.1f} | {frozen['quito'][key]:>15.1f} | "
                     f"{frozen[f'ratio_{key}']:>5.2f}")
    lines.append(f"{'catalogue page size, KB':<44} | {pages['stock']['bytes'] / 1024:>15.0f} | "
                 f"{pages['quito']['bytes'] / 1024:>15.0f} |")
    for fmt, rows in report["dumps"].items():
        stock, quito = rows["stock"], rows["quito"]
        lines.append(f"{f'dump {fmt}: datasets/s':<44} | {stock['per_second']:>15.1f} | "
                     f"{quito['per_second']:>15.1f} | {rows['ratio_rate']:>5.2f}")
        lines.append(f"{f'dump {fmt}: peak RSS MB (first tenth -> end)':<44} | "
                     f"{_rss(stock):>15} | {_rss(quito):>15} |")
        lines.append(f"{f'dump {fmt}: output MB':<44} | {stock['bytes'] / 2**20:>15.1f} | "
                     f"{quito['bytes'] / 2**20:>15.1f} |")
    return "\n".join(lines)


def _rss(r: dict) -> str:
    return f"{r['peak_rss_mb']:.0f} ({r['rss_mb_first_tenth'] or 0:.0f}->{r['rss_mb_last_sample'] or 0:.0f})"


def prepare(config: str, size: int, workers: int, log=print) -> dict:
    app = dcat_app.open_app(config)
    with app.test_request_context():
        created = dcat_data.ensure(size, config, workers=workers, log=log)
        public = dcat_app.public_count()
        dcat_app.end_transaction()
    return {"app": app, "created": created, "public": public}


def run(args, log=print) -> dict:
    started = time.monotonic()
    ready = prepare(args.config, args.size, args.workers, log)
    log(f"  datasets: {ready['created']['created']} created now, {ready['public']} public in the database")
    pages = sample_pages(ready["public"], args.pages)
    load_before = os.getloadavg()
    report = {"size": args.size, "public": ready["public"], "loading": ready["created"], "page_numbers": pages}
    with ready["app"].test_request_context():
        report["pages"] = dict(measure_pages(ready["app"], pages, args.reps, args.format, log), format=args.format)
        if args.gc_freeze:
            # As a server that freezes its start-up objects (gc.freeze() after
            # loading the app): full collections then skip CKAN's own objects.
            gc.collect()
            gc.freeze()
            log("  gc.freeze() after start-up:")
            report["pages_gc_frozen"] = dict(measure_pages(ready["app"], pages, args.reps, args.format, log),
                                             format=args.format)
            gc.unfreeze()
    report["dumps"] = measure_dumps(args.config, args.dump_formats.split(), args.batch, log)
    report["load_average"] = {"before": [round(x, 2) for x in load_before],
                              "after": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    report["targets"] = targets(report)
    report["total_seconds"] = round(time.monotonic() - started, 1)
    return report


def print_report(report: dict, out=sys.stdout) -> None:
    load = report["loading"]
    print(f"\nCatalogue: {report['public']} public datasets (sample data, every Quito type; {load['created']} "
          f"created now through package_create by {load['workers']} workers at {load['per_second']} datasets/s). "
          f"Pages measured: {report['page_numbers']}, {report['pages']['quito']['runs']} runs per profile set.\n",
          file=out)
    print(table(report), file=out)
    load = report["load_average"]
    print(f"(load average {load['before'][0]} before, {load['after'][0]} after, {load['cpus']} CPUs; "
          f"other work on the machine inflates every figure)\n", file=out)
    for t in report["targets"]:
        verdict = "info" if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
        print(f"{verdict:<5} {t['name']}: {t['value']} ({t['limit']})", file=out)


def _args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="var/dcat-bench.ini")
    parser.add_argument("--size", type=int, default=10_000, help="sample datasets in the database")
    parser.add_argument("--workers", type=int, default=2, help="package_create worker processes")
    parser.add_argument("--pages", type=int, default=5, help="distinct catalogue pages measured")
    parser.add_argument("--reps", type=int, default=4, help="rounds over those pages")
    parser.add_argument("--format", default="ttl", choices=["ttl", "rdf", "jsonld", "xml"])
    parser.add_argument("--dump-formats", default="nt ttl")
    parser.add_argument("--batch", type=int, default=100, help="datasets per dump batch")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="also measure the pages after gc.freeze() (a server freezing its start-up objects)")
    parser.add_argument("--out", help="JSON report path")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = _args(argv)
    report = run(args)
    report_file.finish(report, print_report, args.out)
    return 0 if all(t["pass"] is not False for t in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
