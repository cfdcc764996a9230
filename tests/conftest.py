"""Shared fixtures. CKAN's own pytest plugin (registered by the ckan wheel)
provides ``ckan_config``, ``cli``, ``reset_db`` and the rest; ``clean_db``,
``with_plugins`` and ``app`` are redefined here (migrations of the loaded
plugins; plugins and app kept between tests with the same configuration)."""
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

    def matches(self, before) -> bool:
        return not RELOAD_ALWAYS and self.entry is not None and self.entry["before"] == before

    def keep(self, before, **after) -> None:
        self.entry = {"before": before, "plugins": list(_loaded_plugins()),
                      "config": copy.deepcopy(_config_items()), "config_repr": _config_repr(), **after}
        self.made += 1
        LOADED.update(generation=_generation(), config=self.entry["config_repr"])


KEPT_PLUGINS = _Kept("plugins: loaded")
KEPT_APP = _Kept("web app: built")
#: The plugins now loaded, as loaded by these fixtures: CKAN's object that a
#: load replaces, and the configuration the load left. Anything else that
#: loads plugins (the CLI, a module's fixture, a test) replaces that object.
LOADED = {"generation": None, "config": None}


def _generation():
    """``update_config`` (every load and unload of plugins) replaces this dict."""
    from ckan.lib import plugins as lib_plugins

    return lib_plugins._package_plugins


def _loaded_as(kept: "_Kept") -> bool:
    """Are the plugins those ``kept`` left, loaded by these fixtures from its configuration?"""
    return (list(_loaded_plugins()) == kept.entry["plugins"] and _generation() is LOADED["generation"]
            and LOADED["config"] == kept.entry["config_repr"])


@pytest.fixture
def with_plugins(ckan_config):
    """CKAN's ``with_plugins``, loading the plugins again only when the
    configuration differs from the one the last load started from, or the
    plugins are not those it left (loading calls every plugin's
    ``update_config``: ~0.4 s a test). Plugins are unloaded before a test that
    does not use this fixture (``pytest_runtest_teardown`` below), as CKAN's
    fixture does after each test."""
    before = _config_repr()
    if KEPT_PLUGINS.matches(before) and _loaded_as(KEPT_PLUGINS):
        _restore(KEPT_PLUGINS)
    else:
        import ckan.plugins as p

        p.load_all()
        KEPT_PLUGINS.keep(before)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    uses = "with_plugins" in item.fixturenames
    if uses and (RELOAD_ALWAYS or nextitem is None or "with_plugins" not in nextitem.fixturenames):
        import ckan.plugins as p

        p.unload_non_system_plugins()


@pytest.fixture
def app(make_app):
    """CKAN's ``app``, kept for the next test that starts from the same
    configuration and plugins: building the app loads every plugin again and
    registers every view (~0.5 s a test). The test client itself keeps nothing
    between requests."""
    from ckan.config import middleware

    before = (tuple(_loaded_plugins()), _config_repr())
    if KEPT_APP.matches(before):
        _restore(KEPT_APP)
        middleware._internal_test_request_context = KEPT_APP.entry["request_context"]
        return KEPT_APP.entry["app"]
    built = make_app()
    KEPT_APP.keep(before, app=built, request_context=middleware._internal_test_request_context)
    return built


def _loaded_plugins() -> list:
    from ckan.plugins import core

    return core._PLUGINS


def _config_items() -> dict:
    from ckan.common import config

    return dict(config)


def _config_repr(items=None) -> str:
    items = _config_items() if items is None else items
    return repr(sorted(items.items(), key=lambda item: item[0]))


def _restore(kept: _Kept) -> None:
    """The plugins and configuration that making it left: the plugins loaded
    again if anything else loaded them since; the caches CKAN fills from the
    plugins emptied and the app globals set again, as CKAN's loading does."""
    import ckan.plugins as p
    from ckan import authz, logic
    from ckan.common import config
    from ckan.lib import app_globals

    if not _loaded_as(kept):
        p.load_all()
        LOADED.update(generation=_generation(), config=_config_repr())
    config.clear()
    config.update(copy.deepcopy(kept.entry["config"]))
    logic.clear_actions_cache()
    logic.clear_validators_cache()
    authz.clear_auth_functions_cache()
    app_globals.app_globals._init()
    if kept is KEPT_APP:
        app_globals.reset()
    kept.reused += 1


def pytest_terminal_summary(terminalreporter):
    for kept in (KEPT_PLUGINS, KEPT_APP):
        if kept.made + kept.reused:
            terminalreporter.write_line(
                f"{kept.label} {kept.made} times, kept for {kept.reused} of {kept.made + kept.reused} tests")
