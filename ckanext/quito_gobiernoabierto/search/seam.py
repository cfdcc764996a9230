"""The one seam: CKAN's Solr connection factory.

``ckan.lib.search`` builds every document and every query itself and hands
them to ``make_connection()``. Installing the engine replaces that factory
(in ``ckan.lib.search.common`` and in the modules that imported it by name),
and the Solr schema-version check, which has no meaning without Solr.
Nothing else of CKAN is changed.
"""
from __future__ import annotations

import sys

import ckan.lib.search as ckan_search
import ckan.lib.search.common as common

from ckanext.quito_gobiernoabierto.search.connection import PostgresSearchConnection

_ORIGINAL = {"make_connection": common.make_connection,
             "check_solr_schema_version": ckan_search.check_solr_schema_version}


def make_connection(decode_dates: bool = True) -> PostgresSearchConnection:
    return PostgresSearchConnection(decode_dates=decode_dates)


def check_schema_version(schema_file=None) -> bool:
    """No Solr schema to check: the engine reads CKAN's schema.xml itself."""
    return False


def _rebind(old, new) -> None:
    for module in list(sys.modules.values()):
        if getattr(module, "make_connection", None) is old:
            module.make_connection = new


def install() -> None:
    """Serve CKAN's search from PostgreSQL (idempotent; safe to call again
    after more modules have been imported)."""
    _rebind(_ORIGINAL["make_connection"], make_connection)
    ckan_search.check_solr_schema_version = check_schema_version


def uninstall() -> None:
    _rebind(make_connection, _ORIGINAL["make_connection"])
    ckan_search.check_solr_schema_version = _ORIGINAL["check_solr_schema_version"]


def is_installed() -> bool:
    return common.make_connection is make_connection
