"""The run's content: the sample catalogue (built once), the stewards and what the clients ask for.

    python -m reliability.content --config var/reliability/reliability.ini --size 10000 --state state.json

1. ``--size`` sample datasets of every Quito type through ``package_create``
   (:func:`bench.dcat_data.ensure`, worker processes; the private cluster keeps
   them, so a second run creates nothing);
2. a sysadmin and two stewards (editors of the two dependencies that publish
   most), each with a fresh API token;
3. the state file: tokens, the datasets each steward edits, public dataset
   names and search words for the anonymous clients.

Every account and dataset here is sample data of a throw-away database.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys

ADMIN = "fiabilidad-admin"
STEWARDS = ("fiabilidad-editora-1", "fiabilidad-editor-2")
HARVEST_ORG = "secretaria-general-de-planificacion"
STOP_WORDS = {"de", "del", "la", "las", "los", "el", "en", "y", "por", "para", "con", "muestra", "a", "al"}


def ensure_user(name: str, sysadmin: bool = False) -> None:
    """A sample account (idempotent); sysadmin when asked."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    from bench import dcat_app

    if model.User.get(name) is None:
        tk.get_action("user_create")(dcat_app.site_context(), {
            "name": name, "email": f"{name}@fiabilidad.invalid", "password": f"Muestra-{random.random()}"})
    user = model.User.get(name)
    if sysadmin and not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()


def new_token(user: str) -> str:
    """A fresh API token of ``user``."""
    import ckan.plugins.toolkit as tk

    from bench import dcat_app

    return tk.get_action("api_token_create")(dcat_app.site_context(), {"user": user, "name": "fiabilidad"})["token"]


def busiest_organizations(count: int) -> list[str]:
    """The dependencies owning most active sample datasets (not the harvest's)."""
    import ckan.model as model
    import sqlalchemy as sa

    rows = model.Session.execute(sa.text("""
        SELECT g.name FROM package p JOIN "group" g ON g.id = p.owner_org
        WHERE p.state = 'active' AND p.type <> 'harvest' AND p.name ~ '-m[0-9]{6}$' AND g.name <> :h
        GROUP BY g.name ORDER BY count(*) DESC, g.name LIMIT :n"""), {"h": HARVEST_ORG, "n": count})
    return [name for (name,) in rows]


def organization_datasets(org: str, limit: int = 300) -> list[str]:
    """The sample datasets (``-mNNNNNN``) of a dependency, by name."""
    import ckan.model as model
    import sqlalchemy as sa

    rows = model.Session.execute(sa.text("""
        SELECT p.name FROM package p JOIN "group" g ON g.id = p.owner_org
        WHERE g.name = :o AND p.state = 'active' AND p.name ~ '-m[0-9]{6}$' ORDER BY p.name LIMIT :n"""),
        {"o": org, "n": limit})
    return [name for (name,) in rows]


def ensure_steward(user: str, org: str) -> dict:
    """``user`` editor of ``org``, with a new token and the datasets it edits."""
    import ckan.plugins.toolkit as tk

    from bench import dcat_app

    ensure_user(user)
    tk.get_action("organization_member_create")(dcat_app.site_context(),
                                                {"id": org, "username": user, "role": "editor"})
    return {"user": user, "org": org, "token": new_token(user), "datasets": organization_datasets(org)}


def public_samples(count: int, seed: int = 9) -> dict:
    """Public dataset names, title words and facet values, for the anonymous clients."""
    import ckan.model as model
    import sqlalchemy as sa

    rows = model.Session.execute(sa.text("""
        SELECT name, title FROM package WHERE state = 'active' AND NOT private AND type <> 'harvest'
        AND name ~ '-m[0-9]{6}$' ORDER BY name""")).fetchall()  # the sample catalogue, never harvested ones
    rng = random.Random(seed)
    words: dict[str, int] = {}
    for _, title in rows:
        for word in re.findall(r"[a-záéíóúñ]{4,}", (title or "").lower()):
            if word not in STOP_WORDS:
                words[word] = words.get(word, 0) + 1
    return {"public_count": len(rows), "public_names": [r[0] for r in rng.sample(rows, min(count, len(rows)))],
            "words": sorted(words, key=lambda w: (-words[w], w))[:60], "facets": facet_values()}


def facet_values(limit: int = 8) -> dict:
    """The most used values of the search page's facets (type, dependency, format, tag)."""
    import ckan.model as model
    import sqlalchemy as sa

    queries = {
        "dataset_type": "SELECT type FROM package WHERE state = 'active' AND NOT private AND type <> 'harvest'",
        "organization": """SELECT g.name FROM package p JOIN "group" g ON g.id = p.owner_org
                           WHERE p.state = 'active' AND NOT p.private""",
        "res_format": "SELECT format FROM resource WHERE state = 'active' AND format <> ''",
        "tags": """SELECT t.name FROM package_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.state = 'active'""",
    }
    out = {}
    for facet, sql in queries.items():
        rows = model.Session.execute(sa.text(
            f"SELECT v, count(*) FROM ({sql}) AS q(v) GROUP BY v ORDER BY 2 DESC, 1 LIMIT :n"), {"n": limit})
        out[facet] = [value for value, _ in rows]
    return out


def build(config: str, size: int, workers: int, log=print) -> dict:
    """Catalogue, accounts and samples; the state the run reads."""
    from bench import dcat_app, dcat_data

    app = dcat_app.open_app(config)
    with app.test_request_context():
        made = dcat_data.ensure(size, config, workers=workers, log=log)
        log(f"catalogue: {made['created']} created now ({made['seconds']} s), "
            f"{made['problem_count']} problems, {made['wanted']} wanted")
        for problem in made["problems"]:
            log(f"  - {problem}")
        ensure_user(ADMIN, sysadmin=True)
        stewards = [ensure_steward(user, org) for user, org in zip(STEWARDS, busiest_organizations(2))]
        samples = public_samples(600)
        dcat_app.end_transaction()
        return dict(samples, size=size, built=made, admin={"user": ADMIN, "token": new_token(ADMIN)},
                    stewards=stewards, harvest_org=HARVEST_ORG)


def main(argv=None) -> int:
    """Build and save the state file; 1 when some sample datasets could not be created."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--state", required=True)
    args = parser.parse_args(argv)
    state = build(args.config, args.size, args.workers)
    with open(args.state, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
    for steward in state["stewards"]:
        print(f"steward {steward['user']}: editor of {steward['org']} ({len(steward['datasets'])} datasets)")
    print(f"state: {args.state}")
    return 1 if state["built"]["problem_count"] else 0


if __name__ == "__main__":
    sys.exit(main())
