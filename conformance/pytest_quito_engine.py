"""pytest plugin: run upstream suites with the quito_search engine in place of Solr.

CKAN's own pytest plugin unloads every non-system plugin before the run, and
the upstream tests choose their plugins through ``with_plugins`` and
``ckan_config``, so ``quito_search`` cannot be relied on to be in
``ckan.plugins``. This module installs the engine behind CKAN's Solr
connection factory independently of the plugin list: at session start (after
CKAN has loaded its config), once collection has imported the test modules,
and before every test. ``seam.install()`` is idempotent.
"""
from __future__ import annotations

import pytest


def install_engine() -> None:
    # Imported late: ckan must not be imported before CKAN's plugin reads the ini.
    from ckanext.quito_gobiernoabierto.search import seam

    seam.install()


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    # After CKAN's own sessionstart (config loaded, app made); install() touches
    # no database, so the order only matters for modules imported meanwhile.
    install_engine()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    install_engine()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    install_engine()


def pytest_report_header(config):
    return "quito_search engine installed in place of Solr (conformance/pytest_quito_engine.py)"
