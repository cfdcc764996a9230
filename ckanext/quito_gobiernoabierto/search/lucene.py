"""Parse Lucene/Solr "standard" query strings (CKAN's ``q`` and ``fq``) into a
small immutable AST, compiled to SQL elsewhere. Pure Python.

Boolean clauses follow Lucene's classic ``QueryParser.addClause`` exactly.
Offsets in error messages are 0-based character positions in the query.
"""
from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import dataclass


class QuerySyntaxError(ValueError):
    """A query string that is not valid Lucene syntax."""

    def __init__(self, reason: str, offset: int | None = None):
        self.reason = reason
        self.offset = offset
        where = "" if offset is None else f" (at offset {offset})"
        super().__init__(f"Invalid search query: {reason}{where}")


@dataclass(frozen=True)
class MatchAll:
    """``*:*``: every document."""


@dataclass(frozen=True)
class Term:
    """A term, phrase, prefix, wildcard or existence test on one field."""
    field: str | None
    value: str
    kind: str


@dataclass(frozen=True)
class Range:
    """``field:[low TO high]``; ``None`` bounds are open (``*``)."""
    field: str | None
    low: str | None
    high: str | None
    include_low: bool
    include_high: bool


@dataclass(frozen=True)
class Bool:
    """Clauses that must, should and must not match."""
    must: tuple = ()
    should: tuple = ()
    must_not: tuple = ()


@dataclass(frozen=True)
class LocalParams:
    """``{!parser key=value ...}body``, left for the caller to interpret."""
    parser: str
    params: tuple
    body: str


Node = MatchAll | Term | Range | Bool | LocalParams

MUST, SHOULD, MUST_NOT = "must", "should", "must_not"
MAX_DEPTH = 100  # nested parentheses; deeper would exhaust Python's recursion limit

_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}
_SINGLE = {"(": "LPAREN", ")": "RPAREN", ":": "COLON"}
_PREFIX_OPS = {"+": "PLUS", "-": "MINUS", "!": "NOT"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_FIELD = re.compile(r"[\w.\-]+")
_SPACE = re.compile(r"\s*")
_TERM = re.compile(r'(?:\\.|[^\s()\[\]{}:^~"!\\])*', re.S)
_PARAM_KEY = re.compile(r"[^\s=}]*")
_PARAM_VALUE = re.compile(r"[^\s}]*")
_Token = namedtuple("_Token", "kind value offset end")


def _skip_space(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()


def _tokenize(text: str) -> list[_Token]:
    """Split a query into tokens, ending with an ``EOF`` token."""
    tokens, pos = [], 0
    while True:
        pos = _skip_space(text, pos)
        if pos >= len(text):
            tokens.append(_Token("EOF", None, pos, pos))
            return tokens
        token = _next_token(text, pos)
        tokens.append(token)
        pos = token.end


def _next_token(text: str, pos: int) -> _Token:
    char = text[pos]
    if char in _SINGLE:
        return _Token(_SINGLE[char], char, pos, pos + 1)
    if char in _PREFIX_OPS:
        if pos + 1 < len(text) and text[pos + 1].isspace():
            return _Token("TERM", char, pos, pos + 1)  # Lucene's BAREOPER
        return _Token(_PREFIX_OPS[char], char, pos, pos + 1)
    if char == '"':
        value, end = _read_quoted(text, pos)
        return _Token("QUOTED", value, pos, end)
    if char in "[{":
        return _lex_range(text, pos)
    if char in "^~":
        return _lex_suffix(text, pos)
    if char in "]}":
        raise QuerySyntaxError(f"'{char}' closes a range that was never opened", pos)
    if char == "/":
        raise QuerySyntaxError("regular expressions (/.../) are not supported", pos)
    return _lex_term(text, pos)


def _lex_term(text: str, start: int) -> _Token:
    end = _TERM.match(text, start).end()
    if text.startswith("\\", end):
        raise QuerySyntaxError("a backslash at the end escapes nothing", end)
    image = text[start:end]
    return _Token(_OPERATORS.get(image, "TERM"), image, start, end)


def _lex_suffix(text: str, pos: int) -> _Token:
    """A boost (``^2``) or fuzzy/proximity (``~``, ``~2``) suffix."""
    match = _NUMBER.match(text, pos + 1)
    if text[pos] == "^" and not match:
        raise QuerySyntaxError("'^' must be followed by a boost number such as ^2", pos)
    end = match.end() if match else pos + 1
    return _Token("SUFFIX", text[pos:end], pos, end)


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """Read a string quoted by ``text[start]``; return its value and end."""
    quote, pos = text[start], start + 1
    while pos < len(text) and text[pos] != quote:
        pos += 2 if text[pos] == "\\" else 1
    if pos >= len(text):
        raise QuerySyntaxError(f"unbalanced quotes: the {quote} here is never closed", start)
    return _unescape(text[start + 1:pos], start + 1), pos + 1


def _lex_range(text: str, start: int) -> _Token:
    if text.startswith("{!", start):
        raise QuerySyntaxError("local parameters '{!...}' are only allowed at the start", start)
    low, pos = _range_bound(text, start + 1, start, "lower")
    pos = _skip_space(text, pos)
    if pos >= len(text):
        raise QuerySyntaxError("the range opened here is never closed with ']' or '}'", start)
    after = text[pos + 2:pos + 3]
    if not text.startswith("TO", pos) or (after and not after.isspace() and after not in "]}"):
        raise QuerySyntaxError("a range needs 'TO' between its bounds", pos)
    high, pos = _range_bound(text, pos + 2, start, "upper")
    pos = _skip_space(text, pos)
    if pos >= len(text):
        raise QuerySyntaxError("the range opened here is never closed with ']' or '}'", start)
    if text[pos] not in "]}":
        raise QuerySyntaxError("a range must end with ']' or '}' after its upper bound", pos)
    value = (low, high, text[start] == "[", text[pos] == "]")
    return _Token("RANGE", value, start, pos + 1)


def _range_bound(text: str, pos: int, start: int, which: str) -> tuple[str | None, int]:
    pos = _skip_space(text, pos)
    if pos >= len(text):
        raise QuerySyntaxError("the range opened here is never closed with ']' or '}'", start)
    if text[pos] == '"':
        return _read_quoted(text, pos)
    end = pos
    while end < len(text) and not text[end].isspace() and text[end] not in "]}":
        end += 2 if text[end] == "\\" else 1
    raw = text[pos:end]
    if not raw or raw == "TO":
        raise QuerySyntaxError(f"the range has no {which} bound", pos)
    return (None if raw == "*" else _unescape(raw, pos)), end


def _scan(raw: str, offset: int) -> list[tuple[str, bool]]:
    """Resolve backslash escapes (and ``\\uXXXX``): (character, was_escaped) pairs."""
    out, pos = [], 0
    while pos < len(raw):
        if raw[pos] != "\\":
            out.append((raw[pos], False))
            pos += 1
        elif pos + 1 >= len(raw):
            raise QuerySyntaxError("a backslash at the end escapes nothing", offset + pos)
        elif raw[pos + 1] == "u" and _HEX4.fullmatch(raw, pos + 2, pos + 6):
            out.append((chr(int(raw[pos + 2:pos + 6], 16)), True))
            pos += 6
        else:
            out.append((raw[pos + 1], True))
            pos += 2
    return out


def _unescape(raw: str, offset: int) -> str:
    return "".join(char for char, _ in _scan(raw, offset))


def _make_term(field: str | None, raw: str, offset: int) -> Term:
    """Classify a bare token as term, prefix, wildcard or existence test."""
    chars = _scan(raw, offset)
    wild = [i for i, (char, escaped) in enumerate(chars) if not escaped and char in "*?"]
    if not wild:
        return Term(field, "".join(char for char, _ in chars), "term")
    if raw == "*":
        return Term(field, "*", "exists")
    if wild == [len(chars) - 1] and raw.endswith("*"):
        return Term(field, "".join(char for char, _ in chars[:-1]), "prefix")
    value = "".join("\\" + c if esc and c in "*?\\" else c for c, esc in chars)
    return Term(field, value, "wildcard")


def _add_clause(clauses: list, conj: str | None, modifier: str | None, node, operator: str):
    """Lucene's ``QueryParser.addClause``: append ``[occur, node]`` to ``clauses``."""
    if clauses and clauses[-1][0] != MUST_NOT:
        if conj == "AND":
            clauses[-1][0] = MUST
        elif conj == "OR" and operator == "AND":
            clauses[-1][0] = SHOULD
    prohibited = modifier == "MINUS"
    if operator == "OR":
        required = modifier == "PLUS" or (conj == "AND" and not prohibited)
    else:
        required = not prohibited and conj != "OR"
    occur = MUST_NOT if prohibited else MUST if required else SHOULD
    clauses.append([occur, node])


def _build_bool(clauses: list) -> Node:
    if len(clauses) == 1 and clauses[0][0] != MUST_NOT:
        return clauses[0][1]
    by_occur = {MUST: [], SHOULD: [], MUST_NOT: []}
    for occur, node in clauses:
        by_occur[occur].append(node)
    return Bool(tuple(by_occur[MUST]), tuple(by_occur[SHOULD]), tuple(by_occur[MUST_NOT]))


class _Parser:
    """Recursive descent over the tokens of one query."""

    def __init__(self, text: str, operator: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.operator = operator
        self.pos = self.depth = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def parse_query(self, field: str | None) -> Node:
        clauses: list = []
        while True:
            conj = self._conjunction(bool(clauses))
            modifier = self._modifier()
            node = self._clause(field)
            _add_clause(clauses, conj, modifier, node, self.operator)
            if self.peek().kind in ("EOF", "RPAREN"):
                return _build_bool(clauses)

    def _conjunction(self, has_previous: bool) -> str | None:
        token = self.peek()
        if token.kind not in ("AND", "OR"):
            return None
        if not has_previous:
            raise QuerySyntaxError(f"'{token.value}' has no clause before it", token.offset)
        self.take()
        return token.kind

    def _modifier(self) -> str | None:
        if self.peek().kind not in ("PLUS", "MINUS", "NOT"):
            return None
        return "PLUS" if self.take().kind == "PLUS" else "MINUS"

    def _clause(self, field: str | None) -> Node:
        token = self.peek()
        if token.kind == "TERM" and self.peek(1).kind == "COLON":
            field = self._field_name(token)
            self.take()
            colon = self.take()
            if self.peek().kind in ("EOF", "RPAREN"):
                raise QuerySyntaxError(f"field '{field}' has no value after ':'", colon.offset)
        opening = self.peek()
        if opening.kind != "LPAREN":
            return self._term(field)
        self.take()
        if self.peek().kind == "RPAREN":
            raise QuerySyntaxError("empty parentheses '()'", opening.offset)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"parentheses nested deeper than {MAX_DEPTH}", opening.offset)
        node = self.parse_query(field)
        self.depth -= 1
        if self.take().kind != "RPAREN":
            raise QuerySyntaxError("unbalanced parentheses: '(' is never closed", opening.offset)
        self._skip_suffixes()
        return node

    def _field_name(self, token: _Token) -> str:
        name = token.value
        if name != "*" and not _FIELD.fullmatch(name):
            raise QuerySyntaxError(f"invalid field name '{name}'", token.offset)
        return name

    def _term(self, field: str | None) -> Node:
        token = self.take()
        if field == "*" and (token.kind, token.value) != ("TERM", "*"):
            raise QuerySyntaxError("'*' is only allowed as a field in '*:*'", token.offset)
        if token.kind == "TERM":
            node = MatchAll() if field == "*" else _make_term(field, token.value, token.offset)
        elif token.kind == "QUOTED":
            node = Term(field, token.value, "phrase")
        elif token.kind == "RANGE":
            node = Range(field, *token.value)
        else:
            raise self._unexpected(token)
        self._skip_suffixes()
        return node

    def _unexpected(self, token: _Token) -> QuerySyntaxError:
        if token.kind == "EOF":
            last = self.tokens[self.pos - 1]
            what = f"the query ends after '{self.text[last.offset:last.end]}'"
        else:
            what = f"unexpected '{self.text[token.offset:token.end]}'"
        return QuerySyntaxError(f"{what} where a term was expected", token.offset)

    def _skip_suffixes(self) -> None:
        while self.peek().kind == "SUFFIX":
            self.take()


def _read_param(text: str, pos: int) -> tuple[str, str | None, int]:
    """Read ``key``, ``key=value`` or ``key='quoted value'``; return key, value, end."""
    key_end = _PARAM_KEY.match(text, pos).end()
    key = text[pos:key_end]
    if not key:
        raise QuerySyntaxError("a local parameter has no name", pos)
    if not text.startswith("=", key_end):
        return key, None, key_end
    if text[key_end + 1:key_end + 2] in ("'", '"'):
        value, end = _read_quoted(text, key_end + 1)
        return key, value, end
    end = _PARAM_VALUE.match(text, key_end + 1).end()
    return key, text[key_end + 1:end], end


def _parse_local_params(text: str, start: int) -> LocalParams:
    parser, params, pos = None, [], start + 2
    while True:
        pos = _skip_space(text, pos)
        if pos >= len(text):
            raise QuerySyntaxError("local parameters '{!' are never closed with '}'", start)
        if text[pos] == "}":
            break
        key, value, end = _read_param(text, pos)
        if value is not None:
            params.append((key, value))
        elif parser is None and not params:
            parser = key
        else:
            raise QuerySyntaxError(f"local parameter '{key}' has no '=value'", pos)
        pos = end
    if parser is None:
        parser = dict(params).get("type", "lucene")
    return LocalParams(parser, tuple(params), text[pos + 1:].strip())


def parse(text: str, default_operator: str = "AND", default_field: str | None = None) -> Node:
    """Parse a Lucene/Solr standard query string into a :data:`Node`.

    Terms without a field get ``default_field`` (``None``: the caller's default).
    """
    operator = default_operator.upper()
    if operator not in ("AND", "OR"):
        raise ValueError(f"default_operator must be 'AND' or 'OR', not {default_operator!r}")
    stripped = text.strip()
    if stripped in ("", "*"):
        return MatchAll()
    if stripped.startswith("{!"):
        return _parse_local_params(text, len(text) - len(text.lstrip()))
    parser = _Parser(text, operator)
    node = parser.parse_query(default_field)
    extra = parser.peek()
    if extra.kind == "RPAREN":
        raise QuerySyntaxError("unbalanced parentheses: ')' has no matching '('", extra.offset)
    return node
