"""A tokenizer and recursive-descent parser for the sandbox's SOQL subset.

Supported: ``SELECT <fields | COUNT()> FROM <object> [WHERE <condition>] [ORDER BY <field>
[ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]``. Conditions combine comparisons
(``= != <> < > <= >= LIKE IN NOT IN``) with ``AND`` / ``OR`` / ``NOT`` and parentheses; as in real
SOQL, mixing AND and OR at one level without parentheses is an error. Values: quoted strings with
SOQL escapes, numbers, TRUE/FALSE, NULL, datetimes (``2026-01-01T00:00:00Z`` / ``+00:00``), dates,
and the date literals TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n. Fields may be
parent paths (``Owner.Name``). Anything else raises ``MALFORMED_QUERY``; nothing is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from .api_errors import ApiError, malformed_query
from .sftime import canonical_date, canonical_datetime

LIKE_PERCENT = "\ue000"  # an escaped \% inside a string literal
LIKE_UNDERSCORE = "\ue001"  # an escaped \_
DATE_LITERALS = frozenset({"TODAY", "YESTERDAY", "TOMORROW", "LAST_N_DAYS", "NEXT_N_DAYS"})
_KEYWORDS = frozenset({"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "NULL",
                       "TRUE", "FALSE", "ORDER", "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST",
                       "LIMIT", "OFFSET", "COUNT"})
_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\dT]))
  | (?P<number>[+-]?\d+(?:\.\d+)?(?![\w.]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>!=|<>|<=|>=|=|<|>)
  | (?P<punct>[(),:])
  | (?P<bad>.)
""", re.VERBOSE | re.DOTALL)
_ESCAPES = {"n": "\n", "N": "\n", "r": "\r", "R": "\r", "t": "\t", "T": "\t", "b": "\b",
            "B": "\b", "f": "\f", "F": "\f", '"': '"', "'": "'", "\\": "\\",
            "%": LIKE_PERCENT, "_": LIKE_UNDERSCORE}


class Token(NamedTuple):
    kind: str
    text: str
    pos: int

    @property
    def upper(self) -> str:
        return self.text.upper()


class Literal(NamedTuple):
    kind: str  # string | number | bool | null | datetime | date | dateliteral
    value: Any  # dateliteral: (NAME, n)
    text: str


@dataclass(frozen=True)
class Comparison:
    field: str
    op: str  # = != < > <= >= LIKE IN NOTIN
    values: tuple[Literal, ...]
    """One literal, or the list of IN / NOT IN."""
    pos: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # AND | OR
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Comparison | BoolOp | Not


@dataclass(frozen=True)
class OrderItem:
    field: str
    descending: bool
    nulls_first: bool


@dataclass(frozen=True)
class Query:
    text: str
    count_only: bool
    fields: tuple[str, ...]
    sobject: str
    where: Condition | None
    order: tuple[OrderItem, ...]
    limit: int | None
    offset: int | None


def _error(text: str, pos: int, detail: str) -> ApiError:
    before = text[:pos]
    row = before.count("\n") + 1
    col = pos - (before.rfind("\n") + 1) + 1
    caret = " " * (col - 1) + "^"
    return malformed_query(f"\n{text}\n{caret}\nERROR at Row:{row}:Column:{col}\n{detail}")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "ws":
            continue
        pos = match.start()
        if kind == "bad":
            raise _error(text, pos, f"line 1:{pos} no viable alternative at character "
                         f"'{match.group()}'")
        tokens.append(Token(kind or "", match.group(), pos))
    tokens.append(Token("eof", "", len(text)))
    return tokens


def unescape(body: str, query: str, pos: int) -> str:
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt not in _ESCAPES:
                raise _error(query, pos, f"Invalid string literal '{body}'. Illegal character "
                             f"sequence '\\{nxt}' in string literal.")
            out.append(_ESCAPES[nxt])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def fail(self, token: Token | None = None) -> ApiError:
        token = token or self.tok
        shown = token.text or "<EOF>"
        return _error(self.text, token.pos, f"unexpected token: '{shown}'")

    def keyword(self, *words: str) -> bool:
        if self.tok.kind == "ident" and self.tok.upper in words:
            self.i += 1
            return True
        return False

    def expect_keyword(self, word: str) -> None:
        if not self.keyword(word):
            raise self.fail()

    def expect(self, kind: str, text: str | None = None) -> Token:
        token = self.tok
        if token.kind != kind or (text is not None and token.text != text):
            raise self.fail()
        self.i += 1
        return token

    def field_name(self) -> str:
        token = self.tok
        if token.kind != "ident" or token.upper in _KEYWORDS:
            raise self.fail()
        self.i += 1
        return token.text

    def parse(self) -> Query:
        self.expect_keyword("SELECT")
        count_only, fields = False, []
        if self.tok.upper == "COUNT" and self.tokens[self.i + 1].text == "(":
            self.i += 2
            self.expect("punct", ")")
            count_only = True
        else:
            fields.append(self.field_name())
            while self.tok.text == ",":
                self.i += 1
                fields.append(self.field_name())
        self.expect_keyword("FROM")
        sobject = self.field_name()
        where = None
        if self.keyword("WHERE"):
            where = self.condition()
        order: list[OrderItem] = []
        if self.keyword("ORDER"):
            self.expect_keyword("BY")
            order.append(self.order_item())
            while self.tok.text == ",":
                self.i += 1
                order.append(self.order_item())
        limit = self.integer() if self.keyword("LIMIT") else None
        offset = self.integer() if self.keyword("OFFSET") else None
        if self.tok.kind != "eof":
            raise self.fail()
        return Query(self.text, count_only, tuple(fields), sobject, where, tuple(order), limit,
                     offset)

    def integer(self) -> int:
        token = self.expect("number")
        if not token.text.isdigit():
            raise self.fail(token)
        return int(token.text)

    def order_item(self) -> OrderItem:
        name = self.field_name()
        descending = self.keyword("DESC")
        if not descending:
            self.keyword("ASC")
        nulls_first = not descending
        if self.keyword("NULLS"):
            if self.keyword("FIRST"):
                nulls_first = True
            else:
                self.expect_keyword("LAST")
                nulls_first = False
        return OrderItem(name, descending, nulls_first)

    def condition(self) -> Condition:
        items = [self.unary()]
        joiner: str | None = None
        while self.tok.kind == "ident" and self.tok.upper in ("AND", "OR"):
            if joiner is not None and self.tok.upper != joiner:
                raise self.fail()
            joiner = self.tok.upper
            self.i += 1
            items.append(self.unary())
        return items[0] if joiner is None else BoolOp(joiner, tuple(items))

    def unary(self) -> Condition:
        if self.keyword("NOT"):
            return Not(self.unary())
        if self.tok.text == "(":
            self.i += 1
            inner = self.condition()
            self.expect("punct", ")")
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        start = self.tok.pos
        name = self.field_name()
        if self.tok.kind == "op":
            op = "!=" if self.tok.text == "<>" else self.tok.text
            self.i += 1
            return Comparison(name, op, (self.literal(),), start)
        if self.keyword("LIKE"):
            return Comparison(name, "LIKE", (self.literal(),), start)
        negated = self.keyword("NOT")
        if self.keyword("IN"):
            self.expect("punct", "(")
            values = [self.literal()]
            while self.tok.text == ",":
                self.i += 1
                values.append(self.literal())
            self.expect("punct", ")")
            return Comparison(name, "NOTIN" if negated else "IN", tuple(values), start)
        raise self.fail()

    def literal(self) -> Literal:
        token = self.tok
        self.i += 1
        kind, text = token.kind, token.text
        if kind == "string":
            return Literal("string", unescape(text[1:-1], self.text, token.pos), text)
        if kind == "number":
            value: Any = float(text) if "." in text else int(text)
            return Literal("number", value, text)
        if kind == "datetime":
            return Literal("datetime", canonical_datetime(text), text)
        if kind == "date":
            try:
                return Literal("date", canonical_date(text), text)
            except ValueError:
                raise self.fail(token) from None
        if kind == "ident":
            word = token.upper
            if word in ("TRUE", "FALSE"):
                return Literal("bool", word == "TRUE", text)
            if word == "NULL":
                return Literal("null", None, text)
            if word in DATE_LITERALS:
                n = 1
                if word.endswith("_N_DAYS"):
                    self.expect("punct", ":")
                    n = self.integer()
                return Literal("dateliteral", (word, n), text)
        raise self.fail(token)


def parse(text: str) -> Query:
    """Parse ``text`` or raise ``ApiError`` (400 MALFORMED_QUERY)."""
    if not text or not text.strip():
        raise malformed_query("unexpected token: <EOF>")
    return _Parser(text).parse()
