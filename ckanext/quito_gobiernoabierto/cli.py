"""The ``ckan quito ...`` command group."""
from __future__ import annotations

import click
import ckan.plugins.toolkit as tk

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


@quito.group("dcat")
def dcat_group():
    """DCAT-AP exports of the catalogue."""


@dcat_group.command("dump")
@click.option("--format", "_format", type=click.Choice(["ttl", "nt", "jsonld", "xml"]), default="ttl",
              show_default=True, help="RDF serialisation.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: standard output).")
@click.option("--profiles", help="DCAT profiles, comma- or space-separated "
                                 "(default: the ckanext.dcat.rdf.profiles setting).")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 1000),
              help="Datasets fetched and serialised at a time.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on standard error.")
def dcat_dump(_format: str, output: str, profiles, batch: int, quiet: bool):
    """Write the whole public catalogue as one RDF document, batch by batch
    (private datasets and drafts excluded; memory stays flat)."""
    from ckanext.quito_gobiernoabierto.dcat import dump

    chosen = profiles.replace(",", " ").split() if profiles else None
    err = click.get_text_stream("stderr")

    def progress(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"\r{done}/{total} datasets", nl=False, file=err)

    with click.open_file(output, "w", encoding="utf-8") as out:
        result = dump.dump(out, _format, chosen, batch, progress)
    click.echo(("" if quiet else "\n") + f"{result['datasets']} datasets in {result['batches']} batches, "
               f"{result['seconds']} s ({result['per_second']} datasets/s)", file=err)


@quito.group("harvest")
def harvest_group():
    """Harvest sources (ckanext-harvest)."""


@harvest_group.command("run")
@click.argument("source")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--abort-unfinished", is_flag=True,
              help="Close the source's pending or running job first (one left by a run that was killed).")
def harvest_run(source: str, quiet: bool, abort_unfinished: bool):
    """Run one harvest job of SOURCE (name or id) now, in this process, with
    a progress bar and a summary. The workers and the cron keep working as
    usual; a source with a job already pending or running is refused unless
    --abort-unfinished is given."""
    from ckanext.quito_gobiernoabierto.logic import harvest_run as runner

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if quiet:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="datasets", file=click.get_text_stream("stderr"))
        bar.update(1)

    try:
        result = runner.run(source, progress, abort_unfinished)
    except runner.Blocked as blocked:
        raise click.ClickException(_blocked_message(blocked))
    except (tk.ObjectNotFound, tk.ValidationError) as error:
        raise click.ClickException(str(getattr(error, "error_dict", None) or error))
    finally:
        if bar is not None:
            bar.render_finish()
    _print_harvest_summary(result)
    if result["errors"] or result["gather_errors"]:
        raise SystemExit(1)


def _blocked_message(blocked) -> str:
    job = blocked.job
    return (f"source {blocked.source['name']} has an unfinished job {job['id']} ({job['status']}, "
            f"created {job['created']:%Y-%m-%d %H:%M} UTC, last action {job['last_action']:%Y-%m-%d %H:%M} UTC, "
            f"{job['pending_objects']} of {job['objects']} objects pending).\n"
            "If a worker is still running it, wait for it to end. If its run was stopped or killed, "
            f"run again with --abort-unfinished (or: ckan harvester job-abort {blocked.source['name']}).")


def _print_harvest_summary(result: dict) -> None:
    click.echo(f"created {result['created']}, updated {result['updated']}, unchanged {result['unchanged']}, "
               f"deleted {result['deleted']}, errors {result['errors']} "
               f"(gather {result['seconds']['gather']} s, fetch+import {result['seconds']['fetch_import']} s)")
    for message in result["gather_errors"] + result["object_errors"]:
        click.echo(f"  - {message}")
