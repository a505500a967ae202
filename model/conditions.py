"""The condition language over case facts, parsed once into a syntax tree.

Both the Python evaluator (pathways, simulation, brute-force oracle) and the Z3 encoder (proofs)
consume the same tree, so a condition means the same thing everywhere. There is no ``eval``.

Grammar, loosest binding first::

    a implies b      a or b      a and b      not a
    fact             (a boolean fact)
    fact == value    fact != value    fact < 3    fact >= 3
    fact in {v1, v2}
    true  false  ( ... )
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Union

from lark import Lark, Token, Transformer, UnexpectedInput

_GRAMMAR = r"""
?start: implication
?implication: disjunction
            | disjunction "implies" disjunction      -> implies
?disjunction: conjunction
            | disjunction "or" conjunction           -> any_of
?conjunction: negation
            | conjunction "and" negation             -> all_of
?negation: "not" negation                            -> negate
         | atom
?atom: "(" implication ")"
     | BOOLEAN                                       -> constant
     | NAME COMPARATOR value                         -> compare
     | NAME "in" "{" value ("," value)* "}"          -> member
     | NAME                                          -> fact
?value: NAME | SIGNED_INT | BOOLEAN
BOOLEAN.2: /(true|false)\b/
COMPARATOR: "==" | "!=" | "<=" | ">=" | "<" | ">"
NAME: /(?!(and|or|not|in|implies|true|false)\b)[a-z_][a-z0-9_]*/
%import common.SIGNED_INT
%import common.WS
%ignore WS
"""



def _grammar_cache() -> str | bool:
    """Where lark keeps the analysed grammar between runs (its `cache` option), so that a new
    process loads the parser instead of building it again (a fifth of the module's import).

    The user's own cache folder, not lark's default in the shared temporary folder: the cache is
    a pickle, and another user could plant one there. Lark stores a hash of the grammar, its
    options and lark's version with it and rebuilds when they differ; a cache that cannot be read
    or written only means building the parser, as without the option."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):       # unset, or relative (which the XDG rules say to ignore)
        base = os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "cpmodel")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    return os.path.join(folder, "condition-grammar.lark")


_PARSER = Lark(_GRAMMAR, parser="lalr", maybe_placeholders=False, cache=_grammar_cache())

Value = Union[bool, int, str]


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Fact:
    """A boolean fact used on its own."""
    name: str


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    value: Value


@dataclass(frozen=True)
class Member:
    name: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Not:
    operand: "Condition"


@dataclass(frozen=True)
class And:
    operands: tuple["Condition", ...]


@dataclass(frozen=True)
class Or:
    operands: tuple["Condition", ...]


@dataclass(frozen=True)
class Implies:
    premise: "Condition"
    conclusion: "Condition"


Condition = Union[Const, Fact, Compare, Member, Not, And, Or, Implies]

TRUE = Const(True)


class ConditionSyntaxError(ValueError):
    """The text is not a condition; the message says where it stops making sense."""


def _value(token: Token) -> Value:
    if token.type == "SIGNED_INT":
        return int(token)
    if token.type == "BOOLEAN":
        return str(token) == "true"
    return str(token)


class _Build(Transformer):
    def constant(self, items):
        return Const(str(items[0]) == "true")

    def fact(self, items):
        return Fact(str(items[0]))

    def compare(self, items):
        name, op, value = items
        return Compare(str(name), str(op), _value(value))

    def member(self, items):
        return Member(str(items[0]), tuple(_value(v) for v in items[1:]))

    def negate(self, items):
        return Not(items[0])

    def all_of(self, items):
        return And(tuple(_flatten(items, And)))

    def any_of(self, items):
        return Or(tuple(_flatten(items, Or)))

    def implies(self, items):
        return Implies(items[0], items[1])


def _flatten(items, kind):
    for item in items:
        if isinstance(item, kind):
            yield from item.operands
        else:
            yield item


MOST_OPERATORS = 100     # the shipped model's longest condition has 6; deeper trees overflow the stack
MOST_NESTING = 30
MOST_CHARACTERS = 5000
_OPERATOR = re.compile(r"\b(and|or|not|implies)\b")


def _within_limits(text: str) -> None:
    """Refuse, before parsing, a condition too big for every consumer (evaluator, Z3, renderer)."""
    operators = len(_OPERATOR.findall(text))
    if operators > MOST_OPERATORS:
        raise ConditionSyntaxError(f"the condition has {operators} operators (and, or, not, implies); at most "
                                   f"{MOST_OPERATORS}: split it, or list values with 'fact in {{a, b}}'")
    if len(text) > MOST_CHARACTERS:
        raise ConditionSyntaxError(f"the condition is {len(text)} characters long; at most {MOST_CHARACTERS}")
    depth = deepest = 0
    for character in text:
        depth += (character == "(") - (character == ")")
        deepest = max(deepest, depth)
    if deepest > MOST_NESTING:
        raise ConditionSyntaxError(f"parentheses nest {deepest} deep; at most {MOST_NESTING}")


def parse(text: str) -> Condition:
    """Parse a condition, raising ConditionSyntaxError with the column where it fails."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionSyntaxError("empty condition")
    return _parse(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> Condition:
    """Each text parsed once: the shipped model writes 254 conditions in 87 different texts. The
    trees are frozen, so one tree can serve every place the same text stands (a text that does not
    parse raises again each time: exceptions are not cached)."""
    _within_limits(text)
    try:
        return _Build().transform(_PARSER.parse(text))
    except UnexpectedInput as error:
        column = getattr(error, "column", "?")
        shown = text if len(text) <= 80 else text[:76] + "..."
        raise ConditionSyntaxError(
            f"cannot parse {shown!r} at column {column}: expected a fact, a comparison "
            "(fact == value), 'in {...}', 'not', 'and', 'or', 'implies' or parentheses") from None


def facts_named(condition: Condition) -> set[str]:
    """Every fact a condition mentions."""
    if isinstance(condition, (Fact, Compare, Member)):
        return {condition.name}
    if isinstance(condition, Not):
        return facts_named(condition.operand)
    if isinstance(condition, (And, Or)):
        return set().union(*(facts_named(c) for c in condition.operands))
    if isinstance(condition, Implies):
        return facts_named(condition.premise) | facts_named(condition.conclusion)
    return set()


def atoms(condition: Condition):
    """Yield every comparison or membership test, to check values against fact types."""
    if isinstance(condition, (Fact, Compare, Member)):
        yield condition
    elif isinstance(condition, Not):
        yield from atoms(condition.operand)
    elif isinstance(condition, (And, Or)):
        for operand in condition.operands:
            yield from atoms(operand)
    elif isinstance(condition, Implies):
        yield from atoms(condition.premise)
        yield from atoms(condition.conclusion)


_COMPARE = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def evaluate(condition: Condition, case: Mapping[str, Value]) -> bool:
    """Truth of a condition for one case (a full assignment of the facts it names)."""
    if isinstance(condition, Const):
        return condition.value
    if isinstance(condition, Fact):
        return bool(case[condition.name])
    if isinstance(condition, Compare):
        return _COMPARE[condition.op](case[condition.name], condition.value)
    if isinstance(condition, Member):
        return case[condition.name] in condition.values
    if isinstance(condition, Not):
        return not evaluate(condition.operand, case)
    if isinstance(condition, And):
        return all(evaluate(c, case) for c in condition.operands)
    if isinstance(condition, Or):
        return any(evaluate(c, case) for c in condition.operands)
    if isinstance(condition, Implies):
        return (not evaluate(condition.premise, case)) or evaluate(condition.conclusion, case)
    raise TypeError(f"not a condition: {condition!r}")


def render(condition: Condition) -> str:
    """Text that parses back to the same tree."""
    if isinstance(condition, Const):
        return "true" if condition.value else "false"
    if isinstance(condition, Fact):
        return condition.name
    if isinstance(condition, Compare):
        return f"{condition.name} {condition.op} {_render_value(condition.value)}"
    if isinstance(condition, Member):
        return f"{condition.name} in {{{', '.join(_render_value(v) for v in condition.values)}}}"
    if isinstance(condition, Not):
        return f"not {_wrap(condition.operand)}"
    if isinstance(condition, And):
        return " and ".join(_wrap(c) for c in condition.operands)
    if isinstance(condition, Or):
        return " or ".join(_wrap(c) for c in condition.operands)
    return f"{_wrap(condition.premise)} implies {_wrap(condition.conclusion)}"


def _render_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _wrap(condition: Condition) -> str:
    text = render(condition)
    return f"({text})" if isinstance(condition, (And, Or, Implies)) else text
