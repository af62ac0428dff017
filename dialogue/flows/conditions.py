"""A small, safe expression language for flow branch conditions (no ``eval``).

Grammar (lowest precedence first)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand [op operand]      op: == != < <= > >= in "not in" is "is not"
    operand    := NUMBER | STRING | true | false | null | none
                | slots.NAME | intent | "[" [operand ("," operand)*] "]" | "(" expr ")"

Names: ``slots.<slot>`` reads a slot, ``intent`` the latest user intent. Ordering
comparisons against ``None`` or values of different types are false instead of errors, and
a numeric string compares as a number (``slots.amount > 10000`` works for ``"50000"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Condition", "ConditionError"]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)
    )""",
    re.VERBOSE,
)
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None, "none": None}
_KEYWORDS = {"and", "or", "not", "in", "is"}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"}


class ConditionError(ValueError):
    """A condition does not parse; ``position`` is the 0-based character offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.position = position


@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, op, name, end
    value: str
    position: int


# The syntax tree is nested tuples: ("lit", v) ("slot", name) ("intent",) ("list", items)
# ("not", x) ("and", a, b) ("or", a, b) ("cmp", op, a, b)
_Node = tuple[Any, ...]


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            offset = position + len(text[position:]) - len(text[position:].lstrip())
            raise ConditionError(f"unexpected character {text[offset]!r}", offset)
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.index += 1
        return token

    def is_word(self, word: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token.kind == "name" and token.value.lower() == word

    def expect(self, value: str) -> None:
        token = self.take()
        if token.value != value:
            raise ConditionError(f"expected {value!r}, found {token.value or 'end'!r}", token.position)

    def parse(self) -> _Node:
        node = self.expr()
        token = self.peek()
        if token.kind != "end":
            raise ConditionError(f"unexpected {token.value!r}", token.position)
        return node

    def expr(self) -> _Node:
        node = self.and_expr()
        while self.is_word("or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self) -> _Node:
        node = self.not_expr()
        while self.is_word("and"):
            self.take()
            node = ("and", node, self.not_expr())
        return node

    def not_expr(self) -> _Node:
        if self.is_word("not"):
            self.take()
            return ("not", self.not_expr())
        return self.comparison()

    def comparison(self) -> _Node:
        left = self.operand()
        op = self.comparison_operator()
        if op is None:
            return left
        return ("cmp", op, left, self.operand())

    def comparison_operator(self) -> str | None:
        token = self.peek()
        if token.kind == "op" and token.value in _COMPARISONS:
            return self.take().value
        if self.is_word("not") and self.is_word("in", 1):
            self.index += 2
            return "not in"
        if self.is_word("is"):
            self.take()
            if self.is_word("not"):
                self.take()
                return "is not"
            return "is"
        if self.is_word("in"):
            self.take()
            return "in"
        return None

    def operand(self) -> _Node:
        token = self.take()
        if token.kind == "number":
            return ("lit", float(token.value) if "." in token.value else int(token.value))
        if token.kind == "string":
            return ("lit", _unquote(token.value))
        if token.value == "(":
            node = self.expr()
            self.expect(")")
            return node
        if token.value == "[":
            return self.list_literal()
        if token.kind == "name":
            return self.name(token)
        raise ConditionError(f"expected a value, found {token.value or 'end'!r}", token.position)

    def list_literal(self) -> _Node:
        items: list[_Node] = []
        if self.peek().value == "]":
            self.take()
            return ("list", tuple(items))
        while True:
            items.append(self.operand())
            token = self.take()
            if token.value == "]":
                return ("list", tuple(items))
            if token.value != ",":
                raise ConditionError(f"expected ',' or ']', found {token.value or 'end'!r}", token.position)

    def name(self, token: _Token) -> _Node:
        value = token.value
        if value.lower() in _LITERALS:
            return ("lit", _LITERALS[value.lower()])
        if value == "intent":
            return ("intent",)
        if value.startswith("slots."):
            return ("slot", value.removeprefix("slots."))
        if value.lower() in _KEYWORDS:
            raise ConditionError(f"unexpected keyword {value!r}", token.position)
        raise ConditionError(
            f"unknown name {value!r}: use slots.<name>, intent, or a quoted string", token.position
        )


def _unquote(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


class Condition:
    """A parsed condition; evaluate it against slot values and the latest intent.

    Args:
        source: the expression text.

    Raises:
        ConditionError: the text does not parse.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._tree = _Parser(source).parse()

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def slot_names(self) -> set[str]:
        """The slots the condition reads (for static checks against the domain)."""
        names: set[str] = set()
        _collect_slots(self._tree, names)
        return names

    def evaluate(self, slots: Mapping[str, Any], intent: str | None) -> bool:
        """Whether the condition holds for these slot values and latest intent."""
        return bool(_evaluate(self._tree, slots, intent))


def _collect_slots(node: _Node, names: set[str]) -> None:
    if node[0] == "slot":
        names.add(node[1])
        return
    for child in node[1:]:
        if isinstance(child, tuple):
            if node[0] == "list":
                for item in child:
                    _collect_slots(item, names)
            else:
                _collect_slots(child, names)


def _evaluate(node: _Node, slots: Mapping[str, Any], intent: str | None) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "slot":
        return slots.get(node[1])
    if kind == "intent":
        return intent
    if kind == "list":
        return [_evaluate(item, slots, intent) for item in node[1]]
    if kind == "not":
        return not _evaluate(node[1], slots, intent)
    if kind == "and":
        return bool(_evaluate(node[1], slots, intent)) and bool(_evaluate(node[2], slots, intent))
    if kind == "or":
        return bool(_evaluate(node[1], slots, intent)) or bool(_evaluate(node[2], slots, intent))
    return _compare(node[1], _evaluate(node[2], slots, intent), _evaluate(node[3], slots, intent))


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


def _coerce(left: Any, right: Any) -> tuple[Any, Any]:
    """Compare a number with a numeric string as numbers."""
    if isinstance(left, int | float) != isinstance(right, int | float):
        left_number, right_number = _as_number(left), _as_number(right)
        if left_number is not None and right_number is not None:
            return left_number, right_number
    return left, right


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("in", "not in"):
        found = _contains(right, left)
        return found if op == "in" else not found
    if op in ("is", "is not"):
        same = bool(left == right)
        return same if op == "is" else not same
    left, right = _coerce(left, right)
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if left is None or right is None:
        return False
    try:
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return False


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, list | tuple | set | frozenset):
        return any(_compare("==", item, member) for member in container)
    return False
