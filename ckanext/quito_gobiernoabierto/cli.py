"""The ``ckan quito ...`` command group."""
from __future__ import annotations

import click

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic import demo
from ckanext.quito_gobiernoabierto.organigram import loader, source

SHIPPED_ORGANIGRAM = package_path("data", "organigrama-dmq.yaml")


@click.group(short_help="Quito open-government portal commands.")
def quito():
    """Commands of the Quito open-government portal."""


@quito.group("demo")
def demo_group():
    """Demo content of the portal."""


@demo_group.command("load")
@click.option("--admin-password", envvar="QUITO_ADMIN_PASSWORD", required=True,
              help="Password of the demo sysadmin (env QUITO_ADMIN_PASSWORD).")
def demo_load(admin_password: str):
    """Create or update the demo content (idempotent)."""
    for report in demo.load(admin_password):
        for line in report.lines():
            click.echo(line)


@quito.group("organigram")
def organigram_group():
    """The municipal organigram (dependencies as organizations)."""


@organigram_group.command("load")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--remove-missing", is_flag=True,
              help="Delete organigram dependencies that are not in the file.")
def organigram_load(path, remove_missing):
    """Create or update organizations from PATH (YAML or CSV; default: the shipped
    organigram of the MDMQ). Idempotent; prints what changed."""
    path = path or SHIPPED_ORGANIGRAM
    try:
        rows = source.read(path)
    except source.SourceError as e:
        raise click.ClickException(str(e))
    context = demo.site_context()
    with click.progressbar(length=len(rows), label=f"Loading {len(rows)} dependencies",
                           file=click.get_text_stream("stderr")) as bar:
        report = loader.load(rows, context, remove_missing, progress=lambda name: bar.update(1))
    for line in report.lines():
        click.echo(line)
    if report.problems:
        raise SystemExit(1)


@quito.group("search")
def search_group():
    """The embedded search engine (plugin quito_search)."""


@search_group.command("rebuild")
@click.option("--workers", default=2, show_default=True, help="Worker processes (one per core is right).")
@click.option("--batch", default=200, show_default=True, help="Datasets per batch of index writes.")
def search_rebuild(workers: int, batch: int):
    """Reindex every dataset through CKAN's indexing path, in parallel and in
    batches (same result as `ckan search-index rebuild`, faster)."""
    from ckanext.quito_gobiernoabierto.search import rebuild

    result = rebuild.rebuild(workers, batch)
    click.echo(f"{result['datasets']} datasets indexed in {result['seconds']} s "
               f"({result['per_second']} datasets/s); {result['removed']} stale entries removed")
