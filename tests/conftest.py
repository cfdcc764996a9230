"""Shared fixtures. CKAN's own pytest plugin (registered by the ckan wheel)
provides ``clean_db``, ``with_plugins``, ``ckan_config``, ``app`` and ``cli``."""
import copy
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


#: ``QUITO_TESTS_RELOAD=1``: load the plugins and build the app for every test, as CKAN's fixtures do.
RELOAD_ALWAYS = os.environ.get("QUITO_TESTS_RELOAD") == "1"


class _Kept:
    """What a fixture made last (plugins loaded, an app built): the state it
    started from, the state it left, and how often it was made or kept."""

    def __init__(self, label: str):
        self.label, self.entry, self.made, self.reused = label, None, 0, 0

    def matches(self, before: tuple) -> bool:
        return not RELOAD_ALWAYS and self.entry is not None and self.entry["before"] == before

    def keep(self, before: tuple, **after) -> None:
        self.entry = {"before": before, "plugins": list(_loaded_plugins()),
                      "config": copy.deepcopy(_config_items()), **after}
        self.made += 1


KEPT_PLUGINS = _Kept("plugins: loaded")
KEPT_APP = _Kept("web app: built")


@pytest.fixture
def with_plugins(ckan_config):
    """CKAN's ``with_plugins``, loading the plugins again only when the
    configuration or the loaded plugins differ from what the last load started
    from (loading calls every plugin's ``update_config``: ~0.4 s a test).
    Plugins are unloaded before a test that does not use this fixture
    (``pytest_runtest_teardown`` below), as CKAN's fixture does after each test."""
    before = _state()[1]  # the configuration; the plugins must be those the last load left
    if KEPT_PLUGINS.matches(before) and list(_loaded_plugins()) == KEPT_PLUGINS.entry["plugins"]:
        _restore(KEPT_PLUGINS)
    else:
        import ckan.plugins as p

        p.load_all()
        KEPT_PLUGINS.keep(before)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if "with_plugins" in item.fixturenames and (nextitem is None or "with_plugins" not in nextitem.fixturenames):
        import ckan.plugins as p

        p.unload_non_system_plugins()


@pytest.fixture
def app(make_app):
    """CKAN's ``app``, kept for the next test that starts from the same
    configuration and plugins: building the app loads every plugin again and
    registers every view (~0.5 s a test). The test client itself keeps nothing
    between requests."""
    before = _state()
    if KEPT_APP.matches(before):
        _restore(KEPT_APP)
        return KEPT_APP.entry["app"]
    built = make_app()
    KEPT_APP.keep(before, app=built)
    return built


def _loaded_plugins() -> list:
    from ckan.plugins import core

    return core._PLUGINS


def _config_items() -> dict:
    from ckan.common import config

    return dict(config)


def _state() -> tuple:
    """What a build of the app depends on: the plugins loaded and the configuration."""
    return tuple(_loaded_plugins()), repr(sorted(_config_items().items(), key=lambda item: item[0]))


def _restore(kept: _Kept) -> None:
    """The plugins and configuration that making it left (loading the plugins
    and resetting the app globals as CKAN's ``load_environment`` does)."""
    import ckan.plugins as p
    from ckan.common import config
    from ckan.lib import app_globals

    if _loaded_plugins() != kept.entry["plugins"]:
        p.load_all()
    config.clear()
    config.update(copy.deepcopy(kept.entry["config"]))
    if kept is KEPT_APP:
        app_globals.reset()
    kept.reused += 1


def pytest_terminal_summary(terminalreporter):
    for kept in (KEPT_PLUGINS, KEPT_APP):
        if kept.made + kept.reused:
            terminalreporter.write_line(
                f"{kept.label} {kept.made} times, kept for {kept.reused} of {kept.made + kept.reused} tests")
