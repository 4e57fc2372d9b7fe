"""Chapter 4.2's statements about register groups as rules: checked on an extract, and turned into
linear constraints for the SYNTHETIC generator.

The rule language
-----------------
A rule (the ``rule`` column of ``statements.csv``) is one expression in Python syntax.  It is
parsed with :mod:`ast`, never executed: only what is listed here is accepted, anything else
raises ``ValueError`` naming the rule.

Quantities.  Each is about the statement's pilot unless ``pilot='...'`` names another; a cohort
is ``'participant'`` or ``'refuser'``; a *group* is ``''`` (the whole cohort) or
``'dimension=category'`` with dimension ``sex``, ``age`` or ``education`` and one category of
``ura_categories.csv`` or several joined by ``|`` (``'age=35_49|50_plus'``); a *status* is one of
the five statuses or several joined by ``|`` (``'employed|other_unknown'``).

``share(status, cohort, group='')``
    percent of the persons of the cohort in the group whose status is ``status``.
``part(cohort, group)``
    percent of the cohort's persons with a recorded value of the group's dimension who are in the
    group (the composition of Table 2: a person with no recorded age is in no age band).
``count(cohort, group='')``
    number of persons.
``std(status, cohort, by=dimension, to=other_cohort)``
    the cohort's share of ``status`` directly standardised to the mix of ``to`` over the
    categories of ``by``: the sum over categories g of (share of ``to`` in g) x
    ``share(status, cohort, 'by=g')``; categories without persons of the cohort are dropped and
    the weights renormalised.

Around them: numbers; ``+``, ``-``, and ``*`` or ``/`` by a number; ``abs()``; comparisons
``<``, ``<=``, ``>``, ``>=``, also chained (``a < b < c``); ``and``, ``or``, ``not``; and
``all(... for x in (...))`` or ``any(...)`` over a tuple of strings (several ``for`` clauses
allowed).  A share over an empty group is undefined, and a comparison with it does not hold.

Example (Figure 15: refusers employed more often in every age band shown)::

    all(share('employed', 'refuser', g) > share('employed', 'participant', g)
        for g in ('age=25_34', 'age=35_49', 'age=50_plus'))

How the rules read the report's words (our reading, the same in every rule): "clearly" is by at
least 5 percentage points; "a few points" or "small" is less than 7 points; "no difference" is
within 3 points; "few" is a single-digit number of persons or a share below a tenth; "nearly all"
is at least nine in ten; a difference the report prints as N points is more than N - 1 and less
than N + 1 (it may be the difference of two rounded shares).

Rules as linear constraints
---------------------------
Once the size of every group is fixed (the generator fixes them first), each quantity is linear
in the counts of persons by cohort, group and status: a share is 100 x count / fixed size, a
part is 100 x group size / fixed number recorded, a standardised share a fixed-weight sum of
shares.  A rule made of comparisons joined by ``and`` or ``all`` is then a set of linear
constraints (:func:`constraints`), each over :class:`Atom` counts: ``a > b`` becomes
``a - b >= margin`` (a small margin, so that a strict statement holds with room), ``abs(x) < c``
becomes two constraints.  A share whose group size is not fixed is still linear against a
number (100 C / N < c is 100 C - c N < 0), not against another quantity.  ``or``, ``any``,
``not``, ``abs`` on the greater side, and what else is not linear raise :class:`NotLinear`:
such a rule can only be checked.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from pilotbook.analysis.register import classify, group_order, status_order

__all__ = ["Atom", "Constraint", "NotLinear", "DIMENSIONS", "check", "constraints", "evaluate_rule"]

DIMENSIONS = {"sex": "sex", "age": "age_band", "education": "education"}  # dimension -> classified column
FUNCTIONS = {  # name -> (positional parameters, optional parameters with defaults)
    "share": (("status", "cohort"), {"group": "", "pilot": None}),
    "part": (("cohort", "group"), {"pilot": None}),
    "count": (("cohort",), {"group": "", "pilot": None}),
    "std": (("status", "cohort"), {"by": None, "to": None, "pilot": None}),
}
COHORTS = ("participant", "refuser")
COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}


class NotLinear(ValueError):
    """A rule, or part of one, that is no set of linear constraints (it can only be checked)."""


@dataclass(frozen=True)
class Atom:
    """The number of persons of a pilot's cohort whose ``dimension`` is one of ``groups`` (dimension
    ``total``: all of them) and whose status is one of ``statuses`` (None: any status)."""

    pilot: str
    cohort: str
    dimension: str
    groups: tuple[str, ...]
    statuses: tuple[str, ...] | None

    def size(self) -> "Atom":
        """The same persons, whatever their status."""
        return Atom(self.pilot, self.cohort, self.dimension, self.groups, None)


@dataclass(frozen=True)
class Constraint:
    """``low <= sum(coeff x atom) <= high``."""

    coeffs: tuple[tuple[Atom, float], ...]
    low: float
    high: float


class _Linear:
    """sum(coeff x atom) + const."""

    def __init__(self, coeffs: dict[Atom, float] | None = None, const: float = 0.0):
        self.coeffs, self.const = dict(coeffs or {}), float(const)

    def __add__(self, other: "_Linear") -> "_Linear":
        out = dict(self.coeffs)
        for a, c in other.coeffs.items():
            out[a] = out.get(a, 0.0) + c
        return _Linear(out, self.const + other.const)

    def scale(self, k: float) -> "_Linear":
        return _Linear({a: c * k for a, c in self.coeffs.items()}, self.const * k)


class _Abs:
    def __init__(self, inner: _Linear):
        self.inner = inner


# --------------------------------------------------------------------------- the interpreter


class _Rule:
    """One parsed rule and the backend that gives its quantities (numbers or linear forms)."""

    def __init__(self, rule: str, pilot_id: str | None, categories: pd.DataFrame | None):
        self.text = rule
        self.pilot = pilot_id or None
        try:
            self.tree = ast.parse(rule.strip(), mode="eval").body
        except SyntaxError as err:
            raise self.error(f"not an expression ({err.msg})") from None
        self.statuses = set(status_order(categories)) if categories is not None else None
        self.order = ({d: group_order(categories, d) for d in DIMENSIONS} if categories is not None else None)
        self.groups = {d: set(g) for d, g in self.order.items()} if self.order is not None else None

    def error(self, message: str) -> ValueError:
        return ValueError(f"rule {self.text!r}: {message}")

    # ---- parsing of the arguments

    def _status(self, text: str) -> tuple[str, ...]:
        names = tuple(s.strip() for s in str(text).split("|"))
        if self.statuses is not None and not set(names) <= self.statuses:
            raise self.error(f"unknown status in {text!r}; known: {', '.join(sorted(self.statuses))}")
        return names

    def _group(self, text: str) -> tuple[str, tuple[str, ...]]:
        text = str(text).strip()
        if text in ("", "total"):
            return "total", ("total",)
        dimension, sep, groups = text.partition("=")
        dimension = dimension.strip()
        if not sep or dimension not in DIMENSIONS:
            raise self.error(f"a group is '' or 'dimension=category' with dimension one of "
                             f"{', '.join(DIMENSIONS)}; got {text!r}")
        names = tuple(g.strip() for g in groups.split("|"))
        if self.groups is not None and not set(names) <= self.groups[dimension]:
            raise self.error(f"unknown {dimension} category in {text!r}; known: "
                             f"{', '.join(sorted(self.groups[dimension]))}")
        return dimension, names

    def _cohort(self, text: str) -> str:
        if text not in COHORTS:
            raise self.error(f"a cohort is 'participant' or 'refuser', got {text!r}")
        return text

    def _pilot(self, pilot) -> str:
        pilot = pilot or self.pilot
        if not pilot:
            raise self.error("the statement names no pilot: give pilot='...'")
        return str(pilot)

    def _args(self, node: ast.Call, env: dict) -> dict:
        name = node.func.id
        positional, optional = FUNCTIONS[name]
        if len(node.args) > len(positional) + len(optional):
            raise self.error(f"{name}() takes at most {len(positional) + len(optional)} arguments")
        names = list(positional) + list(optional)
        values = dict(optional)
        for key, arg in zip(names, node.args):
            values[key] = self._string(arg, env)
        for kw in node.keywords:
            if kw.arg not in names:
                raise self.error(f"{name}() has no argument {kw.arg!r}")
            values[kw.arg] = self._string(kw.value, env)
        missing = [p for p in positional if p not in values]
        if missing or (name == "std" and not (values["by"] and values["to"])):
            raise self.error(f"{name}() needs {', '.join(missing or ['by', 'to'])}")
        return values

    def _string(self, node, env: dict) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and isinstance(env.get(node.id), str):
            return env[node.id]
        raise self.error(f"expected a string or a loop variable, got {ast.unparse(node)!r}")

    # ---- evaluation

    def value(self, node, env: dict, backend: "_Backend"):
        """A number (or linear form) for an arithmetic node."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return backend.constant(float(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return backend.scale(self.value(node.operand, env, backend), -1.0)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            left, right = self.value(node.left, env, backend), self.value(node.right, env, backend)
            return backend.add(left, backend.scale(right, -1.0) if isinstance(node.op, ast.Sub) else right)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            number = node.right if isinstance(node.right, ast.Constant) else node.left
            other = node.left if number is node.right else node.right
            if not (isinstance(number, ast.Constant) and isinstance(number.value, (int, float))) or (
                    isinstance(node.op, ast.Div) and number is node.left):
                raise self.error(f"multiply or divide only by a number: {ast.unparse(node)!r}")
            k = float(number.value)
            return backend.scale(self.value(other, env, backend), k if isinstance(node.op, ast.Mult) else 1 / k)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "abs" and len(node.args) == 1 and not node.keywords:
                return backend.abs(self.value(node.args[0], env, backend))
            if node.func.id in FUNCTIONS:
                return self.quantity(node.func.id, self._args(node, env), backend)
        raise self.error(f"not a quantity: {ast.unparse(node)!r}")

    def quantity(self, name: str, a: dict, backend: "_Backend"):
        pilot = self._pilot(a["pilot"])
        cohort = self._cohort(a["cohort"])
        if name == "std":
            to, dimension = self._cohort(a["to"]), a["by"]
            if dimension not in DIMENSIONS or self.order is None:
                raise self.error(f"std() standardises over one of {', '.join(DIMENSIONS)}, with the categories known")
            categories = self.order[dimension]
            statuses = self._status(a["status"])
            weights, terms = [], []
            for g in categories:
                mine = Atom(pilot, cohort, dimension, (g,), None)
                if backend.size(mine) == 0:
                    continue
                w = backend.size(Atom(pilot, to, dimension, (g,), None))
                weights.append(w)
                terms.append(backend.share(Atom(pilot, cohort, dimension, (g,), statuses)))
            total = sum(weights)
            if not total:
                return backend.undefined()
            out = backend.constant(0.0)
            for w, t in zip(weights, terms):
                out = backend.add(out, backend.scale(t, w / total))
            return out
        dimension, groups = self._group(a["group"])
        if name == "share":
            return backend.share(Atom(pilot, cohort, dimension, groups, self._status(a["status"])))
        atom = Atom(pilot, cohort, dimension, groups, None)
        if name == "count":
            return backend.count(atom)
        if dimension == "total":
            raise self.error("part() needs a group")
        if self.order is None:
            raise self.error("part() needs the categories")
        return backend.part(atom, Atom(pilot, cohort, dimension, tuple(self.order[dimension]), None))

    def truth(self, node, env: dict, backend: "_Backend"):
        """True/False (or a list of constraints) for a logical node."""
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return backend.conjunction(self._each([lambda v=v: self.truth(v, env, backend) for v in node.values],
                                                      backend))
            return backend.disjunction([self.truth(v, env, backend) for v in node.values])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return backend.negation(self.truth(node.operand, env, backend))
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in COMPARE:
                    raise self.error(f"compare with < <= > >= only: {ast.unparse(node)!r}")
            sides = [node.left, *node.comparators]
            return backend.conjunction(self._each([
                lambda i=i, op=op: backend.compare(type(op), self.value(sides[i], env, backend),
                                                   self.value(sides[i + 1], env, backend))
                for i, op in enumerate(node.ops)], backend))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("all", "any")
                and len(node.args) == 1 and isinstance(node.args[0], ast.GeneratorExp)):
            gen = node.args[0]
            loops = []
            for comp in gen.generators:
                if comp.ifs or comp.is_async or not isinstance(comp.target, ast.Name) or not isinstance(
                        comp.iter, (ast.Tuple, ast.List)):
                    raise self.error(f"{node.func.id}() loops over a tuple of strings: {ast.unparse(gen)!r}")
                loops.append((comp.target.id, [self._string(e, env) for e in comp.iter.elts]))
            bindings = [dict(env) | {name: v for (name, _), v in zip(loops, values)}
                        for values in itertools.product(*[v for _, v in loops])]
            if node.func.id == "all":
                return backend.conjunction(self._each([lambda b=b: self.truth(gen.elt, b, backend)
                                                       for b in bindings], backend))
            return backend.disjunction([self.truth(gen.elt, b, backend) for b in bindings])
        raise self.error(f"not a statement that is true or false: {ast.unparse(node)!r}")

    @staticmethod
    def _each(parts: list, backend: "_Backend") -> list:
        """The parts of a conjunction; a backend that is ``partial`` drops those that are not linear."""
        out = []
        for part in parts:
            try:
                out.append(part())
            except NotLinear:
                if not getattr(backend, "partial", False):
                    raise
        return out


class _Backend:
    """Numbers counted in a classified extract."""

    def __init__(self, classified: pd.DataFrame):
        self.frame = classified
        self.cache: dict[Atom, int] = {}

    def count(self, atom: Atom) -> float:
        if atom not in self.cache:
            f = self.frame
            mask = (f["pilot_id"] == atom.pilot) & (f["cohort"] == atom.cohort)
            if atom.dimension != "total":
                mask &= f[DIMENSIONS[atom.dimension]].astype(str).isin(atom.groups)
            if atom.statuses is not None:
                mask &= f["status"].astype(str).isin(atom.statuses)
            self.cache[atom] = int(mask.sum())
        return float(self.cache[atom])

    size = count

    def share(self, atom: Atom) -> float:
        n = self.size(atom.size())
        return 100 * self.count(atom) / n if n else math.nan

    def part(self, atom: Atom, base: Atom) -> float:
        n = self.size(base)
        return 100 * self.count(atom) / n if n else math.nan

    @staticmethod
    def undefined() -> float:
        return math.nan

    @staticmethod
    def constant(x: float) -> float:
        return x

    @staticmethod
    def add(a: float, b: float) -> float:
        return a + b

    @staticmethod
    def scale(a: float, k: float) -> float:
        return a * k

    @staticmethod
    def abs(a: float) -> float:
        return abs(a)

    @staticmethod
    def compare(op, a: float, b: float) -> bool:
        return bool(COMPARE[op](a, b))  # False when either side is NaN

    @staticmethod
    def conjunction(parts: list[bool]) -> bool:
        return all(parts)

    @staticmethod
    def disjunction(parts: list[bool]) -> bool:
        return any(parts)

    @staticmethod
    def negation(part: bool) -> bool:
        return not part


class _Ratio:
    """numerator / denominator, both linear forms: a share whose group size is not fixed."""

    def __init__(self, num: _Linear, den: _Linear):
        self.num, self.den = num, den


class _LinearBackend:
    """Linear forms over :class:`Atom` counts, with group sizes from ``fixed``.

    A share or part whose denominator is not fixed is kept as a :class:`_Ratio`; compared with a
    number it is still linear (N / D < c is N - c D < 0, D being positive), compared with another
    quantity it is not."""

    def __init__(self, fixed: Callable[[Atom], float | None], margin: float, partial: bool = False):
        self.fixed, self.margin, self.partial = fixed, margin, partial

    def size(self, atom: Atom) -> float:
        value = self.fixed(atom)
        if value is None:
            raise NotLinear(f"the size of {atom} is not fixed")
        return float(value)

    @staticmethod
    def count(atom: Atom) -> _Linear:
        return _Linear({atom: 1.0})

    def _ratio(self, atom: Atom, base: Atom):
        n = self.fixed(base)
        if n is None:
            return _Ratio(_Linear({atom: 100.0}), _Linear({base: 1.0}))
        if not n:
            raise NotLinear(f"{base} is empty: a share of it is undefined")
        return _Linear({atom: 100 / n})

    def share(self, atom: Atom):
        return self._ratio(atom, atom.size())

    def part(self, atom: Atom, base: Atom):
        return self._ratio(atom, base)

    @staticmethod
    def undefined():
        raise NotLinear("an undefined quantity")

    @staticmethod
    def constant(x: float) -> _Linear:
        return _Linear(const=x)

    @staticmethod
    def add(a, b):
        if isinstance(a, _Abs) or isinstance(b, _Abs):
            raise NotLinear("abs() inside a sum")
        if isinstance(b, _Ratio):
            a, b = b, a
        if isinstance(a, _Ratio):
            if isinstance(b, _Ratio) or b.coeffs:
                raise NotLinear("a sum with a share whose group size is not fixed")
            return _Ratio(a.num + a.den.scale(b.const), a.den)  # N/D + c = (N + c D)/D
        return a + b

    @staticmethod
    def scale(a, k: float):
        if isinstance(a, _Abs):
            if k < 0:
                raise NotLinear("-abs()")
            return _Abs(_LinearBackend.scale(a.inner, k))
        if isinstance(a, _Ratio):
            return _Ratio(a.num.scale(k), a.den)
        return a.scale(k)

    @staticmethod
    def abs(a) -> _Abs:
        return _Abs(a)

    def compare(self, op, a, b) -> list[Constraint]:
        if op in (ast.Gt, ast.GtE):  # a > b is b < a
            a, b, op = b, a, {ast.Gt: ast.Lt, ast.GtE: ast.LtE}[op]
        room = self.margin if op is ast.Lt else 0.0
        if isinstance(b, _Abs):
            raise NotLinear("abs() on the greater side of a comparison")
        if isinstance(a, _Abs):  # |x| <= b: x <= b and -x <= b
            return self._below(a.inner, b, room) + self._below(self.scale(a.inner, -1), b, room)
        return self._below(a, b, room)

    def _below(self, a, b, room: float) -> list[Constraint]:
        """a <= b - room."""
        if isinstance(a, _Ratio) or isinstance(b, _Ratio):
            if isinstance(a, _Ratio) and isinstance(b, _Ratio):
                raise NotLinear("two shares whose group sizes are not fixed")
            if isinstance(b, _Ratio):  # c <= N/D - room  is  (c + room) D - N <= 0
                if a.coeffs:
                    raise NotLinear("a share whose group size is not fixed, against a quantity")
                return [self._upper(b.den.scale(a.const + room) + b.num.scale(-1), 0.0)]
            if b.coeffs:
                raise NotLinear("a share whose group size is not fixed, against a quantity")
            return [self._upper(a.num + a.den.scale(-(b.const - room)), 0.0)]  # N - (c - room) D <= 0
        return [self._upper(a + b.scale(-1), room)]

    @staticmethod
    def _upper(form: _Linear, room: float) -> Constraint:
        """form <= -room, as bounds on the atoms' sum."""
        coeffs = tuple((a, c) for a, c in form.coeffs.items() if c)
        return Constraint(coeffs, -math.inf, -room - form.const)

    @staticmethod
    def conjunction(parts: list) -> list[Constraint]:
        return [c for p in parts for c in p]

    @staticmethod
    def disjunction(parts: list):
        raise NotLinear("'or' / any()")

    @staticmethod
    def negation(part):
        raise NotLinear("'not'")


# --------------------------------------------------------------------------- the interface


_LAST: dict = {}  # the last extract classified (a catalog checks one extract rule after rule)


def _classified(frame: pd.DataFrame, context: dict) -> pd.DataFrame:
    if {"status", "age_band"} <= set(frame.columns):
        return frame
    codes, categories = context["ura_codes"], context["ura_categories"]
    key = tuple(int(pd.util.hash_pandas_object(f, index=True).sum()) for f in (frame, codes, categories))
    if _LAST.get("key") != key:
        _LAST.update(key=key, classified=classify(frame, codes, categories))
    return _LAST["classified"]


def evaluate_rule(rule: str, classified: pd.DataFrame, pilot_id: str | None, categories: pd.DataFrame) -> bool:
    """Whether ``rule`` holds on an already classified extract."""
    parsed = _Rule(rule, pilot_id, categories)
    return bool(parsed.truth(parsed.tree, {}, _Backend(classified)))


def check(rule: str, frame: pd.DataFrame, pilot_id: str | None, context: dict) -> bool:
    """Whether ``rule`` holds on a URA extract (classified here with ``context['ura_codes']`` and
    ``context['ura_categories']`` unless it already is).  ValueError names a rule it cannot read."""
    return evaluate_rule(rule, _classified(frame, context), pilot_id, context["ura_categories"])


def constraints(rule: str, pilot_id: str | None, fixed: Callable[[Atom], float | None],
                categories: pd.DataFrame, margin: float = 0.5, partial: bool = False) -> list[Constraint]:
    """The rule as linear constraints over :class:`Atom` counts, given the fixed group sizes
    (``fixed(atom)`` returns the size of ``atom`` — whose ``statuses`` is None — or None when it
    is not fixed; it may raise :class:`NotLinear` for an atom it cannot count).  A strict
    comparison keeps ``margin`` (in the rule's units) of room.  Raises :class:`NotLinear` for a
    rule that is not a set of linear constraints; with ``partial``, the parts of an ``and`` or
    ``all`` that are not linear are left out instead (what remains is implied by the rule)."""
    parsed = _Rule(rule, pilot_id, categories)
    backend = _LinearBackend(fixed, margin, partial)
    return parsed.truth(parsed.tree, {}, backend)
