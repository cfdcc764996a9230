"""The source portal of the harvest test, as a real HTTP server on loopback.

Run as a script (``python harvest_source_server.py CONFIG``) with the
database, Redis, site URL and storage folder in ``CKAN_*`` environment
variables. It brings the database schema up to date, empties it, loads the
organigram and the demo datasets, makes an API token for the site user,
prints one JSON line ``{"port": ..., "token": ..., "datasets": [...]}`` on
stdout and serves until it is terminated or its stdin closes.
"""
from __future__ import annotations

import json
import sys

#: Plugins of the source whose tables come from their own migrations.
MIGRATED = ("activity", "quito_search")


def prepare_database() -> None:
    """Schema at head (CKAN's and the plugins'), then every row deleted."""
    import ckan.lib.search as search
    import ckan.model as model
    from ckan.cli.db import _run_migrations

    _run_migrations(None)
    for plugin in MIGRATED:
        _run_migrations(plugin)
    model.repo.delete_all()
    search.clear_all()
    model.Session.remove()


def load_content() -> list[str]:
    """The organigram and every demo dataset; the demo datasets' names."""
    from ckanext.quito_gobiernoabierto import package_path
    from ckanext.quito_gobiernoabierto.logic import demo_datasets
    from ckanext.quito_gobiernoabierto.logic.demo import site_context
    from ckanext.quito_gobiernoabierto.organigram import loader, source

    problems = loader.load(source.read(package_path("data", "organigrama-dmq.yaml")), site_context()).problems
    folder = package_path("data", "demo")
    problems += demo_datasets.load(site_context(), folder).problems
    if problems:
        raise SystemExit(f"source content not loaded: {problems}")
    return [entry["name"] for entry in demo_datasets.read_entries(folder)]


def site_token() -> str:
    import ckan.plugins.toolkit as tk

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return tk.get_action("api_token_create")({"ignore_auth": True, "user": user},
                                             {"user": user, "name": "harvest-test"})["token"]


def exit_with_parent() -> None:
    """End the process when stdin closes (the test process ended or let go)."""
    import os
    import threading

    def watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main(config_path: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.serving import make_server

    exit_with_parent()
    app = make_app(load_config(config_path))
    with app._wsgi_app.test_request_context():  # actions that build URLs need one
        prepare_database()
        names = load_content()
        token = site_token()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(json.dumps({"port": server.server_port, "token": token, "datasets": names}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
