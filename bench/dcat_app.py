"""The DCAT benchmark's CKAN side: the app, the acting user, the organigram."""
from __future__ import annotations


def open_app(config_path: str):
    """The Flask app of a CKAN configured from ``config_path`` (plugins loaded)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(config_path))._wsgi_app


def site_context() -> dict:
    from ckanext.quito_gobiernoabierto.logic.demo import site_context as context

    return context()


def ensure_organizations(rows: list[dict]) -> None:
    """The organigram's dependencies as organizations (idempotent loader)."""
    import ckan.model as model
    from ckanext.quito_gobiernoabierto.organigram import loader

    have = {name for (name,) in model.Session.query(model.Group.name)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")}
    if not {row["name"] for row in rows} <= have:
        report = loader.load(rows, site_context())
        if report.problems:
            raise RuntimeError(f"organigram: {report.problems}")


def existing_names() -> set[str]:
    import ckan.model as model

    return {name for (name,) in model.Session.query(model.Package.name)}


def public_count() -> int:
    """Active public datasets in the database (what a full dump must hold)."""
    import ckan.model as model

    return (model.Session.query(model.Package)
            .filter(model.Package.state == "active", model.Package.private.is_(False)).count())


def lotaip_publications() -> dict[tuple[str, str, str, str], str]:
    """(dependency name, law, literal, year) -> name of every active LOTAIP dataset."""
    import ckan.model as model
    import sqlalchemy as sa

    rows = model.Session.execute(sa.text("""
        SELECT g.name, r.value, l.value, y.value, p.name FROM package p JOIN "group" g ON g.id = p.owner_org
        JOIN package_extra r ON r.package_id = p.id AND r.key = 'lotaip_regime'
        JOIN package_extra l ON l.package_id = p.id AND l.key = 'lotaip_literal'
        JOIN package_extra y ON y.package_id = p.id AND y.key = 'lotaip_year'
        WHERE p.type = 'lotaip' AND p.state = 'active'"""))
    return {tuple(row[:4]): row[4] for row in rows}


def end_transaction() -> None:
    """Close the read transaction (the workers write meanwhile)."""
    import ckan.model as model

    model.Session.remove()
