"""Tests of the Lucene/Solr query-string parser (pure Python, no database)."""
import dataclasses

import pytest

from ckanext.quito_gobiernoabierto.search.lucene import (
    Bool,
    LocalParams,
    MatchAll,
    QuerySyntaxError,
    Range,
    Term,
    parse,
)


def t(value, field=None, kind="term"):
    return Term(field, value, kind)


def p(value, field=None):
    return Term(field, value, "phrase")


A, B, C, D = t("a"), t("b"), t("c"), t("d")


# -- match all, empty input ---------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", " ", "\t\n \r", "\u3000", "*", " * ", "*:*", "  *:*  ", "*:*^2"])
def test_match_all(text):
    assert parse(text) == MatchAll()


def test_match_all_inside_a_query():
    expected = Bool(must=(MatchAll(),), must_not=(t("deleted", "state"),))
    assert parse("*:* -state:deleted") == expected
    assert parse("-*:*") == Bool(must_not=(MatchAll(),))


def test_bare_star_inside_a_larger_query_is_an_existence_test():
    assert parse("a *") == Bool(must=(A, t("*", None, "exists")))


# -- terms --------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("agua", t("agua")),
    ("name:agua", t("agua", "name")),
    ("2016-03-04", t("2016-03-04")),
    ("a-b", t("a-b")),
    ("ckan-2.11", t("ckan-2.11")),
    ("a+b", t("a+b")),
    ("version:ckan-2.11", t("ckan-2.11", "version")),
    ("a&&b", t("a&&b")),
    ("ANDY", t("ANDY")),
    ("ORO", t("ORO")),
    ("NOTA", t("NOTA")),
    ("Quito", t("Quito")),
    ("ñandú", t("ñandú")),
    ("título:Planificación", t("Planificación", "título")),
    ("extras_theme:salud", t("salud", "extras_theme")),
    ("res_extras_x:1", t("1", "res_extras_x")),
    ("vocab_ods:ods-6", t("ods-6", "vocab_ods")),
    ("a.b-c_d:x", t("x", "a.b-c_d")),
    ("field :value", t("value", "field")),
    ("field: value", t("value", "field")),
    ("url:http\\://x/y", t("http://x/y", "url")),
    ("a/b", t("a/b")),
    ("123", t("123")),
    ("-5", Bool(must_not=(t("5"),))),
])
def test_terms(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("word", ["and", "or", "not", "And", "oR", "to", "TO"])
def test_lower_case_operators_are_plain_terms(word):
    assert parse(f"a {word} b") == Bool(must=(A, t(word), B))


def test_default_field_is_applied_to_unfielded_terms_only():
    assert parse("a title:b", default_field="text") == Bool(must=(t("a", "text"), t("b", "title")))
    assert parse('"x y"', default_field="text") == p("x y", "text")
    assert parse("[1 TO 2]", default_field="text") == Range("text", "1", "2", True, True)


# -- phrases ------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ('"a phrase"', p("a phrase")),
    ('title:"a phrase"', p("a phrase", "title")),
    ('title : "x"', p("x", "title")),
    ('"say \\"hi\\""', p('say "hi"')),
    ('"back\\\\slash"', p("back\\slash")),
    ('"AND OR NOT ( ) [ ] { } : * ?"', p("AND OR NOT ( ) [ ] { } : * ?")),
    ('""', p("")),
    ('"{!field f=x}"', p("{!field f=x}")),
    ('"multi\nline"', p("multi\nline")),
    ('título:"Plan Metropolitano de Desarrollo"', p("Plan Metropolitano de Desarrollo", "título")),
    ('"caf\\u00e9"', p("café")),
])
def test_phrases(text, expected):
    assert parse(text) == expected


def test_adjacent_phrases_and_terms():
    assert parse('a"b"c') == Bool(must=(A, p("b"), C))


# -- prefix, wildcard, exists -------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("text:Quito*", t("Quito", "text", "prefix")),
    ("ab*", t("ab", None, "prefix")),
    ("name:ab*", t("ab", "name", "prefix")),
    ("te?t", t("te?t", None, "wildcard")),
    ("t*st", t("t*st", None, "wildcard")),
    ("*ab", t("*ab", None, "wildcard")),
    ("a*b*", t("a*b*", None, "wildcard")),
    ("ab?*", t("ab?*", None, "wildcard")),
    ("?", t("?", None, "wildcard")),
    ("**", t("**", None, "wildcard")),
    ("name:*", t("*", "name", "exists")),
    ("name:*^3", t("*", "name", "exists")),
    ("name:(*)", t("*", "name", "exists")),
    ('name:"*"', p("*", "name")),
    ("a\\*", t("a*")),
    ("a\\?", t("a?")),
    ("a\\**", t("a*", None, "prefix")),
    ("a\\\\*", t("a\\", None, "prefix")),
    ("a\\*b?", t("a\\*b?", None, "wildcard")),
    ("te\\?t*x", t("te\\?t*x", None, "wildcard")),
    ("a\\\\b?", t("a\\\\b?", None, "wildcard")),
    ("\\*", t("*")),
])
def test_prefix_wildcard_and_exists(text, expected):
    assert parse(text) == expected


def test_escaped_wildcards_are_distinguishable_from_real_ones():
    assert parse("a\\*b?").value != parse("a*b?").value


# -- escapes ------------------------------------------------------------------


@pytest.mark.parametrize("special", list("+-!(){}[]^\"~*?:\\/") + ["&&", "||"])
def test_escaped_specials_are_literal(special):
    escaped = "".join("\\" + char for char in special)
    assert parse(f"x{escaped}y") == t(f"x{special}y")


def test_escaped_colon_is_not_a_field():
    assert parse("field\\:x") == t("field:x")
    assert parse("a:b\\:c") == t("b:c", "a")


def test_escaped_space_and_leading_escape():
    assert parse("a\\ b") == t("a b")
    assert parse("\\-a") == t("-a")
    assert parse("\\+a") == t("+a")
    assert parse("\\(a\\)") == t("(a)")


def test_unicode_escape():
    assert parse("caf\\u00e9") == t("café")
    assert parse("\\unit") == t("unit")


# -- field groups -------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("f:(a b)", Bool(must=(t("a", "f"), t("b", "f")))),
    ("f:(a OR b)", Bool(should=(t("a", "f"), t("b", "f")))),
    ('f:("x y" OR z)', Bool(should=(p("x y", "f"), t("z", "f")))),
    ("f:(a)", t("a", "f")),
    ("f:((a))", t("a", "f")),
    ("f:(a (b OR c))", Bool(must=(t("a", "f"), Bool(should=(t("b", "f"), t("c", "f")))))),
    ("f:(a g:b)", Bool(must=(t("a", "f"), t("b", "g")))),
    ("f:(a g:(b c))", Bool(must=(t("a", "f"), Bool(must=(t("b", "g"), t("c", "g")))))),
    ("f:(a* te?t)", Bool(must=(t("a", "f", "prefix"), t("te?t", "f", "wildcard")))),
    ("f:([1 TO 2] OR 5)", Bool(should=(Range("f", "1", "2", True, True), t("5", "f")))),
    ("f:(-a b)", Bool(must=(t("b", "f"),), must_not=(t("a", "f"),))),
    ("f:(*:*)", MatchAll()),
    ("f:(a b) c", Bool(must=(Bool(must=(t("a", "f"), t("b", "f"))), C))),
])
def test_field_groups(text, expected):
    assert parse(text) == expected


# -- ranges -------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("f:[a TO b]", Range("f", "a", "b", True, True)),
    ("f:{a TO b}", Range("f", "a", "b", False, False)),
    ("f:[a TO b}", Range("f", "a", "b", True, False)),
    ("f:{a TO b]", Range("f", "a", "b", False, True)),
    ("f:[* TO b]", Range("f", None, "b", True, True)),
    ("f:[a TO *]", Range("f", "a", None, True, True)),
    ("f:[* TO *]", Range("f", None, None, True, True)),
    ('f:["2016-01-01T00:00:00Z" TO *]', Range("f", "2016-01-01T00:00:00Z", None, True, True)),
    ('f:["*" TO "z z"]', Range("f", "*", "z z", True, True)),
    ("f:[NOW-1DAY TO NOW]", Range("f", "NOW-1DAY", "NOW", True, True)),
    ("f:[NOW/DAY TO NOW/DAY+1MONTH]", Range("f", "NOW/DAY", "NOW/DAY+1MONTH", True, True)),
    ("f:[2016-01-01T00:00:00Z TO 2017-01-01T00:00:00Z]",
     Range("f", "2016-01-01T00:00:00Z", "2017-01-01T00:00:00Z", True, True)),
    ("f:[ a   TO\n b ]", Range("f", "a", "b", True, True)),
    ("f:[a TO b]^2", Range("f", "a", "b", True, True)),
    ("f:[a\\ b TO c\\]]", Range("f", "a b", "c]", True, True)),
    ("f:[-1 TO +1]", Range("f", "-1", "+1", True, True)),
    ("[1 TO 2]", Range(None, "1", "2", True, True)),
    ("extras_year:[2010 TO 2016}", Range("extras_year", "2010", "2016", True, False)),
])
def test_ranges(text, expected):
    assert parse(text) == expected


def test_ranges_combine_with_other_clauses():
    assert parse("a f:[1 TO 2] -g:{* TO 0}") == Bool(
        must=(A, Range("f", "1", "2", True, True)),
        must_not=(Range("g", None, "0", False, False),),
    )


# -- operators and boolean semantics ------------------------------------------


def test_operator_spellings_are_equivalent():
    assert parse("a AND b") == parse("a && b") == parse("a b")
    assert parse("a OR b") == parse("a || b")
    assert parse("a NOT b") == parse("a !b") == parse("a -b") == parse("a AND NOT b")


@pytest.mark.parametrize("text, expected", [
    ("a", A),
    ("a b", Bool(must=(A, B))),
    ("a AND b", Bool(must=(A, B))),
    ("a OR b", Bool(should=(A, B))),
    ("a OR b c", Bool(must=(C,), should=(A, B))),
    ("a b OR c", Bool(must=(A,), should=(B, C))),
    ("a AND b OR c", Bool(must=(A,), should=(B, C))),
    ("a OR b AND c", Bool(must=(B, C), should=(A,))),
    ("a OR b OR c", Bool(should=(A, B, C))),
    ("-a", Bool(must_not=(A,))),
    ("NOT a", Bool(must_not=(A,))),
    ("!a", Bool(must_not=(A,))),
    ("+a", A),
    ("a -b", Bool(must=(A,), must_not=(B,))),
    ("+a -b", Bool(must=(A,), must_not=(B,))),
    ("a OR -b", Bool(should=(A,), must_not=(B,))),
    ("-a OR b", Bool(should=(B,), must_not=(A,))),
    ("-a AND b", Bool(must=(B,), must_not=(A,))),
    ("a OR +b", Bool(should=(A, B))),  # Lucene: OR makes the clause optional even with +
    ("a OR NOT b", Bool(should=(A,), must_not=(B,))),
    ("-a -b", Bool(must_not=(A, B))),
    ("!a b", Bool(must=(B,), must_not=(A,))),
    ("a && b || c", Bool(must=(A,), should=(B, C))),
    ("(a OR b) c", Bool(must=(Bool(should=(A, B)), C))),
    ("(a OR b) AND (c OR d)", Bool(must=(Bool(should=(A, B)), Bool(should=(C, D))))),
    ("-(a b)", Bool(must_not=(Bool(must=(A, B)),))),
    ("+(a OR b)", Bool(should=(A, B))),
    ("((a))", A),
    ("(a) OR (b)", Bool(should=(A, B))),
    ("a (b (c -d))", Bool(must=(A, Bool(must=(B, Bool(must=(C,), must_not=(D,))))))),
    ("NOT (a OR b)", Bool(must_not=(Bool(should=(A, B)),))),
])
def test_boolean_semantics_default_and(text, expected):
    assert parse(text) == expected
    assert parse(text, default_operator="AND") == expected


@pytest.mark.parametrize("text, expected", [
    ("a", A),
    ("a b", Bool(should=(A, B))),
    ("a OR b", Bool(should=(A, B))),
    ("a AND b", Bool(must=(A, B))),
    ("+a b", Bool(must=(A,), should=(B,))),
    ("a +b", Bool(must=(B,), should=(A,))),
    ("a -b", Bool(should=(A,), must_not=(B,))),
    ("a AND -b", Bool(must=(A,), must_not=(B,))),
    ("a OR b AND c", Bool(must=(B, C), should=(A,))),
    ("a AND b OR c", Bool(must=(A, B), should=(C,))),
    ("a AND b c", Bool(must=(A, B), should=(C,))),
    ("-a", Bool(must_not=(A,))),
    ("+a", A),
    ("f:(a b)", Bool(should=(t("a", "f"), t("b", "f")))),
])
def test_boolean_semantics_default_or(text, expected):
    assert parse(text, default_operator="OR") == expected


def test_default_operator_is_case_insensitive_and_validated():
    assert parse("a b", default_operator="or") == Bool(should=(A, B))
    with pytest.raises(ValueError, match="default_operator"):
        parse("a b", default_operator="XOR")


@pytest.mark.parametrize("text, expected", [
    ("a - b", Bool(must=(A, t("-"), B))),
    ("a + b", Bool(must=(A, t("+"), B))),
    ("a ! b", Bool(must=(A, t("!"), B))),
])
def test_lone_operator_characters_are_terms_like_lucene_bareoper(text, expected):
    assert parse(text) == expected


# -- boosts and fuzzy suffixes ------------------------------------------------


@pytest.mark.parametrize("text", [
    "a^2", "a^0.5", "a~", "a~2", "a~0.8", "a^2~1", "a~1^2", "a ^2",
])
def test_suffixes_on_terms_are_ignored(text):
    assert parse(text) == A


def test_suffixes_on_phrases_groups_and_fields_are_ignored():
    assert parse('"x y"~3') == p("x y")
    assert parse('title:"x y"^2') == p("x y", "title")
    assert parse("(a b)^2") == Bool(must=(A, B))
    assert parse("f:(a OR b)~2") == Bool(should=(t("a", "f"), t("b", "f")))
    assert parse("title:agua^2 notes:potable~") == Bool(
        must=(t("agua", "title"), t("potable", "notes")))


def test_suffix_followed_by_a_term():
    assert parse("a~b") == Bool(must=(A, B))


# -- whitespace ---------------------------------------------------------------


@pytest.mark.parametrize(
    "separator", [" ", "  ", "\t", "\n", "\r\n", "\u3000", "\u00a0", " \t\n "])
def test_any_whitespace_separates_clauses(separator):
    assert parse(f"{separator}a{separator}OR{separator}b{separator}") == Bool(should=(A, B))


# -- local params -------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("{!field f=spatial_geom}Intersects(ENVELOPE(-78.6, -78.4, -0.1, -0.3))",
     LocalParams("field", (("f", "spatial_geom"),),
                 "Intersects(ENVELOPE(-78.6, -78.4, -0.1, -0.3))")),
    ("{!lucene q.op=OR df=text}a b",
     LocalParams("lucene", (("q.op", "OR"), ("df", "text")), "a b")),
    ("{!field f='my field' g=\"x y\"}  body  ",
     LocalParams("field", (("f", "my field"), ("g", "x y")), "body")),
    ("{!x v='it\\'s' w=\"a}b\"}", LocalParams("x", (("v", "it's"), ("w", "a}b")), "")),
    ("{!tag=res_format}res_format:CSV",
     LocalParams("lucene", (("tag", "res_format"),), "res_format:CSV")),
    ("{!type=dismax qf=title}agua",
     LocalParams("dismax", (("type", "dismax"), ("qf", "title")), "agua")),
    ("  {!geofilt sfield=loc pt=1,2 d=5}",
     LocalParams("geofilt", (("sfield", "loc"), ("pt", "1,2"), ("d", "5")), "")),
    ("{! field   f=x }y", LocalParams("field", (("f", "x"),), "y")),
    ("{!}x", LocalParams("lucene", (), "x")),
    ("{!x f=}y", LocalParams("x", (("f", ""),), "y")),
])
def test_local_params(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, offset", [
    ("{!field f=x", 0),
    ("  {!field f=x g=y", 2),
    ("{!field f=x y}z", 12),
    ("{!field =x}z", 8),
    ("{!x f='unclosed}z", 6),
    ("a {!field f=x}b", 2),
    ("f:{!x}", 2),
    ("(a OR {!x}b)", 6),
])
def test_local_params_errors(text, offset):
    with pytest.raises(QuerySyntaxError) as info:
        parse(text)
    assert info.value.offset == offset


# -- errors -------------------------------------------------------------------


@pytest.mark.parametrize("text, offset, words", [
    ("(a b", 0, "never closed"),
    ("((a) b", 0, "never closed"),
    ("a b)", 3, "no matching '('"),
    ("a) (b", 1, "no matching '('"),
    ("()", 0, "empty parentheses"),
    ('"abc', 0, "quotes"),
    ('a "b c', 2, "quotes"),
    ('f:"x\\"', 2, "quotes"),
    ("title:", 5, "no value"),
    ("title: ", 5, "no value"),
    ("(title:)", 6, "no value"),
    ("a AND", 5, "ends after 'AND'"),
    ("a OR", 4, "ends after 'OR'"),
    ("a NOT", 5, "ends after 'NOT'"),
    ("a +", 3, "ends after '+'"),
    ("-", 1, "ends after '-'"),
    ("AND a", 0, "no clause before"),
    ("OR b", 0, "no clause before"),
    ("(OR b)", 1, "no clause before"),
    ("a AND OR b", 6, "unexpected 'OR'"),
    ("a AND AND b", 6, "unexpected 'AND'"),
    ("--a", 1, "unexpected '-'"),
    ("+-a", 1, "unexpected '-'"),
    ("f:[a b]", 5, "TO"),
    ("f:[a TO]", 7, "no upper bound"),
    ("f:[a TO ]", 8, "no upper bound"),
    ("f:[ TO b]", 4, "no lower bound"),
    ("f:[]", 3, "no lower bound"),
    ("f:[a TO b", 2, "never closed"),
    ("f:[a", 2, "never closed"),
    ("f:[a TO b c]", 10, "must end"),
    ("f:[a TOb]", 5, "TO"),
    ("f:[a to b]", 5, "TO"),
    ("a]", 1, "never opened"),
    ("a}", 1, "never opened"),
    ("a:b:c", 3, "unexpected ':'"),
    (":a", 0, "unexpected ':'"),
    ("^2", 0, "unexpected '^2'"),
    ("a^", 1, "boost"),
    ("a^x", 1, "boost"),
    ("a\\", 1, "backslash"),
    ("a*:b", 0, "invalid field name"),
    ("a+b:c", 0, "invalid field name"),
    ("*:x", 2, "*:*"),
    ('*:"x"', 2, "*:*"),
    ("/ab/", 0, "regular expressions"),
    ("f:/ab/", 2, "regular expressions"),
])
def test_syntax_errors(text, offset, words):
    with pytest.raises(QuerySyntaxError) as info:
        parse(text)
    error = info.value
    assert error.offset == offset
    assert words in error.reason
    assert f"offset {offset}" in str(error)


def test_syntax_error_is_a_value_error():
    assert issubclass(QuerySyntaxError, ValueError)
    with pytest.raises(ValueError):
        parse("a AND")


# -- strings CKAN sends -------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ('+site_id:"test.quito" +state:active',
     Bool(must=(p("test.quito", "site_id"), t("active", "state")))),
    ('+permission_labels:("public" OR "member-1f2e")',
     Bool(should=(p("public", "permission_labels"), p("member-1f2e", "permission_labels")))),
    ("+capacity:public", t("public", "capacity")),
    ('+entity_type:package AND +(id:"abc" OR name:"abc") AND +site_id:"s"',
     Bool(must=(t("package", "entity_type"), Bool(should=(p("abc", "id"), p("abc", "name"))),
                p("s", "site_id")))),
    ('name:"foo" OR id:"foo"', Bool(should=(p("foo", "name"), p("foo", "id")))),
    ('organization:"secretaria-de-ambiente" tags:"agua"',
     Bool(must=(p("secretaria-de-ambiente", "organization"), p("agua", "tags")))),
    ("metadata_modified:[2016-01-01T00:00:00Z TO NOW]",
     Range("metadata_modified", "2016-01-01T00:00:00Z", "NOW", True, True)),
    ("-dataset_type:harvest", Bool(must_not=(t("harvest", "dataset_type"),))),
    ('res_format:(CSV OR "ESRI Shapefile")',
     Bool(should=(t("CSV", "res_format"), p("ESRI Shapefile", "res_format")))),
    ("title:agua^2 notes:potable~", Bool(must=(t("agua", "title"), t("potable", "notes")))),
    ("{!field f=spatial_geom}Intersects(ENVELOPE(-78.6, -78.4, -0.1, -0.3))",
     LocalParams("field", (("f", "spatial_geom"),),
                 "Intersects(ENVELOPE(-78.6, -78.4, -0.1, -0.3))")),
    ("extras_year:[2010 TO 2016}", Range("extras_year", "2010", "2016", True, False)),
    ("text:Quito*", t("Quito", "text", "prefix")),
    ("+dataset_type:dataset", t("dataset", "dataset_type")),
    ("*:*", MatchAll()),
    ('título:"Plan Metropolitano de Desarrollo"', p("Plan Metropolitano de Desarrollo", "título")),
    ('+site_id:"test.quito" +state:active +dataset_type:dataset -dataset_type:harvest',
     Bool(must=(p("test.quito", "site_id"), t("active", "state"), t("dataset", "dataset_type")),
          must_not=(t("harvest", "dataset_type"),))),
    ('tags:"agua potable" AND res_format:CSV',
     Bool(must=(p("agua potable", "tags"), t("CSV", "res_format")))),
    ('capacity:public OR (+creator_user_id:"u1" +capacity:private)',
     Bool(should=(t("public", "capacity"),
                  Bool(must=(p("u1", "creator_user_id"), t("private", "capacity")))))),
])
def test_ckan_queries(text, expected):
    assert parse(text) == expected


# -- the AST ------------------------------------------------------------------


def test_nodes_are_immutable_and_hashable():
    node = parse('a OR f:"b" OR g:[1 TO 2]')
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.should = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.should[0].value = "x"
    assert hash(node) == hash(parse('a OR f:"b" OR g:[1 TO 2]'))
    assert {parse("*:*"), MatchAll()} == {MatchAll()}
    assert isinstance(parse("{!x}y").params, tuple)


def test_bool_defaults():
    assert Bool() == Bool((), (), ())


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    assert parse("(" * 100 + "a" + ")" * 100) == A
    with pytest.raises(QuerySyntaxError, match="nested deeper"):
        parse("(" * 5000 + "a" + ")" * 5000)


def test_long_query_does_not_recurse_per_clause():
    text = " OR ".join(f"t{i}" for i in range(3000))
    node = parse(text)
    assert len(node.should) == 3000
