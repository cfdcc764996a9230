"""The conformance runner's own logic (conformance/summary.py and the ini files).

Fast: it never runs the upstream suites (that is ``make conformance``)."""
import configparser
import importlib.util
import os
import sys

import pytest

from tests.conftest import ROOT

CONF = os.path.join(ROOT, "conformance")
SUITE_INIS = ("core.ini", "scheming.ini", "dcat.ini", "harvest.ini")

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="1" tests="6" time="12.5">
<testcase classname="ckan.tests.lib.search.test_query.TestPackageQuery" name="test_overall"
  file="ckan/tests/lib/search/test_query.py" line="435" time="0.1" />
<testcase classname="ckan.tests.lib.search.test_search" name="test_allowed_local_params_via_config"
  file="ckan/tests/lib/search/test_search.py" line="292" time="0.2">
  <failure message="ckan.lib.search.common.SearchError: SOLR returned an error running query: {'q': '{!bool must=bees}', 'rows': 11} Error: SolrError(&quot;unsupported local parameters&quot;)">trace</failure>
</testcase>
<testcase classname="ckan.tests.lib.search.test_index.TestSearchIndex" name="test_index_date_field"
  file="ckan/tests/lib/search/test_index.py" line="118" time="0.1">
  <failure message="AssertionError: assert False&#10; +  where False = isinstance('2014', datetime)">trace</failure>
</testcase>
<testcase classname="ckanext.dcat.tests.test_blueprints.TestDatasetSeries" name="test_dataset_series_ttl"
  file="ckanext/dcat/tests/test_blueprints.py" line="10" time="0.0">
  <error message="failed on setup with &quot;PluginNotFoundException: Plugin 'dataset_series' not found.&quot;">trace</error>
</testcase>
<testcase classname="ckan.tests.lib.search.test_search" name="test_magic_fields_not_allowed[_val_:x]"
  file="ckan/tests/lib/search/test_search.py" line="215" time="0.0" />
<testcase classname="ckan.tests.lib.search.test_search" name="test_skipped"
  file="ckan/tests/lib/search/test_search.py" line="1" time="0.0"><skipped message="no Solr" /></testcase>
</testsuite></testsuites>
"""

COLLECTION_ERROR = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="0" skipped="0" tests="1" time="0.4">
<testcase classname="" name="ckanext.scheming.tests.test_load" time="0.0">
  <error message="collection failure">ImportError: no module named foo</error>
</testcase></testsuite></testsuites>
"""


@pytest.fixture(scope="module")
def summary():
    spec = importlib.util.spec_from_file_location("conformance_summary", os.path.join(CONF, "summary.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def write_suite(folder, name, xml=None, rc=None, log=""):
    if xml is not None:
        (folder / f"{name}.xml").write_text(xml)
    if rc is not None:
        (folder / f"{name}.rc").write_text(f"{rc}\n")
    (folder / f"{name}.log").write_text(log)


def test_counts_every_outcome(summary):
    result = summary.parse_report("core-search", REPORT)
    assert (result.passed, result.failed, result.errors, result.skipped) == (2, 2, 1, 1)
    assert result.time == pytest.approx(12.5)


def test_node_ids_are_pytest_node_ids(summary):
    ids = [p.nodeid for p in summary.parse_report("s", REPORT).problems]
    assert ids == [
        "ckan/tests/lib/search/test_search.py::test_allowed_local_params_via_config",
        "ckan/tests/lib/search/test_index.py::TestSearchIndex::test_index_date_field",
        "ckanext/dcat/tests/test_blueprints.py::TestDatasetSeries::test_dataset_series_ttl",
    ]


def test_reasons_are_one_informative_line(summary):
    reasons = [p.reason for p in summary.parse_report("s", REPORT).problems]
    assert reasons[0] == ("ckan.lib.search.common.SearchError: SOLR returned an error running query: "
                          "q='{!bool must=bees}' -> SolrError(\"unsupported local parameters\")")
    assert reasons[1] == "AssertionError: assert False (where False = isinstance('2014', datetime))"
    assert "\n" not in reasons[2] and "dataset_series" in reasons[2]


def test_long_reasons_are_shortened(summary):
    assert len(summary.first_line("x" * 1000)) == summary.REASON_WIDTH


def test_failing_tests_do_not_fail_the_run(summary, tmp_path, capsys):
    write_suite(tmp_path, "core-search", REPORT, rc=1)
    assert summary.main(["--dir", str(tmp_path), "core-search"]) == 0
    out = capsys.readouterr().out
    assert "core-search |      2 |      2 |      1 |       1 |  12s" in out
    assert "FAILED ckan/tests/lib/search/test_index.py::TestSearchIndex::test_index_date_field" in out


def test_collection_error_is_a_crash_with_its_reason(summary, tmp_path, capsys):
    write_suite(tmp_path, "scheming", COLLECTION_ERROR, rc=2)
    assert summary.main(["--dir", str(tmp_path), "scheming"]) == 1
    out = capsys.readouterr().out
    assert "scheming (CRASHED)" in out
    assert "ckanext.scheming.tests.test_load: collection failure" in out


def test_missing_report_is_a_crash_explained_by_the_log(summary, tmp_path, capsys):
    write_suite(tmp_path, "dcat", rc=4, log="ERROR: usage: pytest [options]\nE   detail\n")
    assert summary.main(["--dir", str(tmp_path), "dcat"]) == 1
    assert "[dcat] CRASHED: pytest usage error; ERROR: usage: pytest [options]" in capsys.readouterr().out


def test_crash_without_error_lines_shows_the_last_log_line(summary):
    assert summary.crash_reason(3, None, "start\nINTERNALERROR> boom\n\n") == (
        "pytest internal error; INTERNALERROR> boom")


def test_timeout_is_a_crash_but_keeps_partial_counts(summary, tmp_path):
    write_suite(tmp_path, "harvest", REPORT, rc=124)
    result = summary.load_suite(tmp_path, "harvest")
    assert result.crash.startswith("timed out") and result.passed == 2
    assert summary.row(result)[0] == "harvest (TIMED OUT)"


def test_suite_that_never_started_is_a_crash(summary, tmp_path):
    assert summary.load_suite(tmp_path, "core-get").crash.startswith("the runner left no exit status")


def test_known_failures_cover_parametrisations(summary, tmp_path):
    known_file = tmp_path / "known.txt"
    known_file.write_text("# comment | not an entry\n"
                          "ckan/tests/x.py::test_a | needs internet\n")
    known = summary.load_known(known_file)
    assert known == {"ckan/tests/x.py::test_a": "needs internet"}
    assert summary.known_reason("ckan/tests/x.py::test_a[1-2]", known) == "needs internet"
    assert summary.known_reason("ckan/tests/x.py::test_b", known) is None


def test_shipped_known_failures_parse(summary):
    known = summary.load_known(summary.pathlib.Path(CONF, "known-failures.txt"))
    assert known and all("::" in nodeid and reason for nodeid, reason in known.items())


@pytest.mark.parametrize("name", SUITE_INIS)
def test_suite_inis_use_the_conformance_core_and_carry_logging(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(os.path.join(CONF, name))
    assert parser["app:main"]["use"] == "config:test-core.ini"
    for section in ("loggers", "handlers", "formatters", "logger_root", "handler_console"):
        assert parser.has_section(section), f"{name} lacks [{section}]"


def test_core_ini_uses_its_own_database_and_redis():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.path.join(CONF, "test-core.ini"))
    app = parser["app:main"]
    assert app["sqlalchemy.url"].endswith("/ckan_quito_conformance")
    assert app["ckan.redis.url"].endswith("/3")


def test_runner_script_is_strict_and_selects_every_suite():
    with open(os.path.join(ROOT, "scripts", "conformance.sh")) as f:
        script = f.read()
    assert "set -euo pipefail" in script
    assert "ALL_SUITES=(core-get core-search scheming dcat harvest)" in script
