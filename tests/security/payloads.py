"""Hypothesis strategies of hostile input shared by the security tests:
values of every JSON type for a schema field, malformed dates, huge strings,
search syntax fragments."""
from __future__ import annotations

import json
import os
import tempfile

from hypothesis import configuration
from hypothesis import strategies as st

# The tests use no example database (``database=None``); what hypothesis still
# caches (constants found in the sources, Unicode tables) goes outside the project.
configuration.set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "quito-hypothesis"))

#: Strings that trip parsers, validators and databases.
NASTY_STRINGS = (
    "", " ", "\t\n", "\x00", "a\x00b", "\ud800", "\ufeff", "\u202e", "\U0001f600", "Ñandú áéíóú",
    "null", "None", "undefined", "NaN", "-Infinity", "true", "0", "-1", "1e309", "0x1F", "١٢٣",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "'; DROP TABLE package; --", "%s%s%n", "{{ 7*7 }}", "${7*7}", "../../etc/passwd",
    "[link](javascript:alert(1))", "{!geofilt}", "*:*", "title:(", '"', "\\", "%", "%%",
)

#: Dates and years a form or client gets wrong.
BAD_DATES = (
    "2024-13-45", "2024-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "-2024-01-01",
    "2024-1-1", "24-01-01", "2024/01/01", "01/02/2024", "2024-01-01T25:61:61", "2024-01-01T00:00:00+99:00",
    "2024-W01", "2024-001", "20240101", "hoy", "1e10", "99999999999999999999", "1900", "1899", "3000",
    "2024-01-01T00:00:00.123456789Z", "2024-01-01 00:00", "T", "-", "2024-",
)


class Huge(str):
    """A long string that hypothesis reports in a few characters."""

    def __repr__(self) -> str:
        return f"Huge({len(self)} characters: {str(self[:12])!r}...)"


def huge_text(size: int) -> str:
    return Huge(("Quito " * (size // 6 + 1))[:size])


def many_words(count: int) -> str:
    """Distinct words: a text whose search vector is as large as it gets."""
    return Huge(" ".join(f"p{i:x}q" for i in range(count)))


HUGE_STRINGS = (huge_text(70_000), Huge("x" * 5_000), Huge("\U0001f600" * 700), Huge("ñ" * 501),
                many_words(20_000))

scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(NASTY_STRINGS),
    st.sampled_from(BAD_DATES),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)

#: Any JSON value: scalars, lists and objects nested a little.
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)

#: Values for one field: mostly JSON junk, now and then a huge string.
field_values = st.one_of(json_values, st.sampled_from(HUGE_STRINGS))

#: Lucene-ish fragments a search box receives.
QUERY_FRAGMENTS = (
    "agua", "title:", "title:agua", "name:*", "*", "?", "*:*", ":", "::", '"', '"agua', '"agua potable"~3',
    "agua~", "agua~2", "agua^", "agua^3", "^", "~", "(", ")", "[", "]", "{", "}", "[* TO *]", "[2016 TO",
    "{!func}", "{!geofilt sfield=spatial}", "{!lucene q.op=AND}", "{!", "AND", "OR", "NOT", "&&", "||", "!",
    "+", "-", "-*", "\\", "\\\\", "/", "/regex/", "/[", "_val_:", "metadata_modified:[NOW-1DAY TO NOW]",
    "metadata_modified:[NOW/FOO TO *]", "anio:[a TO z]", "res_format:(CSV OR", "tags:", "x:y:z", "%00",
    "\x00", "Ñandú", "\U0001f600", "😀:😀", "capacity:public", "id:", "title_string:", "text:(",
)

queries = st.lists(
    st.one_of(st.sampled_from(QUERY_FRAGMENTS), st.text(max_size=8)), max_size=6,
).map(" ".join)

SORT_FIELDS = ("score", "title_string", "name", "metadata_modified", "metadata_created", "views_recent",
               "nonexistent", "title", "notes", "", "1", "title_string,", "_docid_", "rand", "geodist()")
SORT_DIRECTIONS = ("asc", "desc", "ASC", "", "up", "asc desc", ";", "--")


@st.composite
def sorts(draw) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(SORT_FIELDS), st.sampled_from(SORT_DIRECTIONS)),
                          min_size=1, max_size=3))
    text = ", ".join(f"{field} {direction}".strip() for field, direction in parts)
    return draw(st.one_of(st.just(text), st.text(max_size=12)))


numbers_as_text = st.one_of(
    st.integers(min_value=-(10 ** 20), max_value=10 ** 20).map(str),
    st.sampled_from(("", "abc", "1.5", "-0", "1e3", "NaN", "0x10", " 7 ", "99999999999999999999999")),
)

FACET_FIELDS = ('["tags"]', '["organization", "res_format"]', '["nonexistent"]', "tags", "[", '{"a": 1}',
                '[1, 2]', '[null]', '["tags", ["x"]]', '"tags"', "", '["' + "x" * 300 + '"]')

#: Regular expressions a harvest rule may carry, hostile ones included.
PATTERNS = ("^lotaip/(?P<year>\\d{4})/.*\\.csv$", "a{4294967296}", Huge("(" * 3000 + ")" * 3000), "[", "(?P<x>",
            "\\", "(?P<path>x)(?P<path>y)", "(a+)+$", "(?<=a+)b", ".*", "")

FILES_KEYS = ("kind", "dependency", "layout", "rules", "default_type", "license_id", "fields", "resources",
              "update", "removed", "max_removals", "include", "exclude", "max_depth", "max_files",
              "max_file_size", "timeout")
GEOPORTAL_KEYS = ("kind", "dependency", "defaults", "removed", "max_removals", "timeout")
CONFIG_VALUES = ("listing", "manifest", "folder", "arcgis", "wms", "wfs", "lotaip", "auto", "upload", "link",
                 "keep", "delete", "always", "never", "200MB", "1e400GB", "9" * 400 + "GB", "-5MB", "0",
                 "secretaria-de-cultura", "dataset", "lotaip", "nonexistent_type", "*.csv")
config_values = st.one_of(
    st.sampled_from(CONFIG_VALUES), json_values, st.sampled_from((float("inf"), float("-inf"), float("nan"),
                                                                  10 ** 400, -1, 0.5, 1e308, True)),
)
rules = st.lists(st.fixed_dictionaries(
    {"pattern": st.one_of(st.sampled_from(PATTERNS), st.text(max_size=8), json_values),
     "type": st.one_of(st.sampled_from(("lotaip", "dataset", "x")), json_values),
     "guid": st.one_of(st.sampled_from(("{year}", "g-{nope}", "{path}")), json_values)},
    optional={"title": st.one_of(st.sampled_from(("{year}", "{x}")), json_values),
              "fields": st.one_of(st.dictionaries(st.text(max_size=5), json_values, max_size=2), json_values),
              "extra": json_values}), max_size=2)


def config_objects(keys: tuple):
    return st.dictionaries(
        st.one_of(st.sampled_from(keys), st.text(max_size=6)),
        st.one_of(config_values, rules), max_size=5,
    ) | st.builds(lambda kind, rest: {"kind": kind, **rest},
                  st.sampled_from(("listing", "manifest", "folder", "arcgis", "wms", "wfs")),
                  st.dictionaries(st.sampled_from(keys), st.one_of(config_values, rules), max_size=4))


NOT_JSON = ("", " ", "{", "[", Huge("[" * 100_000), Huge("{\"kind\": " * 50_000), "null", "1", "\"listing\"", "NaN",
            "{'kind': 'listing'}", "kind=listing", "\x00", "\ud800", "{\"kind\": \"listing\",}")


def config_texts(keys: tuple):
    """What a harvest source's configuration box may hold: JSON or anything else."""
    return st.one_of(
        config_objects(keys).map(lambda value: json.dumps(value, allow_nan=True)),
        st.sampled_from(NOT_JSON), st.text(max_size=40), st.none(),
    )
