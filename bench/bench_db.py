"""The benchmark's CKAN side: app, contexts, organizations, real datasets, rebuild, index state.

Everything here goes through CKAN's own code paths (actions, ``ckan.lib.search``);
only the bookkeeping queries (counts, ``VACUUM``) are plain SQL.
"""
from __future__ import annotations

import contextlib
import time

import sqlalchemy as sa

from bench import datagen

TABLE = "quito_search_index"
#: Seed of the generated datasets (real and bulk ones come from the same sequence).
SEED = 2017


def open_app(config_path: str):
    """The Flask app of a CKAN configured from ``config_path`` (plugins loaded)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(config_path))._wsgi_app


def site_id() -> str:
    from ckan.common import config

    return config.get("ckan.site_id")


def bind():
    from ckan.model import meta

    return meta.engine


def sysadmin_context() -> dict:
    """A context acting as CKAN's site user (a sysadmin)."""
    from ckan.logic import get_action

    user = get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"]}


def anonymous_context() -> dict:
    """A citizen without an account: CKAN applies the ``public`` permission label."""
    return {"user": ""}


def ensure_organizations(orgs: list[dict] = datagen.ORGANIZATIONS) -> dict[str, str]:
    """Create the missing organizations through ``organization_create``; name -> id."""
    import ckan.model as model
    from ckan.logic import get_action

    have = dict(model.Session.query(model.Group.name, model.Group.id)
                .filter(model.Group.is_organization.is_(True)).all())
    for org in orgs:
        if org["name"] not in have:
            have[org["name"]] = get_action("organization_create")(sysadmin_context(), dict(org))["id"]
    return {org["name"]: have[org["name"]] for org in orgs}


def existing_names(names: list[str]) -> set[str]:
    import ckan.model as model

    rows = model.Session.query(model.Package.name).filter(model.Package.name.in_(names)).all()
    return {r[0] for r in rows}


def ensure_real_datasets(n: int, org_ids: dict[str, str], seed: int = SEED, log=print) -> dict:
    """Create the first ``n`` generated datasets through ``package_create`` (those missing)."""
    from ckan.logic import get_action

    datasets = list(datagen.generate(n, seed=seed))
    have = existing_names([d["name"] for d in datasets])
    todo = [d for d in datasets if d["name"] not in have]
    started = time.monotonic()
    for done, data in enumerate(todo, 1):
        data = dict(data, owner_org=org_ids[data["owner_org"]])
        get_action("package_create")(sysadmin_context(), data)
        if done % 250 == 0:
            log(f"  package_create: {done}/{len(todo)} ({done / (time.monotonic() - started):.1f}/s)")
    seconds = time.monotonic() - started
    return {"datasets": n, "created": len(todo), "seconds": round(seconds, 2),
            "per_second": round(len(todo) / seconds, 1) if todo else None}


def package_ids() -> list[str]:
    """Ids of every dataset in CKAN's tables (what ``search-index rebuild`` indexes)."""
    import ckan.model as model

    return [r[0] for r in model.Session.query(model.Package.id).all()]


@contextlib.contextmanager
def timing_engine(method: str, spent: list):
    """Append the seconds of every call of ``PostgresSearchConnection.<method>`` to ``spent``."""
    from ckanext.quito_gobiernoabierto.search.connection import PostgresSearchConnection

    original = getattr(PostgresSearchConnection, method)

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    setattr(PostgresSearchConnection, method, timed)
    try:
        yield
    finally:
        setattr(PostgresSearchConnection, method, original)


def timed_rebuild() -> dict:
    """``ckan search-index rebuild`` (without --clear) as its CLI runs it, timed; the share
    spent writing to the index (the engine) is reported apart from CKAN's package_show + document."""
    from ckan.lib import search

    count, spent = len(package_ids()), []
    started = time.monotonic()
    with timing_engine("add", spent):
        search.rebuild(defer_commit=True, quiet=True)
        search.commit()
    seconds = time.monotonic() - started
    return {"datasets": count, "seconds": round(seconds, 2),
            "per_second": round(count / seconds, 1) if seconds else None,
            "engine_write_seconds": round(sum(spent), 2)}


def timed_parallel_rebuild(workers: int = 2) -> dict:
    """``ckan quito search rebuild`` (same indexing path, N processes, batched writes), timed."""
    from ckanext.quito_gobiernoabierto.search import rebuild

    result = rebuild.rebuild(workers=workers, prune=False)  # keep the bulk documents
    result["workers"] = workers
    return result


def index_count(conn, site: str) -> int:
    return conn.execute(sa.text(f"SELECT count(*) FROM {TABLE} WHERE site_id = :s"), {"s": site}).scalar()


def vacuum_analyze() -> float:
    """VACUUM ANALYZE the index, after ending CKAN's open transaction (it would keep dead rows)."""
    import ckan.model as model

    model.Session.remove()
    started = time.monotonic()
    with bind().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(f"VACUUM ANALYZE {TABLE}"))
    return round(time.monotonic() - started, 2)
