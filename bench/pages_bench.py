"""Citizens' pages benchmark: p50/p95 of home, search, dataset and LOTAIP
pages, each beside the API call that fetches its data (the floor).

    python -m bench.pages_bench --config var/dcat-bench.ini   (scripts/bench.sh pages)

Runs on the DCAT bench database (``scripts/bench.sh dcat`` fills it with
sample datasets of every type; 10,000 by default), as an anonymous visitor,
through the app (no network), alternating page and floor request by request.
"""
from __future__ import annotations

import argparse
import sys
import time

from bench import report as report_file
from bench.dcat_bench import percentile


def cases(client) -> list[tuple[str, str, str]]:
    """(label, page URL, floor API URL)."""
    api = "/api/3/action/"
    found = client.get(api + "package_search?q=calidad aire&rows=1").json["result"]["results"]
    name = found[0]["name"] if found else client.get(api + "package_search?rows=1").json["result"]["results"][0]["name"]
    return [("home", "/", api + "package_search?rows=5&sort=metadata_modified desc&facet.field=[\"dataset_type\"]"),
            ("search with facets", "/dataset/?q=agua potable",
             api + "package_search?q=agua potable&rows=20&facet.field=[\"organization\",\"tags\",\"res_format\",\"license_id\"]"),
            ("dataset page", f"/dataset/{name}", api + f"package_show?id={name}"),
            ("LOTAIP browser 2016", "/transparencia/lotaip?year=2016",
             api + "package_search?fq=dataset_type:lotaip AND lotaip_year:2016&rows=1000")]


def _time(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    took = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return took


def full_stack_client(config_path: str):
    """A client of the whole WSGI stack (CKAN's middlewares set the page language)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    return Client(make_app(load_config(config_path)))


def measure(client, reps: int) -> list[dict]:
    out = []
    for label, page, floor in cases(client):
        for _ in range(2):
            _time(client, page), _time(client, floor)
        pages, floors = [], []
        for _ in range(reps):
            pages.append(_time(client, page))
            floors.append(_time(client, floor))
        out.append({"label": label, "url": page, "floor_url": floor,
                    "page": {"p50": round(percentile(pages, 50), 1), "p95": round(percentile(pages, 95), 1)},
                    "floor": {"p50": round(percentile(floors, 50), 1), "p95": round(percentile(floors, 95), 1)}})
    return out


def print_report(report: dict, out=sys.stdout) -> None:
    print(f"\n{report['public']} datasets visible to the public; {report['reps']} runs per page (anonymous, through the app)\n",
          file=out)
    print(f"{'page':<22} | {'p50 ms':>7} | {'p95 ms':>7} | {'floor p95':>9} | {'p95/floor':>9}", file=out)
    for row in report["pages"]:
        ratio = row["page"]["p95"] / row["floor"]["p95"] if row["floor"]["p95"] else 0
        print(f"{row['label']:<22} | {row['page']['p50']:>7} | {row['page']['p95']:>7} | "
              f"{row['floor']['p95']:>9} | {ratio:>9.2f}", file=out)
    print("(floor: the action API call that fetches the page's data)", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    started = time.monotonic()
    client = full_stack_client(args.config)


    public = client.get("/api/3/action/package_search?rows=0").json["result"]["count"]
    report = {"public": public, "reps": args.reps, "pages": measure(client, args.reps)}
    report["total_seconds"] = round(time.monotonic() - started, 1)
    report_file.finish(report, print_report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
