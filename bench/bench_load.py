"""Fill the index to N documents: the real subset plus bulk documents written straight to the table.

Bulk documents (see :mod:`bench.bench_docs`) are upserted with the engine's own
``index.upsert`` in batches, by two worker processes (document building in
Python and ``to_tsvector`` in PostgreSQL then use both cores). Documents of
earlier runs are kept when they are still wanted, so a second run is fast.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import time

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from bench import bench_db, bench_docs, datagen

BATCH = 1000
FIDELITY_SAMPLE = 20
_WORKER: dict = {}


def present_ids(site: str) -> set[str]:
    with bench_db.bind().connect() as conn:
        rows = conn.execute(sa.text(f"SELECT id FROM {bench_db.TABLE} WHERE site_id = :s"), {"s": site})
        return {r[0] for r in rows}


def delete_ids(site: str, ids: list[str]) -> None:
    with bench_db.bind().begin() as conn:
        conn.execute(sa.text(f"DELETE FROM {bench_db.TABLE} WHERE site_id = :s AND id = ANY(:ids)"),
                     {"s": site, "ids": ids})


def _init_worker(url: str, tpl, site: str) -> None:
    from ckan.model import meta

    meta.engine.dispose(close=False)  # never touch the parent's pooled connections
    _WORKER.update(engine=sa.create_engine(url, poolclass=NullPool), tpl=tpl, site=site)


def _load_batch(batch: list[tuple[int, dict]]) -> int:
    from ckanext.quito_gobiernoabierto.search import index

    tpl, site = _WORKER["tpl"], _WORKER["site"]
    docs = [bench_docs.solr_doc(bench_docs.package_dict(i, data, tpl), tpl, site) for i, data in batch]
    with _WORKER["engine"].begin() as conn:
        return index.upsert(conn, docs)


def _batches(todo: set[str], start: int, size: int, seed: int):
    wanted = ((i, d) for i, d in enumerate(datagen.generate(size, seed=seed)) if i >= start)
    missing = ((i, d) for i, d in wanted if bench_docs.bulk_id(i) in todo)
    while True:
        batch = list(itertools.islice(missing, BATCH))
        if not batch:
            return
        yield batch


def _insert(todo: set[str], start: int, size: int, tpl, site: str, workers: int, log) -> None:
    url = bench_db.bind().url.render_as_string(hide_password=False)
    done, started = 0, time.monotonic()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(url, tpl, site)) as pool:
        for n in pool.imap_unordered(_load_batch, _batches(todo, start, size, bench_db.SEED)):
            done += n
            if done % (10 * BATCH) < n or done == len(todo):
                log(f"  bulk upsert: {done}/{len(todo)} documents "
                    f"({done / (time.monotonic() - started):.0f} rows/s)")


def check_fidelity(tpl, site: str, start: int, size: int) -> dict:
    """CKAN's ``index_package`` against our documents, on a sample of the bulk range."""
    step = max(1, (size - start) // FIDELITY_SAMPLE)
    picks = set(range(start, size, step))
    sample = [(i, d) for i, d in enumerate(datagen.generate(size, seed=bench_db.SEED)) if i in picks]
    bad = bench_docs.check_fidelity(tpl, site, [i for i, _ in sample], [d for _, d in sample])
    return {"checked": len(sample), "differing": bad}


def fill(size: int, log=print, workers: int | None = None) -> dict:
    """Make the index hold exactly the real datasets plus bulk documents up to ``size``."""
    site = bench_db.site_id()
    start = len(bench_db.package_ids())
    if size < start:
        raise ValueError(f"size {size} is below the {start} real datasets already in the database")
    wanted = {bench_docs.bulk_id(i) for i in range(start, size)}
    present = present_ids(site)
    real = set(bench_db.package_ids())
    extra = sorted(present - wanted - real)
    todo = wanted - present
    stats = {"real": start, "bulk": size - start, "deleted": len(extra), "inserted": len(todo)}
    started = time.monotonic()
    if extra:
        delete_ids(site, extra)
    with bench_db.bind().connect() as conn:
        tpl = bench_docs.load_template(conn, site)
    stats["fidelity"] = check_fidelity(tpl, site, start, size) if size > start else None
    if todo:
        _insert(todo, start, size, tpl, site, workers or min(2, os.cpu_count() or 1), log)
    stats["seconds"] = round(time.monotonic() - started, 2)
    stats["rows_per_second"] = round(len(todo) / stats["seconds"], 1) if todo else None
    return stats
