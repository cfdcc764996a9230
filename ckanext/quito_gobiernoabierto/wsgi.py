"""WSGI entry point of the portal: CKAN's app, then ``gc.freeze()``.

    gunicorn --preload -w 2 'ckanext.quito_gobiernoabierto.wsgi:application'
    uwsgi --http :5000 --module ckanext.quito_gobiernoabierto.wsgi:application

The configuration file comes from ``CKAN_INI`` (as for ``ckan.wsgi``).
Without a WSGI server, ``python -m ckanext.quito_gobiernoabierto.wsgi
--port 5000`` serves the same app with werkzeug's threaded server, as
``ckan run`` does (``make portal`` uses it).

Why freeze: a loaded CKAN holds about a million long-lived Python objects
(plugins, schemas, templates, SQLAlchemy metadata). Requests that build large
object graphs, such as a DCAT catalogue page (tens of thousands of RDF terms),
trigger full garbage collections, and each walks every one of those objects
again (~100 ms here). ``gc.freeze()`` after start-up moves them out of the
collector's reach, so full collections only look at what requests create
(``bench/dcat_bench.py`` measures both). With ``--preload`` the frozen
objects are also shared between forked workers without copy-on-write.
"""
from __future__ import annotations

import argparse
import gc
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app


def create_application(config_path: str | None = None):
    """The app for ``config_path`` (default: ``$CKAN_INI``), with the
    start-up objects frozen out of the garbage collector's reach."""
    path = config_path or os.environ.get("CKAN_INI")
    if not path:
        raise RuntimeError("Set CKAN_INI to the path of the CKAN configuration file.")
    app = make_app(load_config(path))
    _webassets_cache()
    gc.collect()
    gc.freeze()
    return app


def _webassets_cache() -> None:
    """Create webassets' cache folder now: forked workers that all build the
    assets on their first request race to create it (``FileExistsError``, a
    500 for the first visitors)."""
    from ckan.lib.webassets_tools import get_webassets_path

    os.makedirs(os.path.join(get_webassets_path(), ".webassets-cache"), exist_ok=True)


_application = None


def __getattr__(name: str):
    """``application`` is built on first access (importing this module for
    ``create_application`` builds nothing)."""
    global _application
    if name != "application":
        raise AttributeError(name)
    if _application is None:
        _application = create_application()
    return _application


def main(argv: list[str] | None = None) -> None:
    """Serve the app on one threaded werkzeug server (the demo's ``ckan run``)."""
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(prog="python -m ckanext.quito_gobiernoabierto.wsgi",
                                     description="Serve the portal (CKAN_INI or --config) with a frozen start-up heap.")
    parser.add_argument("--config", default=os.environ.get("CKAN_INI"), help="CKAN configuration file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    if not args.config:
        parser.error("set CKAN_INI or pass --config")
    run_simple(args.host, args.port, create_application(args.config), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
