"""The statements chapter 2.3 makes about groups of respondents of the survey of invited
non-participants, as rules checked on the answers (SYNTHETIC or real).

``data/published/statements.csv`` holds each statement with its report lines; its ``rule`` column
is written in the small language below, and :func:`check` says whether a rule holds on the
answers.  Only respondents of the offices the report analyses count (:func:`survey.analysed`),
and the survey's own definitions are used: "agree" is the top ``agree_points`` of a scale, "can't
say" its own code in the base, "aware of the invitation" and the info-session audience as
:mod:`pilotbook.analysis.survey` defines them, and a difference is tested by its office test.

Language
--------
A rule is one or more clauses joined by `` and ``; it holds when every clause holds.

``compare SHARE [by GROUP] [among SELECTION]: CHAIN``
    Compares shares.  With ``by GROUP`` the things compared are the groups of respondents (the
    share is computed within each); without it they are the codes of ``ITEM=*`` or the items of an
    item pattern (``reason_not_joining_*=agree``).  With ``by`` and an item pattern, the clause
    must hold for every item the pattern matches.  CHAIN orders the things, strongest first:
    ``a > b > c``; a link may hold several names (``pirkanmaa, keski-suomi > uusimaa``: each
    left share above each right one) and ``others`` stands for every compared thing the chain
    does not name (a thing nobody in the selection answered has no share: it is left out of
    ``others``, and a chain that names it does not hold).  ``a >~ b`` means a above b by no more than :data:`NEAR_POINTS` percentage points
    ("almost as many").
``no difference SHARE by GROUP [among SELECTION]``
    The groups do not differ significantly: groups x (has the share's answer, has not) tested by
    :func:`survey.office_test` (chi-square or Fisher's exact test as the expected counts require)
    gives p >= the ``alpha`` setting, for every item an item pattern matches.  A test that cannot
    be computed (one group, or no variation) finds no difference.
``share SHARE [among SELECTION] OP NUMBER``
    The share (percent) compared with a number; OP is one of ``>= <= > <``.

SHARE is ``ITEM=WHAT``.  ITEM is a column of the survey (``office``, an item of the codebook, or the
multiple-choice ``service_need``) or a pattern of items with ``*``.  WHAT is

* a code of the item (``action_after_invitation=reviewed_providers``, ``service_need=skills_update``,
  a point of a scale): its share of those who answered the item (for ``service_need``: of those
  who answered the question);
* ``agree``: the top ``agree_points`` points of the item's scale, can't say in the base;
* ``cant_say``: the scale's can't-say code, of those who answered;
* ``answered``: those who answered the item, of everyone in the group;
* ``*``: every code of the item (only without ``by``: the codes are what is compared).

GROUP is ``office`` (the analysed offices), a categorical item (``field_of_work``,
``action_after_invitation``: its codes), ``awareness`` (``aware`` / ``unaware`` of the
invitation; those who did not answer the action question are in neither) or ``audience``
(``attended`` an info session / ``other``: respondents aware of the invitation, as Figure 5 splits them).

SELECTION is one or more of ``aware``, ``unaware``, ``attended`` or ``COLUMN=CODE`` joined by
`` & ``.

Examples: ``compare action_after_invitation=unaware_of_invitation by office: uusimaa > others``;
``no difference reason_not_joining_*=agree by office among aware``;
``compare service_need=*: no_service_needed >~ skills_update``.
"""

from __future__ import annotations

import fnmatch
import re

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.analysis import survey as sv
from pilotbook.io.codebook import ACTION, ATTENDED, SERVICE_NEED, UNAWARE, Codebook

NEAR_POINTS = 5.0  # ">~": "almost as many" = below by at most this many percentage points
OTHERS = "others"
DERIVED_GROUPS = {"awareness": ("aware", "unaware"), "audience": sv.AUDIENCES}
_SPECIAL = ("agree", "cant_say", "answered", "*")

_COMPARE = re.compile(r"^compare\s+(?P<share>\S+)(?:\s+by\s+(?P<by>\S+))?(?:\s+among\s+(?P<among>[^:]+?))?"
                      r"\s*:\s*(?P<chain>.+)$")
_NO_DIFF = re.compile(r"^no difference\s+(?P<share>\S+)\s+by\s+(?P<by>\S+)(?:\s+among\s+(?P<among>.+?))?$")
_LEVEL = re.compile(r"^share\s+(?P<share>\S+)(?:\s+among\s+(?P<among>.+?))?\s*(?P<op>>=|<=|>|<)\s*"
                    r"(?P<value>\d+(?:\.\d+)?)$")
_OPS = {">=": np.greater_equal, "<=": np.less_equal, ">": np.greater, "<": np.less}


class _Error(ValueError):
    pass


# --------------------------------------------------------------------------- entry point


def check(rule: str, frame: pd.DataFrame, pilot_id: str | None, context: dict) -> bool:
    """Does ``rule`` hold on the survey answers ``frame``?  ``context["survey_codebook"]`` is the
    codebook (a frame or a :class:`Codebook`); with ``pilot_id``, only the respondents of the
    offices whose respondents were invited to that pilot count.  ValueError names a rule it
    cannot parse or read against the codebook."""
    cb = context.get("survey_codebook") if context else None
    if cb is None:
        raise ValueError(f"rule {rule!r}: the survey rules need context['survey_codebook']")
    cb = cb if isinstance(cb, Codebook) else Codebook(cb)
    data = sv.analysed(frame, cb)
    if pilot_id:
        data = data[data["office"].isin(cb.offices_of(pilot_id))]
    try:
        clauses = [c.strip() for c in re.split(r"\s+and\s+", rule.strip())]
        if not all(clauses):
            raise _Error("empty clause")
        results = [_clause(c, data, cb) for c in clauses]
    except _Error as err:
        raise ValueError(f"rule {rule!r}: {err}") from None
    return all(results)


def _clause(text: str, data: pd.DataFrame, cb: Codebook) -> bool:
    if m := _COMPARE.match(text):
        return _compare(m, data, cb)
    if m := _NO_DIFF.match(text):
        return _no_difference(m, data, cb)
    if m := _LEVEL.match(text):
        items, what = _share(m["share"], cb, data)
        if len(items) != 1 or what == "*":
            raise _Error("'share' takes one item and one answer")
        value = _rate(_indicator(_select(data, m["among"], cb), items[0], what, cb))
        return bool(_OPS[m["op"]](value, float(m["value"])))
    raise _Error(f"cannot parse clause {text!r}")


# --------------------------------------------------------------------------- clauses


def _compare(m: re.Match, data: pd.DataFrame, cb: Codebook) -> bool:
    items, what = _share(m["share"], cb, data)
    data = _select(data, m["among"], cb)
    if m["by"]:
        if what == "*":
            raise _Error("'ITEM=*' compares codes and cannot be split 'by' a group")
        groups = _groups(data, m["by"], cb)
        return all(_chain(m["chain"], {_text(g): _rate(_indicator(data[groups == g], item, what, cb))
                                       for g in _labels(m["by"], cb, groups)}) for item in items)
    if what == "*":
        if len(items) != 1:
            raise _Error("'ITEM=*' takes one item")
        return _chain(m["chain"], {_text(c): _rate(_indicator(data, items[0], c, cb)) for c in _codes(items[0], cb)})
    if len(items) < 2:
        raise _Error("nothing to compare: give 'by GROUP', 'ITEM=*' or an item pattern")
    return _chain(m["chain"], {item: _rate(_indicator(data, item, what, cb)) for item in items})


def _no_difference(m: re.Match, data: pd.DataFrame, cb: Codebook) -> bool:
    items, what = _share(m["share"], cb, data)
    if what == "*":
        raise _Error("'no difference' needs one answer, not '*'")
    data = _select(data, m["among"], cb)
    groups = _groups(data, m["by"], cb)
    labels = [_text(g) for g in _labels(m["by"], cb, groups)]
    alpha = settings.current().alpha
    for item in items:
        result = sv.office_test(*_as_office_item(_indicator(data, item, what, cb), groups, cb), labels)
        if not np.isnan(result["p_value"]) and result["p_value"] < alpha:
            return False
    return True


def _as_office_item(indicator: pd.Series, groups: pd.Series, cb: Codebook) -> tuple[pd.DataFrame, str, Codebook]:
    """The frame, item and codebook with which :func:`survey.office_test` tests any share: the
    groups in its ``office`` column, the answer as the top point of an agree scale and its absence
    as the bottom point (so the office test's own tables and choice of test apply)."""
    scale = "agree5"
    points = cb.scale_points(scale)
    if len(cb.agree_codes(scale)) >= len(points):
        raise _Error("the agree_points setting leaves no point of the scale outside 'agree'")
    name = "_statement_share"
    row = {"survey": "nonparticipants", "kind": "item", "name": name, "code": "", "scale": scale}
    book = Codebook(pd.concat([cb.frame, pd.DataFrame([row])], ignore_index=True))
    answer = indicator.map({1.0: points[-1], 0.0: points[0]})
    frame = pd.DataFrame({"office": groups.astype(object).map(_text), name: answer})
    return frame[frame["office"].notna()], name, book


def _chain(text: str, shares: dict) -> bool:
    """Do the shares follow the chain (see the module's docstring)?"""
    parts = re.split(r"\s*(>~|>)\s*", text.strip())
    links, ops = parts[0::2], parts[1::2]
    named = [[n.strip() for n in link.split(",")] for link in links]
    if len(links) < 2 or any(not n for link in named for n in link):
        raise _Error(f"cannot parse the chain {text!r}")
    mentioned = {n for link in named for n in link if n != OTHERS}
    unknown = mentioned - set(shares)
    if unknown:
        raise _Error(f"{', '.join(sorted(unknown))} not among the compared ({', '.join(map(str, shares))})")
    rest = [k for k, v in shares.items() if k not in mentioned and not np.isnan(v)]
    values = [[v for n in link for v in ([shares[k] for k in rest] if n == OTHERS else [shares[n]])] for link in named]
    for op, high, low in zip(ops, values, values[1:]):
        for a in high:
            for b in low:
                if not a > b or (op == ">~" and a - b > NEAR_POINTS + 1e-9):
                    return False
    return True


# --------------------------------------------------------------------------- shares


def _share(text: str, cb: Codebook, data: pd.DataFrame) -> tuple[list[str], str]:
    """(items, answer) of ``ITEM=WHAT``; an item pattern gives every item of the codebook it matches."""
    item, sep, what = text.partition("=")
    if not sep or not item or not what:
        raise _Error(f"{text!r} is not ITEM=WHAT")
    if "*" in item:
        names = [n for n in cb.items(survey="nonparticipants")["name"] if fnmatch.fnmatchcase(n, item)]
        if not names:
            raise _Error(f"no item of the codebook matches {item!r}")
    else:
        names = [item]
    for name in names:
        if name not in (*data.columns, SERVICE_NEED):
            raise _Error(f"the survey has no item {name!r}")
        if what not in _SPECIAL and what not in [str(c) for c in _codes(name, cb)]:
            raise _Error(f"{what!r} is not a code of {name!r}")
    return names, what


def _codes(item: str, cb: Codebook) -> list:
    if item == "office":
        return cb.offices()
    if cb.categories(item):
        return cb.categories(item)
    try:
        scale = cb.scale_of(item)
    except KeyError:
        raise _Error(f"the codebook has no item {item!r}") from None
    return cb.scale_codes(scale)


def _indicator(data: pd.DataFrame, item: str, what: str, cb: Codebook) -> pd.Series:
    """1 where the respondent has the answer, 0 where not, NaN outside the share's base."""
    if item == SERVICE_NEED:
        base = sv.answered_service_need(data, cb)
        if what == "answered":
            return base.astype(float)
        chosen = data[f"{SERVICE_NEED}_{what}"].fillna(False).astype(bool)
        return chosen.astype(float).where(base)
    answers = data[item]
    if what == "answered":
        return answers.notna().astype(float)
    if what == "agree":
        hit = answers.isin(cb.agree_codes(cb.scale_of(item)))
    elif what == "cant_say":
        hit = answers == cb.cant_say(cb.scale_of(item))
    else:
        code = next(c for c in _codes(item, cb) if str(c) == str(what))
        hit = answers == code
    return hit.fillna(False).astype(float).where(answers.notna())


def _rate(indicator: pd.Series) -> float:
    """Percent of the base with the answer; NaN for an empty base."""
    base = indicator.dropna()
    return float(100 * base.mean()) if len(base) else float("nan")


# --------------------------------------------------------------------------- groups and selections


def _groups(data: pd.DataFrame, by: str, cb: Codebook) -> pd.Series:
    """Each respondent's group (NaN: in none)."""
    if by == "awareness":
        out = pd.Series(np.nan, index=data.index, dtype=object)
        out[sv.aware(data)] = "aware"
        out[data[ACTION] == UNAWARE] = "unaware"
        return out
    if by == "audience":
        return sv.by_attendance(data)["audience"].reindex(data.index)
    if by not in data.columns:
        raise _Error(f"cannot group by {by!r}")
    return data[by]


def _labels(by: str, cb: Codebook, groups: pd.Series) -> list:
    if by in DERIVED_GROUPS:
        return list(DERIVED_GROUPS[by])
    if by == "office" or cb.categories(by):
        return _codes(by, cb)
    return list(dict.fromkeys(groups.dropna()))


def _text(value) -> str | None:
    """A cell as a rule writes it: 5.0 as '5', missing as None."""
    if pd.isna(value):
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _select(data: pd.DataFrame, among: str | None, cb: Codebook) -> pd.DataFrame:
    if not among:
        return data
    keep = pd.Series(True, index=data.index)
    for term in (t.strip() for t in among.split("&")):
        if term == "aware":
            keep &= sv.aware(data)
        elif term == "unaware":
            keep &= data[ACTION] == UNAWARE
        elif term == "attended":
            keep &= data[ACTION] == ATTENDED
        elif "=" in term:
            column, _, code = term.partition("=")
            if column not in data.columns:
                raise _Error(f"cannot select on {column!r}")
            keep &= data[column].astype(object).map(_text) == code
        else:
            raise _Error(f"cannot read the selection {term!r}")
    return data[keep.fillna(False).astype(bool)]
