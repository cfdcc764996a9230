"""Shared fixtures. CKAN's own pytest plugin (registered by the ckan wheel)
provides ``clean_db``, ``with_plugins``, ``ckan_config``, ``app`` and ``cli``."""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


@pytest.fixture
def shared_file():
    """Path of a reference file in ../shared/, failing clearly if it is missing."""

    def find(*parts):
        path = os.path.join(SHARED, *parts)
        if not os.path.exists(path):
            pytest.fail(f"reference file missing: {path} (../shared/ must sit beside the project)")
        return path

    return find

#: Plugins whose own tables come from alembic migrations, in dependency order.
MIGRATED_PLUGINS = ("activity", "harvest", "quito_search")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's ``clean_db`` plus the migrations of the loaded plugins that have them
    (the first reset of a session drops every table, plugins' included)."""
    reset_database(reset_db, migrate_db_for)


def reset_database(reset_db, migrate_db_for) -> None:
    """An empty database: CKAN's tables, then those of the loaded plugins'
    migrations (also for fixtures that build a world once per module)."""
    import ckan.plugins as p

    reset_db()
    for name in MIGRATED_PLUGINS:
        if p.plugin_loaded(name):
            migrate_db_for(name)
