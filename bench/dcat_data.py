"""Sample catalogue of the DCAT benchmark: every demo publication, cloned.

The templates are the portal's demo datasets (``data/demo/*.yaml``, every
Quito type with its own fields). Clone ``i`` of the sequence is demo entry
``i % len(demo)`` with a new name and title, its uploaded files replaced by
links to paths that do not exist, and marked as sample data
(``sample_data: "true"``, a closing sentence in the notes). LOTAIP clones get
a dependency and year of their own (a dependency publishes each literal of a
year once). One clone in twenty is private. Nothing here is real data.

Clones are created through ``package_create`` (validation, indexing,
activities: the same path as the portal's forms), by several worker
processes, each with its own CKAN app; the database keeps them between runs.
"""
from __future__ import annotations

import copy
import itertools
import multiprocessing
import time
from typing import Iterator, Optional

from ckanext.quito_gobiernoabierto import package_path

SAMPLE_SENTENCE = "(Datos de muestra generados para la prueba de rendimiento del catálogo DCAT.)"
BASE_URL = "https://gobiernoabierto.quito.gob.ec/datos/muestra"
PRIVATE_EVERY = 20
NAME_MAX = 100


def templates() -> list[dict]:
    from ckanext.quito_gobiernoabierto.logic import demo_datasets

    return demo_datasets.read_entries(package_path("data", "demo"))


def organigram() -> list[dict]:
    from ckanext.quito_gobiernoabierto.organigram import source

    return source.read(package_path("data", "organigrama-dmq.yaml"))


def _lotaip_slots(org_names: list[str]) -> Iterator[tuple[str, str]]:
    """(dependency, year) pairs: every dependency for a year, then the next year."""
    from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import REGIMES

    law_2004 = REGIMES["2004"]
    for year in range(law_2004.last_year, law_2004.first_year - 1, -1):
        for org in org_names:
            yield org, str(year)


def _lotaip_2023_years() -> Iterator[str]:
    return (str(y) for y in itertools.count(2023))


def _relocate(clone: dict, slots: dict, org_names: list[str], used: dict) -> None:
    """A LOTAIP clone gets a (dependency, literal, year) of its law that no
    other dataset has (``used``: (dependency, law, literal, year) -> name)."""
    regime, literal = str(clone.get("lotaip_regime")), str(clone.get("lotaip_literal"))
    key = (regime, literal)
    if key not in slots:
        slots[key] = _lotaip_slots(org_names) if regime == "2004" else (
            (org, year) for year in _lotaip_2023_years() for org in org_names)
    for org, year in slots[key]:
        if used.get((org, regime, literal, year), clone["name"]) == clone["name"]:
            break
    else:
        raise ValueError(f"no dependency and year left for LOTAIP {regime}/{literal}: catalogue too large")
    used[(org, regime, literal, year)] = clone["name"]
    clone["owner_org"], clone["lotaip_year"] = org, year
    clone.pop("title", None)  # the canonical one names the dependency and year


def _resources(name: str, resources: list[dict]) -> list[dict]:
    out = []
    for position, resource in enumerate(resources):
        resource = dict(resource)
        filename = resource.pop("file", None)
        if filename or not resource.get("url"):
            resource["url"] = f"{BASE_URL}/{name}/{filename or f'recurso-{position}'}"
        out.append(resource)
    return out


def clone(template: dict, i: int) -> dict:
    """Clone ``i`` of one demo entry, labelled as sample data."""
    data = copy.deepcopy(template)
    suffix = f"-m{i:06d}"
    data["name"] = data["name"][:NAME_MAX - len(suffix)] + suffix
    if data.get("title"):
        data["title"] = f"{data['title']} (muestra {i})"
    notes = (data.get("notes") or "").strip()
    data["notes"] = f"{notes}\n\n{SAMPLE_SENTENCE}" if notes else SAMPLE_SENTENCE
    data["sample_data"] = "true"
    data["private"] = i % PRIVATE_EVERY == PRIVATE_EVERY - 1
    data["resources"] = _resources(data["name"], data.get("resources") or [])
    return data


def generate(n: int, used: Optional[dict] = None) -> Iterator[dict]:
    """The first ``n`` clones (a prefix of any longer run with the same demo
    content); LOTAIP clones avoid the publications of other datasets in
    ``used`` ((dependency, law, literal, year) -> dataset name)."""
    demo = templates()
    org_names = [row["name"] for row in organigram()]
    slots: dict = {}
    used = dict(used or {})
    for i in range(n):
        data = clone(demo[i % len(demo)], i)
        if data.get("type") == "lotaip":
            _relocate(data, slots, org_names, used)
        yield data


# --------------------------------------------------------------- loading

_WORKER: dict = {}


def _init_worker(config_path: str) -> None:
    from bench import dcat_app

    _WORKER["app"] = dcat_app.open_app(config_path)


def _create(batch: list[dict]) -> list[str]:
    """package_create each dataset of ``batch``; the problems, one line each."""
    import ckan.plugins.toolkit as tk

    from bench import dcat_app

    problems = []
    with _WORKER["app"].test_request_context():
        context = dcat_app.site_context()
        for data in batch:
            try:
                tk.get_action("package_create")(dict(context), data)
            except tk.ValidationError as e:
                problems.append(f"{data['name']}: {e.error_summary}")
    return problems


def ensure(n: int, config_path: str, workers: int = 2, batch: int = 50, log=print) -> dict:
    """Create the clones among the first ``n`` that the database lacks."""
    from bench import dcat_app

    dcat_app.ensure_organizations(organigram())
    have = dcat_app.existing_names()
    todo = [d for d in generate(n, dcat_app.lotaip_publications()) if d["name"] not in have]
    dcat_app.end_transaction()
    started, problems, done = time.monotonic(), [], 0
    if todo:
        batches = [todo[k:k + batch] for k in range(0, len(todo), batch)]
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(config_path,)) as pool:
            for found in pool.imap_unordered(_create, batches):
                problems += found
                done += batch
                if done % 1000 < batch:
                    rate = done / (time.monotonic() - started)
                    log(f"  package_create: {min(done, len(todo))}/{len(todo)} ({rate:.1f}/s)")
    seconds = time.monotonic() - started
    return {"wanted": n, "created": len(todo) - len(problems), "problems": problems[:20],
            "problem_count": len(problems), "seconds": round(seconds, 1), "workers": workers,
            "per_second": round(len(todo) / seconds, 1) if todo else None}
