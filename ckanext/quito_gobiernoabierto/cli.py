"""The ``ckan quito ...`` command group."""
from __future__ import annotations

import click

from ckanext.quito_gobiernoabierto.logic import demo


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
    report = demo.load(admin_password)
    for line in report.lines():
        click.echo(line)
